package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/language"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	kit "github.com/sendright/sendright/eligibility/eligibilitytest"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// houseFilesPolicy compiles the built-in sets with the house files under
// testdata/house.
func houseFilesPolicy(t testing.TB, files ...string) *eligibility.Policy {
	t.Helper()
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		s, err := rules.ParseFile("testdata/house/" + f)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, s)
	}
	return mustCompile(t, sets, eligibility.Params{})
}

// consented is a consumer in country with an e-mail and SMS consent to
// general marketing from the test sender, in zone.
func consented(t testing.TB, country, zone string, kind consent.RecipientKind) *consent.Contact {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	return newContact(t, "hc1", country, kind, withRecords(t,
		grant("g-email", "hc1", consent.MarketingGeneral, consent.Email, before),
		grant("g-sms", "hc1", consent.MarketingGeneral, consent.SMS, before)),
		func(c *consent.Contact) { c.Location = loc })
}

// houseOutcome is what the house tests compare of a decision.
type houseOutcome struct {
	Verdict   eligibility.Verdict
	Rule      string
	Origin    eligibility.Origin
	Reason    string
	NotBefore time.Time
}

func outcomeOf(d eligibility.Decision) houseOutcome {
	return houseOutcome{d.Verdict, d.Rule, d.Origin, d.Reason, d.NotBefore}
}

