package eligibility_test

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sendright/sendright/eligibility"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/rules"
)

// ruleHead is a rule file up to a deny rule's condition; the rule's id is
// FR_BAD and its first key is on line 5, column 5.
const ruleHead = `jurisdiction: FR
title: Test
channels: [email]
rules:
  - id: FR_BAD
    channels: [all]
    effect: deny
    reason: BAD
    citation: Test art. 1
`

// conditionCase is a condition that must not compile.
type conditionCase struct {
	name string
	cond string // the condition, as CEL text on one line
	// tok is the text the error must point at; its first character when
	// exact, anywhere in it otherwise.
	tok     string
	exact   bool
	mention string // text the message must contain
}

// conditionCases is shared with FuzzCompileCondition as seeds.
var conditionCases = []conditionCase{
	{"misspelt purpose", "request.purpose == 'marketing_generall'", "'marketing_generall'", true, "marketing_generall"},
	{"misspelt purpose, reversed operands", "'marketing_generall' != request.purpose", "'marketing_generall'", true, "purpose"},
	{"misspelt recipient kind in a list", "contact.kind in ['consumer', 'sole_trder']", "'sole_trder'", true, "sole_trder"},
	{"misspelt channel argument", "hasConsent('marketing_general', 'emial')", "'emial'", true, "emial"},
	{"misspelt purpose argument", "withdrawn('marketing_generl', request.channel)", "'marketing_generl'", true, "marketing_generl"},
	{"misspelt purpose of consentOnOtherChannel", "consentOnOtherChannel('marketing_simliar')", "'marketing_simliar'", true, "marketing_simliar"},
	{"misspelt consent defect", "consentDefect(request.purpose, request.channel) == 'preticked'", "'preticked'", true, "preticked"},
	{"misspelt sender kind", "request.sender.kind == 'charty'", "'charty'", true, "charty"},
	{"country alias UK", "contact.country == 'UK'", "'UK'", true, "UK"},
	{"unassigned country", "request.sender.country in ['FR', 'XX']", "'XX'", true, "XX"},
	{"category constant not canonical", "request.category == 'Energy-Renovation'", "'Energy-Renovation'", true, "canonical category key"},
	{"category constant not canonical in a list", "request.category in ['kettles', 'Toasters']", "'Toasters'", true, "Toasters"},
	{"misspelt literal after a non-ASCII one", "request.category != 'café' && request.purpose == 'marketting'", "'marketting'", true, "marketting"},
	{"undeclared variable", "customer && request.purpose == 'marketing_general'", "customer", true, "customer"},
	{"undeclared field of a declared prefix", "request.purpos == 'transactional'", "request.purpos", false, "request.purpos"},
	{"unknown function", "sendAllowed(request.purpose)", "sendAllowed(", false, "sendAllowed"},
	{"wrong argument count", "hasConsent(request.purpose)", "hasConsent(", false, "hasConsent"},
	{"wrong argument type", "purchasedWithin(30)", "purchasedWithin(", false, "purchasedWithin"},
	{"non-bool condition", "request.purpose", "request.purpose", false, "bool"},
	{"non-bool condition: int", "size(request.category)", "size(request.category)", false, "bool"},
	{"comprehension macro", "[1, 2].exists(x, x > 1)", "[1, 2].exists(x, x > 1)", false, "exists"},
	{"all macro", "['a'].all(c, c == request.category)", "['a'].all(c, c == request.category)", false, "all"},
	{"syntax error", "request.purpose == == 'transactional'", "== 'transactional'", true, "Syntax error"},
}

// layout is one way of writing a condition in YAML.
type layout struct {
	name string
	// write returns the condition lines (after ruleHead) and the text the
	// token becomes in the file.
	write func(cond, tok string) (src, fileTok string)
}

