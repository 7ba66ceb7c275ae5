package consent_test

import (
	"errors"
	"testing"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
)

// entitySpellings are spellings of one legal person that earlier versions
// told apart, each with the spelling a host would consider canonical.
var entitySpellings = []struct {
	name, a, b string
}{
	{"punctuation", "ACME S.A.S.", "Acme SAS"},
	{"non-breaking space", "Acme\u00a0SAS", "Acme SAS"},
	{"zero-width space", "Ac\u200bme SAS", "Acme SAS"},
	{"byte order mark", "\ufeffAcme SAS", "Acme SAS"},
	{"fullwidth letters", "ＡＣＭＥ ＳＡＳ", "Acme SAS"},
	{"NFD accents", "Socie\u0301te\u0301 Exemple", "Société Exemple"},
	{"full case folding", "STRASSE GmbH", "Straße GmbH"},
	{"capital sharp s", "STRAẞE GmbH", "strasse gmbh"},
	{"soft hyphen", "Ex\u00ademple SA", "Exemple SA"},
	{"spaces and tabs", " Acme\t SAS \n", "Acme SAS"},
}

// entityDifferent are names the key keeps apart.
var entityDifferent = []struct {
	name, a, b string
}{
	{"SA is not SAS", "Acme SA", "Acme SAS"},
	{"affiliate", "Maison Exemple SAS", "Maison Exemple Voyages SAS"},
	{"accents matter", "Société Exemple", "Societe Exemple"},
	{"symbols matter", "A+B Conseil", "AB Conseil"},
	{"digits matter", "Acme 2 SAS", "Acme SAS"},
}

func TestEntityKey(t *testing.T) {
	for _, tt := range entitySpellings {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := consent.EntityKey(tt.a), consent.EntityKey(tt.b)
			if ka != kb || ka == "" {
				t.Errorf("EntityKey(%q) = %q, EntityKey(%q) = %q, want equal", tt.a, ka, tt.b, kb)
			}
			if !consent.SameEntity(tt.a, tt.b) || !consent.SameEntity(tt.b, tt.a) {
				t.Errorf("SameEntity(%q, %q) = false in one direction", tt.a, tt.b)
			}
		})
	}
	for _, tt := range entityDifferent {
		t.Run(tt.name, func(t *testing.T) {
			if ka, kb := consent.EntityKey(tt.a), consent.EntityKey(tt.b); ka == kb {
				t.Errorf("EntityKey(%q) = EntityKey(%q) = %q, want different", tt.a, tt.b, ka)
			}
			if consent.SameEntity(tt.a, tt.b) || consent.SameEntity(tt.b, tt.a) {
				t.Errorf("SameEntity(%q, %q) = true", tt.a, tt.b)
			}
		})
	}
	if got := consent.EntityKey("ACME S.A.S."); got != "acmesas" {
		t.Errorf(`EntityKey("ACME S.A.S.") = %q, want "acmesas"`, got)
	}
}

// TestLedgerEntitySpellings: an objection to one spelling stops a send by
// another, and a grant to one spelling counts for another, both ways.
func TestLedgerEntitySpellings(t *testing.T) {
	q := func(sender string) consent.Query {
		return consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: sender, At: day(5), Address: addr(leaMail)}
	}
	for _, tt := range entitySpellings {
		for _, dir := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
			stored, asked := dir[0], dir[1]
			t.Run(tt.name+"/"+stored, func(t *testing.T) {
				g := with(grant("g-1", day(1)), func(r *consent.Record) { r.Sender = asked })
				o := with(withdrawal("o-1", day(2)), func(r *consent.Record) {
					r.Sender, r.Status, r.Purpose, r.Channel = stored, consent.Objection, consent.AllMarketing, consent.AllChannels
				})
				if s := mustLedger(t, g, o).State(q(asked)); !s.Objected() || s.StopID() != "o-1" {
					t.Errorf("objection to %q, send by %q: State = %+v, want the objection in force", stored, asked, s)
				}
				g.Sender = stored
				if s := mustLedger(t, g).State(q(asked)); !s.Consented() {
					t.Errorf("grant to %q, send by %q: not consented", stored, asked)
				}
			})
		}
	}
	for _, tt := range entityDifferent {
		t.Run(tt.name, func(t *testing.T) {
			g := with(grant("g-1", day(1)), func(r *consent.Record) { r.Sender = tt.b })
			o := with(withdrawal("o-1", day(2)), func(r *consent.Record) { r.Sender, r.Status = tt.a, consent.Objection })
			if s := mustLedger(t, g, o).State(q(tt.b)); !s.Consented() {
				t.Errorf("objection to %q, send by %q: State = %+v, want consent (another entity)", tt.a, tt.b, s)
			}
		})
	}
}

// TestQuerySenderWithoutKey: a query whose sender names no entity finds
// no record, whether or not a record's sender text is the query's own.
func TestQuerySenderWithoutKey(t *testing.T) {
	l := mustLedger(t, grant("g-1", day(1)))
	for _, name := range []string{"...", "", " - "} {
		q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: name, At: day(5), Address: addr(leaMail)}
		if s := l.State(q); s != (consent.State{}) {
			t.Errorf("State(sender %q) = %+v, want the zero State", name, s)
		}
	}
}

