package address

import (
	"strings"
	"unicode/utf8"

	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/fielderr"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Address is an e-mail address, a phone number, a push address or a postal
// address in canonical form, parsed once, like a [net/netip.Addr] or a [Country]. The zero Address is no
// address.
//
// Only [ParseEmail], [ParsePhone], [ParsePush], [ParsePostal], [Parse],
// their Must forms and text unmarshalling make one, so an Address held by a contact, a consent
// record or an interaction never needs checking again, and two
// spellings of one mailbox or number can never decide differently:
//
//   - an e-mail address keeps its local part's case for sending (RFC 5321
//     lets a server tell "Lea" from "lea") but is matched — against
//     grants, collected addresses and erasure suppressions — case-insensitively,
//     since mailbox providers ignore that case and a missed match would
//     mean marketing to a person who objected;
//   - a phone number is its E.164 form, whatever format it was written in;
//   - a push address is compared exactly; a postal address by its lines
//     and country in NFKC, case-folded, white space collapsed.
//
// Addresses are small comparable values: == tells whether two are spelt
// identically, [Address.Same] whether they reach the same mailbox or
// number.
type Address struct {
	kind Kind
	text string // the canonical form, to send to
	key  string // the matching form: text, with an e-mail local part lower-cased
}

// maxEmailLen is the longest canonical e-mail address accepted, in bytes
// (RFC 3696 erratum 1690: 64 for the local part, @, 255 for the domain).
const maxEmailLen = 320

// ParseEmail parses an e-mail address:
//
//   - surrounding space is removed;
//   - the local part (before the last "@") is put in Unicode NFC and
//     otherwise kept as given for sending; it is matched lower-cased;
//   - an ASCII domain is lower-cased;
//   - a domain with non-ASCII characters is converted to its IDNA ASCII
//     form with the UTS #46 lookup profile of golang.org/x/net/idna
//     (idna.Lookup: mapping, which lower-cases and applies NFC,
//     non-transitional processing, so "ß" is kept, STD3 and bidi rules),
//     so "josé@Exämple.Example" becomes "josé@xn--exmple-cua.example", the
//     form DNS and the Unicode form's ASCII equivalent share.
//
// It fails on anything that is not local@domain in valid UTF-8, on a domain
// that is not a valid internationalised domain name and on results longer
// than 320 bytes, with an error that never repeats the address (see the
// package doc, Errors). The checks apply to the canonical form, so that
// parsing [Address.String] gives the same Address back.
func ParseEmail(s string) (Address, error) {
	if a, ok := plainEmail(s); ok {
		return a, nil
	}
	return parseEmail(s)
}

// plainEmail parses the commonest form in one pass: printable ASCII with
// no upper-case letter, no space and none of "<>,;", a non-empty local
// part and a domain that neither starts nor ends with a dot nor holds two
// in a row. Its canonical and matching forms are s itself, which is what
// parseEmail gives for it; ok is false for any other text, valid or not,
// which parseEmail then reads (TestPlainEmail and FuzzPlainEmail compare
// the two).
func plainEmail(s string) (a Address, ok bool) {
	if len(s) > maxEmailLen {
		return Address{}, false
	}
	at := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case !emailPlain[c]:
			return Address{}, false
		case c == '@':
			at = i
		}
	}
	if at <= 0 || at >= len(s)-1 {
		return Address{}, false
	}
	if d := s[at+1:]; d[0] == '.' || d[len(d)-1] == '.' || strings.Contains(d, "..") {
		return Address{}, false
	}
	return Address{kind: Email, text: s, key: s}, true
}

// emailPlain holds the bytes of the addresses plainEmail reads: printable
// ASCII but upper-case letters, the space and "<>,;".
var emailPlain = func() (t [256]bool) {
	for c := 0x21; c < 0x7f; c++ {
		t[c] = (c < 'A' || c > 'Z') && !strings.ContainsRune("<>,;", rune(c))
	}
	return t
}()

// parseEmail is [ParseEmail] for any text.
func parseEmail(s string) (Address, error) {
	s = strings.TrimSpace(s)
	// NFC and IDNA can lengthen or shorten the address; this bound only
	// limits the work done on a hostile input.
	ascii := isASCII(s) // the usual case: ASCII text is in NFC already
	if len(s) > 4*maxEmailLen || !ascii && !utf8.ValidString(s) {
		return Address{}, errNotEmail()
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return Address{}, errNotEmail()
	}
	local, domain := s[:at], s[at+1:]
	if !ascii {
		local = norm.NFC.String(local)
	}
	if isASCII(domain) {
		domain = strings.ToLower(domain)
	} else {
		d, err := idna.Lookup.ToASCII(domain)
		if err != nil {
			return Address{}, invalid("", "not an e-mail address: the domain is not a valid internationalised domain name")
		}
		domain = strings.ToLower(d)
	}
	text := s // the usual case: already in its normal form, and no copy made
	if len(local) != at || len(domain) != len(s)-at-1 || local != s[:at] || domain != s[at+1:] {
		text = local + "@" + domain
	}
	if domain == "" || len(text) > maxEmailLen || strings.ContainsAny(text, " \t\r\n<>,;") ||
		strings.Contains(domain, "..") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return Address{}, errNotEmail()
	}
	key := text
	var k string
	if ascii {
		k = strings.ToLower(local) // foldLocal of ASCII text
	} else {
		k = foldLocal(local)
	}
	if k != local {
		key = k + "@" + domain
	}
	return Address{kind: Email, text: text, key: key}, nil
}

