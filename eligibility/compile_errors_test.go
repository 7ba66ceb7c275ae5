package eligibility_test

import (
	"errors"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/rules"
)

// Compile errors in conditions: each problem, with its file, rule,
// position, snippet (the condition's line and a caret under the part at
// fault) and, for a value outside a vocabulary, the nearest value
// suggested and every value in Want; every problem of the file at once.
func TestCompileErrorSnippets(t *testing.T) {
	purposes := []string{"transactional", "marketing_similar", "marketing_general", "marketing_third_party",
		"consent_request", "feedback_request", "charitable_appeal"}
	channels := []string{"email", "sms", "voice_live", "voice_automated", "push", "post"}
	tests := []struct {
		name string
		cond string // written as a literal block, from line 11 of the file, indented by 6
		want []*rules.Error
		text string // the list's Error()
	}{
		{
			name: "misspelt purpose",
			cond: "request.purpose == 'marketing_generl'",
			want: []*rules.Error{{File: "house.yaml", Rule: "HOUSE_X", Line: 11, Column: 26,
				Msg:     `"marketing_generl" is not a purpose: did you mean "marketing_general"?`,
				Snippet: "request.purpose == 'marketing_generl'\n                   ^~~~~~~~~~~~~~~~~~", Want: purposes}},
			text: `rules: house.yaml:11:26: rule HOUSE_X: "marketing_generl" is not a purpose: did you mean "marketing_general"?
    request.purpose == 'marketing_generl'
                       ^~~~~~~~~~~~~~~~~~`,
		},
		{
			name: "a value far from every one lists them",
			cond: "request.purpose == 'newsletter'",
			want: []*rules.Error{{File: "house.yaml", Rule: "HOUSE_X", Line: 11, Column: 26,
				Msg:     `"newsletter" is not a purpose (want one of ` + strings.Join(purposes, ", ") + ")",
				Snippet: "request.purpose == 'newsletter'\n                   ^~~~~~~~~~~~", Want: purposes}},
		},
		{
			name: "every problem, on two lines, after a non-ASCII literal",
			cond: "request.category != 'café' && request.channel == 'emial'\n  || hasConsent('Marketing_general', 'sms')",
			want: []*rules.Error{
				{File: "house.yaml", Rule: "HOUSE_X", Line: 11, Column: 56, Msg: `"emial" is not a channel: did you mean "email"?`,
					Snippet: "request.category != 'café' && request.channel == 'emial'\n                                                 ^~~~~~~", Want: channels},
				{File: "house.yaml", Rule: "HOUSE_X", Line: 12, Column: 23, Msg: `"Marketing_general" is not a purpose: did you mean "marketing_general"?`,
					Snippet: "  || hasConsent('Marketing_general', 'sms')\n                ^~~~~~~~~~~~~~~~~~~", Want: purposes},
			},
		},
		{
			name: "undeclared name",
			cond: "customer\t&& true",
			want: []*rules.Error{{File: "house.yaml", Rule: "HOUSE_X", Line: 11, Column: 7,
				Msg: "undeclared reference to 'customer' (did you mean 'customerActiveWithin'?)", Snippet: "customer && true\n^~~~~~~~"}},
		},
		{
			name: "a condition that is not a bool",
			cond: "\n  localHour()",
			want: []*rules.Error{{File: "house.yaml", Rule: "HOUSE_X", Line: 12, Column: 9,
				Msg: "condition must evaluate to bool but got int", Snippet: "localHour()\n^~~~~~~~~~~"}},
		},
		{
			name: "outside the rule language: the call's parenthesis",
			cond: "request.sender.entity.matches('^VIP')",
			want: []*rules.Error{{File: "house.yaml", Rule: "HOUSE_X", Line: 11, Column: 36,
				Msg: "outside the rule language: member call matches", Snippet: "request.sender.entity.matches('^VIP')\n                             ^"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "jurisdiction: GB\ntitle: House\nchannels: [email, sms]\nrules:\n  - id: HOUSE_X\n    channels: [all]\n" +
				"    effect: deny\n    reason: X\n    citation: House policy 1\n    condition: |\n      " +
				strings.ReplaceAll(tc.cond, "\n", "\n      ") + "\n"
			s, err := rules.Parse("house.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			_, err = eligibility.Compile([]*rules.Set{s}, eligibility.Params{})
			var list rules.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Compile error %v, want a rules.ErrorList", err)
			}
			if diff := gocmp.Diff(tc.want, []*rules.Error(list), cmpopts.IgnoreFields(rules.Error{}, "Err")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if tc.text != "" {
				if diff := gocmp.Diff(tc.text, err.Error()); diff != "" {
					t.Errorf("Error() (-want +got):\n%s", diff)
				}
			}
		})
	}
}