func TestRecordSenderWithoutKey(t *testing.T) {
	for _, name := range []string{"...", " - ", "\u200b\ufeff", "\u00a0"} {
		r := with(withdrawal("w-1", day(1)), func(r *consent.Record) { r.Sender = name })
		checkFieldError(t, r.Check(), "sender", consent.ErrInvalid)
	}
	m := consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email,
		Sender: consent.Sender{Entity: "—", Kind: consent.Company}, At: day(1)}
	checkFieldError(t, m.Check(), "message.sender.entity", consent.ErrInvalid)
}

func TestAliases(t *testing.T) {
	a, err := consent.NewAliases(
		[]string{"Maison Exemple SAS", "SIREN 000 000 001", "Maison Exemple"},
		[]string{"Autre Exemple SARL", "Autre Exemple"},
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		x, y string
		want bool
	}{
		{"Maison Exemple SAS", "SIREN 000000001", true},
		{"siren-000-000-001", "MAISON EXEMPLE", true},
		{"Maison Exemple S.A.S.", "Maison Exemple", true},
		{"Maison Exemple SAS", "Autre Exemple", false},
		{"Maison Exemple SAS", "Maison Exemple Voyages SAS", false},
		{"Unlisted Exemple", "unlisted exemple", true},
		{"Unlisted Exemple", "Maison Exemple", false},
	}
	for _, tt := range tests {
		if got := a.Same(tt.x, tt.y); got != tt.want {
			t.Errorf("Same(%q, %q) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
		if got := a.Same(tt.y, tt.x); got != tt.want {
			t.Errorf("Same(%q, %q) = %v, want %v", tt.y, tt.x, got, tt.want)
		}
	}
	var none *consent.Aliases
	if !none.Same("ACME S.A.S.", "Acme SAS") || none.Same("Maison Exemple SAS", "SIREN 000000001") {
		t.Errorf("nil Aliases: want plain key comparison")
	}

	// The ledger compares through the aliases of the query.
	o := with(withdrawal("o-1", day(2)), func(r *consent.Record) { r.Sender, r.Status = "SIREN 000000001", consent.Objection })
	l := mustLedger(t, grant("g-1", day(1)), o)
	q := consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: shop, At: day(5), Address: addr(leaMail)}
	if s := l.State(q); !s.Consented() {
		t.Errorf("without aliases: State = %+v, want consent (the identifier is another name)", s)
	}
	q.Aliases = a
	if s := l.State(q); !s.Objected() {
		t.Errorf("with aliases: State = %+v, want the objection to the company number in force", s)
	}
}

func TestNewAliasesErrors(t *testing.T) {
	tests := []struct {
		name   string
		groups [][]string
		field  string
	}{
		{"name in two groups", [][]string{{"Maison Exemple SAS", "Maison Exemple"}, {"Autre", "MAISON EXEMPLE S.A.S."}}, "aliases[1][1]"},
		{"name without key", [][]string{{"Maison Exemple SAS", "..."}}, "aliases[0][1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := consent.NewAliases(tt.groups...)
			checkFieldError(t, err, tt.field, consent.ErrInvalid)
		})
	}
	if _, err := consent.NewAliases([]string{"A SAS", "A"}, []string{"A sas", "a.sas"}); !errors.Is(err, consent.ErrInvalid) {
		t.Errorf("one key in two groups: error = %v", err)
	}
}

// TestEraseEntitySpellings: erasure writes one suppression per entity,
// however its name was spelt, and the objection it yields after a
// re-import stops every spelling of the sender.
func TestEraseEntitySpellings(t *testing.T) {
	kr, err := rights.NewKeyring(1, map[uint32][]byte{1: []byte("k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1")})
	if err != nil {
		t.Fatal(err)
	}
	c := consent.Contact{ID: "c-1", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris, Email: addr(leaMail)}
	if err := c.Records.Append(with(grant("g-1", day(1)), func(r *consent.Record) { r.Sender = "MAISON EXEMPLE S.A.S." })); err != nil {
		t.Fatal(err)
	}
	c.Relationship.Purchases = []consent.Interaction{{ID: "p-1", At: day(0), Seller: "Maison\u00a0Exemple SAS"}}
	er, err := rights.Erase(&c, kr, nil, day(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(er.Suppressions) != 1 {
		t.Fatalf("Erase() made %d suppressions, want 1 (one entity, one address): %+v", len(er.Suppressions), er.Suppressions)
	}
	s, ok := er.Suppressions.Match(email("Lea.Martin@example.com"), kr)
	if !ok {
		t.Fatal("re-imported address does not match the suppression")
	}
	back := mustLedger(t, with(grant("g-2", day(4)), func(r *consent.Record) { r.Sender = "Maison\u200bExemple SAS" }),
		s.Objection("sup-1", day(5)))
	for _, sender := range []string{shop, "maison exemple s.a.s.", "ＭＡＩＳＯＮ ＥＸＥＭＰＬＥ ＳＡＳ"} {
		st := back.State(consent.Query{Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: sender, At: day(6), Address: addr(leaMail)})
		if !st.Objected() {
			t.Errorf("send by %q after re-import: State = %+v, want the suppression's objection in force", sender, st)
		}
	}
}
