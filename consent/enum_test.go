package consent_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	vocab "github.com/sendright/sendright/internal/enum"
)

type enum interface {
	~uint8
	String() string
	MarshalText() ([]byte, error)
}

type enumPtr[T enum] interface {
	*T
	UnmarshalText([]byte) error
}

// checkEnum checks String, MarshalText, UnmarshalText and parse (when not
// nil) for every value of want, and that unknown text and every value
// outside want are rejected with ErrUnknownValue.
func checkEnum[T enum, P enumPtr[T]](t *testing.T, want map[T]string, parse func(string) (T, error)) {
	t.Helper()
	for v, name := range want {
		if got := v.String(); got != name {
			t.Errorf("%T(%d).String() = %q, want %q", v, uint8(v), got, name)
		}
		b, err := v.MarshalText()
		if err != nil || string(b) != name {
			t.Errorf("%T(%d).MarshalText() = %q, %v, want %q, nil", v, uint8(v), b, err, name)
		}
		var got T
		if err := P(&got).UnmarshalText([]byte(name)); err != nil || got != v {
			t.Errorf("UnmarshalText(%q) = %v, %v, want %v, nil", name, got, err, v)
		}
		if parse != nil {
			if got, err := parse(name); err != nil || got != v {
				t.Errorf("parse(%q) = %v, %v, want %v, nil", name, got, err, v)
			}
		}
		// Through encoding/json, as records and contacts use them.
		js, err := json.Marshal(map[string]T{"v": v})
		if err != nil {
			t.Errorf("json.Marshal(%v) error = %v", v, err)
			continue
		}
		var back map[string]T
		if err := json.Unmarshal(js, &back); err != nil || back["v"] != v {
			t.Errorf("json round trip of %v = %v, %v", v, back["v"], err)
		}
	}

	var anyName string
	for _, n := range want {
		anyName = n
		break
	}
	unknown := []string{"", "bogus", "invalid(0)", strings.ToUpper(anyName), " " + anyName, anyName + " ",
		anyName + "\x00", "all_" + anyName}
	for _, s := range unknown {
		const sentinel = 200 // a value UnmarshalText must leave alone on error
		got := T(sentinel)
		err := P(&got).UnmarshalText([]byte(s))
		if !errors.Is(err, consent.ErrUnknownValue) {
			t.Errorf("UnmarshalText(%q) error = %v, want ErrUnknownValue", s, err)
		}
		var uv *consent.UnknownValueError
		if !errors.As(err, &uv) || uv.Value != s {
			t.Errorf("UnmarshalText(%q) error = %#v, want *UnknownValueError with Value %q", s, err, s)
		}
		if got != T(sentinel) {
			t.Errorf("UnmarshalText(%q) changed the receiver to %d", s, uint8(got))
		}
		if parse != nil {
			if _, err := parse(s); !errors.Is(err, consent.ErrUnknownValue) {
				t.Errorf("parse(%q) error = %v, want ErrUnknownValue", s, err)
			}
		}
	}

	// Every value outside the vocabulary (the zero value included, unless
	// it is a member) fails to marshal.
	for i := 0; i < 256; i++ {
		v := T(i)
		if _, ok := want[v]; ok {
			continue
		}
		if _, err := v.MarshalText(); !errors.Is(err, consent.ErrUnknownValue) {
			t.Errorf("%T(%d).MarshalText() error = %v, want ErrUnknownValue", v, i, err)
		}
		if got, w := v.String(), "invalid("; !strings.HasPrefix(got, w) {
			t.Errorf("%T(%d).String() = %q, want prefix %q", v, i, got, w)
		}
	}
}

