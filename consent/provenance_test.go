package consent_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
)

// Fictional parties of the partner-data tests.
const (
	isp    = "Fournisseur Exemple SA" // the collector
	ispID  = "SIREN 000000001"
	broker = "Courtier Exemple SAS"
	shopID = "SIREN 000000002" // shop's identifier
)

// partnerGrant is an e-mail grant to shop, collected by isp with a
// separate box, a list shown inline naming shop by identifier, and the
// person's own submission kept: indirect consent with no defect.
func partnerGrant(id string, at time.Time) consent.Record {
	r := grant(id, at)
	r.Provenance = &consent.Provenance{
		Collector: consent.Party{Entity: isp, ID: ispID},
		Partners: consent.Partners{Version: "v3", Shown: consent.ShownInline,
			Entries: []consent.Partner{{Entity: other, ID: "SIREN 000000003"}, {Entity: shop, ID: shopID}}},
		Separate:        true,
		IndividualProof: "proof/submission-1",
		ObtainedAt:      at.AddDate(0, 0, 2),
	}
	return r
}

// edit returns r with its provenance copied and changed by f.
func edit(r consent.Record, f func(p *consent.Provenance)) consent.Record {
	p := *r.Provenance
	p.Chain = append([]consent.Party(nil), p.Chain...)
	p.Partners.Entries = append([]consent.Partner(nil), p.Partners.Entries...)
	f(&p)
	r.Provenance = &p
	return r
}

func TestProvenanceCheck(t *testing.T) {
	at := day(0)
	tests := []struct {
		name  string
		rec   consent.Record
		field string
		want  error
	}{
		{"on a withdrawal", func() consent.Record {
			r := withdrawal("w", at)
			r.Provenance = &consent.Provenance{Collector: consent.Party{Entity: isp}}
			return r
		}(), "provenance", consent.ErrInvalid},
		{"no collector", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Collector = consent.Party{} }),
			"provenance.collector.entity", consent.ErrMissing},
		{"collector names nothing", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Collector.Entity = "- -" }),
			"provenance.collector.entity", consent.ErrInvalid},
		{"collector id names nothing", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Collector.ID = "…" }),
			"provenance.collector.id", consent.ErrInvalid},
		{"chain entry unnamed", edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Chain = []consent.Party{{Entity: isp}, {ID: "SIREN 000000004"}}
		}), "provenance.chain[1].entity", consent.ErrMissing},
		{"chain not from the collector", edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Chain = []consent.Party{{Entity: broker}}
		}), "provenance.chain[0]", consent.ErrInvalid},
		{"chain too long", edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Chain = make([]consent.Party, 17)
		}), "provenance.chain", consent.ErrTooLarge},
		{"entry without id", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Partners.Entries[1].ID = "" }),
			"provenance.partners.entries[1].id", consent.ErrMissing},
		{"entry unnamed", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Partners.Entries[0].Entity = "" }),
			"provenance.partners.entries[0].entity", consent.ErrMissing},
		{"list shown without entries", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Partners.Entries = nil }),
			"provenance.partners.entries", consent.ErrMissing},
		{"list shown undefined", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Partners.Shown = 9 }),
			"provenance.partners.shown", consent.ErrUnknownValue},
		{"too many entries", edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries = make([]consent.Partner, 1001)
		}), "provenance.partners.entries", consent.ErrTooLarge},
		{"obtained before collection", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.ObtainedAt = at.Add(-time.Hour) }),
			"provenance.obtained_at", consent.ErrInvalid},
		{"notice before obtained", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.NoticeSentAt = at.AddDate(0, 0, 1) }),
			"provenance.notice_sent_at", consent.ErrInvalid},
		{"notice year", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.NoticeSentAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }),
			"provenance.notice_sent_at", consent.ErrInvalid},
		{"proof too long", edit(partnerGrant("g", at), func(p *consent.Provenance) { p.IndividualProof = string(make([]byte, 2049)) }),
			"provenance.individual_proof", consent.ErrTooLarge},
		{"entry added_at year", edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries[0].AddedAt = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
		}), "provenance.partners.entries[0].added_at", consent.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFieldError(t, tt.rec.Check(), tt.field, tt.want)
			if _, err := consent.NewLedger(tt.rec); err == nil {
				t.Errorf("NewLedger accepted the record")
			}
		})
	}
	if err := partnerGrant("g", at).Check(); err != nil {
		t.Errorf("valid partner grant: Check() = %v", err)
	}
}