// foldLocal is the matching form of a local part in NFC: lower-cased, then
// NFC again, until it no longer changes, so that the key of a key is the key.
func foldLocal(local string) string {
	for range 4 {
		k := norm.NFC.String(strings.ToLower(local))
		if k == local {
			break
		}
		local = k
	}
	return local
}

// MustParseEmail is like [ParseEmail] but panics on error. It is meant for
// tests, examples and hard-coded addresses.
func MustParseEmail(s string) Address {
	a, err := ParseEmail(s)
	if err != nil {
		panic(err)
	}
	return a
}

// ParsePhone parses a phone number into its E.164 form, written either
// internationally or in the national format of country, the contact's
// country. Every spelling of one number gives the same Address, so that a
// registry lookup, a consent, an objection or an attempt recorded under one
// spelling matches a message to another.
//
//   - "+" and a country code, with spaces, dots, dashes and parentheses
//     between digits ("+33 6 39 98 00 01", "+44 (0)7700 900123"), or the
//     same after the international prefix "00" ("0033 6 39 98 00 01") when
//     country is one whose national format is read below (its international
//     prefix is 00). A number in international form may be of any country
//     and is checked for the E.164 shape ("+" and 8 to 15 digits, not
//     starting with 0). A 0 written after the country code is read by the
//     country code's numbering plan: after 31, 32, 33, 41, 43, 44, 49 and
//     353 it is the trunk prefix and is dropped ("+33 (0)6 …", "+353 0 87 …",
//     "+49 (0)30 …" are "+336…", "+35387…", "+4930…"), since no national
//     significant number of those countries starts with 0 (two zeros are an
//     error); after 39 (Italy) it is part of the number and kept ("+39 06 …"
//     is "+3906…"); after 34 (Spain) and 352 (Luxembourg), which have no
//     trunk prefix and no number starting with 0, it is an error. After
//     other country codes the digits are kept as written.
//   - France (FR): 0 and 9 digits ("06 39 98 00 01").
//   - Belgium (BE): 0 and 8 digits for fixed lines ("02 123 45 67",
//     "04 123 45 67" in Liège) or 04 and 8 digits for mobiles
//     ("0460 00 00 01").
//   - United Kingdom (GB): 0 and 9 or 10 digits ("07700 900123").
//   - Germany (DE): 0 and 6 to 13 digits, area code and subscriber number
//     of variable lengths ("030 555 0101", "0151 5550 1010").
//   - The Netherlands (NL): 0 and 9 digits ("020 555 0101", "06 5550 0101").
//   - Ireland (IE): 0 and 7 to 9 digits ("087 555 0101", "01 555 0101",
//     "0404 55501").
//   - Spain (ES): 9 digits starting with 6, 7, 8 or 9 ("612 55 50 10",
//     "91 555 01 01"); there is no trunk prefix, nothing is dropped.
//   - Italy (IT): 6 to 11 digits starting with 0 for fixed lines
//     ("06 5550 1010"), 9 or 10 starting with 3 for mobiles
//     ("312 555 0101"); there is no trunk prefix, the 0 is kept.
//
// In the countries with a trunk prefix it is dropped and the country code
// prefixed; in Spain and Italy the country code is prefixed to the digits as
// written. Number ranges are not checked further: a well-formed number that
// was never assigned is accepted. National formats of other countries are
// not guessed: for them, and for the zero Country, only the international
// "+" form is accepted. Anything else is an error whose message never
// repeats the number (see the package doc, Errors).
//
// The result does not depend on country once parsed: ParsePhone of its
// String gives the same Address back, whatever the country.
func ParsePhone(s string, country Country) (Address, error) {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return Address{}, errNotPhone(country)
	}
	// The number is written in E.164 into a buffer on the stack, and only
	// its final text is allocated, when it is not s itself.
	var digits, e164 [80]byte
	b := digits[:0]
	for i := 0; i < len(s); i++ { // bytes: any byte of a multi-byte rune is an error
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '+' && i == 0:
			b = append(b, c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		default:
			return Address{}, errNotPhone(country)
		}
	}
	national, hasNational := planOf(country.code)
	switch {
	case len(b) > 0 && b[0] == '+':
	case len(b) >= 2 && b[0] == '0' && b[1] == '0' && hasNational:
		b = append(append(e164[:0], '+'), b[2:]...)
	case hasNational:
		var ok bool
		if b, ok = national.appendE164(e164[:0], b); !ok {
			return Address{}, errNotPhone(country)
		}
	default:
		return Address{}, errNotPhone(country)
	}
	d := s // the usual case for a number written in E.164: no copy made
	if string(b) != s {
		d = string(b)
	}
	if cc, zero, ok := callingCode(d[1:]); ok && len(d) > 1+len(cc) && d[1+len(cc)] == '0' {
		switch zero {
		case zeroTrunk:
			// One trunk 0; the national significant number after it
			// never starts with 0.
			d = d[:1+len(cc)] + d[2+len(cc):]
			if len(d) > 1+len(cc) && d[1+len(cc)] == '0' {
				return Address{}, errNotPhone(country)
			}
		case zeroInvalid:
			return Address{}, errNotPhone(country)
		}
	}
	if n := len(d) - 1; n < 8 || n > 15 || d[1] == '0' {
		return Address{}, errNotPhone(country)
	}
	return Address{kind: Phone, text: d, key: d}, nil
}

