package consent_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
)

func TestInteractionJSON(t *testing.T) {
	in := consent.Interaction{ID: "p-1", At: t0, Seller: shop, Category: "tea",
		Collected: []address.Address{email("Lea.Martin@example.com"), phone(leaTel)}, OptOutOffered: true, Refused: true}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"p-1","at":"2025-01-10T09:00:00Z","seller":"Maison Exemple SAS","category":"tea",` +
		`"collected":["Lea.Martin@example.com","+33639980001"],"opt_out_offered":true,"refused":true}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s\nwant          %s", b, want)
	}
	var back consent.Interaction
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}

	errs := []struct {
		name, collected string
		want            error
	}{
		{"channel names, the old form", `["email","sms"]`, consent.ErrInvalid},
		{"a voice channel", `["voice_live"]`, consent.ErrInvalid},
		{"national number without the contact's country", `["06 39 98 00 01"]`, consent.ErrInvalid},
		{"malformed address", `["lea.martin.example.com"]`, consent.ErrInvalid},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			js := `{"id":"p","at":"2025-01-10T09:00:00Z","seller":"S","collected":` + tt.collected + `}`
			var e consent.Interaction
			err := json.Unmarshal([]byte(js), &e)
			checkFieldError(t, err, "collected[0]", tt.want)
			if !errors.Is(err, consent.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if channel := strings.HasPrefix(tt.name, "channel") || strings.HasPrefix(tt.name, "a voice"); channel != strings.Contains(err.Error(), "a channel name") {
				t.Errorf("error %q: says it is a channel name = %v, want %v", err, !channel, channel)
			}
			if strings.Contains(err.Error(), "39 98") || strings.Contains(err.Error(), "lea.martin") {
				t.Errorf("error %q repeats the address", err)
			}
		})
	}
}

