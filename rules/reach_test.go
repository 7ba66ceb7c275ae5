package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/rules"
)

// reachBase is a country set and its subdivision, written for the tests of
// subdivisions, area codes and reach.
const reachBase = `jurisdiction: ZZ
title: test country
channels: [email, sms]
rules:
  - id: ZZ_CONSENT
    channels: [all]
    effect: allow
    basis: consent
    reason: CONSENT
    citation: Test Act s. 1
    condition: hasConsent(request.purpose, request.channel)
`

// subSet returns a subdivision set's file with the given extra top-level
// lines.
func subSet(jurisdiction, extends, extra string) string {
	s := "jurisdiction: " + jurisdiction + "\ntitle: test subdivision\n"
	if extends != "" {
		s += "extends: " + extends + "\n"
	}
	return s + extra + "rules: []\n"
}

func checkSets(t *testing.T, files ...string) []string {
	t.Helper()
	var sets []*rules.Set
	for i, f := range files {
		s, err := rules.Parse("f"+string(rune('0'+i))+".yaml", []byte(f))
		if err != nil {
			return []string{err.Error()}
		}
		sets = append(sets, s)
	}
	var msgs []string
	for _, e := range rules.Check(sets) {
		msgs = append(msgs, e.Msg)
	}
	return msgs
}

// TestSubdivisionSets: a subdivision's set names an ISO 3166-2 code of a
// real country and extends that country's set; area codes belong to
// subdivisions of NANP countries, each a well-formed area code listed once
// in one set; reach needs senders and a citation and belongs to a
// country's set.
func TestSubdivisionSets(t *testing.T) {
	us := strings.Replace(reachBase, "ZZ", "US", -1)
	fr := strings.Replace(reachBase, "ZZ", "FR", -1)
	for _, tc := range []struct {
		name  string
		files []string
		want  string // a fragment of the one error expected; "" none
	}{
		{"valid", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [305, 786]\n")}, ""},
		{"valid two states", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [305]\n"),
			subSet("US-OK", "US", "parameters:\n  area_codes: [405, 918]\n")}, ""},
		{"no extends", []string{us, subSet("US-FL", "", "")}, "extends its country's set (extends: US)"},
		{"extends another", []string{us, fr, subSet("US-FL", "FR", "")}, "extends its country's set (extends: US)"},
		{"lower case", []string{us, subSet("US-fl", "US", "")}, "want an ISO 3166-1 alpha-2 code, EU, or an ISO 3166-2"},
		{"unknown country", []string{us, subSet("QQ-FL", "US", "")}, "want an ISO 3166-2 subdivision code of a country"},
		{"too long", []string{us, subSet("US-FLOR", "US", "")}, "want an ISO 3166-1 alpha-2 code, EU, or an ISO 3166-2"},
		{"area codes on a country", []string{strings.Replace(us, "channels:", "parameters:\n  area_codes: [305]\nchannels:", 1)},
			"only a subdivision's set"},
		{"area codes outside NANP", []string{fr, subSet("FR-57", "FR", "parameters:\n  area_codes: [305]\n")},
			"FR is not in the North American Numbering Plan"},
		{"N11", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [411]\n")}, "411 is not a NANP area code"},
		{"N9X", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [390]\n")}, "390 is not a NANP area code"},
		{"too small", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [105]\n")}, "105 is not a NANP area code"},
		{"twice", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [305, 305]\n")}, "area code 305 listed twice"},
		{"empty", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: []\n")}, "an empty list"},
		{"two sets", []string{us, subSet("US-FL", "US", "parameters:\n  area_codes: [305]\n"),
			subSet("US-OK", "US", "parameters:\n  area_codes: [305]\n")}, "area code 305 is also US-FL's"},
		{"reach", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US]\n  citation: Test Act s. 2\nchannels:", 1)}, ""},
		{"reach without citation", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US]\nchannels:", 1)},
			"reach.citation: missing"},
		{"reach without senders", []string{strings.Replace(us, "channels:", "reach:\n  citation: Test Act s. 2\nchannels:", 1)},
			"reach.senders: missing"},
		{"reach twice", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US, CA, US]\n  citation: Test Act\nchannels:", 1)},
			"reach.senders[2]: US listed twice"},
		{"reach on some channels", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US]\n  channels: [sms]\n  citation: Test\nchannels:", 1)}, ""},
		{"reach on a channel the set lacks", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US]\n  channels: [push]\n  citation: Test\nchannels:", 1)},
			"reach.channels[0]: push is not a channel of set US"},
		{"reach on a channel twice", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US]\n  channels: [sms, email, sms]\n  citation: Test\nchannels:", 1)},
			"reach.channels[2]: sms listed twice"},
		{"reach on all", []string{strings.Replace(us, "channels:", "reach:\n  senders: [US]\n  channels: [all]\n  citation: Test\nchannels:", 1)},
			"reach.channels[0]: all is not a message channel"},
		{"reach on a subdivision", []string{us, subSet("US-FL", "US", "reach:\n  senders: [US]\n  citation: Test Act\n")},
			"a subdivision's set takes its country's reach"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := checkSets(t, tc.files...)
			switch {
			case tc.want == "" && len(got) > 0:
				t.Errorf("errors %q, want none", got)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0], tc.want)):
				t.Errorf("errors %q, want one containing %q", got, tc.want)
			}
		})
	}
}

