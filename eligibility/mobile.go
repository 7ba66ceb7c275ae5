package eligibility

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/rules"
)

// maxMobileMailDomains bounds Params.MobileMailDomains (the FCC's list holds
// a few hundred).
const maxMobileMailDomains = 10_000

// mobileDomain returns the normal form of a domain name of
// Params.MobileMailDomains (lower case, no final dot), and false when it is
// not a domain name of at least two labels of letters, digits and hyphens.
func mobileDomain(s string) (string, bool) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if len(d) == 0 || len(d) > 253 || !strings.Contains(d, ".") {
		return "", false
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.IndexFunc(label, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' }) >= 0 {
			return "", false
		}
	}
	return d, true
}

// checkMobileDomains checks Params.MobileMailDomains and indexes them.
func (c *compiler) checkMobileDomains() {
	if len(c.params.MobileMailDomains) > maxMobileMailDomains {
		c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("mobile_mail_domains: %d domains, at most %d",
			len(c.params.MobileMailDomains), maxMobileMailDomains)})
		return
	}
	for i, s := range c.params.MobileMailDomains {
		d, ok := mobileDomain(s)
		if !ok {
			c.errs = append(c.errs, &rules.Error{Msg: fmt.Sprintf("mobile_mail_domains[%d] %q: want a domain name such as vtext.example", i, clip(s))})
			continue
		}
		if c.mobile == nil {
			c.mobile = map[string]struct{}{}
		}
		c.mobile[d] = struct{}{}
	}
}

// mobileDomainsOf is the domains in normal form, sorted and unique, for
// the policy version; nil when there are none.
func mobileDomainsOf(list []string) []string {
	var out []string
	for _, s := range list {
		if d, ok := mobileDomain(s); ok {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// mobileMailDomain reports whether the contact's e-mail address is at one
// of the host's mobile mail domains (Params.MobileMailDomains) or at a
// subdomain of one.
func (st *evalState) mobileMailDomain() bool {
	if len(st.p.mobile) == 0 || st.c.Email.IsZero() {
		return false
	}
	key := st.c.Email.Key()
	d := key[strings.LastIndexByte(key, '@')+1:]
	for {
		if _, ok := st.p.mobile[d]; ok {
			return true
		}
		i := strings.IndexByte(d, '.')
		if i < 0 {
			return false
		}
		d = d[i+1:]
	}
}

// fixedLine reports whether the contact's phone number is a geographic
// fixed line by its numbering plan (see geographicFixedLine).
func (st *evalState) fixedLine() bool { return geographicFixedLine(st.c.Phone) }

// geographicFixedLine reports whether a is a geographic fixed-line number
// by its numbering plan. Only Ireland's is read (ComReg Numbering
// Conventions): +353 then a geographic area code - Dublin's 1 with a
// seven-digit number (1800, 1850 and 1890 numbers are non-geographic and
// longer), 2x, 4x, 5x, 6x, 71, 74 and 9x; mobiles are 8x, and a number
// ports only between operators of its own kind (fixed or mobile), so the
// prefix tells the line. Any other number, Irish non-geographic ones (76
// VoIP, 818, 700) included, is false: conservatively, possibly a mobile.
func geographicFixedLine(a address.Address) bool {
	s, ok := strings.CutPrefix(a.String(), "+353")
	if a.Kind() != address.Phone || !ok || len(s) < 7 {
		return false
	}
	switch s[0] {
	case '1':
		return len(s) == 8
	case '2', '4', '5', '6', '9':
		return true
	case '7':
		return s[1] == '1' || s[1] == '4'
	}
	return false
}
