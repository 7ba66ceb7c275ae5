package rules_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/rules"
)

// houseSrc is a house file with every house key.
const houseSrc = `house: acme
title: Acme's rules
applies_to:
  jurisdictions: [FR, BE]
  channels: [email, sms]
parameters:
  windows:
    - {name: acme_day, days: [mon], hours: ["08:00-20:00"]}
obligations:
  - {obligation: opt_out, citation: Acme charter 1}
rules:
  - id: ACME_X
    channels: [email]
    effect: deny
    reason: ACME_X
    citation: Acme charter 2
    condition: "!inWindow('acme_day')"
reasons:
  ACME_X: {en: Not today., fr: Pas aujourd'hui., de: Nicht heute.}
`

// TestParseHouse: a house file's own keys decode into the Set.
func TestParseHouse(t *testing.T) {
	s, err := rules.Parse("acme.yaml", []byte(houseSrc))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		House, Jurisdiction string
		AppliesTo           rules.Scope
		Reasons             map[string]map[string]string
		Windows, Rules      int
	}
	want := got{House: "acme", AppliesTo: rules.Scope{Jurisdictions: []string{"FR", "BE"}, Channels: []consent.Channel{consent.Email, consent.SMS}},
		Reasons: map[string]map[string]string{"ACME_X": {"en": "Not today.", "fr": "Pas aujourd'hui.", "de": "Nicht heute."}},
		Windows: 1, Rules: 1}
	if diff := cmp.Diff(want, got{s.House, s.Jurisdiction, s.AppliesTo, s.Reasons, len(s.Parameters.Windows), len(s.Rules)}); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestScopeIncludes: all covers every country but never the EU base; an
// empty channel list covers every channel.
func TestScopeIncludes(t *testing.T) {
	all := rules.Scope{Jurisdictions: []string{rules.AllJurisdictions}}
	some := rules.Scope{Jurisdictions: []string{"FR"}, Channels: []consent.Channel{consent.Email}}
	got := []bool{all.Includes("GB", consent.SMS), all.Includes("EU", consent.Email), some.Includes("FR", consent.Email),
		some.Includes("FR", consent.SMS), some.Includes("FR", consent.AllChannels), some.Includes("BE", consent.Email)}
	if diff := cmp.Diff([]bool{true, false, true, false, true, false}, got); diff != "" {
		t.Errorf("Includes (-want +got):\n%s", diff)
	}
}

// TestParseFileAndFS: files are read from a path or an fs.FS; a missing
// file or a pattern matching nothing is an error naming it, and every
// file's problems are reported together.
func TestParseFileAndFS(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "acme.yaml")
	if err := os.WriteFile(path, []byte(houseSrc), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := rules.ParseFile(path)
	if err != nil || s.House != "acme" || s.File != path {
		t.Fatalf("ParseFile = %v, %v", s, err)
	}
	_, err = rules.ParseFile(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, rules.ErrInvalid) {
		t.Errorf("ParseFile(missing) = %v, want fs.ErrNotExist and rules.ErrInvalid", err)
	}
	fsys := fstest.MapFS{
		"house/b.yaml":   {Data: []byte(houseSrc)},
		"house/a.yaml":   {Data: []byte("house: other\napplies_to: {jurisdictions: [all]}\nrules: []\n")},
		"broken/x.yaml":  {Data: []byte("house: x\nrules: [\n")},
		"broken/y.yaml":  {Data: []byte("house: y\nunknown: 1\nrules: []\n")},
		"house/notes.md": {Data: []byte("not a rule file")},
	}
	sets, err := rules.ParseFS(fsys, "house/*.yaml", "house/a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range sets {
		names = append(names, s.File+" "+s.House)
	}
	if diff := cmp.Diff([]string{"house/a.yaml other", "house/b.yaml acme"}, names); diff != "" {
		t.Errorf("ParseFS files (-want +got):\n%s", diff)
	}
	_, err = rules.ParseFS(fsys, "broken/*.yaml", "nowhere/*.yaml")
	var list rules.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("ParseFS(broken) = %v, want an ErrorList", err)
	}
	var files []string
	for _, e := range list {
		files = append(files, e.File)
	}
	if diff := cmp.Diff([]string{"broken/x.yaml", "broken/y.yaml", "nowhere/*.yaml"}, files); diff != "" {
		t.Errorf("ParseFS errors' files (-want +got):\n%s\n%v", diff, err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ParseFS with a pattern matching nothing: %v, want fs.ErrNotExist", err)
	}
}

// TestCheckHouseKeysInASet: a jurisdiction's set cannot carry a house
// file's keys.
func TestCheckHouseKeysInASet(t *testing.T) {
	s, err := rules.Parse("lu.yaml", []byte("jurisdiction: LU\ntitle: T\nchannels: [email]\napplies_to: {jurisdictions: [all]}\nreasons: {X: {en: x}}\nrules: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rules.Check([]*rules.Set{s}) {
		got = append(got, e.Error())
	}
	want := []string{
		"rules: lu.yaml:4:1: applies_to belongs in a house file (house:); a jurisdiction's set applies to its jurisdiction",
		"rules: lu.yaml:5:1: reasons belong in a house file (house:); the built-in codes' texts come with the library",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
}