var layouts = []layout{
	{name: "plain", write: func(c, tok string) (string, string) {
		return "    condition: " + c + "\n", tok
	}},
	{name: "double-quoted", write: func(c, tok string) (string, string) {
		return "    condition: \"" + c + "\"\n", tok
	}},
	{name: "single-quoted", write: func(c, tok string) (string, string) {
		q := func(s string) string { return strings.ReplaceAll(s, "'", "''") }
		return "    condition: '" + q(c) + "'\n", q(tok)
	}},
	{name: "single-quoted after a quote pair", write: func(c, tok string) (string, string) {
		q := func(s string) string { return strings.ReplaceAll(s, "'", "''") }
		return "    condition: 'request.sender.entity != \"O''''Neil\" && " + q(c) + "'\n", q(tok)
	}},
	{name: "double-quoted after escapes", write: func(c, tok string) (string, string) {
		// \x27 decodes to a quote and \u00e9 to é: neither may be matched
		// with a character of the condition further on.
		return "    condition: \"request.sender.entity != \\\"O\\x27Neil \\u00e9\\\" && " + c + "\"\n", tok
	}},
	{name: "double-quoted over an escaped line break", write: func(c, tok string) (string, string) {
		return "    condition: \"request.channel != 'post' && \\\n      " + c + "\"\n", tok
	}},
	{name: "literal block, second line", write: func(c, tok string) (string, string) {
		return "    condition: |\n      request.channel != 'post' &&\n        " + c + "\n", tok
	}},
	{name: "literal block, first line", write: func(c, tok string) (string, string) {
		return "    condition: |-\n      " + c + "\n        && request.channel != 'post'\n", tok
	}},
	{name: "literal block after a blank line", write: func(c, tok string) (string, string) {
		return "    condition: |\n\n      " + c + "\n", tok
	}},
	{name: "literal block with an indentation indicator", write: func(c, tok string) (string, string) {
		return "    condition: |2-\n         " + c + "\n", tok
	}},
	{name: "folded block, second line", write: func(c, tok string) (string, string) {
		return "    condition: >\n      request.channel != 'post' &&\n      " + c + "\n", tok
	}},
	{name: "plain, second line", write: func(c, tok string) (string, string) {
		return "    condition: request.channel != 'post' &&\n      " + c + "\n", tok
	}},
}

// plainSafe reports whether c can be written as a plain YAML scalar.
func plainSafe(c string) bool {
	return !strings.ContainsAny(c[:1], "[{'\"!&*#|>%@`") && !strings.Contains(c, ": ") && !strings.Contains(c, " #")
}

func TestCompileConditionErrors(t *testing.T) {
	for _, tc := range conditionCases {
		for _, l := range layouts {
			if strings.HasPrefix(l.name, "plain") && !plainSafe(tc.cond) {
				continue
			}
			t.Run(tc.name+"/"+l.name, func(t *testing.T) {
				body, fileTok := l.write(tc.cond, tc.tok)
				src := ruleHead + body
				s, err := rules.Parse("cond.yaml", []byte(src))
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				p, err := eligibility.Compile([]*rules.Set{s}, eligibility.Params{})
				if p != nil {
					t.Error("Compile returned a policy with its error")
				}
				list := errorList(t, err)
				var e *rules.Error
				for _, x := range list {
					if strings.Contains(x.Msg, tc.mention) {
						e = x
						break
					}
				}
				if e == nil {
					t.Fatalf("no error mentions %q: %v", tc.mention, list)
				}
				if e.Rule != "FR_BAD" || e.File != "cond.yaml" {
					t.Errorf("Rule, File = %q, %q; want FR_BAD, cond.yaml", e.Rule, e.File)
				}
				if !strings.Contains(e.Error(), "FR_BAD") {
					t.Errorf("message %q does not name the rule", e.Error())
				}
				line, col := posOf(t, src, fileTok)
				end := col + utf8.RuneCountInString(fileTok) - 1
				ok := e.Line == line && (e.Column == col || !tc.exact && col <= e.Column && e.Column <= end)
				if !ok {
					lines := strings.Split(src, "\n")
					where := ""
					if e.Line >= 1 && e.Line <= len(lines) {
						where = lines[e.Line-1]
					}
					want := fmt.Sprintf("%d:%d", line, col)
					if !tc.exact {
						want = fmt.Sprintf("line %d, column %d to %d", line, col, end)
					}
					t.Errorf("position %d:%d (line %q), want %s (pointing at %q)\n%s", e.Line, e.Column, where, want, fileTok, src)
				}
			})
		}
	}
}

// fieldCase is a rule or set problem found outside conditions.
type fieldCase struct {
	name  string
	files map[string]string // file name → source; compiled in name order
	// file, rule and at locate the expected error: the line and column of
	// the first character of at in file. at == "" means no position.
	file, rule, at string
	mention        string
}

// ruleFile is a valid FR rule file whose single rule is body (which must
// start with "  - ").
func ruleFile(body string) string {
	return "jurisdiction: FR\ntitle: Test\nchannels: [email]\nrules:\n" + body
}

