package eligibility_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// TestDecideDoesNotAllocate is the deterministic performance guard: a
// decision on the allow or deny path allocates nothing, so a regression
// fails go test without any timing.
func TestDecideDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	ev := evaluator(t)
	reqs := audience.New(11, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(64)
	reqs = append(reqs, audience.New(12, address.MustCountry("GB"), consent.SMS, audience.DefaultMix()).Requests(32)...)
	reqs = append(reqs, audience.New(13, address.MustCountry("DE"), consent.Email, audience.DefaultMix()).Requests(4)...)
	// Categories spelt otherwise than their canonical key are compared
	// without allocating too.
	for i, cat := range []string{" Energy-Renovation", "KETTLES", "Toasters\u200b", "home adaptation"} {
		spelt := audience.New(uint64(20+i), address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(4)
		for j := range spelt {
			spelt[j].Category = cat
		}
		reqs = append(reqs, spelt...)
	}
	verdicts := map[eligibility.Verdict]int{}
	for _, req := range reqs {
		d, err := ev.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		verdicts[d.Verdict]++
		if n := testing.AllocsPerRun(20, func() { _, _ = ev.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s, %v %v) = %v allocates %v times per call, want 0", req.Contact.ID, req.Purpose, req.Channel, d, n)
		}
	}
	if verdicts[eligibility.Allow] == 0 || verdicts[eligibility.Deny] == 0 {
		t.Errorf("verdicts %v: want both allow and deny paths covered", verdicts)
	}
	// A defer: the search for NotBefore walks the rules again at each
	// change point, without allocating either.
	deferred := deferBuiltin(t, true)
	deferVerdicts := map[eligibility.Verdict]int{}
	saturday := time.Date(2026, 3, 28, 20, 30, 0, 0, time.UTC) // the audience's contacts live in UTC: deferred to Monday
	for _, req := range audience.New(14, address.MustCountry("FR"), consent.SMS, audience.DefaultMix()).Requests(32) {
		req.At = saturday
		d, err := deferred.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		deferVerdicts[d.Verdict]++
		if n := testing.AllocsPerRun(20, func() { _, _ = deferred.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s, %v %v) = %v allocates %v times per call, want 0", req.Contact.ID, req.Purpose, req.Channel, d, n)
		}
	}
	if deferVerdicts[eligibility.Defer] == 0 {
		t.Errorf("verdicts %v: want the defer path covered", deferVerdicts)
	}
	// A house file (housePolicy, testdata/house/send_caps.yaml: no
	// marketing e-mail on the recipient's Sunday, at most one marketing
	// e-mail a day by the send history, at most one call a day by the
	// attempts): allowed, denied and deferred to a local midnight, without
	// allocating.
	house := housePolicy(t)
	houseReqs := houseEmailRequests()[:224]
	houseReqs = append(houseReqs, houseVoiceRequests(6, 64)...)
	houseRules := map[string]int{}
	for _, req := range houseReqs {
		d, err := house.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		houseRules[d.Verdict.String()+" "+d.Rule]++
		if n := testing.AllocsPerRun(10, func() { _, _ = house.Decide(req) }); n != 0 {
			t.Errorf("house: Decide(%s, %v %v) = %v allocates %v times per call, want 0", req.Contact.ID, req.Purpose, req.Channel, d, n)
		}
	}
	for _, r := range []string{"defer CAPS_NO_SUNDAY_EMAIL", "defer CAPS_ONE_EMAIL_A_DAY", "defer CAPS_ONE_CALL_A_DAY", "allow EU_CONSENT"} {
		if houseRules[r] == 0 {
			t.Errorf("house: no request decided %s: %v", r, houseRules)
		}
	}
	// A wait that crosses into a deny (the Bloctel lookup goes stale at
	// the window's next opening): the deny names the defer rule and the
	// instant without building a string.
	crossing := voiceEdges()[0]
	if d, err := ev.Decide(crossing); err != nil || d.Verdict != eligibility.Deny || d.DeniedFrom.IsZero() {
		t.Fatalf("Decide(crossing) = %v, %v: want a deny crossed into", d, err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = ev.Decide(crossing) }); n != 0 {
		t.Errorf("Decide(crossing) allocates %v times per call, want 0", n)
	}
	// Two regimes: a German sender's messages to French recipients (the
	// French set and, by GDPR art. 3(1), the German), allowed and denied;
	// and the test regimes' subdivisions, sender reach, waits checked
	// again across regimes, a wait crossing into another regime's deny and
	// merged obligations.
	twoVerdicts := map[string]int{}
	two := audience.New(15, address.MustCountry("FR"), consent.Email, audience.DefaultMix()).Requests(48)
	two = append(two, audience.New(16, address.MustCountry("FR"), consent.SMS, audience.DefaultMix()).Requests(16)...)
	for i := range two {
		two[i].Sender.Country = address.MustCountry("DE")
	}
	check := func(p *eligibility.Policy, req eligibility.Request) {
		d, err := p.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		twoVerdicts[d.Verdict.String()+" "+strings.Join(d.Regimes.Codes(), "+")]++
		if n := testing.AllocsPerRun(10, func() { _, _ = p.Decide(req) }); n != 0 {
			t.Errorf("Decide(%s, %v %v from %v) = %v %v allocates %v times per call, want 0", req.Contact.ID, req.Purpose, req.Channel,
				req.Sender.Country, d, d.Regimes.List(), n)
		}
	}
	for _, req := range two {
		check(ev, req)
	}
	rp := regimePolicy(t, eligibility.Params{Fallback: "EU"})
	evening := time.Date(2026, 3, 10, 20, 30, 0, 0, time.UTC)
	for _, tc := range []regimeCase{
		{country: "PR", region: "PR-OK", phone: "+1 305 555 0101", ch: consent.SMS, at: evening},
		{country: "PR", phone: "+1 305 555 0101", from: "JM", ch: consent.SMS, at: evening},
		{country: "PR", phone: "+1 305 555 0101", from: "JM", ch: consent.SMS, category: "energy_renovation", at: evening},
		{country: "PR", phone: "+1 212 555 0101", from: "JM", ch: consent.Email},
		{country: "JM", phone: "+1 416 555 0101", from: "PT", ch: consent.Email},
		{country: "BR", phone: "+55 11 5555 0101", from: "JM", ch: consent.Email},
	} {
		check(rp, tc.request(t))
	}
	for _, want := range []string{"allow FR+DE", "deny FR+DE", "defer PR-OK+PR-FL", "defer PR-FL+JM", "deny PR-FL+JM", "allow PR+JM",
		"allow JM+EU", "allow EU+JM"} {
		if twoVerdicts[want] == 0 {
			t.Errorf("two regimes: no request decided %s: %v", want, twoVerdicts)
		}
	}
}

// TestDecideDoesNotAllocateNonASCIISender: a sender whose name is not
// ASCII, matched against records, purchases and contracts spelt other
// ways and through declared aliases, still decides without allocating.
func TestDecideDoesNotAllocateNonASCIISender(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	sets, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := eligibility.Compile(sets, eligibility.Params{EntityAliases: [][]string{{"Société Exemple SAS", "SIREN 000000002"}}})
	if err != nil {
		t.Fatal(err)
	}
	ev := p
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	c := &consent.Contact{ID: "c-nonascii", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
		Email: address.MustParseEmail("lea.martin@example.com"), Phone: address.MustParsePhone("+33639980001", address.Country{})}
	c.Relationship.Purchases = []consent.Interaction{
		{ID: "p-1", At: at.AddDate(0, -2, 0), Seller: "Autre Société", Category: "kettles", Collected: []address.Address{c.Email}, OptOutOffered: true},
		{ID: "p-2", At: at.AddDate(0, -1, 0), Seller: "SOCIE\u0301TE\u0301 EXEMPLE S.A.S.", Category: "kettles", Collected: []address.Address{c.Email}, OptOutOffered: true},
	}
	c.Relationship.Contracts = []consent.Contract{{ID: "k-1", Seller: "Ｓｏｃｉéｔé Ｅｘｅｍｐｌｅ ＳＡＳ", Category: "kettles", Start: at.AddDate(-1, 0, 0)}}
	if err := c.Records.Append(
		consent.Record{ID: "g-1", Subject: c.Email, Purpose: consent.MarketingGeneral, Channel: consent.Email,
			Sender: "société\u00a0exemple sas", Status: consent.Granted, At: at.AddDate(-1, 0, 0), Method: consent.UntickedCheckbox},
		consent.Record{ID: "o-1", Purpose: consent.AllMarketing, Channel: consent.SMS,
			Sender: "SIREN 000 000 002", Status: consent.Objection, At: at.AddDate(0, 0, -1)},
	); err != nil {
		t.Fatal(err)
	}
	verdicts := map[eligibility.Verdict]int{}
	for _, sender := range []string{"Société Exemple SAS", "Socie\u0301te\u0301 Exemple S.A.S.", "Maison Exemple SAS"} {
		for _, ch := range []consent.Channel{consent.Email, consent.SMS} {
			req := eligibility.Request{Contact: c, Message: consent.Message{Purpose: consent.MarketingSimilar, Channel: ch,
				Category: "kettles", Sender: consent.Sender{Entity: sender, Kind: consent.Company}, At: at}}
			d, err := ev.Decide(req)
			if err != nil {
				t.Fatal(err)
			}
			verdicts[d.Verdict]++
			if n := testing.AllocsPerRun(20, func() { _, _ = ev.Decide(req) }); n != 0 {
				t.Errorf("Decide(%q, %v) = %v allocates %v times per call, want 0", sender, ch, d.Verdict, n)
			}
		}
	}
	if verdicts[eligibility.Allow] == 0 || verdicts[eligibility.Deny] == 0 {
		t.Errorf("verdicts %v: want both allow and deny paths covered", verdicts)
	}
}

// TestDecideDoesNotAllocateInputs: decisions reading the attempt history,
// the send history (house caps), registry lookups, the push permission and the prospection period —
// allowed, denied and deferred, with a search through their change points
// — allocate nothing.
func TestDecideDoesNotAllocateInputs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	p := deferPolicy(t, inputsDefer)
	pushed := inputsPolicy(t, "pushPermitted() && customerActiveWithin(duration('26304h'))")
	fourCalls := withAttempts(call(t0.Add(-days(25)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(20)), calls.VoiceLive, calls.NoAnswer),
		call(t0.Add(-days(3)), calls.VoiceAutomated, calls.Answered),
		call(t0.Add(-days(2)), calls.VoiceLive, calls.NoAnswer))
	for _, tc := range []struct {
		name string
		p    *eligibility.Policy
		c    *consent.Contact
		ch   consent.Channel
		want eligibility.Verdict
	}{
		{"allowed call", p, callable(t), consent.VoiceLive, eligibility.Allow},
		{"deferred call", p, callable(t, fourCalls), consent.VoiceLive, eligibility.Defer},
		{"listed number", p, callable(t, withCheck(calls.TPS, "+352621555123", true, time.Time{}, t0.Add(-time.Hour))), consent.VoiceLive, eligibility.Deny},
		{"deferred e-mail: one a day", deferPolicy(t, houseDefer), newContact(t, "oliver", "FR", consent.Consumer, withRecords(t, grant("g-1", "oliver", consent.MarketingGeneral, consent.Email, t0.AddDate(-1, 0, 0))),
			withSent(sendOf(t0.Add(-time.Hour), consent.MarketingSimilar, consent.Email), sendOf(t0.Add(-days(1)), consent.MarketingGeneral, consent.SMS))),
			consent.Email, eligibility.Defer},
		{"allowed e-mail: none sent today", deferPolicy(t, houseDefer), newContact(t, "oliver", "FR", consent.Consumer, withRecords(t, grant("g-1", "oliver", consent.MarketingGeneral, consent.Email, t0.AddDate(-1, 0, 0))),
			withSent(sendOf(t0.Add(-days(1)), consent.MarketingSimilar, consent.Email), sendOf(t0.Add(-time.Hour), consent.Transactional, consent.Email))),
			consent.Email, eligibility.Allow},
		{"push to a customer", pushed, luContact(t, withPurchases(purchase("p-1", "kettles", t0.AddDate(-1, 0, 0))),
			func(c *consent.Contact) { c.PushPermitted = true }), consent.Push, eligibility.Allow},
	} {
		m := message(consent.MarketingGeneral, tc.ch, "kettles", t0)
		d, err := decide(tc.p, tc.c, m)
		if err != nil || d.Verdict != tc.want {
			t.Fatalf("%s: %v, %v; want %v", tc.name, d, err, tc.want)
		}
		req := eligibility.Request{Contact: tc.c, Message: *m}
		if n := testing.AllocsPerRun(20, func() { _, _ = tc.p.Decide(req) }); n != 0 {
			t.Errorf("%s: Decide allocates %v times per call, want 0", tc.name, n)
		}
	}
}

