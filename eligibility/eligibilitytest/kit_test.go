package eligibilitytest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	kit "github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/rules"
)

// fakeTB records what the kit reports instead of failing the test, so
// that the kit's own tests can show it catching a wrong expectation.
type fakeTB struct {
	errors, fatals []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}

// firstLines returns the first line of each report.
func firstLines(reports []string) []string {
	var out []string
	for _, r := range reports {
		out = append(out, strings.SplitN(r, "\n", 2)[0])
	}
	return out
}

var (
	paris  = mustZone("Europe/Paris")
	at     = time.Date(2026, 3, 10, 10, 0, 0, 0, paris) // a Tuesday morning
	bought = at.AddDate(0, -4, 0)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func defaultPolicy(t *testing.T) *eligibility.Policy {
	t.Helper()
	pol, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	return pol
}

// TestExpect: Expect passes a decision as expected, fields left unset
// included, and reports a wrong one in words with a diff.
func TestExpect(t *testing.T) {
	softOptIn := eligibility.Decision{Verdict: eligibility.Allow, Basis: rules.SoftOptIn, Rule: "FR_SOFT_OPT_IN", Reason: "SOFT_OPT_IN"}
	objection := eligibility.Decision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Rule: "EU_OBJECTION", Reason: "OBJECTION_ON_FILE"}
	window := time.Date(2026, 3, 10, 14, 0, 0, 0, paris)
	lifted := eligibility.Decision{Verdict: eligibility.Allow, Basis: rules.Consent, Rule: "FR_CONSENT", Reason: "CONSENT",
		Origin: eligibility.FromOverride, Overrides: []eligibility.AppliedOverride{{Rule: "FR_SMS_PROMO_WINDOW", Owner: "Legal", Justification: "reviewed"}}}
	twoRegimes := eligibility.Decision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Reason: "NO_LEGAL_BASIS", Jurisdiction: "CA",
		Regimes: eligibility.Regimes{{Jurisdiction: "FR", Reach: eligibility.ByRecipient, Verdict: eligibility.Allow},
			{Jurisdiction: "CA", Reach: eligibility.BySender, Verdict: eligibility.Deny}}}
	deferred := eligibility.Decision{Verdict: eligibility.Defer, Basis: rules.Consent, Rule: "FR_CALL_WINDOW", Reason: "OUTSIDE_CALL_WINDOW", NotBefore: window}
	tests := []struct {
		name   string
		got    eligibility.Decision
		want   kit.Want
		report []string // first line of each report; nil: passes
	}{
		{"verdict and basis as expected", softOptIn, kit.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn}, nil},
		{"every field as expected", objection,
			kit.Want{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Reason: "OBJECTION_ON_FILE", Rule: "EU_OBJECTION"}, nil},
		{"wrong expectation: allow expected, objection on file", objection, kit.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn},
			[]string{"want allow by soft_opt_in, got deny OBJECTION_ON_FILE (rule EU_OBJECTION)"}},
		{"right verdict, wrong reason", objection, kit.Want{Verdict: eligibility.Deny, Reason: "NO_CONSENT"},
			[]string{"want deny NO_CONSENT, got deny OBJECTION_ON_FILE (rule EU_OBJECTION)"}},
		{"right verdict, wrong rule", softOptIn, kit.Want{Verdict: eligibility.Allow, Rule: "UK_SOFT_OPT_IN"},
			[]string{"want allow (rule UK_SOFT_OPT_IN), got allow by soft_opt_in SOFT_OPT_IN (rule FR_SOFT_OPT_IN)"}},
		{"defer at the instant", deferred, kit.Want{Verdict: eligibility.Defer, NotBefore: window}, nil},
		{"defer at another instant", deferred, kit.Want{Verdict: eligibility.Defer, NotBefore: window.Add(time.Hour)},
			[]string{"want defer not before 2026-03-10T14:00:00Z, got defer by consent OUTSIDE_CALL_WINDOW (rule FR_CALL_WINDOW) not before 2026-03-10T13:00:00Z"}},
		{"origin and overrides as expected", lifted, kit.Want{Verdict: eligibility.Allow, Origin: "override",
			Overrides: []string{"FR_SMS_PROMO_WINDOW"}}, nil},
		{"house expected, law decided", objection, kit.Want{Verdict: eligibility.Deny, Origin: "house"},
			[]string{"want deny from house, got deny OBJECTION_ON_FILE (rule EU_OBJECTION)"}},
		{"no override expected, one took effect", lifted, kit.Want{Verdict: eligibility.Allow, Overrides: []string{}},
			[]string{"want allow, got allow by consent CONSENT (rule FR_CONSENT) from override overriding FR_SMS_PROMO_WINDOW"}},
		{"misspelt origin fails", objection, kit.Want{Verdict: eligibility.Deny, Origin: "statute"},
			[]string{`Want.Origin "statute": want law, house or override`}},
		{"undetermined is never an allow", eligibility.Decision{}, kit.Want{Verdict: eligibility.Allow},
			[]string{"want allow, got undetermined"}},
		{"regimes as expected", twoRegimes, kit.Want{Verdict: eligibility.Deny, Jurisdiction: "CA",
			Regimes: []string{"FR recipient allow", "CA sender deny"}}, nil},
		{"regimes: one missing", twoRegimes, kit.Want{Verdict: eligibility.Deny, Regimes: []string{"FR recipient allow"}},
			[]string{"want deny [FR recipient allow], got deny NO_LEGAL_BASIS [FR recipient allow, CA sender deny]"}},
		{"regimes: none expected", twoRegimes, kit.Want{Verdict: eligibility.Deny, Regimes: []string{}},
			[]string{"want deny, got deny NO_LEGAL_BASIS [FR recipient allow, CA sender deny]"}},
		{"another deciding regime", twoRegimes, kit.Want{Verdict: eligibility.Deny, Jurisdiction: "FR"},
			[]string{"want deny by the law of FR, got deny NO_LEGAL_BASIS by the law of CA"}},
		{"misspelt regime fails", twoRegimes, kit.Want{Verdict: eligibility.Deny, Regimes: []string{"FR recipient allowed", "CA sender deny"}},
			[]string{`Want.Regimes "FR recipient allowed": want "JURISDICTION REACH VERDICT", e.g. "FR recipient allow"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tb fakeTB
			ok := kit.Expect(&tb, tt.got, tt.want)
			if diff := cmp.Diff(tt.report, firstLines(tb.errors)); diff != "" {
				t.Errorf("Expect(%v, %v) reports (-want +got):\n%s", tt.got, tt.want, diff)
			}
			if ok != (tt.report == nil) {
				t.Errorf("Expect(%v, %v) = %v, want %v", tt.got, tt.want, ok, tt.report == nil)
			}
		})
	}
}

// TestExpectDiff: a report carries a go-cmp diff naming the fields that
// differ in the words of the domain.
func TestExpectDiff(t *testing.T) {
	var tb fakeTB
	got := eligibility.Decision{Verdict: eligibility.Deny, Basis: rules.NoLegalBasis, Rule: "EU_OBJECTION", Reason: "OBJECTION_ON_FILE"}
	kit.Expect(&tb, got, kit.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn})
	if len(tb.errors) != 1 {
		t.Fatalf("Expect reported %d times, want once: %q", len(tb.errors), tb.errors)
	}
	if !strings.Contains(tb.errors[0], "(-want +got)") {
		t.Errorf("report lacks a diff:\n%s", tb.errors[0])
	}
	// go-cmp varies the spaces of its diffs on purpose: compare words.
	var lines []string
	for _, l := range strings.Split(tb.errors[0], "\n")[2:] {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	want := []string{"eligibilitytest.outcome{", `- Verdict: "allow",`, `+ Verdict: "deny",`, `- Basis: "soft_opt_in",`,
		`+ Basis: "no_legal_basis",`, `Reason: "OBJECTION_ON_FILE",`, `Rule: "EU_OBJECTION",`, "... // 5 identical fields", "}"}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("diff lines (-want +got):\n%s", diff)
	}
}

// TestKitCatchesWrongExpectation: a real decision of the default policy
// against a wrong expectation (the soft opt-in after an objection).
func TestKitCatchesWrongExpectation(t *testing.T) {
	pol := defaultPolicy(t)
	c := kit.Contact(t, kit.Purchases(kit.Purchase(bought, "kettles")),
		kit.Records(kit.Objection(consent.Email, bought.AddDate(0, 1, 0))))
	m := kit.Message(t, consent.Email, at, kit.Purpose(consent.MarketingSimilar), kit.Category("kettles"))
	d, err := pol.Decide(eligibility.Request{Contact: c, Message: m})
	if err != nil {
		t.Fatal(err)
	}
	var tb fakeTB
	kit.Expect(&tb, d, kit.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn})
	want := []string{"want allow by soft_opt_in, got deny OBJECTION_ON_FILE (rule EU_OBJECTION)"}
	if diff := cmp.Diff(want, firstLines(tb.errors)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// TestContactDefaults: the default contact and what the builder fills in.
func TestContactDefaults(t *testing.T) {
	c := kit.Contact(t, kit.Records(kit.Grant(consent.SMS, bought)), kit.Purchases(kit.Purchase(bought, "kettles")),
		kit.Sends(kit.Send(consent.Email, at.Add(-time.Hour))))
	type view struct {
		ID, Kind, Country, Zone, Email, Phone string
		Records                               []string
		Purchases                             []string
		Sent                                  []consent.Send
	}
	got := view{ID: c.ID, Kind: c.Kind.String(), Country: c.Country.String(), Zone: c.Location.String(),
		Email: c.Email.String(), Phone: c.Phone.String(), Sent: c.Sent}
	for r := range c.Records.All() {
		got.Records = append(got.Records, strings.Join([]string{r.ID, r.Subject.String(), r.Channel.String(), r.Status.String(), r.Sender}, " "))
	}
	for _, p := range c.Relationship.Purchases {
		got.Purchases = append(got.Purchases, fmt.Sprint(p.ID, " ", p.Seller, " ", p.Category, " ", p.Collected))
	}
	want := view{ID: "c-test-1", Kind: "consumer", Country: "FR", Zone: "Europe/Paris",
		Email: "camille.martin@example.com", Phone: "+33639980001",
		Records:   []string{"r-1 +33639980001 sms granted Maison Exemple SAS"},
		Purchases: []string{"p-1 Maison Exemple SAS kettles [camille.martin@example.com +33639980001]"},
		Sent: []consent.Send{{At: at.Add(-time.Hour), Channel: consent.Email, Purpose: consent.MarketingGeneral,
			Sender: "Maison Exemple SAS"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Contact() (-want +got):\n%s", diff)
	}
}

// TestBuildersRefuseWhatTheDecoderRefuses: a builder given a value the JSON
// decoder would refuse fails the test (Fatalf) and hands out nothing.
func TestBuildersRefuseWhatTheDecoderRefuses(t *testing.T) {
	contacts := []struct {
		name string
		opts []kit.ContactOption
	}{
		{"malformed e-mail address", []kit.ContactOption{kit.Email("camille.martin@")}},
		{"number too short", []kit.ContactOption{kit.Phone("06 39 98")}},
		{"no default number outside France and the United Kingdom", []kit.ContactOption{kit.In("BE", "Europe/Brussels"),
			kit.Records(kit.Grant(consent.SMS, bought))}},
		{"unknown time zone", []kit.ContactOption{kit.In("FR", "Europe/Atlantis")}},
		{"empty time zone (UTC)", []kit.ContactOption{kit.In("FR", "")}},
		{"unknown country", []kit.ContactOption{kit.In("XX", "Europe/Paris")}},
		{"record without a status", []kit.ContactOption{kit.Records(consent.Record{Purpose: consent.MarketingGeneral, Channel: consent.Email, At: bought})}},
		{"purchase without an instant", []kit.ContactOption{kit.Purchases(kit.Purchase(time.Time{}, "kettles"))}},
		{"recipient kind unset", []kit.ContactOption{kit.Kind(0)}},
		{"send without an instant", []kit.ContactOption{kit.Sends(kit.Send(consent.Email, time.Time{}))}},
		{"send for all channels", []kit.ContactOption{kit.Sends(kit.Send(consent.AllChannels, at))}},
		{"missing id", []kit.ContactOption{kit.EditContact(func(c *consent.Contact) { c.ID = "" })}},
	}
	for _, tt := range contacts {
		t.Run("contact/"+tt.name, func(t *testing.T) {
			var tb fakeTB
			if c := kit.Contact(&tb, tt.opts...); c != nil || len(tb.fatals) != 1 {
				t.Errorf("Contact() = %v with fatals %q, want nil and one", c, tb.fatals)
			}
		})
	}
	messages := []struct {
		name string
		opts []kit.MessageOption
		at   time.Time
	}{
		{"record scope as a purpose", []kit.MessageOption{kit.Purpose(consent.AllMarketing)}, at},
		{"no instant", nil, time.Time{}},
		{"sender without an entity", []kit.MessageOption{kit.From("", consent.Company)}, at},
	}
	for _, tt := range messages {
		t.Run("message/"+tt.name, func(t *testing.T) {
			var tb fakeTB
			if m := kit.Message(&tb, consent.Email, tt.at, tt.opts...); m != (consent.Message{}) || len(tb.fatals) != 1 {
				t.Errorf("Message() = %+v with fatals %q, want the zero Message and one", m, tb.fatals)
			}
		})
	}
}

// TestBuildersDecide: builder values decided by the default policy, one
// row per kind of value the kit builds.
func TestBuildersDecide(t *testing.T) {
	pol := defaultPolicy(t)
	later := bought.AddDate(0, 1, 0)
	tests := []struct {
		name    string
		contact []kit.ContactOption
		channel consent.Channel
		message []kit.MessageOption
		want    kit.Want
	}{
		{"soft opt-in after a purchase", []kit.ContactOption{kit.Purchases(kit.Purchase(bought, "kettles"))}, consent.Email,
			[]kit.MessageOption{kit.Purpose(consent.MarketingSimilar), kit.Category("kettles")},
			kit.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn, Reason: "SOFT_OPT_IN", Rule: "FR_SOFT_OPT_IN"}},
		{"consent", []kit.ContactOption{kit.Records(kit.Grant(consent.Email, bought))}, consent.Email, nil,
			kit.Want{Verdict: eligibility.Allow, Basis: rules.Consent, Rule: "EU_CONSENT"}},
		{"consent withdrawn", []kit.ContactOption{kit.Records(kit.Grant(consent.Email, bought), kit.Withdrawal(consent.Email, later))}, consent.Email, nil,
			kit.Want{Verdict: eligibility.Deny, Reason: "CONSENT_WITHDRAWN", Rule: "EU_WITHDRAWN"}},
		{"inquiry, another seller", []kit.ContactOption{kit.Inquiries(kit.Inquiry(bought, "kettles"))}, consent.Email,
			[]kit.MessageOption{kit.Purpose(consent.MarketingSimilar), kit.Category("kettles"), kit.From("Autre Exemple SARL", consent.Company)},
			kit.Want{Verdict: eligibility.Deny, Reason: "NO_CONSENT"}},
		{"no consent by SMS", nil, consent.SMS, nil, kit.Want{Verdict: eligibility.Deny, Reason: "NO_CONSENT", Rule: "EU_NO_CONSENT"}},
		{"United Kingdom", []kit.ContactOption{kit.In("GB", "Europe/London"), kit.Purchases(kit.Purchase(bought, "kettles"))}, consent.Email,
			[]kit.MessageOption{kit.Purpose(consent.MarketingSimilar), kit.Category("kettles")},
			kit.Want{Verdict: eligibility.Allow, Basis: rules.SoftOptIn, Rule: "UK_SOFT_OPT_IN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := kit.Contact(t, tt.contact...)
			m := kit.Message(t, tt.channel, at, tt.message...)
			d, err := pol.Decide(eligibility.Request{Contact: c, Message: m})
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			kit.Expect(t, d, tt.want)
		})
	}
}

// writeFiles writes name → text under a new temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
