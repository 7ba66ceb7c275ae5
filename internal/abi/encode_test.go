package abi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// encoded is what encoding/json writes for a line of a batch (and Batch
// wrote with a json.Encoder before appendLine).
func encoded(t testing.TB, l *line) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(l); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkAppend compares appendLine and appendResult with encoding/json on
// d, after a prefix they must keep.
func checkAppend(t *testing.T, name string, d *eligibility.Decision, e *Error) {
	t.Helper()
	l := &line{Line: 42, Ref: "send-<1>", Decision: d, Error: e}
	want := encoded(t, l)
	got := appendLine([]byte("prefix"), l.Line, l.Ref, l.Decision, l.Error)
	if diff := cmp.Diff("prefix"+want, string(got)); diff != "" {
		t.Errorf("%s: appendLine differs from encoding/json (-json +appendLine):\n%s", name, diff)
	}
	r := &result{Decision: d, Error: e}
	if diff := cmp.Diff(string(marshal(r)), string(appendResult(nil, r))); diff != "" {
		t.Errorf("%s: appendResult differs from encoding/json (-json +appendResult):\n%s", name, diff)
	}
}

// TestAppendDecision writes decisions using every member of the form by
// hand and with encoding/json: the bytes are the same (TestAppendScenarios
// writes the decision of every scenario of the project).
func TestAppendDecision(t *testing.T) {
	if !decisionLayout.fast {
		t.Fatalf("eligibility.Decision has changed (%s): teach appendDecision (internal/abi/encode.go) the new field, "+
			"or every decision is written by encoding/json, several times slower", decisionLayout.why)
	}
	paris := time.FixedZone("", 3600)
	full := eligibility.Decision{
		Verdict: eligibility.Deny, Basis: rules.Consent, Rule: "FR_<RULE>&", Origin: eligibility.FromOverride,
		Overrides: []eligibility.AppliedOverride{{Rule: "A", Owner: "Léa \"Legal\"", Justification: "line\nbreak\u2028"},
			{Rule: "B", Owner: "o", Justification: "j", File: "house/acme.yaml"}},
		Reason: "NO_BASIS", Citation: "CPCE art. L34-5 \u00a7 1 \x01\x7f", Detail: "bad \xff\xfe utf-8 \t\b\f\r",
		Evidence:    eligibility.Evidence{Kind: eligibility.PurchaseEvidence, ID: "p-1"},
		NeedsReview: true, SelfRegulatory: true, Purpose: consent.MarketingGeneral,
		Reclassified: eligibility.PromotionalContent, Jurisdiction: "FR",
		Regimes: eligibility.Regimes{{Jurisdiction: "FR", Reach: eligibility.ByRecipient, Verdict: eligibility.Deny},
			{Jurisdiction: "CA", Reach: eligibility.BySender, Verdict: eligibility.Allow}},
		At:         time.Date(2026, 3, 10, 11, 0, 0, 123456789, paris),
		NotBefore:  time.Date(2026, 3, 10, 22, 0, 0, 0, time.UTC),
		DeniedFrom: time.Date(2026, 3, 11, 0, 0, 0, 5000, time.UTC),
		Transfer: &eligibility.Transfer{Route: "crm<eu>", Verdict: eligibility.Allow, AtRisk: true,
			Hops: []eligibility.TransferHop{{Hop: "h1", Entity: "Exemple & Cie", Regime: rules.EUTransfers,
				Verdict: eligibility.Allow, Basis: "adequacy:EU-2023/1795"}},
			Until: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		PolicyVersion: "v1",
	}
	checkAppend(t, "every member", &full, &Error{Code: CodeInvalidRequest, Message: "<bad> & worse", Field: "contact.id"})
	checkAppend(t, "every member, its transfer written once", &full, nil)
	checkAppend(t, "zero", &eligibility.Decision{}, nil)
	checkAppend(t, "nil", nil, &Error{Code: CodeInternal, Message: "panic"})
	checkAppend(t, "internal deny", &internalDeny, nil)
	// Values encoding/json refuses make appendLine give up for it, which
	// fails as it does (the entry points recover the panic).
	for name, d := range map[string]eligibility.Decision{
		"verdict": {Verdict: 9}, "basis": {Basis: 200}, "origin": {Origin: 9}, "purpose": {Purpose: 200},
		"reclassified": {Reclassified: 200}, "evidence": {Evidence: eligibility.Evidence{Kind: 200}},
		"reach":   {Regimes: eligibility.Regimes{{Jurisdiction: "FR", Reach: 200}}},
		"regime":  {Regimes: eligibility.Regimes{{Jurisdiction: "FR", Reach: eligibility.ByRecipient, Verdict: 9}}},
		"year":    {At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"not_bef": {NotBefore: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, ok := appendDecision(nil, &d); ok {
			t.Errorf("%s: appendDecision wrote %+v, which encoding/json refuses", name, d)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: appendLine did not fail as encoding/json does", name)
				}
			}()
			appendLine(nil, 0, "", &d, nil)
		}()
	}
}

// TestDecisionLayout checks what appendDecision makes of a decision type
// with a field it does not know: a pointer (or slice, map, interface) left
// out when empty is written by hand while nil, any other field stops it.
func TestDecisionLayout(t *testing.T) {
	base := reflect.TypeFor[eligibility.Decision]()
	fields := func(extra ...reflect.StructField) reflect.Type {
		var fs []reflect.StructField
		for i := range base.NumField() {
			fs = append(fs, base.Field(i))
			fs[len(fs)-1].Index, fs[len(fs)-1].Offset = nil, 0
		}
		return reflect.StructOf(append(fs, extra...))
	}
	known := len(layoutOf(base).others) // the fields appendDecision leaves to encoding/json when set
	for _, c := range []struct {
		name  string
		extra reflect.StructField
		fast  bool
	}{
		{"pointer omitempty", reflect.StructField{Name: "Extra", Type: reflect.TypeFor[*int](), Tag: `json:"extra,omitempty"`}, true},
		{"slice omitzero", reflect.StructField{Name: "Extra", Type: reflect.TypeFor[[]int](), Tag: `json:"more,omitzero"`}, true},
		{"pointer always", reflect.StructField{Name: "Extra", Type: reflect.TypeFor[*int](), Tag: `json:"extra"`}, false},
		{"string", reflect.StructField{Name: "Extra", Type: reflect.TypeFor[string](), Tag: `json:"note,omitempty"`}, false},
		{"untagged", reflect.StructField{Name: "Extra", Type: reflect.TypeFor[*int]()}, false},
		{"ignored", reflect.StructField{Name: "Extra", Type: reflect.TypeFor[string](), Tag: `json:"-"`}, true},
	} {
		l := layoutOf(fields(c.extra))
		want := known + 1
		if c.extra.Tag.Get("json") == "-" {
			want = known
		}
		if l.fast != c.fast || c.fast && len(l.others) != want {
			t.Errorf("%s: layout %+v, want fast %v", c.name, l, c.fast)
		}
	}
	retagged := reflect.StructOf([]reflect.StructField{{Name: "Verdict", Type: reflect.TypeFor[eligibility.Verdict](), Tag: `json:"v"`}})
	if layoutOf(retagged).fast {
		t.Error("a retagged field left appendDecision on")
	}
	if layoutOf(reflect.TypeFor[struct{ X int }]()).fast {
		t.Error("missing fields left appendDecision on")
	}
}

// FuzzAppendString checks appendString against encoding/json for any
// string.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "<&>", "\"\\", "\x00\x1f\b\f\n\r\t\x7f", "é\u2028\u2029", "\xff", "\xe2\x80", "€\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

// FuzzAppendDecision checks appendLine against encoding/json on decisions
// made of any values, members of their vocabularies or not.
func FuzzAppendDecision(f *testing.F) {
	f.Add(uint8(2), uint8(1), uint8(1), "FR_RULE", "REASON", "cite <x>", "", uint8(0), "", uint8(3), int64(1773136800), int64(0), "FR", uint8(1), "o", true)
	f.Add(uint8(0), uint8(0), uint8(0), "", "", "", "d\xff", uint8(2), "p-1", uint8(0), int64(-70000000000), int64(5), "", uint8(9), "", false)
	f.Fuzz(func(t *testing.T, verdict, basis, origin uint8, rule, reason, citation, detail string, ev uint8, evID string,
		purpose uint8, at, nanos int64, jur string, reach uint8, owner string, review bool) {
		d := eligibility.Decision{
			Verdict: eligibility.Verdict(verdict % 6), Basis: rules.Basis(basis % 12), Origin: eligibility.Origin(origin % 5),
			Rule: rule, Reason: reason, Citation: citation, Detail: detail,
			Evidence: eligibility.Evidence{Kind: eligibility.EvidenceKind(ev % 9), ID: evID},
			Purpose:  consent.Purpose(purpose % 12), NeedsReview: review, Jurisdiction: jur,
			At:            time.Unix(at, nanos).In(time.FixedZone("", int(nanos%50000))),
			PolicyVersion: owner,
		}
		if reach != 0 {
			d.Regimes[0] = eligibility.Regime{Jurisdiction: jur, Reach: eligibility.RegimeReach(reach % 8), Verdict: d.Verdict}
		}
		if owner != "" {
			d.Overrides = []eligibility.AppliedOverride{{Rule: rule, Owner: owner, File: detail}}
			d.NotBefore = time.Unix(at/2, 0).UTC()
		}
		l := &line{Line: int(verdict), Decision: &d}
		want, err := json.Marshal(l)
		if err != nil {
			if _, ok := appendDecision(nil, &d); ok {
				t.Fatalf("appendDecision wrote %+v, which encoding/json refuses: %v", d, err)
			}
			return
		}
		if got := appendLine(nil, l.Line, l.Ref, l.Decision, l.Error); string(got) != string(want)+"\n" {
			t.Fatalf("appendLine differs from encoding/json:\n%s\n%s", got, want)
		}
	})
}
