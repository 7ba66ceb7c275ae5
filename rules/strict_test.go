package rules_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// strictRuleFile is a valid rule file; the cases below add one key to it.
const strictRuleFile = `jurisdiction: FR
title: strict keys
channels: [email]
parameters:
  digital_consent_age: 15
obligations:
  - obligation: opt_out
    citation: Test art. 1
rules:
  - id: FR_X
    effect: deny
    reason: X
    citation: Test art. 2
    condition: 'true'
    obligations:
      - obligation: sender_identity
        citation: Test art. 3
`

// TestParseRejectsDuplicateAndCaseVariantKeys: in every mapping of a rule
// file, a key given twice and a key differing from a field only in case are
// refused with a *rules.Error naming the key (Field) and wrapping
// consent.ErrDuplicateKey or consent.ErrUnknownField; merge keys and
// aliases, which let one key silently replace another, are refused too.
func TestParseRejectsDuplicateAndCaseVariantKeys(t *testing.T) {
	if _, err := rules.Parse("ok.yaml", []byte(strictRuleFile)); err != nil {
		t.Fatalf("the valid file does not parse: %v", err)
	}
	type want struct {
		Field string
		Line  int
		Rule  string
		Dup   bool
		Unk   bool
	}
	tests := []struct {
		name string
		src  string
		want want
	}{
		{"top-level key twice", strictRuleFile + "title: again\n",
			want{Field: "title", Line: 18, Dup: true}},
		{"top-level case variant", strictRuleFile + "Title: again\n",
			want{Field: "Title", Line: 18, Unk: true}},
		{"top-level upper case", strictRuleFile + "RULES: []\n",
			want{Field: "RULES", Line: 18, Unk: true}},
		{"parameter twice", replaceOnce(t, strictRuleFile, "  digital_consent_age: 15\n",
			"  digital_consent_age: 15\n  digital_consent_age: 13\n"),
			want{Field: "parameters.digital_consent_age", Line: 6, Dup: true}},
		{"parameter case variant", replaceOnce(t, strictRuleFile, "  digital_consent_age: 15\n",
			"  digital_consent_age: 15\n  Digital_consent_age: 13\n"),
			want{Field: "parameters.Digital_consent_age", Line: 6, Unk: true}},
		{"set obligation citation twice", replaceOnce(t, strictRuleFile, "    citation: Test art. 1\n",
			"    citation: Test art. 1\n    citation: Other\n"),
			want{Field: "obligations[0].citation", Line: 9, Dup: true}},
		{"rule effect twice: the deny would become an allow", strictRuleFile + "    effect: allow\n",
			want{Field: "rules[0].effect", Line: 18, Rule: "FR_X", Dup: true}},
		{"rule condition case variant", strictRuleFile + "    Condition: 'false'\n",
			want{Field: "rules[0].Condition", Line: 18, Rule: "FR_X", Unk: true}},
		{"rule obligation case variant", strictRuleFile + "        Citation: Other\n",
			want{Field: "rules[0].obligations[0].Citation", Line: 18, Rule: "FR_X", Unk: true}},
		{"rule obligation twice", strictRuleFile + "        obligation: opt_out\n",
			want{Field: "rules[0].obligations[0].obligation", Line: 18, Rule: "FR_X", Dup: true}},
		{"merge key", replaceOnce(t, strictRuleFile, "  - id: FR_X\n", "  - <<: {effect: allow}\n    id: FR_X\n"),
			want{Field: "rules[0].<<", Line: 10, Rule: "FR_X"}},
		{"alias", replaceOnce(t, strictRuleFile, "title: strict keys\n", "title: &t strict keys\nextends: *t\n"),
			want{Field: "extends", Line: 3}},
		{"JSON rule file with a key twice", `{"jurisdiction":"FR","title":"t","rules":[],"jurisdiction":"GB"}`,
			want{Field: "jurisdiction", Line: 1, Dup: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := rules.Parse("strict.yaml", []byte(tt.src))
			if s != nil || err == nil {
				t.Fatalf("Parse() = %v, %v; want an error", s, err)
			}
			var e *rules.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse() error %v is not a *rules.Error", err)
			}
			got := want{Field: e.Field, Line: e.Line, Rule: e.Rule,
				Dup: errors.Is(err, consent.ErrDuplicateKey), Unk: errors.Is(err, consent.ErrUnknownField)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse() error %v mismatch (-want +got):\n%s", err, diff)
			}
			if !errors.Is(err, rules.ErrInvalid) {
				t.Errorf("Parse() error %v does not wrap rules.ErrInvalid", err)
			}
		})
	}
}
