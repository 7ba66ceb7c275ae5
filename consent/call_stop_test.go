package consent_test

import (
	"testing"

	"github.com/sendright/sendright/consent"
)

// TestObjectionToCallsCoversBothKinds: an objection on one kind of call
// stops the other kind too (the request is about the number), while a
// withdrawal stays with the consent withdrawn and an objection on another
// channel never reaches calls.
func TestObjectionToCallsCoversBothKinds(t *testing.T) {
	calls := []consent.Channel{consent.VoiceLive, consent.VoiceAutomated}
	for _, tt := range []struct {
		name    string
		status  consent.Status
		on, ask consent.Channel
		stopped bool
	}{
		{"objection live, automated call", consent.Objection, consent.VoiceLive, consent.VoiceAutomated, true},
		{"objection automated, live call", consent.Objection, consent.VoiceAutomated, consent.VoiceLive, true},
		{"objection live, live call", consent.Objection, consent.VoiceLive, consent.VoiceLive, true},
		{"objection sms, live call", consent.Objection, consent.SMS, consent.VoiceLive, false},
		{"objection live, sms", consent.Objection, consent.VoiceLive, consent.SMS, false},
		{"objection email, automated call", consent.Objection, consent.Email, consent.VoiceAutomated, false},
		{"withdrawal automated, live call", consent.Withdrawn, consent.VoiceAutomated, consent.VoiceLive, false},
		{"withdrawal live, automated call", consent.Withdrawn, consent.VoiceLive, consent.VoiceAutomated, false},
		{"withdrawal automated, automated call", consent.Withdrawn, consent.VoiceAutomated, consent.VoiceAutomated, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var recs []consent.Record
			for i, ch := range calls { // consent to both kinds of call first
				recs = append(recs, consent.Record{ID: "g-" + string(rune('a'+i)), Subject: addr(leaTel), Purpose: consent.MarketingGeneral,
					Channel: ch, Sender: shop, Status: consent.Granted, At: day(1), Method: consent.UntickedCheckbox})
			}
			recs = append(recs, consent.Record{ID: "s-1", Purpose: consent.MarketingGeneral, Channel: tt.on,
				Sender: shop, Status: tt.status, At: day(2)})
			s := mustLedger(t, recs...).State(consent.Query{Purpose: consent.MarketingGeneral, Channel: tt.ask,
				Sender: shop, At: day(3), Address: addr(leaTel)})
			if got := s.Objected() || s.Withdrawn(); got != tt.stopped {
				t.Errorf("stopped = %v (objected %v, withdrawn %v), want %v", got, s.Objected(), s.Withdrawn(), tt.stopped)
			}
			if tt.stopped && s.StopID() != "s-1" {
				t.Errorf("StopID = %q, want s-1", s.StopID())
			}
		})
	}
}
