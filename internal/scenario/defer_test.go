package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendright/sendright/rules"
)

// deferSet is a test-only French set: e-mail only 10:00–20:00 local time.
const deferSet = `jurisdiction: FR
title: test window
channels: [email]
parameters:
  windows:
    - {name: day, days: [mon, tue, wed, thu, fri, sat, sun], hours: ["10:00-20:00"]}
rules:
  - id: FR_TEST_DAY
    channels: [all]
    effect: defer
    reason: OUTSIDE_DAY
    citation: Fictional Act s. 1
    condition: "!inWindow('day')"
  - id: FR_TEST_ANY
    channels: [all]
    effect: allow
    basis: consent
    reason: ANY
    citation: Fictional Act s. 2
    condition: "true"
`

// deferScenario expects a defer to 10:00 in Paris (09:00 UTC in March).
const deferScenario = `params: {}
scenarios:
  - id: DEFER-01
    description: an e-mail at 07:00 in Paris waits for 10:00
    contact: {id: c-1, kind: consumer, country: FR, time_zone: Europe/Paris, email: lea.martin@example.com}
    request:
      purpose: marketing_general
      channel: email
      sender: {entity: Maison Exemple SAS, kind: company}
      at: 2026-03-10T06:00:00Z
    expect:
      verdict: defer
      basis: consent
      reason: OUTSIDE_DAY
NOT_BEFORE`

// A defer scenario names its exact NotBefore, which is compared.
func TestDeferScenarios(t *testing.T) {
	if _, err := Decode([]byte(strings.Replace(deferScenario, "NOT_BEFORE", "", 1))); err == nil ||
		!strings.Contains(err.Error(), "not_before is required") {
		t.Errorf("a defer without not_before: %v, want an error", err)
	}
	set, err := rules.Parse("fr.yaml", []byte(deferSet))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner([]*rules.Set{set})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		notBefore string
		pass      bool
	}{{"2026-03-10T09:00:00Z", true}, {"2026-03-10T10:00:00+01:00", true}, {"2026-03-10T08:00:00Z", false}} {
		path := filepath.Join(t.TempDir(), "d.yaml")
		src := strings.Replace(deferScenario, "NOT_BEFORE", "      not_before: "+tc.notBefore+"\n", 1)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		res := r.RunFile(path)
		if len(res) != 1 || res[0].Passed != tc.pass || (!tc.pass && !strings.Contains(res[0].Problem, "not_before")) {
			t.Errorf("not_before %s: %+v, want passed %v", tc.notBefore, res, tc.pass)
		}
	}
}
