package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The legal guide, rules/builtin/LAW.md, has one section per rule id (of
// the built-in sets and of the engine's stop rules): a level-3 heading that
// is exactly the id ("### FR_SOFT_OPT_IN"). Other
// level-3 headings (the cross-cutting choices) are in sentence case, so a
// heading that looks like an id (capitals, digits, underscores) must name a
// rule that exists.
//
// Each rule section has a line starting "Sources:" that names at least one
// public source. A source is recognised by a citation pattern (publicSource)
// and must not point only inside the project: the line may not mention the
// internal research notes, nor a file of this module.
//
// A rule marked needs_review must have a paragraph starting "Review:" that
// says what is uncertain; a rule whose note calls its choice conservative
// must have a "Why:" or "Review:" paragraph.

const lawPath = "builtin/LAW.md"

// internalNotes is the name of the project's internal legal research notes,
// built so that this file does not contain it.
const internalNotes = "RULES" + ".md"

var (
	ruleHeading = regexp.MustCompile(`^### ([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*$`)
	// publicSource matches the citation forms the guide uses: an article,
	// regulation, section or paragraph number; a French code article; a
	// court decision; or a named regulator or official instrument.
	publicSource = regexp.MustCompile(`\barts?\. ?[0-9IVXL]|\bregs?\. ?\d|\bs\. ?\d|§ ?\d|\b[LRD]\d{2,4}-\d` +
		`|\b[IVX]+ ZR \d+/\d+|\bC-\d+/\d+|\bSI \d{4}/\d+|\bn° ?\d|\bLoi\b|\bDirective\b|\bRegulations?\b|\bAct \d{4}` +
		`|\b(?:CNIL|ICO|EDPB|Article 29 Working Party|WP29|SPF Economie|Conseil d'État|CJEU|BGH)\b`)
	// internalSource matches what a reader outside the project cannot
	// check; the guide must cite the law itself.
	internalSource = regexp.MustCompile(`RULES\.md|\bCorrections? A\d|\.ya?ml\b|\.go\b|\brules/`)
)

type lawSection struct {
	id            string
	sources       []string // the text of each "Sources:" line
	why, review   bool
	headingLineNo int
}

// readLaw splits LAW.md into its rule sections, keyed by rule id, and
// reports duplicate rule headings.
func readLaw(t *testing.T) map[string]*lawSection {
	t.Helper()
	data, err := os.ReadFile(lawPath)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*lawSection{}
	var cur *lawSection
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") {
			cur = nil
			if m := ruleHeading.FindStringSubmatch(line); m != nil {
				if prev, ok := out[m[1]]; ok {
					t.Errorf("%s:%d: second section for %s (first at line %d)", lawPath, i+1, m[1], prev.headingLineNo)
				}
				cur = &lawSection{id: m[1], headingLineNo: i + 1}
				out[m[1]] = cur
			}
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "Sources:"):
			cur.sources = append(cur.sources, strings.TrimSpace(strings.TrimPrefix(line, "Sources:")))
		case strings.HasPrefix(line, "Why:"):
			cur.why = true
		case strings.HasPrefix(line, "Review:"):
			cur.review = true
		}
	}
	return out
}

// engineStops are the ids of the engine's own stop rules
// (eligibility.RuleStopObjection and RuleStopWithdrawn), which the guide
// covers like the rules of the built-in sets; eligibility's
// TestEngineStopsInLawGuide checks this list against the engine.
var engineStops = []string{"STOP_OBJECTION", "STOP_WITHDRAWN"}

// transferChecks are the ids of the transfer check's own decisions
// (eligibility.RuleRoutes, RuleEUTransfers and RuleUKTransfers), which the
// guide covers like the rows of the transfer law tables; eligibility's
// TestTransferChecksInLawGuide checks this list against the engine.
var transferChecks = []string{"TRANSFER_ROUTES", "EU_TRANSFERS", "UK_TRANSFERS"}

