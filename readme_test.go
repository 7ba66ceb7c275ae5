package sendright_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/eligibility"

	"github.com/sendright/sendright/rules"
)

var update = flag.Bool("update", false, "rewrite the generated part of README.md")

const (
	tableStart = "<!-- rules-table:start -->\n"
	tableEnd   = "<!-- rules-table:end -->"
)

// rulesTable renders the built-in rules as the README's Markdown table.
func rulesTable(t *testing.T) string {
	t.Helper()
	p, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	sets := p.Sets()
	order := func(j string) string { // the baseline first
		if j == "EU" {
			return ""
		}
		return j
	}
	slices.SortFunc(sets, func(a, b *rules.Set) int { return strings.Compare(order(a.Jurisdiction), order(b.Jurisdiction)) })
	var b strings.Builder
	b.WriteString("| Set | Rule | Channels | Effect | Basis | Reason | Citation | In force | Review |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	for _, s := range sets {
		set := s.Jurisdiction
		if s.Extends != "" {
			set += " (+" + s.Extends + ")"
		}
		for _, r := range s.Rules {
			basis := ""
			if r.Basis != 0 {
				basis = r.Basis.String()
			}
			inForce := ""
			switch {
			case r.ValidFrom.IsZero() && !r.ValidUntil.IsZero():
				inForce = "until " + date(r.ValidUntil)
			case !r.ValidFrom.IsZero():
				inForce = "from " + date(r.ValidFrom)
				if !r.ValidUntil.IsZero() {
					inForce += " until " + date(r.ValidUntil)
				}
			}
			var notes []string
			if r.NeedsReview {
				notes = append(notes, "yes")
			}
			if r.SelfRegulatory {
				notes = append(notes, "self-regulation")
			}
			review := strings.Join(notes, ", ")
			var chs []string
			for _, ch := range r.Channels {
				chs = append(chs, ch.String())
			}
			b.WriteString("| " + strings.Join([]string{set, "`" + r.ID + "`", strings.Join(chs, ", "), r.Effect.String(), basis,
				"`" + r.Reason + "`", cell(r.Citation), inForce, review}, " | ") + " |\n")
		}
	}
	return b.String()
}

func TestReadmeRules(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(readme, []byte(tableStart))
	j := bytes.Index(readme, []byte(tableEnd))
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q markers", strings.TrimSpace(tableStart), tableEnd)
	}
	got := string(readme[i+len(tableStart) : j])
	want := rulesTable(t)
	if got == want {
		return
	}
	if *update {
		out := slices.Concat(readme[:i+len(tableStart)], []byte(want), readme[j:])
		if err := os.WriteFile("README.md", out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table does not match the built-in rules; run go test . -run TestReadmeRules -update\nwant:\n%s", want)
}

// TestReadmeExample checks that the README's Go snippet is the body of the
// eligibility package example, which go test runs and checks.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Use\n\n```go\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no Go snippet under ## Use")
	}
	example, err := os.ReadFile(filepath.Join("eligibility", "example_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)func Example\(\) \{\n(.*?)\t// Output:`).FindSubmatch(example)
	if body == nil {
		t.Fatal("eligibility/example_test.go has no Example function")
	}
	norm := func(b []byte) []string {
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if i := strings.Index(l, "//"); i >= 0 {
				l = strings.TrimSpace(l[:i])
			}
			if l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	if got, want := norm(m[1]), norm(body[1]); !slices.Equal(got, want) {
		t.Errorf("README snippet and eligibility.Example differ:\nREADME:  %q\nExample: %q", got, want)
	}
}

// TestReadmeCommands runs the README's first set-up command and the scenario
// runner as a user would, so both stay true.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example programs")
	}
	// go test puts its own GOROOT/bin first on the test's PATH, so this is
	// the go command running the test (runtime.GOROOT is deprecated).
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command on PATH: %v", err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(gobin, args...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("run", "./examples/quickstart")
	if err != nil {
		t.Fatalf("go run ./examples/quickstart: %v\n%s", err, out)
	}
	for _, want := range []string{"allow  basis=soft_opt_in rule=FR_SOFT_OPT_IN", "reason=OBJECTION_ON_FILE", "no rules for AT"} {
		if !strings.Contains(out, want) {
			t.Errorf("quickstart output lacks %q:\n%s", want, out)
		}
	}
	out, err = run("run", "./examples/scenarios", filepath.Join("eligibility", "testdata", "scenarios"))
	if err != nil || !regexp.MustCompile(`(?m)^[1-9][0-9]* passed, 0 failed$`).MatchString(out) {
		t.Errorf("go run ./examples/scenarios: %v\n%s", err, out)
	}
	// A failing scenario, an unreadable file and an empty directory.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	failing := `scenarios:
  - id: WRONG
    description: expects an allow that the law refuses
    contact: {id: c, kind: consumer, country: FR, time_zone: Europe/Paris, email: a@example.com, records: []}
    request: {purpose: marketing_general, channel: email, sender: {entity: E, kind: company}, at: 2026-01-01T00:00:00Z}
    expect: {verdict: allow, basis: consent, reason: CONSENT}
`
	if err := os.WriteFile(filepath.Join(bad, "wrong.yaml"), []byte(failing), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "broken.json"), []byte(`{"scenarios": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = run("run", "./examples/scenarios", bad)
	if err == nil || !strings.Contains(out, "0 passed, 2 failed") || !strings.Contains(out, "WRONG") {
		t.Errorf("runner on failing scenarios: err=%v\n%s", err, out)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err = run("run", "./examples/scenarios", empty); err == nil {
		t.Errorf("runner on an empty directory succeeded:\n%s", out)
	}
}