// TestDecideDoesNotAllocateVoiceMix: live and automated calls in France,
// Belgium, the United Kingdom and Italy (voiceMix: windows, holidays, caps,
// cool-offs, registry lookups, contracts), deferred ones included, are decided
// without allocating, by the evaluator and by the hand-written reference,
// waits that cross into a deny included.
func TestDecideDoesNotAllocateVoiceMix(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	ev := evaluator(t)
	ref := newReference(nil)
	verdicts := map[eligibility.Verdict]int{}
	crossed := 0
	for i, req := range voiceMix(5, 512) {
		d, err := ev.Decide(req)
		if err != nil {
			t.Fatal(err)
		}
		verdicts[d.Verdict]++
		if !d.DeniedFrom.IsZero() {
			crossed++
		}
		if n := testing.AllocsPerRun(5, func() { _, _ = ev.Decide(req) }); n != 0 {
			t.Errorf("call %d: Decide = %v (%s) allocates %v times per call, want 0", i, d, d.Detail, n)
		}
		if n := testing.AllocsPerRun(5, func() { ref.decide(&req) }); n != 0 {
			t.Errorf("call %d: the reference allocates %v times per call, want 0", i, n)
		}
	}
	if verdicts[eligibility.Allow] == 0 || verdicts[eligibility.Deny] == 0 || verdicts[eligibility.Defer] == 0 {
		t.Errorf("verdicts %v: want allow, deny and defer paths covered", verdicts)
	}
	if crossed == 0 {
		t.Errorf("verdicts %v: want a wait crossing into a deny", verdicts)
	}
	t.Logf("verdicts %v; %d waits crossing into a deny", verdicts, crossed)
}
