package address

import "strings"

// zeroRule says what a 0 written straight after a country calling code is.
type zeroRule uint8

const (
	// zeroKept: the national significant number may start with 0 and the 0
	// is part of it (Italy's fixed lines: "+39 06 …").
	zeroKept zeroRule = iota
	// zeroTrunk: the 0 is the national trunk prefix, written by habit in
	// "+33 (0)6 …" or "+44 07700 …"; it is dropped, since no national
	// significant number of the country starts with 0.
	zeroTrunk
	// zeroInvalid: the country has no trunk prefix and no national
	// significant number starts with 0 (Spain, Luxembourg); the number is
	// rejected rather than guessed at, since dropping the 0 could merge two
	// numbers and keeping it could miss a registry listing.
	zeroInvalid
)

// callingCodes are the country calling codes whose treatment of a leading
// 0 is known, from the national numbering plans (ITU-T E.164 national
// numbering plan notifications). A number of any other calling code keeps
// its digits as written. Calling codes are prefix-free (ITU-T E.164), so a
// number matches at most one entry.
var callingCodes = []struct {
	cc   string
	zero zeroRule
}{
	{"31", zeroTrunk},    // the Netherlands
	{"32", zeroTrunk},    // Belgium
	{"33", zeroTrunk},    // France
	{"34", zeroInvalid},  // Spain: no trunk prefix since 1998, 9 digits starting 6 to 9
	{"39", zeroKept},     // Italy: fixed lines keep their 0 since 1998
	{"41", zeroTrunk},    // Switzerland
	{"43", zeroTrunk},    // Austria
	{"44", zeroTrunk},    // United Kingdom
	{"49", zeroTrunk},    // Germany
	{"352", zeroInvalid}, // Luxembourg: no trunk prefix
	{"353", zeroTrunk},   // Ireland
}

// callingCode returns the entry of callingCodes that e (E.164 digits
// after the "+") starts with, if any.
func callingCode(e string) (cc string, zero zeroRule, ok bool) {
	for _, c := range callingCodes {
		if strings.HasPrefix(e, c.cc) {
			return c.cc, c.zero, true
		}
	}
	return "", zeroKept, false
}

// numberRange is a set of national significant numbers (the digits after
// the calling code): those starting with one of the digits in first, with
// min to max digits.
type numberRange struct {
	first    string
	min, max int
}

// nationalPlan is how a country's numbers are written nationally: trunk
// prefix 0 then the national significant number (trunk), or the national
// significant number alone, in one of ranges. The international prefix of
// every country listed is 00.
type nationalPlan struct {
	cc     string
	trunk  bool
	ranges []numberRange
	want   string // the national format, for the error message
}

// nationalPlans are the national formats read, by country. Length bounds
// are those of the national numbering plans; a number outside them is
// rejected, never guessed at.
var nationalPlans = map[string]nationalPlan{
	// France (ARCEP numbering plan): 0 and 9 digits.
	"FR": {"33", true, []numberRange{{"123456789", 9, 9}}, "a French national number (10 digits starting with 0)"},
	// Belgium (BIPT numbering plan): 0 and 8 digits, or 04 and 8 digits
	// for a mobile.
	"BE": {"32", true, []numberRange{{"123456789", 8, 8}, {"4", 9, 9}},
		"a Belgian national number (0 and 8 digits, or 04 and 8 digits for a mobile)"},
	// United Kingdom (Ofcom National Telephone Numbering Plan): 0 and 9 or
	// 10 digits.
	"GB": {"44", true, []numberRange{{"123456789", 9, 10}}, "a UK national number (0 and 9 or 10 digits)"},
	// Germany (Bundesnetzagentur numbering plan: national numbers of at
	// most 13 digits; area codes of 2 to 5 digits): 0 and 6 to 13 digits.
	"DE": {"49", true, []numberRange{{"123456789", 6, 13}}, "a German national number (0 and 6 to 13 digits)"},
	// The Netherlands: 0 and 9 digits, fixed lines (020 …) and mobiles (06 …).
	"NL": {"31", true, []numberRange{{"123456789", 9, 9}}, "a Dutch national number (10 digits starting with 0)"},
	// Ireland (ComReg numbering plan: national significant numbers of 7 to
	// 9 digits): fixed lines (01 …, 021 …, 0404 …) and mobiles (08x …).
	"IE": {"353", true, []numberRange{{"123456789", 7, 9}}, "an Irish national number (0 and 7 to 9 digits)"},
	// Spain (Plan Nacional de Numeración Telefónica): no trunk prefix, 9
	// digits, 6 and 7 for mobiles, 8 and 9 for fixed lines.
	"ES": {"34", false, []numberRange{{"6789", 9, 9}}, "a Spanish national number (9 digits starting with 6, 7, 8 or 9)"},
	// Italy (AGCOM numbering plan): no trunk prefix; fixed lines start with
	// 0, which is part of the number, and have 6 to 11 digits; mobiles start
	// with 3 and have 9 or 10 digits.
	"IT": {"39", false, []numberRange{{"0", 6, 11}, {"3", 9, 10}},
		"an Italian national number (6 to 11 digits starting with 0, or 9 or 10 starting with 3)"},
}

// plansByCode holds the entries of nationalPlans by code, at index
// planIndex(code): planOf reads it where a map lookup would hash the code.
var plansByCode = func() (t [26 * 26]*nationalPlan) {
	for code, p := range nationalPlans {
		t[planIndex(code)] = &p
	}
	return t
}()

// planIndex is the index in plansByCode of a code of two upper-case
// letters, -1 for any other text.
func planIndex(code string) int {
	if len(code) != 2 || code[0]-'A' >= 26 || code[1]-'A' >= 26 {
		return -1
	}
	return int(code[0]-'A')*26 + int(code[1]-'A')
}

// planOf returns the national plan of a country code, as a lookup in
// nationalPlans does.
func planOf(code string) (*nationalPlan, bool) {
	if i := planIndex(code); i >= 0 {
		p := plansByCode[i]
		return p, p != nil
	}
	p, ok := nationalPlans[code]
	return &p, ok
}

// appendE164 reads a national number d (ASCII digits only) and appends
// its E.164 form to dst.
func (p nationalPlan) appendE164(dst, d []byte) ([]byte, bool) {
	if p.trunk {
		if len(d) < 2 || d[0] != '0' {
			return dst, false
		}
		d = d[1:]
	}
	for _, r := range p.ranges {
		if len(d) >= r.min && len(d) <= r.max && strings.IndexByte(r.first, d[0]) >= 0 {
			return append(append(append(dst, '+'), p.cc...), d...), true
		}
	}
	return dst, false
}

// errNotPhone explains what was expected for the country, without the number.
func errNotPhone(c Country) error {
	var msg string
	if p, ok := nationalPlans[c.code]; ok {
		msg = "not a phone number: expected E.164 (+" + p.cc + " …), 00 and a country code, or " + p.want
	} else if c.code == "" {
		msg = "not an E.164 number (+ and country code); national formats need the contact's country"
	} else {
		msg = "not an E.164 number (+ and country code); national formats of " + c.code + " are not read"
	}
	return invalid("", msg)
}