func TestEnumText(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"purpose", func(t *testing.T) {
			checkEnum(t, map[consent.Purpose]string{
				consent.Transactional:       "transactional",
				consent.MarketingSimilar:    "marketing_similar",
				consent.MarketingGeneral:    "marketing_general",
				consent.MarketingThirdParty: "marketing_third_party",
				consent.ConsentRequest:      "consent_request",
				consent.FeedbackRequest:     "feedback_request",
				consent.CharitableAppeal:    "charitable_appeal",
				consent.AllMarketing:        "all_marketing",
			}, parseText[consent.Purpose])
		}},
		{"channel", func(t *testing.T) {
			checkEnum(t, map[consent.Channel]string{
				consent.Email:          "email",
				consent.SMS:            "sms",
				consent.VoiceLive:      "voice_live",
				consent.VoiceAutomated: "voice_automated",
				consent.Push:           "push",
				consent.Post:           "post",
				consent.AllChannels:    "all",
			}, parseText[consent.Channel])
		}},
		{"recipient kind", func(t *testing.T) {
			checkEnum(t, map[consent.RecipientKind]string{
				consent.Consumer:        "consumer",
				consent.BusinessNamed:   "business_named",
				consent.BusinessGeneric: "business_generic",
				consent.SoleTrader:      "sole_trader",
			}, parseText[consent.RecipientKind])
		}},
		{"sender kind", func(t *testing.T) {
			checkEnum(t, map[consent.SenderKind]string{
				consent.Company:             "company",
				consent.Charity:             "charity",
				consent.CharityLottery:      "charity_lottery",
				consent.PeriodicalPublisher: "periodical_publisher",
			}, parseText[consent.SenderKind])
		}},
		{"status", func(t *testing.T) {
			checkEnum(t, map[consent.Status]string{
				consent.Granted:   "granted",
				consent.Withdrawn: "withdrawn",
				consent.Objection: "objection",
			}, parseText[consent.Status])
		}},
		{"method", func(t *testing.T) {
			checkEnum(t, map[consent.Method]string{
				consent.UntickedCheckbox: "unticked_checkbox",
				consent.DoubleOptIn:      "double_opt_in",
				consent.SignedForm:       "signed_form",
				consent.RecordedVerbal:   "recorded_verbal",
				consent.Imported:         "imported",
				consent.PreTicked:        "pre_ticked",
				consent.MethodUnknown:    "unknown",
			}, parseText[consent.Method])
		}},
		{"parental (zero value is a member)", func(t *testing.T) {
			checkEnum(t, map[consent.Parental]string{
				consent.NoParental: "none",
				consent.ByParent:   "parent",
				consent.Joint:      "joint",
			}, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestEnumZeroValueInvalid(t *testing.T) {
	tests := []struct {
		name  string
		valid bool
	}{
		{"purpose", vocab.Valid(consent.Purpose(0))},
		{"channel", vocab.Valid(consent.Channel(0))},
		{"recipient kind", vocab.Valid(consent.RecipientKind(0))},
		{"sender kind", vocab.Valid(consent.SenderKind(0))},
		{"status", vocab.Valid(consent.Status(0))},
		{"method", vocab.Valid(consent.Method(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.valid {
				t.Errorf("zero %s is a member", tt.name)
			}
		})
	}
}

// members lists the text forms enum.Members derives from T's methods: the
// vocabularies of the rule language.
func members[T vocab.Vocabulary](limit T) []string {
	_, text := vocab.Members(limit)
	return text
}

func TestNameLists(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"purposes (no record scope)", members(consent.AllMarketing), []string{"transactional", "marketing_similar",
			"marketing_general", "marketing_third_party", "consent_request", "feedback_request", "charitable_appeal"}},
		{"channels (no record scope)", members(consent.AllChannels), []string{"email", "sms", "voice_live",
			"voice_automated", "push", "post"}},
		{"recipient kinds", members[consent.RecipientKind](0), []string{"consumer", "business_named",
			"business_generic", "sole_trader"}},
		{"sender kinds", members[consent.SenderKind](0), []string{"company", "charity", "charity_lottery", "periodical_publisher"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// allPurposes is every Purpose value from zero to one past the last.
func allPurposes() []consent.Purpose {
	var out []consent.Purpose
	for p := consent.Purpose(0); p <= consent.AllMarketing+1; p++ {
		out = append(out, p)
	}
	return out
}

func TestPurposeCovers(t *testing.T) {
	marketing := []consent.Purpose{consent.MarketingSimilar, consent.MarketingGeneral,
		consent.MarketingThirdParty, consent.ConsentRequest, consent.FeedbackRequest, consent.CharitableAppeal}
	tests := []struct {
		name   string
		scope  consent.Purpose
		covers []consent.Purpose // in numeric order
	}{
		{"zero covers nothing", 0, nil},
		{"transactional covers itself", consent.Transactional, []consent.Purpose{consent.Transactional}},
		{"marketing_similar covers itself only", consent.MarketingSimilar,
			[]consent.Purpose{consent.MarketingSimilar}},
		{"marketing_general covers similar, consent and feedback requests and appeals, not third party", consent.MarketingGeneral,
			[]consent.Purpose{consent.MarketingSimilar, consent.MarketingGeneral, consent.ConsentRequest,
				consent.FeedbackRequest, consent.CharitableAppeal}},
		{"charitable_appeal covers itself only, never selling", consent.CharitableAppeal,
			[]consent.Purpose{consent.CharitableAppeal}},
		{"marketing_third_party covers itself only", consent.MarketingThirdParty,
			[]consent.Purpose{consent.MarketingThirdParty}},
		{"consent_request covers itself only", consent.ConsentRequest, []consent.Purpose{consent.ConsentRequest}},
		{"feedback_request covers itself only", consent.FeedbackRequest, []consent.Purpose{consent.FeedbackRequest}},
		{"all_marketing covers every marketing purpose, not transactional nor itself", consent.AllMarketing, marketing},
		{"out of range covers nothing", consent.AllMarketing + 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []consent.Purpose
			for _, q := range allPurposes() {
				if tt.scope.Covers(q) {
					got = append(got, q)
				}
			}
			if diff := cmp.Diff(tt.covers, got); diff != "" {
				t.Errorf("%v.Covers mismatch (-want +got):\n%s", tt.scope, diff)
			}
		})
	}
}

func TestPurposeMarketing(t *testing.T) {
	tests := []struct {
		p    consent.Purpose
		want bool
	}{
		{0, false},
		{consent.Transactional, false},
		{consent.MarketingSimilar, true},
		{consent.MarketingGeneral, true},
		{consent.MarketingThirdParty, true},
		{consent.ConsentRequest, true},
		{consent.FeedbackRequest, true},
		{consent.AllMarketing, true},
		{consent.AllMarketing + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.p.String(), func(t *testing.T) {
			if got := tt.p.Marketing(); got != tt.want {
				t.Errorf("%v.Marketing() = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestChannelCovers(t *testing.T) {
	reals := []consent.Channel{consent.Email, consent.SMS, consent.VoiceLive, consent.VoiceAutomated,
		consent.Push, consent.Post}
	tests := []struct {
		name   string
		scope  consent.Channel
		covers []consent.Channel
	}{
		{"zero covers nothing", 0, nil},
		{"email covers itself", consent.Email, []consent.Channel{consent.Email}},
		{"sms covers itself", consent.SMS, []consent.Channel{consent.SMS}},
		{"voice_live covers itself, not automated calls", consent.VoiceLive, []consent.Channel{consent.VoiceLive}},
		{"voice_automated covers itself", consent.VoiceAutomated, []consent.Channel{consent.VoiceAutomated}},
		{"push covers itself", consent.Push, []consent.Channel{consent.Push}},
		{"post covers itself", consent.Post, []consent.Channel{consent.Post}},
		{"all covers every real channel, not itself", consent.AllChannels, reals},
		{"out of range covers nothing", consent.AllChannels + 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []consent.Channel
			for d := consent.Channel(0); d <= consent.AllChannels+1; d++ {
				if tt.scope.Covers(d) {
					got = append(got, d)
				}
			}
			if diff := cmp.Diff(tt.covers, got); diff != "" {
				t.Errorf("%v.Covers mismatch (-want +got):\n%s", tt.scope, diff)
			}
		})
	}
}

func TestStatusStops(t *testing.T) {
	tests := []struct {
		s    consent.Status
		want bool
	}{
		{0, false},
		{consent.Granted, false},
		{consent.Withdrawn, true},
		{consent.Objection, true},
		{consent.Objection + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.s.String(), func(t *testing.T) {
			if got := tt.s.Stops(); got != tt.want {
				t.Errorf("%v.Stops() = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestDefectString(t *testing.T) {
	tests := []struct {
		d    consent.Defect
		want string
	}{
		{consent.NoDefect, ""},
		{consent.DefectPreTicked, "pre_ticked"},
		{consent.DefectMethodUnknown, "method_unknown"},
		{consent.DefectUnproven, "unproven"},
		{consent.DefectUnconfirmed, "unconfirmed"},
		{consent.DefectMinor, "minor"},
		{consent.DefectObjectionPropagated, "objection_propagated"},
		{consent.DefectOnwardTransfer, "onward_partner_transfer"},
		{consent.DefectPartnerNotNamed, "partner_not_named"},
		{consent.DefectPartnerCategoryOnly, "partner_category_only"},
		{consent.DefectSenderAddedLater, "sender_added_after_consent"},
		{consent.DefectInvalidPartnerConsent, "invalid_partner_consent"},
		{consent.DefectNoIndividualProof, "no_individual_proof"},
		{consent.DefectNoIndividualProof + 1, "invalid(13)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("Defect(%d).String() = %q, want %q", uint8(tt.d), got, tt.want)
			}
		})
	}
}

func TestUnknownValueErrorClipsValue(t *testing.T) {
	long := strings.Repeat("x", 500)
	_, err := parseText[consent.Purpose](long)
	if !errors.Is(err, consent.ErrUnknownValue) {
		t.Fatalf("Purpose.UnmarshalText(long) error = %v, want ErrUnknownValue", err)
	}
	if msg := err.Error(); strings.Contains(msg, long[:41]) {
		t.Errorf("error message repeats more than 40 bytes of the input: %d bytes", len(msg))
	}
}
