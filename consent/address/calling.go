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
