package consent

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail returns the canonical form of an e-mail address: surrounding
// space removed, the domain in lower case, the local part kept as given except
// for Unicode NFC (local parts are case-sensitive in RFC 5321). It fails on
// anything that is not local@domain. The error never repeats the address.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > 320 {
		return "", invalid("", "not an e-mail address (local@domain)")
	}
	local, domain := s[:at], s[at+1:]
	if strings.ContainsAny(s, " \t\r\n<>,;") || strings.Contains(domain, "..") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", invalid("", "not an e-mail address (local@domain)")
	}
	return norm.NFC.String(local) + "@" + strings.ToLower(norm.NFC.String(domain)), nil
}

// NormalizePhone returns a phone number in E.164 form: "+" followed by 8 to
// 15 digits. Spaces, dots, dashes and parentheses between digits are dropped.
// National formats are not guessed.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "+") {
		return "", invalid("", "not an E.164 number (+ and country code)")
	}
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", invalid("", "not an E.164 number (+ and country code)")
		}
	}
	out := b.String()
	if n := len(out) - 1; n < 8 || n > 15 || out[1] == '0' {
		return "", invalid("", "not an E.164 number (+ and country code)")
	}
	return out, nil
}

// normalizeSubject normalises the address or number a record concerns: an
// e-mail address when it contains "@", else a phone number.
func normalizeSubject(s string) (string, error) {
	if strings.Contains(s, "@") {
		return NormalizeEmail(s)
	}
	return NormalizePhone(s)
}
