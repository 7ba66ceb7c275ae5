package address

import "strings"

// callingCodeOf are the country calling codes (ITU-T E.164 assigned
// country codes) of the countries whose numbers the library may need to
// tell apart: the EU and EEA, the United Kingdom and Switzerland, the
// North American Numbering Plan (code 1, shared), and a few others. A
// country not listed has no known code.
var callingCodeOf = map[string]string{
	"AT": "43", "BE": "32", "BG": "359", "HR": "385", "CY": "357", "CZ": "420", "DK": "45", "EE": "372", "FI": "358",
	"FR": "33", "DE": "49", "GR": "30", "HU": "36", "IE": "353", "IT": "39", "LV": "371", "LT": "370", "LU": "352",
	"MT": "356", "NL": "31", "PL": "48", "PT": "351", "RO": "40", "SK": "421", "SI": "386", "ES": "34", "SE": "46",
	"IS": "354", "LI": "423", "NO": "47", "CH": "41", "GB": "44",
	"AU": "61", "NZ": "64", "JP": "81", "BR": "55", "IN": "91", "CN": "86", "MX": "52", "ZA": "27",
	// The North American Numbering Plan.
	"US": "1", "CA": "1", "AG": "1", "AI": "1", "AS": "1", "BB": "1", "BM": "1", "BS": "1", "DM": "1", "DO": "1",
	"GD": "1", "GU": "1", "JM": "1", "KN": "1", "KY": "1", "LC": "1", "MP": "1", "MS": "1", "PR": "1", "SX": "1",
	"TC": "1", "TT": "1", "VC": "1", "VG": "1", "VI": "1",
}

// CallingCode returns the country calling code of c ("33" for France,
// "1" for the United States and Canada, which share it), or "" when the
// library does not know it.
func CallingCode(c Country) string { return callingCodeOf[c.code] }

// HasCallingCode reports whether a is a phone number with the country
// calling code cc (digits, as [CallingCode] returns them). Calling codes
// are prefix-free, so a number has at most one.
func (a Address) HasCallingCode(cc string) bool {
	return a.kind == Phone && cc != "" && len(a.text) > 1+len(cc) && strings.HasPrefix(a.text[1:], cc)
}

// numberCountryCodes are the calling codes [Address.NumberCountry] reads,
// other than the North American Numbering Plan's: the country whose
// numbering plan each is. A code several countries share is read as the
// country that administers the plan: +44 as the United Kingdom (Guernsey,
// Jersey and the Isle of Man included), +61 as Australia, +358 as Finland
// (Åland included), +39 as Italy, +47 as Norway, +262 as Réunion (Mayotte
// included) and +590 as Guadeloupe (Saint-Martin and Saint-Barthélemy
// included).
var numberCountryCodes = map[string]string{
	"262": "RE", "590": "GP", "594": "GF", "596": "MQ",
}

// numberCountryByPrefix maps the first three digits of an E.164 number
// (after the "+") to the country of its calling code: calling codes are
// prefix-free, so each code of one, two or three digits fills the entries
// it starts. Built once from callingCodeOf and numberCountryCodes.
var numberCountryByPrefix = func() (t [1000]Country) {
	add := func(cc, code string) {
		n := 0
		for _, d := range cc {
			n = n*10 + int(d-'0')
		}
		span := 1
		for range 3 - len(cc) {
			n, span = n*10, span*10
		}
		for i := range span {
			if t[n+i].IsZero() {
				t[n+i] = Country{code}
			}
		}
	}
	// The administering countries first, so that a shared code reads as
	// theirs whatever the map order.
	for _, code := range []string{"GB", "AU", "FI", "IT", "NO"} {
		add(callingCodeOf[code], code)
	}
	for code, cc := range callingCodeOf {
		if cc != "1" {
			add(cc, code)
		}
	}
	for cc, code := range numberCountryCodes {
		add(cc, code)
	}
	return t
}()

