package eligibility

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/sendright/sendright/rules"
)

// engineReasonCodes returns the reason codes the engine's own source
// gives: constants named Reason… and literal Reason: fields, so that a new
// engine code without a message fails TestReasonMessagesCoverEveryCode.
func engineReasonCodes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bReason[A-Za-z]*\s*(?:=|:)\s*"([A-Z][A-Z0-9_]*)"`)
	var codes []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			codes = append(codes, m[1])
		}
	}
	slices.Sort(codes)
	return slices.Compact(codes)
}

// builtinReasonCodes returns the reason code of every built-in rule.
func builtinReasonCodes(t *testing.T) map[string]string {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, s := range sets {
		for _, r := range s.Rules {
			codes[r.Reason] = r.ID
		}
	}
	return codes
}

func TestReasonMessagesCoverEveryCode(t *testing.T) {
	engine := engineReasonCodes(t)
	for _, must := range []string{ReasonNoRules, ReasonNoLegalBasis, ReasonDeferSteps, ReasonInvalidRequest, ReasonCancelled} {
		if !slices.Contains(engine, must) {
			t.Fatalf("the scan of the engine's source missed %s (found %v)", must, engine)
		}
	}
	used := builtinReasonCodes(t)
	for _, code := range engine {
		used[code] = "the engine"
	}
	if len(used) < 60 {
		t.Fatalf("only %d reason codes found", len(used))
	}
	c := reasonCatalog()
	for code, by := range used {
		t.Run(code, func(t *testing.T) {
			texts := c.texts[code]
			if texts == nil {
				t.Fatalf("reason %s (given by %s) has no message: add a row to reasonTexts in reasons_text.go", code, by)
			}
			for i, text := range texts {
				if strings.TrimSpace(text) == "" {
					t.Errorf("reason %s has no %v message", code, reasonLangs[i])
				}
			}
			for i := 1; i < len(reasonLangs); i++ {
				if texts[i] == texts[0] {
					t.Errorf("reason %s: the %v message is the English one: %q", code, reasonLangs[i], texts[0])
				}
			}
		})
	}
}

// TestReasonTable checks the table itself: codes unique and well formed,
// texts resolved from the catalog unchanged (no formatting verb), and no
// text carrying something that looks like personal data.
func TestReasonTable(t *testing.T) {
	code := regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	personal := regexp.MustCompile(`@|\+\d|\d{4,}|https?:`)
	seen := map[string]bool{}
	c := reasonCatalog()
	for _, r := range reasonTexts {
		if !code.MatchString(r.code) || seen[r.code] {
			t.Errorf("reason code %q malformed or repeated", r.code)
		}
		seen[r.code] = true
		for i, want := range [...]string{r.en, r.fr, r.de} {
			if got := c.texts[r.code][i]; got != want {
				t.Errorf("%s %v: the catalog gives %q, the table %q", r.code, reasonLangs[i], got, want)
			}
			if personal.MatchString(want) || strings.Contains(want, "%") {
				t.Errorf("%s %v: %q looks like it carries data", r.code, reasonLangs[i], want)
			}
		}
	}
	if len(c.texts) != len(reasonTexts) {
		t.Errorf("catalog holds %d codes, table %d", len(c.texts), len(reasonTexts))
	}
}

func TestReasonText(t *testing.T) {
	tests := []struct {
		code string
		lang language.Tag
		want string
	}{
		{"CONSENT_WITHDRAWN", language.English, "The person withdrew their consent."},
		{"CONSENT_WITHDRAWN", language.French, "La personne a retiré son consentement."},
		{"CONSENT_WITHDRAWN", language.German, "Die Person hat ihre Einwilligung widerrufen."},
		{"CONSENT_WITHDRAWN", language.MustParse("fr-BE"), "La personne a retiré son consentement."},
		{"CONSENT_WITHDRAWN", language.MustParse("de-AT"), "Die Person hat ihre Einwilligung widerrufen."},
		{"CONSENT_WITHDRAWN", language.MustParse("gsw"), "Die Person hat ihre Einwilligung widerrufen."},
		{"CONSENT_WITHDRAWN", language.Japanese, "The person withdrew their consent."},
		{"CONSENT_WITHDRAWN", language.Und, "The person withdrew their consent."},
		{"HOUSE_NO_SUNDAY_EMAIL", language.French, "HOUSE_NO_SUNDAY_EMAIL"},
		{"", language.German, ""},
	}
	for _, tt := range tests {
		if got := ReasonText(tt.code, tt.lang); got != tt.want {
			t.Errorf("ReasonText(%q, %v) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
	d := Decision{Reason: ReasonNoLegalBasis}
	if got, want := d.ReasonText(language.German), "Keine Regel liefert eine Rechtsgrundlage für diese Nachricht."; got != want {
		t.Errorf("Decision.ReasonText = %q, want %q", got, want)
	}
}

func TestMatchLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   language.Tag
	}{
		{"de-CH, fr;q=0.8", language.German},
		{"fr-CA,fr;q=0.9,en;q=0.8", language.French},
		{"it-IT, de;q=0.5", language.German},
		{"en-GB", language.English},
		{"ja, zh;q=0.5", language.English},
		{"", language.English},
		{"@@@;q=x", language.English},
		{"*", language.English},
	}
	for _, tt := range tests {
		if got := MatchLanguage(tt.header); got != tt.want {
			t.Errorf("MatchLanguage(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}

func TestReasons(t *testing.T) {
	got := Reasons()
	if !slices.IsSortedFunc(got, func(a, b ReasonInfo) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Reasons is not sorted by code")
	}
	i, ok := slices.BinarySearchFunc(got, "SOFT_OPT_IN", func(r ReasonInfo, code string) int { return strings.Compare(r.Code, code) })
	if !ok {
		t.Fatal("Reasons lacks SOFT_OPT_IN")
	}
	want := ReasonInfo{Code: "SOFT_OPT_IN", Meaning: ReasonText("SOFT_OPT_IN", language.English)}
	if diff := cmp.Diff(want, got[i]); diff != "" {
		t.Errorf("Reasons SOFT_OPT_IN (-want +got):\n%s", diff)
	}
	got[0].Code = "CHANGED"
	if Reasons()[0].Code == "CHANGED" {
		t.Error("Reasons shares its slice")
	}
}

func TestReasonTextDoesNotAllocate(t *testing.T) {
	fr := language.MustParse("fr-BE")
	ReasonText("SOFT_OPT_IN", fr)
	if n := testing.AllocsPerRun(100, func() {
		ReasonText("SOFT_OPT_IN", fr)
		ReasonText("OBJECTION_ON_FILE", language.German)
	}); n != 0 {
		t.Errorf("ReasonText allocates %v times per run", n)
	}
}

func BenchmarkReasonText(b *testing.B) {
	de := language.MustParse("de-CH")
	b.ReportAllocs()
	for b.Loop() {
		ReasonText("SOFT_OPT_IN", de)
	}
}

// FuzzMatchLanguage: any Accept-Language value gives a shipped language,
// and a message in it, without panicking.
func FuzzMatchLanguage(f *testing.F) {
	for _, s := range []string{"de-CH, fr;q=0.8", "fr-CA,fr;q=0.9,en;q=0.8", "", "*", "x-klingon;q=1.5", "de;q=0.0,fr", "zh-Hant-TW;q=0.3, gsw"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tag := MatchLanguage(header)
		if !slices.Contains(reasonLangs[:], tag) {
			t.Fatalf("MatchLanguage(%q) = %v, not a shipped language", header, tag)
		}
		if ReasonText(ReasonNoLegalBasis, tag) == "" {
			t.Fatalf("no message in %v", tag)
		}
	})
}
