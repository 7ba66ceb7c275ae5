package eligibility_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/eligibility"
)

// usStateRequests are calls and texts from a New York sender to contacts
// whose numbers carry Florida or Oklahoma area codes, decided under the
// built-in sets: the state regime the area code presumes (the federal
// rules evaluated inside it), both states' when the contact declares the
// other, the federal set alone for a New York number, and CASL added for a
// Canadian sender (eligibility/testdata/scenarios/mixed/us_states.yaml has
// the same cases with their sources).
var usStateRequests = []struct {
	name      string
	request   string
	verdict   eligibility.Verdict
	regimes   []string
	notBefore string // RFC 3339; a defer's instant
}{
	{"ny-number-call-2030", `{"contact": {"id": "c-ny", "kind": "consumer", "country": "US", "region": "US-NY",
	   "time_zone": "America/New_York", "phone": "+12125550203",
	   "registries": [{"registry": "us_dnc", "number": "+12125550203", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_live",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T20:30:00-04:00"}}`,
		eligibility.Allow, []string{"US recipient allow"}, ""},
	{"fl-number-call-2030", `{"contact": {"id": "c-fl", "kind": "consumer", "country": "US", "region": "US-NY",
	   "time_zone": "America/New_York", "phone": "+13055550201",
	   "registries": [{"registry": "us_dnc", "number": "+13055550201", "checked_at": "2026-03-10T05:00:00Z"}, {"registry": "us_fl_dnc", "number": "+13055550201", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_live",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T20:30:00-04:00"}}`,
		eligibility.Defer, []string{"US-FL area_code defer"}, "2026-03-11T08:00:00-04:00"},
	{"fl-number-call-1930", `{"contact": {"id": "c-fl2", "kind": "consumer", "country": "US", "region": "US-NY",
	   "time_zone": "America/New_York", "phone": "+13055550202",
	   "registries": [{"registry": "us_dnc", "number": "+13055550202", "checked_at": "2026-03-10T05:00:00Z"}, {"registry": "us_fl_dnc", "number": "+13055550202", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_live",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T19:30:00-04:00"}}`,
		eligibility.Allow, []string{"US-FL area_code allow"}, ""},
	{"fl-number-cap-then-hours", `{"contact": {"id": "c-fl3", "kind": "consumer", "country": "US", "region": "US-NY",
	   "time_zone": "America/New_York", "phone": "+17865550206",
	   "attempts": [{"at": "2026-03-09T20:30:00-04:00", "channel": "voice_live", "sender": "Example Wireless Inc.", "outcome": "no_answer"},
	     {"at": "2026-03-10T09:00:00-04:00", "channel": "voice_live", "sender": "Example Wireless Inc.", "outcome": "no_answer"},
	     {"at": "2026-03-10T10:00:00-04:00", "channel": "voice_live", "sender": "Example Wireless Inc.", "outcome": "no_answer"}],
	   "registries": [{"registry": "us_dnc", "number": "+17865550206", "checked_at": "2026-03-10T05:00:00Z"}, {"registry": "us_fl_dnc", "number": "+17865550206", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_live",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T19:00:00-04:00"}}`,
		eligibility.Defer, []string{"US-FL area_code defer"}, "2026-03-11T08:00:00-04:00"},
	{"ok-declared-fl-number-2010", `{"contact": {"id": "c-okfl", "kind": "consumer", "country": "US", "region": "US-OK",
	   "time_zone": "America/Chicago", "phone": "+13055550401",
	   "registries": [{"registry": "us_dnc", "number": "+13055550401", "checked_at": "2026-03-10T05:00:00Z"}, {"registry": "us_fl_dnc", "number": "+13055550401", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_live",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T20:10:00-05:00"}}`,
		eligibility.Defer, []string{"US-OK region defer", "US-FL area_code defer"}, "2026-03-11T08:00:00-05:00"},
	{"ok-declared-fl-number-1900", `{"contact": {"id": "c-okfl2", "kind": "consumer", "country": "US", "region": "US-OK",
	   "time_zone": "America/Chicago", "phone": "+13055550402",
	   "registries": [{"registry": "us_dnc", "number": "+13055550402", "checked_at": "2026-03-10T05:00:00Z"}, {"registry": "us_fl_dnc", "number": "+13055550402", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_live",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T19:00:00-05:00"}}`,
		eligibility.Allow, []string{"US-OK region allow", "US-FL area_code allow"}, ""},
	{"ok-declared-fl-number-robocall", `{"contact": {"id": "c-okfl3", "kind": "consumer", "country": "US", "region": "US-OK",
	   "time_zone": "America/Chicago", "phone": "+13055550403",
	   "registries": [{"registry": "us_dnc", "number": "+13055550403", "checked_at": "2026-03-10T05:00:00Z"}], "records": []},
	  "message": {"purpose": "marketing_general", "channel": "voice_automated",
	   "sender": {"entity": "Example Wireless Inc.", "kind": "company", "country": "US"}, "at": "2026-03-10T11:00:00-05:00"}}`,
		eligibility.Deny, []string{"US-OK region deny", "US-FL area_code deny"}, ""},
	{"ca-sender-fl-number-text-2015", `{"contact": {"id": "c-cafl", "kind": "consumer", "country": "US", "region": "US-NY",
	   "time_zone": "America/New_York", "phone": "+13055550501",
	   "registries": [{"registry": "us_dnc", "number": "+13055550501", "checked_at": "2026-03-10T05:00:00Z"}],
	   "records": [{"id": "r-cafl", "subject": "+13055550501", "purpose": "marketing_general", "channel": "sms",
	     "sender": "Exemple Canada Inc.", "status": "granted", "at": "2025-11-02T15:00:00Z", "method": "unticked_checkbox",
	     "terms": ["signature", "automated_means", "not_purchase_condition"],
	     "source": "web-signup", "wording_version": "casl-request-v3", "proof_ref": "proofs/r-cafl"}]},
	  "message": {"purpose": "marketing_general", "channel": "sms",
	   "sender": {"entity": "Exemple Canada Inc.", "kind": "company", "country": "CA"}, "at": "2026-03-10T20:15:00-04:00"}}`,
		eligibility.Defer, []string{"US-FL area_code defer", "CA sender allow"}, "2026-03-11T08:00:00-04:00"},
}

