package eligibility_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/sendright/sendright/eligibility"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
)

// TestStrictJSONRulesTypes: the JSON forms of this package refuse a key
// given twice and a case variant with a *consent.FieldError naming it.
func TestStrictJSONRulesTypes(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		into  any
		want  error
		field string
	}{
		{"obligations: citation twice", `[{"obligation":"opt_out","citation":"a","citation":"b"}]`,
			new(eligibility.Obligations), consent.ErrDuplicateKey, "[0].citation"},
		{"obligations: case variant", `[{"obligation":"opt_out","Citation":"a"}]`,
			new(eligibility.Obligations), consent.ErrUnknownField, "[0].Citation"},
		{"evidence: id twice", `{"kind":"record","id":"a","id":"b"}`, new(eligibility.Evidence), consent.ErrDuplicateKey, "id"},
		{"evidence: case variant", `{"Kind":"record","id":"a"}`, new(eligibility.Evidence), consent.ErrUnknownField, "Kind"},
		{"step: result twice", `{"rule":"R","effect":"deny","result":"not_matched","result":"matched"}`,
			new(eligibility.Step), consent.ErrDuplicateKey, "result"},
		{"step: case variant", `{"rule":"R","effect":"deny","Result":"matched"}`,
			new(eligibility.Step), consent.ErrUnknownField, "Result"},
		{"override: owner twice", `{"rule":"R","owner":"a","owner":"b","justification":"j"}`,
			new(eligibility.AppliedOverride), consent.ErrDuplicateKey, "owner"},
		{"override: case variant", `{"rule":"R","Owner":"a","justification":"j"}`,
			new(eligibility.AppliedOverride), consent.ErrUnknownField, "Owner"},
		{"params: groups twice", `{"similarity_groups":{"a":["x"]},"similarity_groups":{}}`,
			new(eligibility.Params), consent.ErrDuplicateKey, "similarity_groups"},
		{"params: group twice", `{"similarity_groups":{"a":["x"],"a":[]}}`,
			new(eligibility.Params), consent.ErrDuplicateKey, "similarity_groups.a"},
		{"params: case variant", `{"Similarity_Groups":{}}`, new(eligibility.Params), consent.ErrUnknownField, "Similarity_Groups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.doc), tt.into)
			var fe *consent.FieldError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) {
				t.Fatalf("json.Unmarshal() error = %v, want a *consent.FieldError wrapping %v", err, tt.want)
			}
			if diff := cmp.Diff(tt.field, fe.Field); diff != "" {
				t.Errorf("FieldError.Field mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
