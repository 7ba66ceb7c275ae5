package eligibility_test

import (
	"strings"
	"testing"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// Params.MobileMailDomains: domain names only, compared in lower case
// without a final dot; part of the policy version, however spelt or
// ordered.
func TestMobileMailDomains(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "localhost", "sms..carrier.example", "-sms.carrier.example", "sms_carrier.example",
		"pat@sms.carrier.example", strings.Repeat("a", 64) + ".example"} {
		_, err := eligibility.Compile(sets, eligibility.Params{MobileMailDomains: []string{bad}})
		if err == nil || !strings.Contains(err.Error(), "mobile_mail_domains[0]") {
			t.Errorf("MobileMailDomains %q: error %v, want one naming mobile_mail_domains[0]", bad, err)
		}
	}
	if _, err := eligibility.Compile(sets, eligibility.Params{MobileMailDomains: make([]string, 10_001)}); err == nil {
		t.Error("10,001 domains: no error")
	}
	a := mustCompile(t, sets, eligibility.Params{MobileMailDomains: []string{"sms.carrier.example", "mms.wireless.example"}})
	b := mustCompile(t, sets, eligibility.Params{MobileMailDomains: []string{"MMS.Wireless.Example.", " sms.carrier.example", "sms.carrier.example"}})
	none := mustCompile(t, sets, eligibility.Params{})
	if a.Version() != b.Version() {
		t.Errorf("versions %s and %s for one list spelt two ways", a.Version(), b.Version())
	}
	if a.Version() == none.Version() {
		t.Error("the list does not change the policy version")
	}
}