// TestProvenanceNotModified: validating a record never changes the
// caller's provenance, though the ledger keeps its times in UTC.
func TestProvenanceNotModified(t *testing.T) {
	r := partnerGrant("g", day(0))
	r.Provenance.ObtainedAt = r.Provenance.ObtainedAt.In(paris)
	before := *r.Provenance
	l := mustLedger(t, r)
	if r.Provenance.ObtainedAt.Location() != paris || r.Provenance.ObtainedAt != before.ObtainedAt {
		t.Errorf("the caller's provenance was modified")
	}
	for got := range l.All() {
		if loc := got.Provenance.ObtainedAt.Location(); loc != time.UTC {
			t.Errorf("stored obtained_at in %v, want UTC", loc)
		}
	}
}

func TestProvenanceJSONRoundTrip(t *testing.T) {
	r := edit(partnerGrant("g", day(0)), func(p *consent.Provenance) {
		p.Chain = []consent.Party{{Entity: isp, ID: ispID}}
		p.Partners.Entries[1].AddedAt = day(-3)
		p.Partners.Category = "partenaires (ameublement, voyage)"
		p.NoticeSentAt = day(4)
		p.Bundled, p.AsymmetricChoice = true, true
	})
	r.Provenance.Partners.Shown = consent.ShownLink
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got consent.Record
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal(%s) = %v", b, err)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	a, b2 := mustLedger(t, r), mustLedger(t, got)
	if !a.Equal(*b2) {
		t.Errorf("ledgers of equal records differ")
	}
	if c := mustLedger(t, edit(r, func(p *consent.Provenance) { p.Separate = false })); a.Equal(*c) {
		t.Errorf("ledgers of records with different provenance are equal")
	}
}

func TestProvenanceJSONStrict(t *testing.T) {
	base := `{"id":"g","subject":"lea.martin@example.com","purpose":"marketing_general","channel":"email",` +
		`"sender":"Maison Exemple SAS","status":"granted","at":"2025-01-10T09:00:00Z","method":"unticked_checkbox",` +
		`"provenance":`
	tests := []struct {
		name, prov, field string
		want              error
	}{
		{"unknown key", `{"collector":{"entity":"X"},"colour":1}`, "provenance.colour", consent.ErrUnknownField},
		{"case variant", `{"collector":{"entity":"X"},"Separate":true}`, "provenance.Separate", consent.ErrUnknownField},
		{"duplicate", `{"collector":{"entity":"X"},"separate":true,"separate":false}`, "provenance.separate", consent.ErrDuplicateKey},
		{"nested unknown", `{"collector":{"entity":"X","siren":"1"}}`, "provenance.collector.siren", consent.ErrUnknownField},
		{"entry unknown", `{"collector":{"entity":"X"},"partners":{"shown":"inline","entries":[{"entity":"A","id":"1","x":1}]}}`,
			"provenance.partners.entries[0].x", consent.ErrUnknownField},
		{"shown unknown", `{"collector":{"entity":"X"},"partners":{"shown":"popup","entries":[{"entity":"A","id":"1"}]}}`,
			"provenance.partners.shown", consent.ErrUnknownValue},
		{"missing collector", `{}`, "provenance.collector.entity", consent.ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r consent.Record
			err := json.Unmarshal([]byte(base+tt.prov+`}`), &r)
			checkFieldError(t, err, tt.field, tt.want)
		})
	}
	var r consent.Record
	if err := json.Unmarshal([]byte(base+`null}`), &r); err != nil || r.Provenance != nil {
		t.Errorf("provenance null: %v, %+v", err, r.Provenance)
	}
}

