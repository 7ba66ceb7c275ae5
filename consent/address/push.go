package address

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// pushPrefix starts the text form of a push address.
const pushPrefix = "push:"

// The bounds of a push address and of a postal address.
const (
	maxPushLen        = 1024 // bytes of the whole text form
	maxPostalLines    = 8    // lines, the country's not counted
	maxPostalLineLen  = 200  // bytes of one line
	maxPostalInputLen = 4096 // bytes read before giving up
)

// ParsePush parses a push address: "push:<app-id>/<installation-or-token>",
// the installation of one application on one device, or the device token
// the push service gave it (APNs, FCM, a Web Push subscription id).
//
//   - surrounding space is removed; nothing else is changed: push
//     addresses are compared exactly ([Address.Key] is the text), since a
//     token's case is significant;
//   - app-id is the application's identifier (a bundle id, a package name,
//     a web origin's name): ASCII letters, digits, '.', '-' and '_', 1 to
//     255 bytes;
//   - the installation or token is 1 or more printable ASCII characters
//     other than space and '@' ('@' is kept for e-mail, so that no push
//     address can be read as an e-mail address).
//
// The whole is at most 1,024 bytes. Anything else is an error that never
// repeats the input.
func ParsePush(s string) (Address, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxPushLen || !strings.HasPrefix(s, pushPrefix) {
		return Address{}, errNotPush()
	}
	app, token, ok := strings.Cut(s[len(pushPrefix):], "/")
	if !ok || app == "" || len(app) > 255 || token == "" {
		return Address{}, errNotPush()
	}
	for i := 0; i < len(app); i++ {
		c := app[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return Address{}, errNotPush()
		}
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c > '~' || c == '@' {
			return Address{}, errNotPush()
		}
	}
	return Address{kind: Push, text: s, key: s}, nil
}

// MustParsePush is like [ParsePush] but panics on error. It is meant for
// tests, examples and hard-coded addresses.
func MustParsePush(s string) Address {
	a, err := ParsePush(s)
	if err != nil {
		panic(err)
	}
	return a
}

// ParsePostal parses a postal address: free-form lines (the recipient's
// name, street, town and postcode, as the host holds them, in that order)
// and the country the letter goes to.
//
//   - each line is put in Unicode NFC, its runs of white space become one
//     space and surrounding space is removed; empty lines are dropped;
//   - 1 to 8 lines remain, each at most 200 bytes, none holding a control
//     character, and at most 200 bytes in its matching form (below);
//   - country is required.
//
// Its text form ([Address.String], [Address.MarshalText]) is the lines
// and then the country code, each on its own line:
// "Léa Martin\n12 rue de l'Exemple\n75001 Paris\nFR". Two postal
// addresses are [Address.Same] when their keys are equal: the text form in
// Unicode NFKC, case-folded, so "12 RUE DE L'EXEMPLE" and "12 rue de
// l'exemple" are one address. Nothing else is guessed: abbreviations
// ("r." for "rue"), punctuation and the order of lines count.
//
// Anything else is an error that never repeats the input.
func ParsePostal(lines []string, country Country) (Address, error) {
	if country.IsZero() {
		return Address{}, invalid("", "not a postal address: the country is missing")
	}
	var b strings.Builder
	n, total := 0, 0
	for _, l := range lines {
		total += len(l)
		if total > maxPostalInputLen {
			return Address{}, errNotPostal()
		}
		l, ok := postalLine(l)
		if !ok {
			return Address{}, errNotPostal()
		}
		if l == "" {
			continue
		}
		if n++; n > maxPostalLines || len(l) > maxPostalLineLen {
			return Address{}, errNotPostal()
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if n == 0 {
		return Address{}, errNotPostal()
	}
	b.WriteString(country.code)
	text := b.String()
	key := postalKey(text)
	// Case folding can lengthen a line ("İ" folds to "i̇"): the limit holds
	// for the key too, so that the key parses back as an address.
	for l := range strings.Lines(key) {
		if len(strings.TrimSuffix(l, "\n")) > maxPostalLineLen {
			return Address{}, errNotPostal()
		}
	}
	return Address{kind: Postal, text: text, key: key}, nil
}

// MustParsePostal is like [ParsePostal] but panics on error. It is meant
// for tests, examples and hard-coded addresses.
func MustParsePostal(lines []string, country Country) Address {
	a, err := ParsePostal(lines, country)
	if err != nil {
		panic(err)
	}
	return a
}

// parsePostalText parses the text form of a postal address: lines
// separated by "\n" (or "\r\n"), the last one a country code.
func parsePostalText(s string) (Address, error) {
	if len(s) > maxPostalInputLen {
		return Address{}, errNotPostal()
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")), "\n")
	if len(lines) < 2 {
		return Address{}, errNotPostal()
	}
	c, err := ParseCountry(lines[len(lines)-1])
	if err != nil {
		return Address{}, invalid("", "not a postal address: the last line must be an ISO 3166-1 alpha-2 country code")
	}
	return ParsePostal(lines[:len(lines)-1], c)
}

// postalLine normalises one line of a postal address: NFC, runs of white
// space collapsed to one space, trimmed. A control character or invalid
// UTF-8 is not a line.
func postalLine(l string) (string, bool) {
	l = norm.NFC.String(l)
	var b strings.Builder
	space := false
	for _, r := range l {
		switch {
		case r == '\uFFFD' || r < ' ' && r != '\t' || r >= 0x7F && r < 0xA0 || r == '\u2028' || r == '\u2029':
			return "", false
		case r == ' ' || r == '\t' || r == '\u00A0' || r == '\u3000' || r >= '\u2000' && r <= '\u200A' || r == '\u202F' || r == '\u205F':
			space = b.Len() > 0
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// postalKey is the matching form of a postal address's text: NFKC,
// case-folded, NFKC again, and white space collapsed again (NFKC can turn
// a character into spaces), until it no longer changes, so that the key of
// a key is the key.
func postalKey(text string) string {
	fold := cases.Fold()
	k := text
	for range 4 {
		lines := strings.Split(norm.NFKC.String(fold.String(norm.NFKC.String(k))), "\n")
		for i, l := range lines {
			lines[i] = strings.Join(strings.Fields(l), " ")
		}
		next := strings.Join(lines, "\n")
		if next == k {
			break
		}
		k = next
	}
	return k
}

// errNotPush is a new error each time: callers may modify what they get.
func errNotPush() error {
	return invalid("", "not a push address (push:<app-id>/<installation-or-token>)")
}

// errNotPostal is a new error each time.
func errNotPostal() error {
	return invalid("", "not a postal address: 1 to 8 non-empty lines of at most 200 bytes, without control characters, and a country")
}