var fieldCases = []fieldCase{
	{
		name: "missing citation",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "citation",
	},
	{
		name: "blank citation",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    citation: '  '\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "citation",
	},
	{
		name: "missing reason",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "reason",
	},
	{
		name: "lower-case reason",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: objection_on_file\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "objection_on_file",
	},
	{
		name: "missing id",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - effect: deny\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "", at: "effect: deny", mention: "id",
	},
	{
		name: "bad id",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: fr-bad\n    effect: deny\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "fr-bad", at: "id: fr-bad", mention: "fr-bad",
	},
	{
		name: "missing effect",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "effect",
	},
	{
		name: "missing condition",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    citation: Test\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "condition",
	},
	{
		name: "allow rule without basis",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: allow\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "basis",
	},
	{
		name: "allow rule with basis transactional",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: allow\n    basis: transactional\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "basis",
	},
	{
		name: "deny rule with a basis",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    basis: consent\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "basis",
	},
	{
		name: "no_basis rule with a basis",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: no_basis\n    basis: soft_opt_in\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "basis",
	},
	{
		name: "deny rule with obligations",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    citation: Test\n    condition: 'true'\n" +
				"    obligations:\n      - obligation: opt_out\n        citation: Test\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "obligations",
	},
	{
		name: "exempt rule with basis consent",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: exempt\n    basis: consent\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "transactional",
	},
	{
		name: "exempt rule without basis",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: exempt\n    reason: BAD\n    citation: Test\n    condition: 'true'\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "transactional",
	},
	{
		name: "valid_until equal to valid_from",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    citation: Test\n    condition: 'true'\n" +
				"    valid_from: 2026-01-01T01:00:00+01:00\n    valid_until: 2026-01-01T00:00:00Z\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "valid_until",
	},
	{
		name: "valid_until before valid_from",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    citation: Test\n    condition: 'true'\n" +
				"    valid_from: 2026-02-01T00:00:00Z\n    valid_until: 2026-01-01T00:00:00Z\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "valid_until",
	},
	{
		name: "rule obligation without citation",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_BAD\n    effect: allow\n    basis: consent\n    reason: BAD\n    citation: Test\n    condition: 'true'\n" +
				"    obligations:\n      - obligation: objection_notice\n")},
		file: "fr.yaml", rule: "FR_BAD", at: "id: FR_BAD", mention: "objection_notice",
	},
	{
		name: "duplicate rule id across sets",
		files: map[string]string{
			"a_eu.yaml": "jurisdiction: EU\ntitle: Base\nchannels: [email]\nrules:\n" +
				"  - id: DUP_RULE\n    effect: deny\n    reason: A\n    citation: Test\n    condition: 'true'\n",
			"b_fr.yaml": "jurisdiction: FR\nextends: EU\ntitle: Test\nrules:\n" +
				"  - id: FR_OK\n    effect: deny\n    reason: A\n    citation: Test\n    condition: 'false'\n" +
				"  - id: DUP_RULE\n    effect: deny\n    reason: B\n    citation: Test\n    condition: 'true'\n",
		},
		file: "b_fr.yaml", rule: "DUP_RULE", at: "id: DUP_RULE", mention: "a_eu.yaml",
	},
	{
		name: "duplicate rule id in one set",
		files: map[string]string{"fr.yaml": ruleFile(
			"  - id: FR_DUP\n    effect: deny\n    reason: A\n    citation: Test\n    condition: 'true'\n" +
				"  - id: FR_DUP \n    effect: deny\n    reason: B\n    citation: Test\n    condition: 'false'\n")},
		file: "fr.yaml", rule: "FR_DUP", at: "id: FR_DUP \n", mention: "FR_DUP",
	},
	// Set-level problems.
	{
		name:  "extends a missing set",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nextends: EU\ntitle: Test\nrules: []\n"},
		file:  "fr.yaml", at: "extends: EU", mention: "EU",
	},
	{
		name: "extends cycle",
		files: map[string]string{
			"be.yaml": "jurisdiction: BE\nextends: FR\ntitle: Test\nchannels: [email]\nrules: []\n",
			"fr.yaml": "jurisdiction: FR\nextends: BE\ntitle: Test\nrules: []\n",
		},
		file: "be.yaml", at: "extends: FR", mention: "cycle",
	},
	{
		name:  "extends itself",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nextends: FR\ntitle: Test\nrules: []\n"},
		file:  "fr.yaml", at: "extends: FR", mention: "cycle",
	},
	{
		name: "two sets with one jurisdiction",
		files: map[string]string{
			"fr1.yaml": "jurisdiction: FR\ntitle: One\nchannels: [email]\nrules: []\n",
			"fr2.yaml": "title: Two\njurisdiction: FR\nchannels: [email]\nrules: []\n",
		},
		file: "fr2.yaml", at: "jurisdiction: FR", mention: "twice",
	},
	{
		name:  "jurisdiction UK",
		files: map[string]string{"uk.yaml": "title: Test\njurisdiction: UK\nchannels: [email]\nrules: []\n"},
		file:  "uk.yaml", at: "jurisdiction: UK", mention: "GB",
	},
	{
		name:  "jurisdiction XX",
		files: map[string]string{"xx.yaml": "jurisdiction: XX\nchannels: [email]\nrules: []\n"},
		file:  "xx.yaml", at: "jurisdiction: XX", mention: "XX",
	},
	{
		name:  "lower-case jurisdiction",
		files: map[string]string{"fr.yaml": "jurisdiction: fr\nchannels: [email]\nrules: []\n"},
		file:  "fr.yaml", at: "jurisdiction: fr", mention: "fr",
	},
	{
		name:  "missing jurisdiction",
		files: map[string]string{"none.yaml": "title: Test\nchannels: [email]\nrules: []\n"},
		file:  "none.yaml", mention: "jurisdiction",
	},
	{
		name:  "digital_consent_age 10",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nparameters:\n  digital_consent_age: 10\nrules: []\n"},
		file:  "fr.yaml", at: "digital_consent_age: 10", mention: "10",
	},
	{
		name:  "digital_consent_age 19",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nparameters:\n  digital_consent_age: 19\nrules: []\n"},
		file:  "fr.yaml", at: "digital_consent_age: 19", mention: "19",
	},
	{
		name:  "minor_consent maybe",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nparameters:\n  minor_consent: maybe\nrules: []\n"},
		file:  "fr.yaml", at: "minor_consent: maybe", mention: "maybe",
	},
	{
		name: "set obligation without citation",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nobligations:\n  - obligation: sender_identity\n" +
			"    citation: Test\n  - obligation: opt_out\nrules: []\n"},
		file: "fr.yaml", at: "obligation: opt_out", mention: "opt_out",
	},
	{
		name:  "channels containing all",
		files: map[string]string{"fr.yaml": "jurisdiction: FR\nchannels: [email, all]\nrules: []\n"},
		file:  "fr.yaml", at: "all]", mention: "all",
	},
}