// decodeUSStateRequests decodes usStateRequests strictly.
func decodeUSStateRequests(t testing.TB) []eligibility.Request {
	t.Helper()
	out := make([]eligibility.Request, len(usStateRequests))
	for i, tc := range usStateRequests {
		if err := json.Unmarshal([]byte(tc.request), &out[i]); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	return out
}

// TestUSStateRegimes: the built-in Florida and Oklahoma sets reach a
// contact through the area code of its number whatever region it declares,
// beside the declared region's set; the strictest answer wins with the
// exact instant of a defer; and deciding allocates nothing, with one
// regime, two state regimes or a state's and a sender's.
func TestUSStateRegimes(t *testing.T) {
	ev := evaluator(t)
	reqs := decodeUSStateRequests(t)
	for i, tc := range usStateRequests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ev.Decide(reqs[i])
			if err != nil {
				t.Fatal(err)
			}
			var regimes []string
			for _, r := range d.Regimes.List() {
				regimes = append(regimes, r.String())
			}
			type got struct {
				Verdict   eligibility.Verdict
				Regimes   []string
				NotBefore time.Time
			}
			want := got{Verdict: tc.verdict, Regimes: tc.regimes}
			if tc.notBefore != "" {
				nb, err := time.Parse(time.RFC3339, tc.notBefore)
				if err != nil {
					t.Fatal(err)
				}
				want.NotBefore = nb
			}
			if diff := cmp.Diff(want, got{d.Verdict, regimes, d.NotBefore}, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
			if raceEnabled {
				return // sync.Pool drops items under the race detector
			}
			if n := testing.AllocsPerRun(20, func() { _, _ = ev.Decide(reqs[i]) }); n != 0 {
				t.Errorf("Decide allocates %v times per call, want 0", n)
			}
		})
	}
}

// BenchmarkUSStates decides the requests of usStateRequests by how many
// regimes they reach, in the same run:
//
//	go test -run '^$' -bench USStates -benchmem ./eligibility
//
// federal: a New York number (the United States set alone); one-state: a
// Florida number (the Florida set, the federal rules inside it);
// two-states: Oklahoma declared and a Florida number; state-and-sender: a
// Canadian sender's text to a Florida number (Florida and CASL). The ratios
// to federal are the cost of the extra regimes.
func BenchmarkUSStates(b *testing.B) {
	ev := evaluator(b)
	reqs := decodeUSStateRequests(b)
	byName := map[string][]eligibility.Request{}
	for i, tc := range usStateRequests {
		var group string
		switch len(tc.regimes) {
		case 1:
			group = "one-state"
			if tc.regimes[0] == "US recipient allow" {
				group = "federal"
			}
		default:
			group = "two-states"
			if tc.regimes[1] == "CA sender allow" {
				group = "state-and-sender"
			}
		}
		byName[group] = append(byName[group], reqs[i])
	}
	for _, group := range []string{"federal", "one-state", "two-states", "state-and-sender"} {
		rs := byName[group]
		b.Run(group, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ev.Decide(rs[i%len(rs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