// MustParsePhone is like [ParsePhone] but panics on error. It is meant for
// tests, examples and hard-coded numbers.
func MustParsePhone(s string, country Country) Address {
	a, err := ParsePhone(s, country)
	if err != nil {
		panic(err)
	}
	return a
}

// Parse parses the text form of any kind of address: a push address when
// s starts with "push:" ([ParsePush]), a postal address when it holds a
// line break (lines, the last one a country code: the form
// [Address.String] gives), an e-mail address when it contains "@"
// ([ParseEmail]), else a phone number in E.164 or the national format of
// country ([ParsePhone]).
func Parse(s string, country Country) (Address, error) {
	switch t := strings.TrimSpace(s); {
	case strings.HasPrefix(t, pushPrefix):
		return ParsePush(s)
	case strings.ContainsAny(t, "\n\r"):
		return parsePostalText(s)
	case strings.Contains(s, "@"):
		return ParseEmail(s)
	}
	return ParsePhone(s, country)
}

// String returns the canonical form: the address to send to, or "" for the
// zero Address.
func (a Address) String() string { return a.text }

// Kind returns [Email], [Phone], [Push] or [Postal], or the invalid zero
// Kind for the zero Address.
func (a Address) Kind() Kind { return a.kind }

// IsZero reports whether a is the zero Address, no address.
func (a Address) IsZero() bool { return a.kind == 0 }

// Key returns the matching form: for an e-mail address the canonical form
// with the local part lower-cased too (then NFC), for a phone number the
// E.164 number, for a push address its text, for a postal address its text
// in NFKC, case-folded (see [ParsePostal]). Two addresses are [Address.Same] exactly when their keys
// are equal; suppression digests are made of it.
func (a Address) Key() string { return a.key }

// Same reports whether a and b reach the same mailbox or number: equal
// keys. It does not allocate. Two zero Addresses are the same; a zero
// Address is not the same as any address.
func (a Address) Same(b Address) bool { return a.key == b.key }

// Equal reports whether a and b are identical, spelling included (a == b).
// For matching, use [Address.Same].
func (a Address) Equal(b Address) bool { return a == b }

// MarshalText implements encoding.TextMarshaler: the canonical form. The
// zero Address is an error, so that no address is never written as one.
func (a Address) MarshalText() ([]byte, error) {
	if a.IsZero() {
		return nil, invalid("", "no address")
	}
	return []byte(a.text), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [Parse] and the
// zero Country: phone numbers must be in E.164 form. Contacts decode their
// addresses with their own country instead.
func (a *Address) UnmarshalText(b []byte) error {
	v, err := Parse(string(b), Country{})
	if err != nil {
		return err
	}
	*a = v
	return nil
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

// Kind says what an [Address] reaches: an e-mail mailbox, a phone
// number, an application installation (push) or a letter box (postal).
// The zero Kind (of the zero Address) is invalid.
type Kind uint8

// Kinds of address. Stored forms (suppression lists, exports) use the
// names, never the numbers. Do not reorder.
const (
	Email  Kind = iota + 1 // an e-mail address
	Phone                  // a phone number
	Push                   // an application installation or device token ([ParsePush])
	Postal                 // a postal address ([ParsePostal])
)

var kindNames = enum.New[Kind]("address", "address kind", "", "email", "phone", "push", "postal")

// String returns the text form: "email", "phone", "push" or "postal".
func (k Kind) String() string { return kindNames.String(k) }

// MarshalText implements encoding.TextMarshaler; an invalid kind is an error.
func (k Kind) MarshalText() ([]byte, error) { return kindNames.Marshal(k) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an error.
func (k *Kind) UnmarshalText(b []byte) error { return kindNames.Unmarshal(k, b) }

func invalid(field, msg string) error { return fielderr.InvalidIn("address", field, msg) }