func TestCompileFieldErrors(t *testing.T) {
	for _, tc := range fieldCases {
		t.Run(tc.name, func(t *testing.T) {
			var sets []*rules.Set
			for _, name := range slices.Sorted(maps.Keys(tc.files)) {
				sets = append(sets, mustParse(t, name, tc.files[name]))
			}
			p, err := eligibility.Compile(sets, eligibility.Params{})
			if p != nil {
				t.Error("Compile returned a policy with its error")
			}
			list := errorList(t, err)
			var e *rules.Error
			for _, x := range list {
				if x.File == tc.file && x.Rule == tc.rule && strings.Contains(x.Msg, tc.mention) {
					e = x
					break
				}
			}
			if e == nil {
				t.Fatalf("no error in %s for rule %q mentioning %q: %v", tc.file, tc.rule, tc.mention, list)
			}
			if tc.rule != "" && !strings.Contains(e.Error(), tc.rule) {
				t.Errorf("message %q does not name rule %s", e.Error(), tc.rule)
			}
			var line, col int
			if tc.at != "" {
				line, col = posOf(t, tc.files[tc.file], tc.at)
			}
			if e.Line != line || e.Column != col {
				t.Errorf("position %d:%d, want %d:%d (%v)", e.Line, e.Column, line, col, e)
			}
		})
	}
}

func TestCompileParamsErrors(t *testing.T) {
	for name, groups := range map[string]map[string][]string{
		"unnamed group":    {"": {"kettles", "toasters"}},
		"group no members": {"small_kitchen_appliances": nil},
		"blank member":     {"small_kitchen_appliances": {"kettles", " - "}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := eligibility.Compile(nil, eligibility.Params{SimilarityGroups: groups})
			list := errorList(t, err)
			if !strings.Contains(list[0].Msg, "similarity group") {
				t.Errorf("message %q does not mention the similarity group", list[0].Msg)
			}
		})
	}
}