func TestPartnerDefects(t *testing.T) {
	at := day(0)
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(30)}
	objectionAt := func(sender string, when time.Time, ch consent.Channel) consent.Record {
		return consent.Record{ID: "o-" + sender, Purpose: consent.MarketingGeneral, Channel: ch, Sender: sender,
			Status: consent.Objection, At: when}
	}
	tests := []struct {
		name     string
		recs     []consent.Record
		aliases  [][]string
		want     consent.Defect
		indirect bool
	}{
		{"named, separate, proven", []consent.Record{partnerGrant("g", at)}, nil, consent.NoDefect, true},
		{"named by identifier only", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries[1].Entity = "Exemple Maison"
		})}, [][]string{{shop, shopID}}, consent.NoDefect, true},
		{"identifier without the host's alias", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries[1].Entity = "Exemple Maison"
		})}, nil, consent.DefectPartnerNotNamed, true},
		{"direct: the sender collected it", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Collector = consent.Party{Entity: "MAISON EXEMPLE S.A.S."}
			p.Separate, p.IndividualProof = false, ""
		})}, nil, consent.NoDefect, false},
		{"direct: the collector's id is an alias of the sender", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Collector = consent.Party{Entity: shopID}
			p.Partners = consent.Partners{}
		})}, [][]string{{shop, shopID}}, consent.NoDefect, false},
		{"objection to the collector after the grant", []consent.Record{partnerGrant("g", at), objectionAt("fournisseur exemple sa", day(5), consent.Email)},
			nil, consent.DefectObjectionPropagated, true},
		{"objection to the collector by its identifier, all channels", []consent.Record{partnerGrant("g", at), objectionAt(ispID, day(5), consent.AllChannels)},
			nil, consent.DefectObjectionPropagated, true},
		{"objection to the collector at the grant's instant", []consent.Record{partnerGrant("g", at), objectionAt(isp, at, consent.Email)},
			nil, consent.DefectObjectionPropagated, true},
		{"objection to the collector on another channel", []consent.Record{partnerGrant("g", at), objectionAt(isp, day(5), consent.SMS)},
			nil, consent.NoDefect, true},
		{"objection to the collector before the grant", []consent.Record{partnerGrant("g", at), objectionAt(isp, day(-5), consent.Email)},
			nil, consent.NoDefect, true},
		{"objection to the collector after the instant asked", []consent.Record{partnerGrant("g", at), objectionAt(isp, day(31), consent.Email)},
			nil, consent.NoDefect, true},
		{"objection to another company", []consent.Record{partnerGrant("g", at), objectionAt(broker, day(5), consent.Email)},
			nil, consent.NoDefect, true},
		{"objection to a chain member", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Chain = []consent.Party{{Entity: isp, ID: ispID}, {Entity: broker}}
		}), objectionAt(broker, day(5), consent.Email)}, nil, consent.DefectObjectionPropagated, true},
		{"withdrawal of partners' offers at the collector", []consent.Record{partnerGrant("g", at), {ID: "w", Purpose: consent.MarketingThirdParty,
			Channel: consent.Email, Sender: isp, Status: consent.Withdrawn, At: day(6)}}, nil, consent.DefectObjectionPropagated, true},
		{"withdrawal of the collector's similar offers only", []consent.Record{partnerGrant("g", at), {ID: "w", Purpose: consent.MarketingSimilar,
			Channel: consent.Email, Sender: isp, Status: consent.Withdrawn, At: day(6)}}, nil, consent.NoDefect, true},
		{"onward transfer", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Chain = []consent.Party{{Entity: isp, ID: ispID}, {Entity: broker}}
		})}, nil, consent.DefectOnwardTransfer, true},
		{"chain of the collector alone", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Chain = []consent.Party{{Entity: ispID}}
		})}, nil, consent.NoDefect, true},
		{"not on the list", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries = p.Partners.Entries[:1]
		})}, nil, consent.DefectPartnerNotNamed, true},
		{"list not shown at collection", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Shown = 0
		})}, nil, consent.DefectPartnerNotNamed, true},
		{"no designation at all", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners = consent.Partners{}
		})}, nil, consent.DefectPartnerNotNamed, true},
		{"category only", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners = consent.Partners{Category: "selected third parties"}
		})}, nil, consent.DefectPartnerCategoryOnly, true},
		{"category and a list without the sender", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries = p.Partners.Entries[:1]
			p.Partners.Category = "partenaires"
		})}, nil, consent.DefectPartnerCategoryOnly, true},
		{"added after the grant", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries[1].AddedAt = at.Add(time.Second)
		})}, nil, consent.DefectSenderAddedLater, true},
		{"added before the grant", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) {
			p.Partners.Entries[1].AddedAt = at
		})}, nil, consent.NoDefect, true},
		{"not separate", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Separate = false })},
			nil, consent.DefectInvalidPartnerConsent, true},
		{"bundled with a contest", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) { p.Bundled = true })},
			nil, consent.DefectInvalidPartnerConsent, true},
		{"asymmetric choice", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) { p.AsymmetricChoice = true })},
			nil, consent.DefectInvalidPartnerConsent, true},
		{"template form only", []consent.Record{edit(partnerGrant("g", at), func(p *consent.Provenance) { p.IndividualProof = "" })},
			nil, consent.DefectNoIndividualProof, true},
		{"partner defects before the others", []consent.Record{func() consent.Record {
			r := edit(partnerGrant("g", at), func(p *consent.Provenance) { p.IndividualProof = "" })
			r.Method = consent.PreTicked
			return r
		}()}, nil, consent.DefectNoIndividualProof, true},
		{"a sound partner grant with a pre-ticked box", []consent.Record{func() consent.Record {
			r := partnerGrant("g", at)
			r.Method = consent.PreTicked
			return r
		}()}, nil, consent.DefectPreTicked, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := consent.NewAliases(tt.aliases...)
			if err != nil {
				t.Fatal(err)
			}
			q := q
			q.Aliases = a
			s := mustLedger(t, tt.recs...).State(q)
			if got := s.Defect; got != tt.want {
				t.Errorf("Defect = %v, want %v", got, tt.want)
			}
			if got, want := s.Consented(), tt.want == consent.NoDefect; got != want {
				t.Errorf("Consented() = %v, want %v", got, want)
			}
			if got := s.Indirect(); got != tt.indirect {
				t.Errorf("Indirect() = %v, want %v", got, tt.indirect)
			}
		})
	}
}

