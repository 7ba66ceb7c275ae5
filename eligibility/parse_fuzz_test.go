package eligibility_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/rules"
)

func builtinFiles(f *testing.F) [][]byte {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("..", "rules", "builtin", "*.yaml"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no built-in rule files: %v", err)
	}
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// checkRulesError checks that err is an ErrorList of *Errors wrapping
// ErrInvalid, and returns it.
func checkRulesError(t *testing.T, err error) rules.ErrorList {
	t.Helper()
	if !errors.Is(err, rules.ErrInvalid) {
		t.Fatalf("error %T %v does not wrap ErrInvalid", err, err)
	}
	var list rules.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
	}
	var first *rules.Error
	if !errors.As(err, &first) {
		t.Fatalf("error %v: errors.As(*Error) fails", err)
	}
	for _, e := range list {
		if e == nil {
			t.Fatalf("nil *Error in %v", list)
		}
	}
	return list
}

func FuzzParse(f *testing.F) {
	for _, b := range builtinFiles(f) {
		f.Add(b)
	}
	// The malformed files of rules' parse tests are seeds in
	// testdata/fuzz/FuzzParse (seed-parse-error-*).
	for _, tc := range fieldCases {
		for _, src := range tc.files {
			f.Add([]byte(src))
		}
	}
	f.Add([]byte(versionCountry))
	for _, src := range versionCountryReformatted {
		f.Add([]byte(src))
	}
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("jurisdiction: !!binary aGVsbG8=\n"))
	f.Add([]byte("\xef\xbb\xbfjurisdiction: FR\nrules: []\n"))
	f.Add([]byte("null\n"))
	f.Add([]byte("{}"))
	// House files, whole and broken.
	houses, _ := filepath.Glob(filepath.Join("testdata", "house", "*.yaml"))
	for _, n := range houses {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(houseFile("{jurisdictions: [all], channels: [email]}", houseRule, "parameters:\n  windows: [{name: w, days: [mon], hours: ['08:00-09:00']}]\n")))
	f.Add([]byte("house: h\napplies_to: {jurisdictions: [FR]}\nreasons: {X: {en: a, fr: b}}\nrules: []\n"))
	// Overrides, whole (testdata/house/overrides.yaml) and broken.
	f.Add([]byte("house: h\noverrides: [{rule: FR_SMS_PROMO_WINDOW}, 3, {rule: [a], owner: {}}, {rule: X, rule: Y}]\n"))
	builtin, err := rules.Builtin()
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := rules.Parse("fuzz.yaml", data)
		if err != nil {
			if s != nil {
				t.Fatal("Parse returned a set with its error")
			}
			for _, e := range checkRulesError(t, err) {
				if e.File != "fuzz.yaml" || e.Line < 0 || e.Column < 0 {
					t.Fatalf("bad error position: %#v", e)
				}
			}
			return
		}
		if s == nil || s.File != "fuzz.yaml" {
			t.Fatalf("Parse returned %v with no error", s)
		}
		lines := strings.Count(string(data), "\n") + 1
		for i := range s.Rules {
			if l := s.Rules[i].Position().Line; l < 0 || l > lines {
				t.Fatalf("rule %d: Position().Line = %d, file has %d lines", i, l, lines)
			}
		}
		// Whatever parsed must compile or fail cleanly; a house file
		// beside the built-in sets, which its scope names.
		sets := []*rules.Set{s}
		if s.House != "" {
			sets = append(slices.Clone(builtin), s)
		}
		if _, err := eligibility.Compile(sets, eligibility.Params{}); err != nil {
			checkRulesError(t, err)
		}
	})
}