// An exempt rule's message is outside marketing law, so an exempt outcome
// carries no obligations: a rule file giving some is an error at the rule,
// like obligations on deny and no_basis rules, never obligations silently
// dropped.
func TestCompileRuleObligationsOutsideAllow(t *testing.T) {
	for _, tc := range []struct{ effect, basis, mention string }{
		{"exempt", "    basis: transactional\n", "exempt rule has no obligations"},
		{"deny", "", "deny rule has no obligations"},
		{"no_basis", "", "no_basis rule has no obligations"},
	} {
		t.Run(tc.effect, func(t *testing.T) {
			src := ruleFile("  - id: FR_OBL\n    channels: [all]\n    effect: " + tc.effect + "\n" + tc.basis + "    reason: OBL\n" +
				"    citation: Test\n    condition: request.purpose == 'transactional'\n" +
				"    obligations:\n      - obligation: opt_out\n        citation: Test art. 2\n")
			p, err := eligibility.Compile([]*rules.Set{mustParse(t, "fr.yaml", src)}, eligibility.Params{})
			if p != nil {
				t.Error("Compile returned a policy with its error")
			}
			list := errorList(t, err)
			type where struct {
				File, Rule   string
				Line, Column int
				Mentions     bool
			}
			line, col := posOf(t, src, "id: FR_OBL")
			want := []where{{"fr.yaml", "FR_OBL", line, col, true}}
			var got []where
			for _, e := range list {
				got = append(got, where{e.File, e.Rule, e.Line, e.Column, strings.Contains(e.Msg, tc.mention)})
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("errors (-want +got; Mentions: the message says %q):\n%s\n%v", tc.mention, diff, list)
			}
		})
	}
}

func TestCompileNilSet(t *testing.T) {
	_, err := eligibility.Compile([]*rules.Set{nil}, eligibility.Params{})
	errorList(t, err)
}

// Compile with no sets is an empty policy that knows no country.
func TestCompileEmpty(t *testing.T) {
	p := mustCompile(t, nil, eligibility.Params{})
	if len(p.Jurisdictions()) != 0 || p.Rules("FR") != nil || p.Version() == "" {
		t.Errorf("empty policy: Jurisdictions %v, Rules(FR) %v, Version %q", p.Jurisdictions(), p.Rules("FR"), p.Version())
	}
}

// Several problems in one compilation are all reported, sorted by file
// and position.
func TestCompileSeveralErrors(t *testing.T) {
	b := `jurisdiction: FR
extends: EU
title: Test
rules:
  - id: FR_ONE
    channels: [all]
    effect: deny
    reason: one
    citation: Test
    condition: 'true'
  - id: FR_TWO
    channels: [all]
    effect: deny
    reason: TWO
    citation: Test
    condition: |
      request.purpose == 'marketing_generall'
        || contact.kind == 'consumr'
  - id: FR_THREE
    channels: [all]
    effect: allow
    reason: THREE
    citation: ""
    condition: 'true'
`
	a := `jurisdiction: EU
title: Base
channels: [email]
rules:
  - id: EU_ONE
    channels: [all]
    effect: deny
    reason: ONE
    citation: Test
    condition: undeclared_thing
`
	// b is first: the list must still be sorted by file.
	sets := []*rules.Set{mustParse(t, "b.yaml", b), mustParse(t, "a.yaml", a)}
	_, err := eligibility.Compile(sets, eligibility.Params{})
	list := errorList(t, err)
	if len(list) < 2 {
		t.Fatalf("got %d errors, want several: %v", len(list), list)
	}
	type pos struct {
		File, Rule string
		Line       int
	}
	var got []pos
	for _, e := range list {
		got = append(got, pos{e.File, e.Rule, e.Line})
	}
	l := func(src, tok string) int { n, _ := posOf(t, src, tok); return n }
	want := []pos{
		{"a.yaml", "EU_ONE", l(a, "undeclared_thing")},
		{"b.yaml", "FR_ONE", l(b, "id: FR_ONE")},
		{"b.yaml", "FR_TWO", l(b, "'marketing_generall'")},
		{"b.yaml", "FR_TWO", l(b, "'consumr'")},
		{"b.yaml", "FR_THREE", l(b, "id: FR_THREE")}, // no basis
		{"b.yaml", "FR_THREE", l(b, "id: FR_THREE")}, // no citation
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s\n%v", diff, err)
	}
	if !slices.IsSortedFunc(list, func(x, y *rules.Error) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line), cmp.Compare(x.Column, y.Column))
	}) {
		t.Errorf("errors not sorted by file and position: %v", list)
	}
	// The list's text is every problem's, in order, one after the other.
	var each []string
	for _, e := range list {
		each = append(each, e.Error())
	}
	if diff := gocmp.Diff(strings.Join(each, "\n"), err.Error()); diff != "" {
		t.Errorf("Error() is not every problem's text (-want +got):\n%s", diff)
	}
	// Every entry is reachable through errors.As and errors.Is.
	for _, e := range list {
		if !errors.Is(e, rules.ErrInvalid) {
			t.Errorf("%v does not wrap ErrInvalid", e)
		}
	}
}