// TestReachParse: reach decodes strictly (unknown keys, a malformed
// country are typed errors) and a valid one reads as written.
func TestReachParse(t *testing.T) {
	s := mustParse(t, "us.yaml", strings.Replace(strings.Replace(reachBase, "ZZ", "US", -1), "channels:",
		"reach:\n  senders: [US, PR]\n  citation: Test Act s. 2\n  note: a note\nchannels:", 1))
	want := rules.Reach{Senders: []address.Country{address.MustCountry("US"), address.MustCountry("PR")},
		Citation: "Test Act s. 2", Note: "a note"}
	if diff := cmp.Diff(want, s.Reach, cmp.Comparer(func(a, b address.Country) bool { return a == b })); diff != "" {
		t.Errorf("reach (-want +got):\n%s", diff)
	}
	if !s.Reach.Reaches(address.MustCountry("PR")) || s.Reach.Reaches(address.MustCountry("CA")) || s.Reach.Reaches(address.Country{}) {
		t.Error("Reaches disagrees with the list")
	}
	for _, bad := range []string{
		"reach:\n  senders: [XX]\n  citation: c\n",
		"reach:\n  Senders: [US]\n  citation: c\n",
		"reach:\n  senders: [US]\n  citation: c\n  citation: d\n",
		"reach: [US]\n",
		"reach:\n  senders: US\n  citation: c\n",
	} {
		_, err := rules.Parse("x.yaml", []byte(strings.Replace(strings.Replace(reachBase, "ZZ", "US", -1), "channels:", bad+"channels:", 1)))
		var e *rules.Error
		if !errors.As(err, &e) || !errors.Is(err, rules.ErrInvalid) {
			t.Errorf("reach %q: error %v, want a *rules.Error wrapping ErrInvalid", bad, err)
		}
	}
}

// TestCountryOf: the country of a jurisdiction code.
func TestCountryOf(t *testing.T) {
	for code, want := range map[string]string{"FR": "FR", "US-FL": "US", "FR-971": "FR", "EU": "", "": "", "US-": "",
		"US-FLOR": "", "us-FL": "", "USFL": ""} {
		if got := rules.CountryOf(code); got != want {
			t.Errorf("CountryOf(%q) = %q, want %q", code, got, want)
		}
	}
	for n, want := range map[int]bool{200: true, 305: true, 999: false, 911: false, 290: false, 199: false, 1000: false, 212: true} {
		if got := rules.ValidAreaCode(n); got != want {
			t.Errorf("ValidAreaCode(%d) = %v, want %v", n, got, want)
		}
	}
}

// FuzzSubdivisionSet: whatever the jurisdiction, area codes and reach
// written, Parse and Check never panic, fail with positioned typed
// errors, and a set they accept has only well-formed area codes and a
// jurisdiction whose country is its base.
func FuzzSubdivisionSet(f *testing.F) {
	us := strings.Replace(reachBase, "ZZ", "US", -1)
	f.Add("US-FL", "US", "parameters:\n  area_codes: [305, 786]\n")
	f.Add("US-OK", "US", "reach:\n  senders: [US]\n  citation: c\n")
	f.Add("US-1", "US", "parameters:\n  area_codes: [0x131]\n")
	f.Add("CA-ON", "CA", "parameters:\n  area_codes: [-305, 1e3]\n")
	f.Fuzz(func(t *testing.T, jurisdiction, extends, extra string) {
		sub, err := rules.Parse("sub.yaml", []byte(subSet(jurisdiction, extends, extra)))
		if err != nil {
			var e *rules.Error
			if !errors.As(err, &e) || !errors.Is(err, rules.ErrInvalid) {
				t.Fatalf("Parse: %T %v, want a *rules.Error", err, err)
			}
			return
		}
		sets := []*rules.Set{mustParse(t, "us.yaml", us), sub}
		errs := rules.Check(sets)
		for _, e := range errs {
			if e.File == "" || !errors.Is(e, rules.ErrInvalid) {
				t.Fatalf("Check error without a file or ErrInvalid: %v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		for _, n := range sub.Parameters.AreaCodes {
			if !rules.ValidAreaCode(n) {
				t.Fatalf("accepted area code %d", n)
			}
		}
		if len(sub.Parameters.AreaCodes) > 0 && (rules.CountryOf(sub.Jurisdiction) != "US" || sub.Extends != "US") {
			t.Fatalf("accepted area codes on %s extending %q", sub.Jurisdiction, sub.Extends)
		}
		if rules.IsSubdivision(sub.Jurisdiction) && sub.Extends != rules.CountryOf(sub.Jurisdiction) {
			t.Fatalf("accepted subdivision %s extending %q", sub.Jurisdiction, sub.Extends)
		}
	})
}
