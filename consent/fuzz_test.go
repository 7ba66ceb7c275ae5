package consent_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func FuzzParseEnums(f *testing.F) {
	for _, s := range []string{"", "email", "all", "marketing_general", "all_marketing", "transactional",
		"consumer", "sole_trader", "company", "charity", "charity_lottery", "periodical_publisher", "granted", "withdrawn", "objection", "double_opt_in",
		"unknown", "pre_ticked", "signature", "automated_means", "not_purchase_condition", "none", "parent", "joint", "FR", "fr", " gb ", "UK", "uk", "XX", "EU", "250",
		"FRA", "F", "invalid(0)", "Email", "email ", "\x00", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParse(t, "Purpose.UnmarshalText", s, parseText[consent.Purpose])
		checkParse(t, "Channel.UnmarshalText", s, parseText[consent.Channel])
		checkParse(t, "RecipientKind.UnmarshalText", s, parseText[consent.RecipientKind])
		checkParse(t, "SenderKind.UnmarshalText", s, parseText[consent.SenderKind])
		checkParse(t, "Status.UnmarshalText", s, parseText[consent.Status])
		checkParse(t, "Method.UnmarshalText", s, parseText[consent.Method])
		var term consent.Term
		if err := term.UnmarshalText([]byte(s)); err == nil {
			if b, err := term.MarshalText(); err != nil || string(b) != s || term.String() != s {
				t.Errorf("Term.UnmarshalText(%q) = %v: MarshalText %q, %v", s, term, b, err)
			}
		} else if term != consent.NoTerm {
			t.Errorf("Term.UnmarshalText(%q) set %v with error %v", s, term, err)
		}

		var p consent.Parental
		if err := p.UnmarshalText([]byte(s)); err == nil {
			if p.String() != s {
				t.Errorf("Parental.UnmarshalText(%q) = %v, whose String() differs", s, p)
			}
			if b, err := p.MarshalText(); err != nil || string(b) != s {
				t.Errorf("Parental(%q).MarshalText() = %q, %v", s, b, err)
			}
		}

		c, err := address.ParseCountry(s)
		if err != nil {
			if !c.IsZero() {
				t.Errorf("ParseCountry(%q) returned %v with error %v", s, c, err)
			}
			return
		}
		if c.IsZero() || len(c.String()) != 2 || c.String() != strings.ToUpper(c.String()) {
			t.Errorf("ParseCountry(%q) = %q, not a two-letter upper-case code", s, c)
		}
		if again, err := address.ParseCountry(c.String()); err != nil || again != c {
			t.Errorf("ParseCountry(%q) = %v, but ParseCountry(%q) = %v, %v", s, c, c, again, err)
		}
		if b, err := c.MarshalText(); err != nil || string(b) != c.String() {
			t.Errorf("Country(%q).MarshalText() = %q, %v", c, b, err)
		}
	})
}

// checkParse checks that a successful parse round-trips through String and
// MarshalText, and that a failure returns the zero value.
func checkParse[T interface {
	comparable
	String() string
	MarshalText() ([]byte, error)
}](t *testing.T, name, s string, parse func(string) (T, error)) {
	t.Helper()
	v, err := parse(s)
	var zero T
	if err != nil {
		if v != zero {
			t.Errorf("%s(%q) returned %v with error %v", name, s, v, err)
		}
		return
	}
	if v == zero {
		t.Errorf("%s(%q) returned the zero value without error", name, s)
	}
	if v.String() != s {
		t.Errorf("%s(%q) = %v, whose String() is %q", name, s, v, v.String())
	}
	if again, err := parse(v.String()); err != nil || again != v {
		t.Errorf("%s(%q) = %v, %v: does not round-trip", name, v.String(), again, err)
	}
	if b, err := v.MarshalText(); err != nil || string(b) != s {
		t.Errorf("%s(%q).MarshalText() = %q, %v", name, s, b, err)
	}
}