// TestPartnerDefectLaterDirectGrant: a later direct grant counts whatever
// the defects of an earlier partner grant; an earlier direct grant still
// counts when a later partner grant does not.
func TestPartnerDefectDirectGrants(t *testing.T) {
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(30)}
	bad := edit(partnerGrant("p", day(0)), func(p *consent.Provenance) { p.Separate = false })
	s := mustLedger(t, bad, grant("d", day(5))).State(q)
	if !s.Consented() || s.GrantID() != "d" || s.Indirect() {
		t.Errorf("later direct grant: Consented %v, GrantID %q, Indirect %v", s.Consented(), s.GrantID(), s.Indirect())
	}
	bad.At, bad.Provenance.ObtainedAt = day(6), day(7)
	s = mustLedger(t, grant("d", day(5)), bad).State(q)
	if !s.Consented() || s.GrantID() != "d" || s.Indirect() {
		t.Errorf("earlier direct grant: Consented %v, GrantID %q, Indirect %v", s.Consented(), s.GrantID(), s.Indirect())
	}
}

func TestStateProvenanceAccessors(t *testing.T) {
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(30)}
	r := edit(partnerGrant("g", day(0)), func(p *consent.Provenance) { p.NoticeSentAt = day(3) })
	r.OptOutOffered = true
	s := mustLedger(t, r).State(q)
	obtained, noticed := s.Obtained()
	if diff := cmp.Diff([]any{consent.Party{Entity: isp, ID: ispID}, day(2), day(3), true},
		[]any{s.Collector(), obtained, noticed, s.InformedAtCollection()}); diff != "" {
		t.Errorf("accessors (-want +got):\n%s", diff)
	}
	// Unknown obtained: the grant's instant; no opt-out offered: not informed.
	r = edit(partnerGrant("g", day(0)), func(p *consent.Provenance) { p.ObtainedAt = time.Time{} })
	s = mustLedger(t, r).State(q)
	if obtained, noticed := s.Obtained(); !obtained.Equal(day(0)) || !noticed.IsZero() || s.InformedAtCollection() {
		t.Errorf("Obtained() = %v, %v; InformedAtCollection %v", obtained, noticed, s.InformedAtCollection())
	}
	// Category only, opt-out offered: informed (post and live calls), but no consent.
	r = edit(partnerGrant("g", day(0)), func(p *consent.Provenance) { p.Partners = consent.Partners{Category: "partenaires"} })
	r.OptOutOffered = true
	s = mustLedger(t, r).State(q)
	if !s.InformedAtCollection() || s.Consented() || s.Collector().Entity != isp {
		t.Errorf("category only: InformedAtCollection %v, Consented %v, Collector %v", s.InformedAtCollection(), s.Consented(), s.Collector())
	}
	// A list that does not name the sender, or named it only after the
	// person was told: not informed of this sender; with a category too:
	// informed by the category.
	for name, f := range map[string]func(p *consent.Provenance){
		"list without the sender":        func(p *consent.Provenance) { p.Partners.Entries = p.Partners.Entries[:1] },
		"sender added to the list later": func(p *consent.Provenance) { p.Partners.Entries[1].AddedAt = day(1) },
	} {
		r = edit(partnerGrant("g", day(0)), f)
		r.OptOutOffered = true
		if s := mustLedger(t, r).State(q); s.InformedAtCollection() {
			t.Errorf("%s: InformedAtCollection true", name)
		}
		r = edit(r, func(p *consent.Provenance) { p.Partners.Category = "partenaires" })
		if s := mustLedger(t, r).State(q); !s.InformedAtCollection() {
			t.Errorf("%s, and a category: InformedAtCollection false", name)
		}
	}
	// A direct grant: nothing.
	s = mustLedger(t, grant("d", day(0))).State(q)
	if obtained, _ := s.Obtained(); s.Indirect() || s.InformedAtCollection() || s.Collector() != (consent.Party{}) || !obtained.IsZero() {
		t.Errorf("direct grant: accessors not zero")
	}
}