// TestHouseRulesApply: a house file applies to every jurisdiction (all)
// or to a list, on the channels of its scope only, after the law, with
// origin house.
func TestHouseRulesApply(t *testing.T) {
	p := houseFilesPolicy(t, "acme.yaml", "benelux.yaml")
	paris, _ := time.LoadLocation("Europe/Paris")
	london, _ := time.LoadLocation("Europe/London")
	sunday := time.Date(2026, 3, 8, 11, 0, 0, 0, paris) // a Sunday
	monday := time.Date(2026, 3, 9, 7, 0, 0, 0, paris)  // after Sunday, the house's quiet hours end at 07:00
	tuesday := time.Date(2026, 3, 10, 11, 0, 0, 0, paris)
	tests := []struct {
		name    string
		country string
		zone    string
		kind    consent.RecipientKind
		msg     *consent.Message
		want    houseOutcome
	}{
		{"all: FR e-mail on a Sunday waits for Monday", "FR", "Europe/Paris", consent.Consumer,
			message(consent.MarketingGeneral, consent.Email, "", sunday),
			houseOutcome{eligibility.Defer, "ACME_NO_SUNDAY_EMAIL", eligibility.FromHouse, "ACME_SUNDAY", monday}},
		{"all: GB e-mail on the recipient's Sunday", "GB", "Europe/London", consent.Consumer,
			message(consent.MarketingGeneral, consent.Email, "", time.Date(2026, 3, 8, 11, 0, 0, 0, london)),
			houseOutcome{eligibility.Defer, "ACME_NO_SUNDAY_EMAIL", eligibility.FromHouse, "ACME_SUNDAY", time.Date(2026, 3, 9, 7, 0, 0, 0, london)}},
		{"all: a weekday e-mail is the law's", "FR", "Europe/Paris", consent.Consumer,
			message(consent.MarketingGeneral, consent.Email, "", tuesday),
			houseOutcome{Verdict: eligibility.Allow, Rule: "EU_CONSENT", Origin: eligibility.FromLaw, Reason: "CONSENT"}},
		{"house window: 23:00 waits for 07:00", "BE", "Europe/Brussels", consent.Consumer,
			message(consent.MarketingGeneral, consent.Email, "", time.Date(2026, 3, 10, 22, 0, 0, 0, time.UTC)),
			houseOutcome{eligibility.Defer, "ACME_QUIET_HOURS", eligibility.FromHouse, "ACME_QUIET_HOURS", time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC)}},
		{"channels: the e-mail house leaves SMS alone on Sunday", "GB", "Europe/London", consent.Consumer,
			message(consent.MarketingGeneral, consent.SMS, "", time.Date(2026, 3, 8, 11, 0, 0, 0, london)),
			houseOutcome{Verdict: eligibility.Allow, Rule: "UK_CONSENT", Origin: eligibility.FromLaw, Reason: "CONSENT"}},
		{"list: BE business SMS denied by the house", "BE", "Europe/Brussels", consent.BusinessNamed,
			message(consent.MarketingGeneral, consent.SMS, "", tuesday),
			houseOutcome{Verdict: eligibility.Deny, Rule: "BRAND_NO_B2B_SMS", Origin: eligibility.FromHouse, Reason: "BRAND_NO_B2B_SMS"}},
		{"list: GB is outside it", "GB", "Europe/London", consent.BusinessNamed,
			message(consent.MarketingGeneral, consent.SMS, "", tuesday),
			houseOutcome{Verdict: eligibility.Allow, Rule: "UK_CONSENT", Origin: eligibility.FromLaw, Reason: "CONSENT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := consented(t, tt.country, tt.zone, tt.kind)
			d, err := decide(p, c, tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, outcomeOf(d)); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHouseTierOrder: when a built-in stop and a house rule both hold,
// the law's reason is reported; the house rule decides only what the law
// lets through.
func TestHouseTierOrder(t *testing.T) {
	p := houseFilesPolicy(t, "acme.yaml", "benelux.yaml")
	paris, _ := time.LoadLocation("Europe/Paris")
	sunday := time.Date(2026, 3, 8, 11, 0, 0, 0, paris)
	before := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	objection := grant("o-email", "hc2", consent.MarketingGeneral, consent.Email, before.AddDate(0, 1, 0))
	objection.Status, objection.Method = consent.Objection, 0
	c := newContact(t, "hc2", "FR", consent.Consumer, withRecords(t,
		grant("g-email", "hc2", consent.MarketingGeneral, consent.Email, before), objection),
		func(c *consent.Contact) { c.Location = paris })
	d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "", sunday))
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != eligibility.Deny || d.Origin != eligibility.FromLaw || d.Reason == "ACME_SUNDAY" {
		t.Errorf("objection on a Sunday: got %v %s %s (origin %v), want the law's deny first", d.Verdict, d.Rule, d.Reason, d.Origin)
	}
	// Without consent the law has no deny rule for a BE business SMS, only
	// its fallback (no legal basis, after every tier): the house's deny,
	// in the deny tier, decides.
	b := newContact(t, "hc3", "BE", consent.BusinessNamed)
	d, err = decide(p, b, message(consent.MarketingGeneral, consent.SMS, "", sunday))
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != eligibility.Deny || d.Origin != eligibility.FromHouse || d.Rule != "BRAND_NO_B2B_SMS" {
		t.Errorf("BE business SMS without consent: got %v %s (origin %v), want the house's deny", d.Verdict, d.Rule, d.Origin)
	}
}

// TestHouseRulesListedAndTraced: Policy.Rules lists the house rules
// applied in a jurisdiction (after the law's, tier by tier), and Explain's
// trace gives each step's origin.
func TestHouseRulesListedAndTraced(t *testing.T) {
	p := houseFilesPolicy(t, "acme.yaml", "benelux.yaml")
	has := func(country, id string) bool {
		for _, r := range p.Rules(country) {
			if r.ID == id {
				return true
			}
		}
		return false
	}
	got := map[string]bool{}
	for _, cc := range []string{"FR", "GB"} {
		for _, id := range []string{"ACME_NO_SUNDAY_EMAIL", "BRAND_NO_B2B_SMS"} {
			got[cc+" "+id] = has(cc, id)
		}
	}
	want := map[string]bool{"FR ACME_NO_SUNDAY_EMAIL": true, "FR BRAND_NO_B2B_SMS": true,
		"GB ACME_NO_SUNDAY_EMAIL": true, "GB BRAND_NO_B2B_SMS": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("house rules listed (-want +got):\n%s", diff)
	}
	// The Sunday rule governs the house's channels only: its [all] reads
	// as applies_to.channels.
	for _, r := range p.Rules("FR") {
		if r.ID == "ACME_NO_SUNDAY_EMAIL" && !cmp.Equal(r.Channels, []consent.Channel{consent.Email}) {
			t.Errorf("ACME_NO_SUNDAY_EMAIL channels = %v, want [email]", r.Channels)
		}
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	c := consented(t, "FR", "Europe/Paris", consent.Consumer)
	d, steps, err := trace(p, c, message(consent.MarketingGeneral, consent.Email, "", time.Date(2026, 3, 8, 11, 0, 0, 0, paris)))
	if err != nil {
		t.Fatal(err)
	}
	origins := map[string]eligibility.Origin{}
	for _, s := range steps {
		if s.Rule == "ACME_NO_SUNDAY_EMAIL" || s.Rule == "EU_CONSENT" {
			origins[s.Rule] = s.Origin
		}
	}
	if diff := cmp.Diff(map[string]eligibility.Origin{"ACME_NO_SUNDAY_EMAIL": eligibility.FromHouse, "EU_CONSENT": eligibility.FromLaw}, origins); diff != "" {
		t.Errorf("trace origins (-want +got):\n%s", diff)
	}
	if d.Origin != eligibility.FromHouse {
		t.Errorf("Explain's decision origin = %v, want house", d.Origin)
	}
}

// TestHouseReasonText: Policy.ReasonText gives a house code's text in the
// closest of its languages, and the built-in catalog's for other codes.
func TestHouseReasonText(t *testing.T) {
	p := houseFilesPolicy(t, "acme.yaml")
	tests := []struct {
		code string
		lang language.Tag
		want string
	}{
		{"ACME_SUNDAY", language.French, "Acme Mail n'envoie pas de courriel de prospection le dimanche du destinataire."},
		{"ACME_SUNDAY", language.MustParse("de-CH"), "Acme Mail versendet sonntags (beim Empfänger) keine Werbe-E-Mails."},
		{"ACME_SUNDAY", language.Japanese, "Acme Mail sends no marketing e-mail on the recipient's Sunday."},
		{"NO_CONSENT", language.French, eligibility.ReasonText("NO_CONSENT", language.French)},
		{"UNKNOWN_CODE", language.French, "UNKNOWN_CODE"},
	}
	for _, tt := range tests {
		if got := p.ReasonText(tt.code, tt.lang); got != tt.want {
			t.Errorf("ReasonText(%s, %v) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
	kit.CheckReasons(t, p) // the test house files are translated
	if got := eligibility.ReasonText("ACME_SUNDAY", language.French); got != "ACME_SUNDAY" {
		t.Errorf("package ReasonText of a house code = %q, want the code (house texts are the policy's)", got)
	}
}

// TestHouseVersion: a house file changes the policy version, and the
// order house files are given in does not.
func TestHouseVersion(t *testing.T) {
	base := houseFilesPolicy(t).Version()
	one := houseFilesPolicy(t, "acme.yaml").Version()
	two := houseFilesPolicy(t, "acme.yaml", "benelux.yaml").Version()
	swapped := houseFilesPolicy(t, "benelux.yaml", "acme.yaml").Version()
	if base == one || one == two {
		t.Errorf("versions without, with one and with two house files: %s %s %s; want three", base, one, two)
	}
	if two != swapped {
		t.Errorf("version depends on the order of the house files: %s vs %s", two, swapped)
	}
}

// houseFile is a house file with the given applies_to, rules and extra
// top-level keys.
func houseFile(appliesTo, rulesYAML, extra string) string {
	src := "house: test_house\ntitle: Test\n"
	if appliesTo != "" {
		src += "applies_to: " + appliesTo + "\n"
	}
	src += extra
	return src + "rules:\n" + rulesYAML + "reasons:\n  TEST_REASON: {en: Test reason., fr: Raison de test., de: Testgrund.}\n"
}

// houseRule is one deny rule of a house file.
const houseRule = "  - {id: TEST_RULE, channels: [email], effect: deny, reason: TEST_REASON, citation: House charter 1, condition: \"request.purpose != 'transactional'\"}\n"

// TestHouseFileErrors: every problem of a house file is reported with its
// file, rule and position.
func TestHouseFileErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"missing applies_to", houseFile("", houseRule, ""), []string{
			"rules: house.yaml:1:1: missing applies_to: a house file says where its rules apply (applies_to: {jurisdictions: [all]}, or a list of the policy's countries)"}},
		{"missing jurisdictions", houseFile("{channels: [email]}", houseRule, ""), []string{
			"rules: house.yaml:3:1: applies_to.jurisdictions: missing (all, or a list of the policy's countries)"}},
		{"unknown jurisdiction, near", houseFile("{jurisdictions: [Fr]}", houseRule, ""), []string{
			`rules: house.yaml:3:30: applies_to.jurisdictions: "Fr": the policy has no rule set for it: did you mean "FR"?`}},
		{"unknown jurisdiction, far", houseFile("{jurisdictions: [JP]}", houseRule, ""), []string{
			`rules: house.yaml:3:30: applies_to.jurisdictions: "JP": the policy has no rule set for it (it has AU, BE, CA, DE, ES, FR, GB, IE, IT, NL, US, US-FL, US-MD, US-OK, US-WA)`}},
		{"unknown jurisdiction, a typo", houseFile("{jurisdictions: [GX]}", houseRule, ""), []string{
			`rules: house.yaml:3:30: applies_to.jurisdictions: "GX": the policy has no rule set for it: did you mean "GB"?`}},
		{"EU and all with others", houseFile("{jurisdictions: [all, EU]}", houseRule, ""), []string{
			"rules: house.yaml:3:30: applies_to.jurisdictions: all stands alone",
			"rules: house.yaml:3:35: applies_to.jurisdictions: EU is the base of the country sets, not a jurisdiction: name the countries, or all"}},
		{"allow in a house file", houseFile("{jurisdictions: [all]}",
			"  - {id: TEST_ALLOW, channels: [email], effect: allow, basis: consent, reason: TEST_REASON, citation: House 1, condition: 'true'}\n", ""), []string{
			"rules: house.yaml:5:5: rule TEST_ALLOW: a house rule may only deny or defer, not allow: to relax a built-in rule, declare an override"}},
		{"exempt and no_basis", houseFile("{jurisdictions: [all]}",
			"  - {id: TEST_EXEMPT, channels: [email], effect: exempt, basis: transactional, reason: TEST_REASON, citation: House 1, condition: 'true'}\n"+
				"  - {id: TEST_NO_BASIS, channels: [email], effect: no_basis, reason: TEST_REASON, citation: House 1, condition: 'true'}\n", ""), []string{
			"rules: house.yaml:5:5: rule TEST_EXEMPT: a house rule may only deny or defer, not exempt: to relax a built-in rule, declare an override",
			"rules: house.yaml:6:5: rule TEST_NO_BASIS: a house rule may only deny or defer, not no_basis: to relax a built-in rule, declare an override"}},
		{"bad scope channel", houseFile("{jurisdictions: [all], channels: [email, fax]}", houseRule, ""), []string{
			`rules: house.yaml:3:54: consent: unknown channel "fax"`}},
		{"rule channel outside the scope", houseFile("{jurisdictions: [all], channels: [sms]}", houseRule, ""), []string{
			"rules: house.yaml:5:5: rule TEST_RULE: channels: email is outside the house file's applies_to.channels (sms)"}},
		{"duplicate id", houseFile("{jurisdictions: [all]}", houseRule+houseRule, ""), []string{
			"rules: house.yaml:6:5: rule TEST_RULE: id TEST_RULE also used in house.yaml"}},
		{"id of a built-in rule", houseFile("{jurisdictions: [all]}", strings.Replace(houseRule, "TEST_RULE", "EU_CONSENT", 1), ""), []string{
			"rules: house.yaml:5:5: rule EU_CONSENT: id EU_CONSENT also used in rules/builtin/eu.yaml"}},
		{"reason without text", houseFile("{jurisdictions: [all]}", strings.Replace(houseRule, "TEST_REASON", "TEST_UNDECLARED", 1), ""), []string{
			`rules: house.yaml:5:5: rule TEST_RULE: reason TEST_UNDECLARED is neither a built-in reason code nor declared under reasons: in this file, with its English text (reasons: {TEST_UNDECLARED: {en: "...", fr: "...", de: "..."}})`}},
		{"reason texts", strings.Replace(houseFile("{jurisdictions: [all]}", houseRule, ""), "{en: Test reason., fr: Raison de test., de: Testgrund.}",
			"{fr: 'Pour %s.', de: '', english: x}\n  NO_CONSENT: {en: Mine.}", 1), []string{
			"rules: house.yaml: reasons: NO_CONSENT is a built-in reason code: its texts come with the library (give the house's reason its own code)",
			"rules: house.yaml:7:3: reasons: TEST_REASON: missing its English text (en)",
			"rules: house.yaml:7:3: reasons: TEST_REASON: blank de text",
			`rules: house.yaml:7:3: reasons: TEST_REASON: "english" is not a language tag (en, fr, de, de-CH, ...)`,
			"rules: house.yaml:7:3: reasons: TEST_REASON: the fr text has a placeholder or markup: reason texts are fixed, so that they never carry personal data"}},
		{"parameters other than windows", houseFile("{jurisdictions: [all]}", houseRule,
			"parameters:\n  digital_consent_age: 18\n  windows: [{name: fr_consumer_calls, days: [mon], hours: ['08:00-09:00']}]\n"), []string{
			"rules: house.yaml:5:3: parameters.digital_consent_age: a house file declares only windows (the jurisdiction's own digital_consent_age applies)",
			"rules: house.yaml:6:3: parameters.windows: window fr_consumer_calls is already defined by rule set FR: give the house's windows their own names"}},
		{"a built-in window", houseFile("{jurisdictions: [FR]}",
			"  - {id: TEST_RULE, channels: [email], effect: defer, reason: TEST_REASON, citation: House 1, condition: \"!inWindow('fr_consumer_calls')\"}\n", ""), []string{
			"rules: house.yaml:5:117: rule TEST_RULE: no window \"fr_consumer_calls\" in the parameters of the rule's set or its bases\n" +
				"    !inWindow('fr_consumer_calls')\n              ^~~~~~~~~~~~~~~~~~~"}},
		{"jurisdiction and house", "jurisdiction: LU\n" + houseFile("{jurisdictions: [all]}", houseRule, ""), []string{
			"rules: house.yaml:2:1: a file is a jurisdiction's set (jurisdiction:) or a house file (house:), not both"}},
		{"override of a house rule", houseFile("{jurisdictions: [all]}", houseRule,
			"overrides:\n  - {rule: TEST_RULE, justification: Reviewed, owner: Legal}\n"), []string{
			"rules: house.yaml:5:5: rule TEST_RULE: override of TEST_RULE: a house rule (house.yaml) is changed in its file, not overridden"}},
		{"bad name", strings.Replace(houseFile("{jurisdictions: [all]}", houseRule, ""), "test_house", "Test House", 1), []string{
			`rules: house.yaml:1:1: house "Test House": want a lower-case name of letters, digits and _`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets, err := rules.Builtin()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			s, err := rules.Parse("house.yaml", []byte(tt.src))
			if err == nil {
				_, err = eligibility.Compile(append(sets, s), eligibility.Params{})
			}
			for _, e := range errorList(t, err) {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s\nsource:\n%s", diff, tt.src)
			}
		})
	}
}

// TestDecideDoesNotAllocateHouse: house rules (a local weekday, a house
// window, a list scope) keep Decide at zero allocations, deferred
// decisions included.
func TestDecideDoesNotAllocateHouse(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	p := houseFilesPolicy(t, "acme.yaml", "benelux.yaml")
	sunday := time.Date(2026, 3, 29, 11, 0, 0, 0, time.UTC) // the audience's contacts live in UTC
	verdicts := map[eligibility.Verdict]int{}
	origins := map[eligibility.Origin]int{}
	var reqs []eligibility.Request
	for i, cc := range []string{"FR", "GB", "BE"} {
		for _, ch := range []consent.Channel{consent.Email, consent.SMS} {
			for _, at := range []time.Time{sunday, sunday.AddDate(0, 0, 2), sunday.Add(11 * time.Hour)} {
				for _, req := range audience.New(uint64(40+i), address.MustCountry(cc), ch, audience.DefaultMix()).Requests(8) {
					req.At = at
					reqs = append(reqs, req)
				}
			}
		}
	}
	for _, req := range reqs {
		d, err := p.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		verdicts[d.Verdict]++
		origins[d.Origin]++
		if n := testing.AllocsPerRun(10, func() { _, _ = p.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s, %v %v at %v) = %v allocates %v times per call, want 0", req.Contact.ID, req.Purpose, req.Channel, req.At, d, n)
		}
	}
	if verdicts[eligibility.Allow] == 0 || verdicts[eligibility.Defer] == 0 || origins[eligibility.FromHouse] == 0 || origins[eligibility.FromLaw] == 0 {
		t.Errorf("verdicts %v, origins %v: want allows, house defers and law decisions", verdicts, origins)
	}
	t.Logf("verdicts %v, origins %v", verdicts, origins)
}

// TestAgeUnder: ageUnder reads the birth date on the recipient's local
// date, and its change point is the local midnight of the birthday, so a
// defer rule on it names that instant exactly (29 February's birthday is
// reached on 1 March in a common year).
func TestAgeUnder(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	house := mustParse(t, "age.yaml", "house: age\napplies_to: {jurisdictions: [all]}\nrules:\n"+
		"  - {id: AGE_WAIT, channels: [all], effect: defer, reason: AGE_WAIT, citation: House 1, condition: \"request.purpose != 'transactional' && ageUnder(18)\"}\n"+
		"reasons:\n  AGE_WAIT: {en: Wait until 18., fr: Attendre 18 ans., de: Bis 18 warten.}\n")
	p := mustCompile(t, append(sets, house), eligibility.Params{})
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		name  string
		birth time.Time
		at    time.Time
		want  houseOutcome
	}{
		{"waits for the birthday's local midnight", time.Date(2008, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 10, 10, 0, 0, 0, paris),
			houseOutcome{eligibility.Defer, "AGE_WAIT", eligibility.FromHouse, "AGE_WAIT", time.Date(2026, 6, 1, 0, 0, 0, 0, paris)}},
		{"18 from that midnight", time.Date(2008, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, paris),
			houseOutcome{Verdict: eligibility.Allow, Rule: "EU_CONSENT", Reason: "CONSENT"}},
		{"29 February: 1 March in a common year", time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 28, 12, 0, 0, 0, paris),
			houseOutcome{eligibility.Defer, "AGE_WAIT", eligibility.FromHouse, "AGE_WAIT", time.Date(2026, 3, 1, 0, 0, 0, 0, paris)}},
		{"unknown birth date: an adult", time.Time{}, time.Date(2026, 3, 10, 10, 0, 0, 0, paris),
			houseOutcome{Verdict: eligibility.Allow, Rule: "EU_CONSENT", Reason: "CONSENT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := consented(t, "FR", "Europe/Paris", consent.Consumer)
			c.BirthDate = tt.birth
			d, err := decide(p, c, message(consent.MarketingGeneral, consent.Email, "", tt.at))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, outcomeOf(d)); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHouseObligations: a house file's obligations are added to every
// allow in its scope, keeping the law's citation for one the law imposes
// already, and to no allow outside it.
func TestHouseObligations(t *testing.T) {
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	house := mustParse(t, "obl.yaml", "house: obl\napplies_to: {jurisdictions: [GB], channels: [email]}\n"+
		"obligations:\n  - {obligation: proof_retention, citation: House records policy 2}\n  - {obligation: opt_out, citation: House 3}\nrules: []\n")
	plain := mustCompile(t, sets, eligibility.Params{})
	p := mustCompile(t, append(sets, house), eligibility.Params{})
	tuesday := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		country string
		ch      consent.Channel
		added   bool
	}{{"GB e-mail", "GB", consent.Email, true}, {"GB SMS", "GB", consent.SMS, false}, {"FR e-mail", "FR", consent.Email, false}} {
		c := consented(t, tc.country, "Europe/London", consent.Consumer)
		m := message(consent.MarketingGeneral, tc.ch, "", tuesday)
		law, err := decide(plain, c, m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decide(p, c, m)
		if err != nil || got.Verdict != eligibility.Allow {
			t.Fatalf("%s: %v, %v; want an allow", tc.name, got, err)
		}
		want := obligationList(law.Obligations)
		if tc.added {
			want = obligationList(law.Obligations)
			want = append(want, obligationItem{rules.ProofRetention, "House records policy 2"})
		}
		if diff := cmp.Diff(want, obligationList(got.Obligations), cmpopts.SortSlices(func(a, b obligationItem) bool { return a.Obligation < b.Obligation })); diff != "" {
			t.Errorf("%s: obligations (-want +got):\n%s", tc.name, diff)
		}
		if !law.Obligations.Has(rules.OptOut) {
			t.Errorf("%s: the law's allow has no opt_out: the test cannot show its citation kept", tc.name)
		}
	}
}