// nanpCountry maps the area codes of the North American Numbering Plan
// that are not the United States' to their country: Canada's geographic
// and non-geographic codes, and those of the Caribbean countries and of the
// US territories that have their own ISO code (CNA, NANPA area code
// assignments). See nanpByArea for the others.
var nanpCountry = map[int]string{
	// Canada (Canadian Numbering Administrator).
	204: "CA", 226: "CA", 236: "CA", 249: "CA", 250: "CA", 257: "CA", 263: "CA", 289: "CA", 306: "CA",
	343: "CA", 354: "CA", 365: "CA", 367: "CA", 368: "CA", 382: "CA", 403: "CA", 416: "CA", 418: "CA",
	428: "CA", 431: "CA", 437: "CA", 438: "CA", 450: "CA", 468: "CA", 474: "CA", 506: "CA", 514: "CA",
	519: "CA", 548: "CA", 579: "CA", 581: "CA", 584: "CA", 587: "CA", 604: "CA", 613: "CA",
	639: "CA", 647: "CA", 672: "CA", 683: "CA", 705: "CA", 709: "CA", 742: "CA", 753: "CA", 778: "CA",
	780: "CA", 782: "CA", 807: "CA", 819: "CA", 825: "CA", 867: "CA", 873: "CA", 879: "CA", 902: "CA",
	905: "CA", 942: "CA",
	// Canada's non-geographic codes (CRTC Telecom Decision 2015-4 and
	// earlier): 600 and 622 in service, the others reserved for Canada.
	600: "CA", 622: "CA", 633: "CA", 644: "CA", 655: "CA", 677: "CA", 688: "CA",
	// The Caribbean and Atlantic countries of the plan.
	242: "BS", 246: "BB", 264: "AI", 268: "AG", 284: "VG", 345: "KY", 441: "BM", 473: "GD", 649: "TC",
	658: "JM", 876: "JM", 664: "MS", 721: "SX", 758: "LC", 767: "DM", 784: "VC", 809: "DO", 829: "DO",
	849: "DO", 868: "TT", 869: "KN",
	// The US territories with an ISO code of their own.
	340: "VI", 670: "MP", 671: "GU", 684: "AS", 787: "PR", 939: "PR",
}

// nanpByArea maps a NANP area code to its country: nanpCountry's, else
// the United States', except for codes that name no country (zero): those
// the plan does not assign to places (starting with 0 or 1), toll-free
// codes (8XX with a repeated digit), N11 service codes, 555 and the
// reserved 37X and 96X ranges; a number there may be anyone's.
var nanpByArea = func() (t [1000]Country) {
	for area := 200; area < 1000; area++ {
		b, c := area/10%10, area%10
		if area/100 == 8 && b == c || b == 1 && c == 1 || area == 555 || area/10 == 37 || area/10 == 96 {
			continue
		}
		t[area] = Country{"US"}
		if code, ok := nanpCountry[area]; ok {
			t[area] = Country{code}
		}
	}
	return t
}()

// NumberCountry returns the country whose numbering plan phone number a
// belongs to, by its country calling code and, for the North American
// Numbering Plan (+1), its area code: "+61 491 570 156" is Australia's,
// "+1 416 …" Canada's, "+1 212 …" the United States'. It returns the zero
// Country when a is not a phone number or its calling code is not one the
// library knows ([CallingCode]), and for a +1 number whose area code names
// no country (toll-free, service and reserved codes).
//
// A number's country is a presumption about where its subscriber is, and
// the country whose do-not-call registry can list it.
func (a Address) NumberCountry() Country {
	s := a.text
	if a.kind != Phone || len(s) < 5 {
		return Country{}
	}
	n := int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	if s[1] != '1' {
		return numberCountryByPrefix[n]
	}
	if len(s) != 12 {
		return Country{}
	}
	return nanpByArea[n%100*10+int(s[4]-'0')]
}
