package address

import (
	"strings"

	"github.com/sendright/sendright/internal/enum"
)

// Country is an ISO 3166-1 alpha-2 country code that has been checked
// against the list of assigned codes. The zero Country is invalid.
//
// A country is where a contact is (it selects the rule set), where a
// sender is, and the context that reads a phone number written in national
// format ([ParsePhone]). Only [ParseCountry], [MustCountry] and text
// unmarshalling make one, so a Country held by a contact never needs
// checking again.
type Country struct{ code string }

// Officially assigned ISO 3166-1 alpha-2 codes. Not x/text's region parser:
// it accepts XX, EU, ZZ, UN, numeric and three-letter codes without error.
const isoCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
	"BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER " +
	"ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE " +
	"IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA " +
	"MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR " +
	"SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU " +
	"WF WS YE YT ZA ZM ZW"

var countries = func() map[string]Country {
	m := make(map[string]Country, 250)
	for _, c := range strings.Fields(isoCodes) {
		m[c] = Country{c}
	}
	return m
}()

// ParseCountry checks s against the assigned ISO 3166-1 alpha-2 codes,
// ignoring case. "UK" is accepted as the common alias of "GB". Anything else
// (three-letter or numeric codes, EU, XX, ZZ, …) is an error.
func ParseCountry(s string) (Country, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if u == "UK" {
		u = "GB"
	}
	if c, ok := countries[u]; ok {
		return c, nil
	}
	return Country{}, enum.Unknown("address", "country", s)
}

// MustCountry is like [ParseCountry] but panics on error. It is meant for
// tests and hard-coded values.
func MustCountry(s string) Country {
	c, err := ParseCountry(s)
	if err != nil {
		panic(err)
	}
	return c
}

// Countries returns every code [ParseCountry] accepts (without aliases),
// sorted.
func Countries() []Country {
	out := make([]Country, 0, len(countries))
	for _, c := range strings.Fields(isoCodes) {
		out = append(out, Country{c})
	}
	return out
}

// String returns the upper-case code, or "" for the zero Country.
func (c Country) String() string { return c.code }

// IsZero reports whether c is the zero (invalid) Country.
func (c Country) IsZero() bool { return c.code == "" }

// MarshalText implements encoding.TextMarshaler; the zero Country is an error.
func (c Country) MarshalText() ([]byte, error) {
	if c.code == "" {
		return nil, enum.Unknown("address", "country", "")
	}
	return []byte(c.code), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using [ParseCountry].
func (c *Country) UnmarshalText(b []byte) error {
	v, err := ParseCountry(string(b))
	if err == nil {
		*c = v
	}
	return err
}
