package address

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
	// The Netherlands: 0 and 9 digits, fixed lines (020 …) and mobiles (06 …).
	"NL": func(d string) (string, bool) {
		if len(d) == 10 && d[0] == '0' && d[1] != '0' {
			return "+31" + d[1:], true
		}
		return "", false
	},
	// Ireland: 0 and 7 to 9 digits (ComReg's numbering plan: national
	// significant numbers of 7 to 9 digits), fixed lines (01 …, 021 …,
	// 0404 …) and mobiles (08x …).
	"IE": func(d string) (string, bool) {
		if len(d) >= 8 && len(d) <= 10 && d[0] == '0' && d[1] != '0' {
			return "+353" + d[1:], true
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
	case "NL":
		msg = "not a phone number: expected E.164 (+31 …), 00 and a country code, or a Dutch national number (10 digits starting with 0)"
	case "IE":
		msg = "not a phone number: expected E.164 (+353 …), 00 and a country code, or an Irish national number (0 and 7 to 9 digits)"
	case "":
		msg = "not an E.164 number (+ and country code); national formats need the contact's country"
	default:
		msg = "not an E.164 number (+ and country code); national formats of " + c.code + " are not read"
	}
	return invalid("", msg)
}