// TestProvenanceConflict: two grants claiming one id that differ only by
// their provenance are a conflict, never one silently kept.
func TestProvenanceConflict(t *testing.T) {
	a := partnerGrant("g", day(0))
	b := edit(a, func(p *consent.Provenance) { p.IndividualProof = "" })
	var l consent.Ledger
	err := l.Append(a, b)
	var ce *consent.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("Append() = %v, want a *ConflictError", err)
	}
	if l.Len() != 2 {
		t.Errorf("Len() = %d, want 2", l.Len())
	}
	if err := l.Append(a); err != nil { // the same record again adds nothing
		t.Errorf("Append(same) = %v", err)
	}
}

// TestNamesakeCollector: a collector with the sender's name and a legal
// identifier the host did not declare for the sender is another legal
// person (the grant is indirect); with the sender's declared identifier,
// or with no aliases declared, the name decides.
func TestNamesakeCollector(t *testing.T) {
	declared, err := consent.NewAliases([]string{shop, "SIREN 000000012"})
	if err != nil {
		t.Fatal(err)
	}
	namesOnly, err := consent.NewAliases([]string{shop, "Maison Exemple"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		aliases  *consent.Aliases
		id       string
		indirect bool
	}{
		{"another identifier than the one declared", declared, "SIREN 000000099", true},
		{"the declared identifier, spelt otherwise", declared, "siren 000000012", false},
		{"no identifier recorded", declared, "", false},
		{"no aliases declared", nil, "SIREN 000000099", false},
		{"aliases without an identifier", namesOnly, "SIREN 000000099", true},
	} {
		r := edit(partnerGrant("g", day(0)), func(p *consent.Provenance) {
			p.Collector = consent.Party{Entity: shop, ID: tc.id}
		})
		q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(30), Aliases: tc.aliases}
		if got := mustLedger(t, r).State(q).Indirect(); got != tc.indirect {
			t.Errorf("%s: Indirect = %v, want %v", tc.name, got, tc.indirect)
		}
	}
}
