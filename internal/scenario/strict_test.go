package scenario

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// strictScenario is a valid scenario file: a French consumer's grant, then
// a withdrawal, so the marketing e-mail is denied.
const strictScenario = `params: {}
scenarios:
  - id: STRICT-01
    description: a withdrawal stops the consent
    source: GDPR art. 7(3)
    contact:
      id: c-1
      kind: consumer
      country: FR
      time_zone: Europe/Paris
      email: lea.martin@example.com
      records:
        - {id: g-1, subject: lea.martin@example.com, purpose: marketing_general, channel: email,
           sender: Maison Exemple SAS, status: granted, at: 2025-01-10T09:00:00Z, method: signed_form}
        - id: w-1
          purpose: marketing_general
          channel: email
          sender: Maison Exemple SAS
          status: withdrawn
          at: 2026-01-10T09:00:00Z
    request:
      purpose: marketing_general
      channel: email
      sender: {entity: Maison Exemple SAS, kind: company}
      at: 2026-03-10T10:00:00Z
    expect:
      verdict: deny
      basis: no_legal_basis
      reason: CONSENT_WITHDRAWN
`

// TestDecodeRejectsDuplicateKeys: yaml.v3 nodes keep both copies of a key;
// a key given twice anywhere in a scenario file is a *DuplicateKeyError
// naming it and its lines, wrapping consent.ErrDuplicateKey.
func TestDecodeRejectsDuplicateKeys(t *testing.T) {
	f, err := Decode([]byte(strictScenario))
	if err != nil {
		t.Fatalf("the valid file does not decode: %v", err)
	}
	if p := check(t, f); p != "" {
		t.Fatalf("the valid scenario fails: %s", p)
	}
	tests := []struct {
		name string
		old  string // replaced by new in strictScenario
		new  string
		want DuplicateKeyError
	}{
		{"top level", "params: {}\n", "params: {}\nparams: {}\n", DuplicateKeyError{Key: "params", Line: 2, First: 1}},
		{"a second status in the withdrawal", "          status: withdrawn\n",
			"          status: withdrawn\n          status: granted\n",
			DuplicateKeyError{Key: "status", Line: 20, First: 19}},
		{"a second status in a flow mapping", "status: granted,", "status: withdrawn, status: granted,",
			DuplicateKeyError{Key: "status", Line: 14, First: 14}},
		{"a second records list", "      records:\n", "      records: []\n      records:\n",
			DuplicateKeyError{Key: "records", Line: 13, First: 12}},
		{"in the expectation", "      verdict: deny\n", "      verdict: deny\n      verdict: allow\n",
			DuplicateKeyError{Key: "verdict", Line: 28, First: 27}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(strictScenario, tt.old) {
				t.Fatalf("test bug: %q not in the file", tt.old)
			}
			_, err := Decode([]byte(strings.Replace(strictScenario, tt.old, tt.new, 1)))
			var de *DuplicateKeyError
			if !errors.As(err, &de) || !errors.Is(err, consent.ErrDuplicateKey) {
				t.Fatalf("Decode() error = %v, want a *DuplicateKeyError", err)
			}
			if diff := cmp.Diff(tt.want, *de); diff != "" {
				t.Errorf("DuplicateKeyError mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCaseVariantKeys: a key differing from a field only in case is an
// unknown field, in the file (at Decode) or in a contact (when the scenario
// is checked, since a case may expect its contact not to decode).
func TestCaseVariantKeys(t *testing.T) {
	_, err := Decode([]byte(strings.Replace(strictScenario, "    expect:\n", "    Expect: {}\n    expect:\n", 1)))
	var fe *consent.FieldError
	if !errors.Is(err, consent.ErrUnknownField) || !errors.As(err, &fe) || fe.Field != "scenarios[0].Expect" {
		t.Errorf("Decode(Expect) error = %v, want an unknown field scenarios[0].Expect", err)
	}
	f, err := Decode([]byte(strings.Replace(strictScenario, "          at: 2026-01-10T09:00:00Z\n",
		"          at: 2026-01-10T09:00:00Z\n          Status: granted\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if p := check(t, f); !strings.Contains(p, "records[1].Status") || !strings.Contains(p, "unknown field") {
		t.Errorf("Check(contact with Status) = %q, want the unknown field records[1].Status", p)
	}
}

func check(t *testing.T, f *File) string {
	t.Helper()
	p, err := eligibility.Compile(mustBuiltin(t), f.Params)
	if err != nil {
		t.Fatal(err)
	}
	ev := p
	return Check(ev, &f.Scenarios[0])
}

func mustBuiltin(t *testing.T) []*rules.Set {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

// TestDecodeErrorsWithholdValues: a scalar that does not parse as its tag
// says is reported by line, without its text.
func TestDecodeErrorsWithholdValues(t *testing.T) {
	for _, doc := range []string{"a: !!int lea.martin@example.com\n", "a: !!bool +33639980001\n", "a: !!float 0639980001x\n"} {
		_, err := Decode([]byte(doc))
		if err == nil {
			t.Fatalf("Decode(%q) error = nil", doc)
		}
		if strings.Contains(err.Error(), "example.com") || strings.Contains(err.Error(), "39980001") {
			t.Errorf("Decode(%q) error %q repeats the value", doc, err)
		}
	}
}

// TestRegimesExpectation: expected regimes are checked for their form
// when the file is decoded, and compared with the decision's.
func TestRegimesExpectation(t *testing.T) {
	with := func(lines string) string {
		return strings.Replace(strictScenario, "      reason: CONSENT_WITHDRAWN\n", "      reason: CONSENT_WITHDRAWN\n"+lines, 1)
	}
	f, err := Decode([]byte(with("      regimes: [FR recipient deny]\n      jurisdiction: FR\n")))
	if err != nil {
		t.Fatal(err)
	}
	if p := check(t, f); p != "" {
		t.Errorf("the right regimes fail: %s", p)
	}
	f, err = Decode([]byte(with("      regimes: [FR recipient deny, DE sender deny]\n      jurisdiction: DE\n")))
	if err != nil {
		t.Fatal(err)
	}
	if p := check(t, f); !strings.Contains(p, `regimes: want "FR recipient deny, DE sender deny", got "FR recipient deny"`) ||
		!strings.Contains(p, `jurisdiction: want "DE", got "FR"`) {
		t.Errorf("wrong regimes: %q", p)
	}
	for _, bad := range []string{"[FR recipient]", "[FR nearby deny]", "[FR recipient undetermined]", "[France recipient deny]",
		"[\"FR  recipient deny\"]", "[FR recipient deny extra]"} {
		if _, err := Decode([]byte(with("      regimes: " + bad + "\n"))); err == nil || !strings.Contains(err.Error(), "expect.regimes[0]") {
			t.Errorf("regimes %s: error %v, want one naming expect.regimes[0]", bad, err)
		}
	}
}