// builtinRules returns every rule a decision of the built-in policy can
// name: the rules of the built-in sets and the engine's own stop rules.
func builtinRules(t *testing.T) []Rule {
	t.Helper()
	sets, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var out []Rule
	for _, s := range sets {
		out = append(out, s.Rules...)
	}
	for _, id := range slices.Concat(engineStops, transferChecks) {
		out = append(out, Rule{ID: id})
	}
	// The rows of the transfer law tables are cited by decisions like
	// rules: the guide has a section for each.
	laws, err := BuiltinTransfers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range laws {
		for _, r := range l.Adequacy {
			out = append(out, Rule{ID: r.ID, NeedsReview: r.NeedsReview, Note: r.Note})
		}
		for _, r := range l.Mechanisms {
			out = append(out, Rule{ID: r.ID, Note: r.Note})
		}
		for _, r := range l.Assessments {
			out = append(out, Rule{ID: r.ID, Note: r.Note})
		}
	}
	if len(out) == 0 {
		t.Fatal("no built-in rules")
	}
	return out
}

// conservative reports whether a rule's note presents its choice as a
// conservative one, which the guide must then explain.
func conservative(r Rule) bool {
	return strings.Contains(strings.ToLower(r.Note), "conservativ")
}

func TestLawGuideCoversEveryRule(t *testing.T) {
	law := readLaw(t)
	for _, r := range builtinRules(t) {
		sec, ok := law[r.ID]
		if !ok {
			t.Errorf("%s has no section %q", lawPath, "### "+r.ID)
			continue
		}
		if len(sec.sources) == 0 {
			t.Errorf("%s:%d: section %s has no Sources: line", lawPath, sec.headingLineNo, r.ID)
		}
		for _, src := range sec.sources {
			if err := checkSources(src); err != "" {
				t.Errorf("%s:%d: section %s: %s: %q", lawPath, sec.headingLineNo, r.ID, err, src)
			}
		}
		if r.NeedsReview && !sec.review {
			t.Errorf("%s:%d: %s is needs_review but its section has no Review: paragraph", lawPath, sec.headingLineNo, r.ID)
		}
		if conservative(r) && !sec.why && !sec.review {
			t.Errorf("%s:%d: %s's note calls its choice conservative but its section has no Why: or Review: paragraph", lawPath, sec.headingLineNo, r.ID)
		}
	}
}

func TestLawGuideHasNoStaleSections(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range builtinRules(t) {
		ids[r.ID] = true
	}
	for id, sec := range readLaw(t) {
		if !ids[id] {
			t.Errorf("%s:%d: section %s names no built-in rule (renamed or removed?)", lawPath, sec.headingLineNo, id)
		}
	}
}

// checkSources returns why a Sources: line is not acceptable, or "".
func checkSources(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "empty Sources: line"
	case internalSource.MatchString(s):
		return "Sources: line cites something internal to the project"
	case !publicSource.MatchString(s):
		return "Sources: line names no recognisable public source"
	}
	return ""
}

func TestCheckSources(t *testing.T) {
	tests := []struct {
		line string
		ok   bool
	}{
		{"CPCE art. L34-5 al. 4; CNIL, « La prospection commerciale par courrier électronique »", true},
		{"PECR reg. 22(3A); SI 2026/82", true},
		{"BGH VI ZR 225/17 (10 Jul 2018)", true},
		{"CJEU C-673/17 Planet49", true},
		{"C. consom. L223-1", true},
		{"DPA 2018 s. 9", true},
		{"Royal Decree of 4 April 2003 art. 1 2°", true},
		{"", false},
		{"   ", false},
		{internalNotes + " A13", false},
		{"GDPR art. 7(3); " + internalNotes + " §2.3", false},
		{"Correction A6 item 2", false},
		{"see fr.yaml", false},
		{"rules/eval.go step 1", false},
		{"common sense", false},
	}
	for _, tt := range tests {
		if got := checkSources(tt.line) == ""; got != tt.ok {
			t.Errorf("checkSources(%q) accepts = %v, want %v", tt.line, got, tt.ok)
		}
	}
}

// TestNoInternalReferenceInModule walks the module and fails on any file
// that names the project's internal research notes: users never see them,
// so code, rules, docs and scenarios cite public sources or the guide.
func TestNoInternalReferenceInModule(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	needle := []byte(internalNotes)
	var hits []string
	n := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if strings.Contains(string(data), string(needle)) {
			rel, _ := filepath.Rel(root, path)
			hits = append(hits, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("walked only %d files under %s; is this the module root?", n, root)
	}
	slices.Sort(hits)
	for _, h := range hits {
		t.Errorf("%s mentions %s: cite the public source or rules/builtin/LAW.md instead", h, needle)
	}
}
