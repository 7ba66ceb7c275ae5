package consent

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// maxEmailLen is the longest normalised e-mail address accepted, in bytes
// (RFC 3696 erratum 1690: 64 for the local part, @, 255 for the domain).
const maxEmailLen = 320

// NormalizeEmail returns the canonical form of an e-mail address, so that one
// mailbox written several ways compares equal:
//
//   - surrounding space is removed;
//   - the local part (before the last "@") is kept as given except for
//     Unicode NFC: local parts are case-sensitive in RFC 5321, so
//     "Lea.Martin" and "lea.martin" stay distinct;
//   - an ASCII domain is lower-cased;
//   - a domain with non-ASCII characters is converted to its IDNA ASCII
//     form with the UTS #46 lookup profile of golang.org/x/net/idna
//     (idna.Lookup: mapping, which lower-cases and applies NFC,
//     non-transitional processing, so "ß" is kept, STD3 and bidi rules),
//     so "josé@Exämple.Example" becomes "josé@xn--exmple-cua.example", the
//     form DNS and the Unicode form's ASCII equivalent share.
//
// It fails on anything that is not local@domain in valid UTF-8, on a domain that is not a
// valid internationalised domain name and on results longer than 320 bytes.
// The checks apply to the normalised result, so that the result always
// normalises to itself. The error never repeats the address.
//
// For ASCII input, the result is the input with surrounding space trimmed and
// the domain lower-cased.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	// NFC and IDNA can lengthen or shorten the address; this bound only
	// limits the work done on a hostile input.
	if len(s) > 4*maxEmailLen || !utf8.ValidString(s) {
		return "", errNotEmail()
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", errNotEmail()
	}
	local, domain := norm.NFC.String(s[:at]), s[at+1:]
	if isASCII(domain) {
		domain = strings.ToLower(domain)
	} else {
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return "", invalid("", "not an e-mail address: the domain is not a valid internationalised domain name")
		}
		domain = strings.ToLower(d)
	}
	out := local + "@" + domain
	if domain == "" || len(out) > maxEmailLen || strings.ContainsAny(out, " \t\r\n<>,;") ||
		strings.Contains(domain, "..") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", errNotEmail()
	}
	return out, nil
}

// errNotEmail is a new error each time: callers may modify what they get.
func errNotEmail() error { return invalid("", "not an e-mail address (local@domain)") }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// NormalizePhone returns a phone number in E.164 form: "+" followed by 8 to
// 15 digits. Spaces, dots, dashes and parentheses between digits are dropped.
// National formats are not guessed: use [NormalizePhoneIn] to read them for a
// known country.
func NormalizePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "+") {
		return "", errNotE164()
	}
	var b strings.Builder
	b.WriteByte('+')
	for _, r := range s[1:] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", errNotE164()
		}
	}
	out := b.String()
	if n := len(out) - 1; n < 8 || n > 15 || out[1] == '0' {
		return "", errNotE164()
	}
	return out, nil
}

func errNotE164() error { return invalid("", "not an E.164 number (+ and country code)") }

// normalizeSubject normalises the address or number a record concerns: an
// e-mail address when it contains "@", else a phone number.
func normalizeSubject(s string) (string, error) {
	if strings.Contains(s, "@") {
		return NormalizeEmail(s)
	}
	return NormalizePhone(s)
}