// A set-level problem does not hide the rule problems of the same
// compilation.
func TestCompileSetAndRuleErrors(t *testing.T) {
	src := `jurisdiction: FR
title: Test
channels: [email]
parameters:
  digital_consent_age: 10
rules:
  - id: FR_ONE
    channels: [all]
    effect: deny
    reason: ONE
    citation: Test
    condition: request.purpose == 'marketing_generall'
`
	_, err := eligibility.Compile([]*rules.Set{mustParse(t, "fr.yaml", src)}, eligibility.Params{})
	list := errorList(t, err)
	var param, cond bool
	for _, e := range list {
		param = param || strings.Contains(e.Msg, "digital_consent_age")
		cond = cond || e.Rule == "FR_ONE"
	}
	if !param {
		t.Errorf("the bad parameter is not reported: %v", list)
	}
	if !cond {
		t.Errorf("the misspelt condition of FR_ONE is not reported: %v", list)
	}
}

// Set-level errors of one file come in file order.
func TestCompileSetErrorsInFileOrder(t *testing.T) {
	src := "jurisdiction: FR\nparameters:\n  digital_consent_age: 10\n  minor_consent: maybe\nrules: []\n"
	_, err := eligibility.Compile([]*rules.Set{mustParse(t, "fr.yaml", src)}, eligibility.Params{})
	list := errorList(t, err)
	if len(list) != 2 {
		t.Fatalf("got %d errors, want 2: %v", len(list), list)
	}
	for i, key := range []string{"digital_consent_age", "minor_consent"} {
		if !strings.Contains(list[i].Msg, key) || list[i].Line != i+3 {
			t.Errorf("error %d: %v; want one about %s at line %d", i, list[i], key, i+3)
		}
	}
}

func TestErrorListError(t *testing.T) {
	var empty rules.ErrorList
	if empty.Err() != nil {
		t.Error("empty ErrorList: Err() != nil")
	}
	e := &rules.Error{File: "x.yaml", Rule: "X_RULE", Line: 3, Column: 7, Msg: "broken"}
	for _, s := range []string{"x.yaml", "3", "7", "X_RULE", "broken"} {
		if !strings.Contains(e.Error(), s) {
			t.Errorf("Error() = %q does not contain %q", e.Error(), s)
		}
	}
	if !errors.Is(rules.ErrorList{e}.Err(), rules.ErrInvalid) {
		t.Error("ErrorList does not wrap ErrInvalid")
	}
}

// A host function Compile refuses does not hide the problems of the sets
// and parameters: they are checked without compiling a condition.
func TestCompileFunctionAndSetErrors(t *testing.T) {
	src := ruleFile("  - id: FR_BAD\n    effect: deny\n    reason: BAD\n    condition: 'true'\n")
	params := eligibility.Params{
		Functions:        []eligibility.Function{eligibility.Func[bool]("onRegistry", "1", nil)}, // no Go function
		SimilarityGroups: map[string][]string{"small_kitchen_appliances": nil},
	}
	_, err := eligibility.Compile([]*rules.Set{mustParse(t, "fr.yaml", src)}, params)
	list := errorList(t, err)
	var got []string
	for _, e := range list {
		for _, want := range []string{"no Go function", "citation", "similarity group"} {
			if strings.Contains(e.Msg, want) {
				got = append(got, want)
			}
		}
	}
	slices.Sort(got)
	if diff := gocmp.Diff([]string{"citation", "no Go function", "similarity group"}, got); diff != "" {
		t.Errorf("problems reported (-want +got):\n%s\n%v", diff, list)
	}
}
