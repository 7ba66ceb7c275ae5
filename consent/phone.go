package consent

import (
	"strings"
)

// NormalizePhoneIn returns the E.164 form of a phone number written either
// internationally or in the national format of country, the contact's
// country:
//
//   - "+" and a country code, with spaces, dots, dashes and parentheses
//     between digits ("+33 6 39 98 00 01", "+44 (0)7700 900123"), or the
//     same after the international prefix "00" ("0033 6 39 98 00 01") when
//     country is FR, BE or GB, whose international prefix it is. A number
//     in international form may be of any country and is checked only for
//     the E.164 shape, as by [NormalizePhone]; after the country codes 33,
//     32 and 44 a trunk "0" ("+33 (0)6 …", "+44 07700 …") is dropped, since
//     no French, Belgian or British national significant number starts
//     with 0.
//   - France (FR): 10 digits starting with 0 ("06 39 98 00 01"): the 0 is
//     dropped and +33 prefixed.
//   - Belgium (BE): 9 digits starting with 0 for fixed lines ("02 123 45 67",
//     "04 123 45 67" in Liège) or 10 digits starting with 04 for mobiles
//     ("0460 00 00 01"): the 0 is dropped and +32 prefixed.
//   - United Kingdom (GB): 10 or 11 digits starting with 0 ("07700 900123"):
//     the 0 is dropped and +44 prefixed.
//
// Number ranges are not checked further: a well-formed number that was never
// assigned is accepted. National formats of other countries are not guessed:
// for them, and for the zero Country, only the international "+" form is
// accepted. Anything else is a [*FieldError] wrapping [ErrInvalid] whose
// message never repeats the number.
//
// The result is a fixed point: NormalizePhoneIn(NormalizePhoneIn(s, c), c)
// returns the same number, whatever c.
func NormalizePhoneIn(s string, country Country) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return "", errNotPhone(country)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", errNotPhone(country)
		}
	}
	d := b.String()
	national := nationalPlans[country.code]
	switch {
	case strings.HasPrefix(d, "+"):
	case strings.HasPrefix(d, "00") && national != nil:
		d = "+" + d[2:]
	case national != nil:
		e, ok := national(d)
		if !ok {
			return "", errNotPhone(country)
		}
		d = e
	default:
		return "", errNotPhone(country)
	}
	if len(d) > 3 && (d[1:3] == "33" || d[1:3] == "32" || d[1:3] == "44") {
		// A trunk 0 written after the country code: dropping every such 0
		// keeps the result a fixed point.
		for len(d) > 3 && d[3] == '0' {
			d = d[:3] + d[4:]
		}
	}
	out, err := NormalizePhone(d)
	if err != nil {
		return "", errNotPhone(country)
	}
	return out, nil
}

// nationalPlans reads a national number (ASCII digits only) of a supported
// country into E.164.
var nationalPlans = map[string]func(d string) (string, bool){
	"FR": func(d string) (string, bool) {
		if len(d) == 10 && d[0] == '0' && d[1] != '0' {
			return "+33" + d[1:], true
		}
		return "", false
	},
	"BE": func(d string) (string, bool) {
		if (len(d) == 9 || len(d) == 10 && d[1] == '4') && d[0] == '0' && d[1] != '0' {
			return "+32" + d[1:], true
		}
		return "", false
	},
	"GB": func(d string) (string, bool) {
		if (len(d) == 10 || len(d) == 11) && d[0] == '0' && d[1] != '0' {
			return "+44" + d[1:], true
		}
		return "", false
	},
}

// errNotPhone explains what was expected for the country, without the number.
func errNotPhone(c Country) error {
	var msg string
	switch c.code {
	case "FR":
		msg = "not a phone number: expected E.164 (+33 …), 00 and a country code, or a French national number (10 digits starting with 0)"
	case "BE":
		msg = "not a phone number: expected E.164 (+32 …), 00 and a country code, or a Belgian national number (0 and 8 digits, or 04 and 8 digits for a mobile)"
	case "GB":
		msg = "not a phone number: expected E.164 (+44 …), 00 and a country code, or a UK national number (0 and 9 or 10 digits)"
	case "":
		msg = "not an E.164 number (+ and country code); national formats need the contact's country"
	default:
		msg = "not an E.164 number (+ and country code); national formats of " + c.code + " are not read"
	}
	return invalid("", msg)
}