func FuzzRecordJSON(f *testing.F) {
	f.Add(mustJSON(f, fullRecord()))
	f.Add(mustJSON(f, withdrawal("w-1", t0)))
	f.Add([]byte(`{"id":"o-1","purpose":"all_marketing","channel":"all","sender":"S","status":"objection",` +
		`"at":"2025-01-10T09:00:00+01:00","subject":"+33 6 39 98 00 01"}`))
	f.Add([]byte(`{"id":"g-1","subject":" Lea.Martin@EXAMPLE.COM ","purpose":"marketing_general","channel":"email",` +
		`"sender":"Maison Exemple SAS","status":"granted","at":"2025-01-10T10:00:00+01:00","method":"signed_form"}`))
	f.Add([]byte(`{"id":"g-1","subject":"lea@example.com","purpose":"marketing_general","channel":"all",` +
		`"sender":"S","status":"granted","at":"2025-01-10T09:00:00Z","method":"signed_form"}`))
	f.Add([]byte(`{"id":"g-1","subject":"06 39 98 00 01","purpose":"marketing_general","channel":"sms",` +
		`"sender":"S","status":"granted","at":"2025-01-10T09:00:00Z","method":"signed_form"}`))
	f.Add([]byte(`{"id":"g-us","subject":"+12125550123","purpose":"marketing_general","channel":"sms","sender":"Example Wireless Inc.",` +
		`"status":"granted","at":"2026-01-10T09:00:00Z","method":"unticked_checkbox","terms":["signature","automated_means","not_purchase_condition"]}`))
	f.Add([]byte(`{"id":"g-us","subject":"+12125550123","purpose":"marketing_general","channel":"sms","sender":"S",` +
		`"status":"granted","at":"2026-01-10T09:00:00Z","method":"signed_form","terms":["automated_means","automated_means"]}`))
	f.Add([]byte(`{"id":"w-us","purpose":"marketing_general","channel":"sms","sender":"S","status":"withdrawn",` +
		`"at":"2026-01-10T09:00:00Z","terms":[]}`))
	f.Add([]byte(`{"id":"g-p","subject":"lea@example.com","purpose":"marketing_general","channel":"email","sender":"S",` +
		`"status":"granted","at":"2026-01-10T09:00:00Z","method":"unticked_checkbox","provenance":{"collector":{"entity":"C","id":"SIREN 1"},` +
		`"chain":[{"entity":"C"},{"entity":"B"}],"partners":{"version":"v3","shown":"link","entries":[{"entity":"S","id":"SIREN 2",` +
		`"added_at":"2026-02-01T00:00:00+01:00"}],"category":"partenaires"},"separate":true,"bundled":false,"asymmetric_choice":true,` +
		`"individual_proof":"p","obtained_at":"2026-01-12T00:00:00+01:00","notice_sent_at":"2026-01-13T00:00:00Z"}}`))
	f.Add([]byte(`{"id":"g-p","subject":"lea@example.com","purpose":"marketing_general","channel":"email","sender":"S",` +
		`"status":"granted","at":"2026-01-10T09:00:00Z","method":"unticked_checkbox","provenance":{"collector":{"entity":"C"},"Chain":[]}}`))
	f.Add([]byte(`{"id":"g-1","purpose":"spam"}`))
	f.Add([]byte(`{"id":"w-1","colour":"blue"}`))
	f.Add([]byte(`{"ID":"w-1","Purpose":"marketing_general","CHANNEL":"sms","sender":"S","status":"withdrawn",` +
		`"at":"2025-01-10T09:00:00Z","parental_consent":"none","method":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r consent.Record
		if err := json.Unmarshal(b, &r); err != nil {
			return
		}
		if foldedDuplicate(b) {
			t.Fatalf("decoded a record with a key given twice or in two cases: %s", b)
		}
		if string(b) == "null" {
			return // a JSON null leaves the record alone
		}
		if err := r.Check(); err != nil {
			t.Fatalf("decoded record %+v does not validate: %v", r, err)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("json.Marshal(%+v) error = %v", r, err)
		}
		var again consent.Record
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("json.Unmarshal(%s) of an encoded record error = %v", out, err)
		}
		if diff := cmp.Diff(r, again); diff != "" {
			t.Errorf("round trip mismatch (-first +second):\n%s", diff)
		}
		if !sameRepresentation(again, r) {
			t.Errorf("round trip changed the representation:\nfirst  %+v\nsecond %+v", r, again)
		}
	})
}

func FuzzInteractionJSON(f *testing.F) {
	f.Add([]byte(`{"id":"p-1","at":"2025-01-10T09:00:00Z","seller":"S","category":"tea",` +
		`"collected":["Lea@Example.COM","+33 6 39 98 00 01"],"opt_out_offered":true,"refused":true}`))
	f.Add([]byte(`{"id":"p-1","at":"2025-01-10T09:00:00Z","seller":"S","collected":["email","sms"]}`))
	f.Add([]byte(`{"id":"p-1","at":"2025-01-10T09:00:00Z","seller":"S","collected":["06 39 98 00 01"]}`))
	f.Add([]byte(`{"id":"p-1","collected":null,"refused":false}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var e consent.Interaction
		err := json.Unmarshal(b, &e)
		if err != nil {
			var fe *consent.FieldError
			var se *json.SyntaxError
			if !errors.As(err, &fe) && !errors.As(err, &se) {
				t.Errorf("error %v (%T) is not a *consent.FieldError", err, err)
			}
			return
		}
		for _, a := range e.Collected {
			if a.IsZero() {
				t.Fatalf("decoded %s with a zero address", b)
			}
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("json.Marshal(%+v) error = %v", e, err)
		}
		var again consent.Interaction
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("json.Unmarshal(%s) of an encoded interaction error = %v", out, err)
		}
		if diff := cmp.Diff(e, again); diff != "" {
			t.Errorf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}

// FuzzSendJSON: a send decodes strictly or fails with a *FieldError; a
// valid one survives a round trip unchanged, and an invalid one is a
// *FieldError from Validate.
func FuzzSendJSON(f *testing.F) {
	f.Add([]byte(`{"at":"2026-03-02T10:15:00+01:00","channel":"email","purpose":"marketing_general","sender":"Maison Exemple SAS"}`))
	f.Add([]byte(`{"at":"2026-03-02T10:15:00Z","channel":"all","purpose":"all_marketing","sender":" - "}`))
	f.Add([]byte(`{"at":"2026-03-02T10:15:00Z","channel":"sms","Channel":"push","purpose":"transactional","sender":"S"}`))
	f.Add([]byte(`{"at":null,"channel":"voice_live","purpose":"consent_request","sender":"S","opened":true}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s consent.Send
		if err := json.Unmarshal(b, &s); err != nil {
			var fe *consent.FieldError
			var se *json.SyntaxError
			if !errors.As(err, &fe) && !errors.As(err, &se) {
				t.Errorf("error %v (%T) is not a *consent.FieldError", err, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			var fe *consent.FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Errorf("Validate() error %v (%T) is not a *consent.FieldError naming its field", err, err)
			}
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json.Marshal(%+v) error = %v", s, err)
		}
		var again consent.Send
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("json.Unmarshal(%s) of an encoded send error = %v", out, err)
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Errorf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}

func FuzzContactJSON(f *testing.F) {
	f.Add(mustJSON(f, fullContactJSON()))
	f.Add([]byte(`{"id":"c-1","kind":"sole_trader","country":"BE","time_zone":"Europe/Brussels","records":[]}`))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"uk","time_zone":"UTC","birth_date":"2012-09-01",` +
		`"phone":"+44 7700 900123","relationship":{"purchases":[]},"records":null}`))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","phone":"06 39 98 00 01",` +
		`"relationship":{"purchases":[{"id":"p","at":"2025-01-10T09:00:00Z","seller":"S",` +
		`"collected":["06 39 98 00 01","Lea@Example.COM"],"refused":true}]},` +
		`"records":[{"id":"g","subject":"06.39.98.00.01","purpose":"marketing_general","channel":"sms",` +
		`"sender":"S","status":"granted","at":"2025-01-10T09:00:00Z","method":"signed_form"}]}`))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"GB","time_zone":"UTC","relationship":{"inquiries":` +
		`[{"id":"q","at":"2025-01-10T09:00:00Z","seller":"S","collected":["email","sms"]}]}}`))
	f.Add(mustJSON(f, publishedContactJSON()))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"NL","time_zone":"Europe/Amsterdam",` +
		`"published_for_marketing":["info@voorbeeld-bv.example"]}`))
	f.Add([]byte(`{"id":"c-1","kind":"business_named","country":"NL","time_zone":"Europe/Amsterdam",` +
		`"published_for_marketing":["push:com.example.shop/inst-1","020 555 0101",""]}`))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"ES","region":"ES-MD","time_zone":"Europe/Madrid",` +
		`"email":"lucia@example.es","phone":"+34 600 555 001","registries":[{"registry":"robinson","number":"Lucia@Example.ES",` +
		`"listed":true,"checked_at":"2026-03-01T08:00:00Z"},{"registry":"robinson","number":"+34600555001",` +
		`"checked_at":"2026-03-01T08:00:00Z"},{"registry":"tps","number":"lucia@example.es","checked_at":"2026-03-01T08:00:00Z"}]}`))
	f.Add([]byte(`{"id":"c-1","kind":"alien","country":"XX","time_zone":"Local"}`))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","birth_date":"1990-02-30"}`))
	f.Add([]byte(`{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","shoe_size":42}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c consent.Contact
		if err := json.Unmarshal(b, &c); err != nil {
			return
		}
		if foldedDuplicate(b) {
			t.Fatalf("decoded a contact with a key given twice or in two cases: %s", b)
		}
		if string(b) == "null" {
			return
		}
		if err := c.Check(); err != nil {
			t.Fatalf("decoded contact does not pass Check(): %v", err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("json.Marshal() of a decoded contact error = %v", err)
		}
		var again consent.Contact
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("json.Unmarshal(%s) of an encoded contact error = %v", out, err)
		}
		if diff := cmp.Diff(c, again, contactOpts); diff != "" {
			t.Errorf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}

// foldedDuplicate reports whether some object of the JSON document b has
// two member names equal up to case: documents a strict decoder must refuse.
// It reports false for a document that is not JSON.
func foldedDuplicate(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct {
		object  bool
		wantKey bool
		keys    map[string]bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if k, ok := tok.(string); ok {
				if top.keys[strings.ToLower(k)] {
					return true
				}
				top.keys[strings.ToLower(k)] = true
				top.wantKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true, keys: map[string]bool{}})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true // a value ended
		}
		if len(stack) == 0 && !dec.More() {
			return false
		}
	}
}

// sameRepresentation reports whether two records are identical, times'
// locations included, their provenance compared by content.
func sameRepresentation(a, b consent.Record) bool {
	pa, pb := a.Provenance, b.Provenance
	a.Provenance, b.Provenance = nil, nil
	return a == b && (pa == nil) == (pb == nil) && (pa == nil || reflect.DeepEqual(*pa, *pb))
}