// refusalContact is a French customer who gave their e-mail address and
// number at a purchase from shop on day 10 and refused marketing then.
func refusalContact(t testing.TB, collected ...address.Address) *consent.Contact {
	t.Helper()
	c := &consent.Contact{ID: "c-refused", Kind: consent.Consumer, Country: address.MustCountry("FR"),
		Location: paris, Email: email("Lea.Martin@Example.com"), Phone: phone(leaTel),
		Relationship: consent.Relationship{Purchases: []consent.Interaction{{ID: "p-10", At: day(10), Seller: shop,
			Category: "tea", Collected: collected, OptOutOffered: true, Refused: true}}}}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContactStateRefusal(t *testing.T) {
	both := []address.Address{email(leaMail), phone(leaTel)}
	q := func(p consent.Purpose, ch consent.Channel, sender string, at time.Time) consent.Query {
		return consent.Query{Purpose: p, Channel: ch, Sender: sender, At: at}
	}
	later := func(id string, at time.Time, ch consent.Channel, s consent.Status) consent.Record {
		r := consent.Record{ID: id, Purpose: consent.MarketingGeneral, Channel: ch, Sender: shop, Status: s, At: at}
		if s == consent.Granted {
			r.Subject, r.Method = email(leaMail), consent.SignedForm
			if ch != consent.Email {
				r.Subject = phone(leaTel)
			}
		}
		return r
	}
	tests := []struct {
		name      string
		collected []address.Address
		recs      []consent.Record
		q         consent.Query
		objected  bool
		consented bool
	}{
		{"email after the refusal", both, nil, q(consent.MarketingGeneral, consent.Email, shop, day(20)), true, false},
		{"every marketing purpose", both, nil, q(consent.FeedbackRequest, consent.Email, shop, day(20)), true, false},
		{"third-party offers", both, nil, q(consent.MarketingThirdParty, consent.SMS, shop, day(20)), true, false},
		{"sms: a number was collected", both, nil, q(consent.MarketingSimilar, consent.SMS, shop, day(20)), true, false},
		{"calls: a number was collected", both, nil, q(consent.MarketingSimilar, consent.VoiceLive, shop, day(20)), true, false},
		{"sms when only the e-mail address was collected", both[:1], nil,
			q(consent.MarketingSimilar, consent.SMS, shop, day(20)), false, false},
		{"email when only the number was collected", both[1:], nil,
			q(consent.MarketingSimilar, consent.Email, shop, day(20)), false, false},
		{"email to another address than the one collected: the objection is the channel's", []address.Address{email("old.lea@example.org")},
			nil, q(consent.MarketingGeneral, consent.Email, shop, day(20)), true, false},
		{"another spelling of the seller", both, nil, q(consent.MarketingGeneral, consent.Email, " MAISON exemple sas ", day(20)), true, false},
		{"another seller", both, nil, q(consent.MarketingGeneral, consent.Email, other, day(20)), false, false},
		{"before the refusal", both, nil, q(consent.MarketingGeneral, consent.Email, shop, day(9)), false, false},
		{"at the instant of the refusal", both, nil, q(consent.MarketingGeneral, consent.Email, shop, day(10)), true, false},
		{"transactional messages are not marketing", both, nil, q(consent.Transactional, consent.Email, shop, day(20)), false, false},
		{"an earlier grant does not lift it", both, []consent.Record{later("g", day(5), consent.Email, consent.Granted)},
			q(consent.MarketingGeneral, consent.Email, shop, day(20)), true, false},
		{"a grant at the same instant does not lift it", both, []consent.Record{later("g", day(10), consent.Email, consent.Granted)},
			q(consent.MarketingGeneral, consent.Email, shop, day(20)), true, false},
		{"a later grant lifts it", both, []consent.Record{later("g", day(15), consent.Email, consent.Granted)},
			q(consent.MarketingGeneral, consent.Email, shop, day(20)), false, true},
		{"a later grant on another channel does not", both, []consent.Record{later("g", day(15), consent.SMS, consent.Granted)},
			q(consent.MarketingGeneral, consent.Email, shop, day(20)), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := refusalContact(t, tt.collected...)
			if err := c.Records.Append(tt.recs...); err != nil {
				t.Fatal(err)
			}
			s := c.State(tt.q)
			if s.Objected() != tt.objected || s.Consented() != tt.consented {
				t.Fatalf("State(%+v): objected %v consented %v, want %v %v", tt.q, s.Objected(), s.Consented(), tt.objected, tt.consented)
			}
			if s.Withdrawn() {
				t.Error("a refusal reads as a withdrawal")
			}
			if !tt.objected {
				if s.RefusalID() != "" {
					t.Errorf("RefusalID() = %q, want none", s.RefusalID())
				}
				return
			}
			if s.RefusalID() != "p-10" || s.StopID() != "refusal:p-10" {
				t.Errorf("RefusalID %q, StopID %q", s.RefusalID(), s.StopID())
			}
			if s.GrantID() != "" || s.InvalidID() != "" {
				t.Errorf("a refusal in force names a grant: GrantID %q, InvalidID %q", s.GrantID(), s.InvalidID())
			}
		})
	}

	// A later objection record is the one in force.
	c := refusalContact(t, both...)
	if err := c.Records.Append(later("o", day(12), consent.Email, consent.Objection)); err != nil {
		t.Fatal(err)
	}
	if s := c.State(q(consent.MarketingGeneral, consent.Email, shop, day(20))); s.StopID() != "o" || s.RefusalID() != "" {
		t.Errorf("later objection record: StopID %q RefusalID %q, want o and none", s.StopID(), s.RefusalID())
	}
	// State reads the refusal without allocating.
	query := q(consent.MarketingGeneral, consent.Email, shop, day(20))
	if n := testing.AllocsPerRun(100, func() { _ = c.State(query).RefusalID() }); n != 0 {
		t.Errorf("Contact.State with a refusal allocates %v times", n)
	}
	// A refusal must name the addresses collected: they give its channels.
	bad := refusalContact(t, both...)
	bad.Relationship.Purchases[0].Collected = nil
	checkFieldError(t, bad.Check(), "contact.relationship.purchases[0].collected", consent.ErrInvalid)
}

func TestExportRefusal(t *testing.T) {
	c := refusalContact(t, email(leaMail), phone(leaTel))
	e := rights.ExportContact(c, day(20))
	var objected []string
	for _, s := range e.State {
		if s.Status == rights.StateObjection {
			if s.RecordID != "refusal:p-10" || s.Sender != shop || !s.Purpose.Marketing() {
				t.Errorf("exported state %+v: want the refusal's objection", s)
			}
			objected = append(objected, s.Purpose.String()+"/"+s.Channel.String())
		}
	}
	// Every marketing purpose on email, SMS and the two voice channels.
	var want []string
	for p := consent.Purpose(1); p < consent.AllMarketing; p++ {
		if !p.Marketing() {
			continue
		}
		for _, ch := range []consent.Channel{consent.Email, consent.SMS, consent.VoiceLive, consent.VoiceAutomated} {
			want = append(want, p.String()+"/"+ch.String())
		}
	}
	if diff := cmp.Diff(want, objected, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("objections exported (-want +got):\n%s", diff)
	}
	if len(e.State) != len(want) {
		t.Errorf("%d states exported, want %d (only the refusal's)", len(e.State), len(want))
	}
	if p := e.Relationship.Purchases; len(p) != 1 || !p[0].Refused || len(p[0].Collected) != 2 {
		t.Errorf("exported purchases = %+v: want the refusal with its addresses", p)
	}
	// The export still round-trips through JSON.
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back rights.Export
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e, back, cmp.Comparer(func(a, b address.Country) bool { return a == b })); diff != "" {
		t.Errorf("export round trip mismatch (-want +got):\n%s", diff)
	}
}
