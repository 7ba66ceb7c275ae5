package eligibility_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/calls"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/scenario"
	"github.com/sendright/sendright/rules"
)

// decodable is one type of the module with a JSON form: a valid document
// of it, and a function decoding a document into a fresh value the way a
// host does, with encoding/json.
type decodable struct {
	name   string
	valid  string
	decode func([]byte) error
}

// into returns a decode function for a fresh *T through encoding/json.
func into[T any]() func([]byte) error {
	return func(b []byte) error {
		var v T
		return json.Unmarshal(b, &v)
	}
}

// Documents shared by the strict-decoding tests. All data is fictional.
const (
	grantJSON = `{"id":"g-1","subject":"lea.martin@example.com","purpose":"marketing_general","channel":"email",` +
		`"sender":"Maison Exemple SAS","status":"granted","at":"2025-01-10T09:00:00Z","method":"double_opt_in",` +
		`"confirmed_at":"2025-01-10T09:05:00Z","source":"form-7","wording_version":"v3","proof_ref":"p/1",` +
		`"opt_out_offered":true,"parental_consent":"parent"}`
	withdrawalJSON = `{"id":"w-1","purpose":"marketing_general","channel":"email","sender":"Maison Exemple SAS",` +
		`"status":"withdrawn","at":"2026-01-10T09:00:00Z"}`
	purchaseJSON = `{"id":"order-1","at":"2025-06-01T10:00:00Z","seller":"Maison Exemple SAS","category":"kettles",` +
		`"collected":["lea.martin@example.com"],"opt_out_offered":true,"refused":false}`
	contractJSON = `{"id":"k-1","seller":"Maison Exemple SAS","category":"energy","start":"2024-01-01T00:00:00Z",` +
		`"end":"2027-01-01T00:00:00Z"}`
	senderJSON  = `{"entity":"Maison Exemple SAS","kind":"company","country":"FR"}`
	messageJSON = `{"purpose":"marketing_general","channel":"email","category":"kettles","sender":` + senderJSON +
		`,"at":"2026-03-10T10:00:00Z","role_relevant":true}`
	suppressionJSON = `{"key_version":1,"hmac":"5a62c810aa21f61f405772b71b52470fb17903d38c5588be72c3b8efe5533e24",` +
		`"kind":"email","sender":"Maison Exemple SAS","purpose":"all_marketing","channel":"all","at":"2026-03-10T09:00:00Z"}`
	responseJSON = `{"id":"click-1","at":"2025-09-01T08:00:00Z","seller":"Maison Exemple SAS","category":"kettles"}`
	attemptJSON  = `{"at":"2026-03-01T10:00:00Z","channel":"voice_live","sender":"Maison Exemple SAS","outcome":"refused"}`
	// registryCheckJSON's number is the contact's, in French national
	// format: read with the contact's country.
	registryCheckJSON = `{"registry":"bloctel","number":"06 39 98 00 01","listed":true,` +
		`"listed_since":"2025-02-01T00:00:00Z","checked_at":"2026-03-01T00:00:00Z"}`
	paramsJSON = `{"similarity_groups":{"small_appliances":["kettles","toasters"]},"entity_aliases":[["Maison Exemple SAS","RCS Paris 000 000 000"]]}`
)

// contactJSON is a French consumer with every field set and the given
// records.
func contactJSON(records ...string) string {
	return `{"id":"c-1","kind":"consumer","country":"FR","time_zone":"Europe/Paris","birth_date":"1990-01-02",` +
		`"email":"lea.martin@example.com","phone":"+33639980001","job_role":"buyer",` +
		`"push":"push:com.example.shop/inst-7f3a9c","postal":"Léa Martin\n12 rue de l'Exemple\n75001 Paris\nFR",` +
		`"push_permitted":true,"collected_at":"2024-05-01T00:00:00Z",` +
		`"opt_out_offered_at_collection":true,"relationship":{"purchases":[` + purchaseJSON + `],"inquiries":[` +
		purchaseJSON + `],"support":[` + purchaseJSON + `],"contracts":[` + contractJSON + `],"responses":[` +
		responseJSON + `]},"records":[` + strings.Join(records, ",") + `],"attempts":[` + attemptJSON +
		`],"registries":[` + registryCheckJSON + `]}`
}

func requestJSON(records ...string) string {
	return `{"contact":` + contactJSON(records...) + `,"message":` + messageJSON + `}`
}

// decodables lists every type with a JSON form, across the module.
func decodables(t *testing.T) []decodable {
	t.Helper()
	var req eligibility.Request
	if err := json.Unmarshal([]byte(requestJSON(grantJSON)), &req); err != nil {
		t.Fatalf("decoding the base request: %v", err)
	}
	ev := evaluator(t)
	a, err := ev.Explain(req, keyring(t))
	if err != nil {
		t.Fatal(err)
	}
	audit, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	decision, err := json.Marshal(a.Decision)
	if err != nil {
		t.Fatal(err)
	}
	audited, err := json.Marshal(a.Request)
	if err != nil {
		t.Fatal(err)
	}
	obligations, err := json.Marshal(a.Decision.Obligations)
	if err != nil {
		t.Fatal(err)
	}
	var step []byte
	for _, s := range a.Trace {
		if s.Decided {
			step, _ = json.Marshal(s)
		}
	}
	if a.Decision.Verdict != eligibility.Allow || a.Decision.Obligations.Len() == 0 || a.Decision.Evidence.IsZero() || step == nil {
		t.Fatalf("the base request should be allowed on evidence with obligations: %v", a.Decision)
	}
	evidence, err := json.Marshal(a.Decision.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	scenarioJSON := `{"params":` + paramsJSON + `,"scenarios":[{"id":"s1","description":"d","source":"GDPR art. 7",` +
		`"contact":` + contactJSON(grantJSON) + `,"request":` + messageJSON + `,"expect":{"verdict":"allow",` +
		`"basis":"consent","reason":"CONSENT","rule":"FR_CONSENT","obligations":[],"needs_review":false,` +
		`"evidence":"record:g-1","error":false}}]}`
	export, err := json.Marshal(rights.ExportContact(req.Contact, at))
	if err != nil {
		t.Fatal(err)
	}
	er, err := rights.Erase(req.Contact, keyring(t), func(consent.Record) bool { return true }, at)
	if err != nil {
		t.Fatal(err)
	}
	erasure, err := json.Marshal(er)
	if err != nil {
		t.Fatal(err)
	}
	return []decodable{
		{"consent.Record (grant)", grantJSON, into[consent.Record]()},
		{"consent.Record (withdrawal)", withdrawalJSON, into[consent.Record]()},
		{"consent.Ledger", `[` + grantJSON + `,` + withdrawalJSON + `]`, into[consent.Ledger]()},
		{"consent.Contact", contactJSON(grantJSON, withdrawalJSON), into[consent.Contact]()},
		{"consent.Interaction", purchaseJSON, into[consent.Interaction]()},
		{"consent.Contract", contractJSON, into[consent.Contract]()},
		{"calls.Attempt", attemptJSON, into[calls.Attempt]()},
		{"calls.RegistryCheck", strings.Replace(registryCheckJSON, "06 39 98 00 01", "+33639980001", 1), into[calls.RegistryCheck]()},
		{"consent.Sender", senderJSON, into[consent.Sender]()},
		{"consent.Message", messageJSON, into[consent.Message]()},
		{"consent.Message (transactional with content markers)", strings.Replace(messageJSON, `"marketing_general"`,
			`"transactional","content":["promotional_body","rating_request"]`, 1), into[consent.Message]()},
		{"rights.Suppression", suppressionJSON, into[rights.Suppression]()},
		{"rights.SuppressionList", `[` + suppressionJSON + `]`, into[rights.SuppressionList]()},
		{"rights.Export", string(export), into[rights.Export]()},
		{"rights.Erasure", string(erasure), into[rights.Erasure]()},
		{"eligibility.Request", requestJSON(grantJSON, withdrawalJSON), into[eligibility.Request]()},
		{"eligibility.Decision", string(decision), into[eligibility.Decision]()},
		{"eligibility.Audit", string(audit), into[eligibility.Audit]()},
		{"eligibility.AuditedRequest", string(audited), into[eligibility.AuditedRequest]()},
		{"eligibility.Obligations", string(obligations), into[eligibility.Obligations]()},
		{"eligibility.Evidence", string(evidence), into[eligibility.Evidence]()},
		{"eligibility.Step", string(step), into[eligibility.Step]()},
		{"eligibility.Params", paramsJSON, into[eligibility.Params]()},
		{"scenario file", scenarioJSON, decodeScenario},
	}
}

// member is one object member of a document, by the path of its object.
type member struct {
	path []any // keys (string) and indexes (int) from the root to the object
	key  string
	data bool // the object is a map of host data (similarity groups), not a struct
}

// members lists every member of every object in v, depth first.
func members(v any, path []any, data bool) []member {
	var out []member
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			out = append(out, member{path: slices.Clone(path), key: k, data: data})
			out = append(out, members(x[k], append(slices.Clone(path), k), k == "similarity_groups")...)
		}
	case []any:
		for i, e := range x {
			out = append(out, members(e, append(slices.Clone(path), i), false)...)
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// render writes v as JSON, appending the raw member extra (`"k":v`) to the
// object at path.
func render(b *bytes.Buffer, v any, path, at []any, extra string) {
	here := slices.Equal(path, at)
	switch x := v.(type) {
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			render(b, x[k], append(slices.Clone(path), k), at, extra)
		}
		if here {
			if len(x) > 0 {
				b.WriteByte(',')
			}
			b.WriteString(extra)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			render(b, e, append(slices.Clone(path), i), at, extra)
		}
		b.WriteByte(']')
	default:
		out, _ := json.Marshal(x)
		b.Write(out)
	}
}

// withMember returns doc with the member key:value (raw JSON) added to the
// object at path, after its own members.
func withMember(t *testing.T, doc string, path []any, key, value string) string {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("test bug: %v", err)
	}
	kb, _ := json.Marshal(key)
	var b bytes.Buffer
	render(&b, v, nil, path, string(kb)+":"+value)
	return b.String()
}

// valueAt returns the raw JSON of the member key of the object at path.
func valueAt(t *testing.T, doc string, path []any, key string) string {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("test bug: %v", err)
	}
	for _, p := range path {
		switch p := p.(type) {
		case string:
			v = v.(map[string]any)[p]
		case int:
			v = v.([]any)[p]
		}
	}
	out, err := json.Marshal(v.(map[string]any)[key])
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// checkKeyError checks that err wraps want and, when it is a FieldError,
// names the key.
func checkKeyError(t *testing.T, err, want error, key string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want one wrapping %v", err, want)
	}
	var fe *consent.FieldError
	if errors.As(err, &fe) && fe.Field != key && !strings.HasSuffix(fe.Field, "."+key) {
		t.Errorf("FieldError.Field = %q, want it to name %q", fe.Field, key)
	}
	var de *scenario.DuplicateKeyError
	if errors.As(err, &de) && de.Key != key {
		t.Errorf("DuplicateKeyError.Key = %q, want %q", de.Key, key)
	}
}

// TestStrictKeysEveryType: for every type with a JSON form, at every
// member of every object of a full document (nested records in a contact
// in a request included), a second copy of the key and a copy differing
// only in the case of its first letter are refused with a typed error
// naming the key — never decoded with one copy winning.
func TestStrictKeysEveryType(t *testing.T) {
	for _, d := range decodables(t) {
		t.Run(d.name, func(t *testing.T) {
			if err := d.decode([]byte(d.valid)); err != nil {
				t.Fatalf("the valid document does not decode: %v\n%s", err, d.valid)
			}
			ms := members(mustAny(t, d.valid), nil, false)
			if len(ms) == 0 {
				t.Fatal("test bug: no members")
			}
			for _, m := range ms {
				v := valueAt(t, d.valid, m.path, m.key)
				dup := withMember(t, d.valid, m.path, m.key, v)
				checkKeyError(t, d.decode([]byte(dup)), consent.ErrDuplicateKey, m.key)
				if m.data {
					continue // a map's keys are data: another case is another key
				}
				variant := strings.ToUpper(m.key[:1]) + m.key[1:]
				if variant == m.key {
					variant = strings.ToLower(m.key[:1]) + m.key[1:]
				}
				cased := withMember(t, d.valid, m.path, variant, v)
				checkKeyError(t, d.decode([]byte(cased)), consent.ErrUnknownField, variant)
			}
		})
	}
}

func mustAny(t *testing.T, doc string) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestStrictDecodingAttacks: the documented bypasses of encoding/json's
// loose decoding. Each fails with the typed error naming the field, leaves
// the target untouched, and a host that ignores the error and decides what
// it has gets a Deny.
func TestStrictDecodingAttacks(t *testing.T) {
	grantOf := func(s string) string { // the withdrawal turned into a grant by a trailing member
		return strings.TrimSuffix(withdrawalJSON, "}") + s + "}"
	}
	tests := []struct {
		name  string
		doc   string
		want  error
		field string
	}{
		{"withdrawal ending in Status granted", requestJSON(grantJSON, grantOf(`,"Status":"granted"`)),
			consent.ErrUnknownField, "contact.records[1].Status"},
		{"withdrawal with a second status granted", requestJSON(grantJSON, grantOf(`,"status":"granted"`)),
			consent.ErrDuplicateKey, "contact.records[1].status"},
		{"withdrawal with STATUS granted", requestJSON(grantJSON, grantOf(`,"STATUS":"granted","method":"signed_form"`)),
			consent.ErrUnknownField, "contact.records[1].STATUS"},
		{"second RECORDS array drops the withdrawal",
			strings.Replace(requestJSON(grantJSON, withdrawalJSON), `"records":[`, `"RECORDS":[`+grantJSON+`],"records":[`, 1),
			consent.ErrUnknownField, "contact.RECORDS"},
		{"second records array drops the withdrawal",
			strings.Replace(requestJSON(grantJSON, withdrawalJSON), `"records":[`+grantJSON+`,`+withdrawalJSON+`]`,
				`"records":[`+grantJSON+`,`+withdrawalJSON+`],"records":[`+grantJSON+`]`, 1),
			consent.ErrDuplicateKey, "contact.records"},
		{"second contact", strings.TrimSuffix(requestJSON(withdrawalJSON), "}") + `,"contact":` + contactJSON(grantJSON) + `}`,
			consent.ErrDuplicateKey, "contact"},
		{"Contact as the embedded field's name", `{"Contact":` + contactJSON(grantJSON) + `,"message":` + messageJSON + `}`,
			consent.ErrUnknownField, "Contact"},
		{"message fields flattened", strings.TrimSuffix(`{"contact":`+contactJSON(grantJSON)+`,`+messageJSON[1:], "}") + `}`,
			consent.ErrUnknownField, "purpose"},
		{"second message purpose", strings.Replace(requestJSON(grantJSON), `"purpose":"marketing_general","channel":"email","category"`,
			`"purpose":"transactional","purpose":"marketing_general","channel":"email","category"`, 1),
			consent.ErrDuplicateKey, "message.purpose"},
	}
	ev := evaluator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req eligibility.Request
			err := json.Unmarshal([]byte(tt.doc), &req)
			var fe *consent.FieldError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) {
				t.Fatalf("json.Unmarshal() error = %v, want a *consent.FieldError wrapping %v", err, tt.want)
			}
			if diff := cmp.Diff(tt.field, fe.Field); diff != "" {
				t.Errorf("FieldError.Field mismatch (-want +got):\n%s", diff)
			}
			if req.Contact != nil || req.Message != (consent.Message{}) {
				t.Errorf("json.Unmarshal() left a partly decoded request on error: %+v", req)
			}
			d, derr := ev.Decide(req) // a host ignoring the error
			if d.Verdict != eligibility.Deny || derr == nil {
				t.Errorf("Decide(what was decoded) = %v, %v; want Deny with an error", d, derr)
			}
		})
	}
	// The same documents without the attack decide as expected: the
	// withdrawal stops the consent.
	var req eligibility.Request
	if err := json.Unmarshal([]byte(requestJSON(grantJSON, withdrawalJSON)), &req); err != nil {
		t.Fatal(err)
	}
	if d, err := ev.Decide(req); err != nil || d.Verdict != eligibility.Deny {
		t.Errorf("Decide(grant then withdrawal) = %v, %v; want a Deny without error", d, err)
	}
}

// TestRequestJSONRoundTrip: a request encodes to {"contact", "message"}
// and decodes back to an equal request.
func TestRequestJSONRoundTrip(t *testing.T) {
	var req eligibility.Request
	if err := json.Unmarshal([]byte(requestJSON(grantJSON, withdrawalJSON)), &req); err != nil {
		t.Fatal(err)
	}
	for _, in := range []eligibility.Request{req, {Contact: frConsumer(t), Message: email(consent.MarketingSimilar)}} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("json.Marshal() error = %v", err)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(b, &top); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"contact", "message"}, sortedKeys(toAny(top))); diff != "" {
			t.Errorf("wire form members mismatch (-want +got):\n%s", diff)
		}
		var out eligibility.Request
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("json.Unmarshal(json.Marshal(req)) error = %v\n%s", err, b)
		}
		opts := cmp.Options{cmpopts.EquateComparable(address.Country{}), cmp.AllowUnexported(consent.Ledger{}),
			cmp.Comparer(sameLocation), cmpopts.EquateEmpty()}
		if diff := cmp.Diff(in, out, opts); diff != "" {
			t.Errorf("round trip mismatch (-in +out):\n%s", diff)
		}
	}
	if _, err := json.Marshal(eligibility.Request{Message: email(consent.MarketingGeneral)}); !errors.Is(err, consent.ErrMissing) {
		t.Errorf("json.Marshal(request without contact) error = %v, want ErrMissing", err)
	}
	for _, doc := range []string{`{"message":` + messageJSON + `}`, `{"contact":` + contactJSON() + `}`,
		`{"contact":null,"message":` + messageJSON + `}`} {
		var r eligibility.Request
		if err := json.Unmarshal([]byte(doc), &r); !errors.Is(err, consent.ErrMissing) {
			t.Errorf("json.Unmarshal(%.40s…) error = %v, want ErrMissing", doc, err)
		}
	}
}

func toAny(m map[string]json.RawMessage) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sameLocation(a, b *time.Location) bool { return a.String() == b.String() }

// Fictional personal data that must never appear in an error.
var personalData = []string{
	"camille.durand@example.com", "Lea.Martin@Example.ORG", "jan.peeters@bureau.example",
	"+33639980001", "+44 7700 900123", "06 39 98 00 01", "06-39-98-00-01", "0639980001", "07700900123",
}

// TestErrorsNeverRepeatPersonalData feeds addresses and phone numbers into
// every string position, as every key, and as bare text into every
// decodable type, and checks that no error text repeats them.
func TestErrorsNeverRepeatPersonalData(t *testing.T) {
	check := func(t *testing.T, what string, err error) {
		t.Helper()
		if err == nil {
			return
		}
		msg := err.Error() + fmt.Sprintf(" %v %+v", err, err)
		for _, pd := range personalData {
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, pd)
			if strings.Contains(msg, pd) || (len(digits) > 6 && strings.Contains(msg, digits[len(digits)-7:])) {
				t.Errorf("%s: error repeats personal data: %v", what, err)
				return
			}
		}
	}
	for _, d := range decodables(t) {
		t.Run(d.name, func(t *testing.T) {
			ms := members(mustAny(t, d.valid), nil, false)
			for _, pd := range personalData {
				q, _ := json.Marshal(pd)
				for _, m := range ms {
					// as the value of each member, quoted and bare
					for _, v := range []string{string(q), pd, `[` + string(q) + `]`, `{` + string(q) + `:1}`} {
						doc := replaceMember(t, d.valid, m.path, m.key, v)
						check(t, m.key+"="+v, d.decode([]byte(doc)))
					}
					// as a key
					check(t, "key "+pd, d.decode([]byte(withMember(t, d.valid, m.path, pd, "1"))))
				}
				check(t, "bare", d.decode([]byte(pd)))
				check(t, "string", d.decode(q))
			}
		})
	}
	// A host rule that fails at run time on a value of the request.
	failing, err := rules.Parse("failing.yaml", []byte(failingSet))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := eligibility.Compile([]*rules.Set{failing}, eligibility.Params{Functions: []eligibility.Function{registryFails}})
	if err != nil {
		t.Fatal(err)
	}
	fev := pol
	for _, pd := range personalData {
		m := email(consent.MarketingGeneral)
		m.Category = pd
		d, err := fev.Decide(eligibility.Request{Contact: frConsumer(t), Message: m})
		var ee *eligibility.EvalError
		if !errors.As(err, &ee) || d.Verdict != eligibility.Deny {
			t.Fatalf("Decide(failing rule) = %v, %v; want a Deny with a *eligibility.EvalError", d, err)
		}
		check(t, "EvalError", err)
		if strings.Contains(d.Detail, pd) {
			t.Errorf("Decision.Detail repeats personal data: %q", d.Detail)
		}
	}
	// Parsers and validators called directly.
	for _, pd := range personalData {
		_, err := parseText[consent.Purpose](pd)
		check(t, "Purpose.UnmarshalText", err)
		_, err = parseText[consent.Channel](pd)
		check(t, "Channel.UnmarshalText", err)
		_, err = parseText[consent.Status](pd)
		check(t, "Status.UnmarshalText", err)
		_, err = parseText[consent.Method](pd)
		check(t, "Method.UnmarshalText", err)
		_, err = parseText[consent.RecipientKind](pd)
		check(t, "RecipientKind.UnmarshalText", err)
		_, err = parseText[consent.SenderKind](pd)
		check(t, "SenderKind.UnmarshalText", err)
		_, err = address.ParseCountry(pd)
		check(t, "ParseCountry", err)
		tz, err := json.Marshal(pd)
		if err != nil {
			t.Fatal(err)
		}
		var tzc consent.Contact
		err = json.Unmarshal([]byte(`{"id":"c-1","kind":"consumer","country":"FR","time_zone":`+string(tz)+`,"records":[]}`), &tzc)
		check(t, "Contact.UnmarshalJSON(time_zone)", err)
		var p consent.Parental
		check(t, "Parental.UnmarshalText", p.UnmarshalText([]byte(pd)))
		var k address.Kind
		check(t, "address.Kind.UnmarshalText", k.UnmarshalText([]byte(pd)))
		var v eligibility.Verdict
		check(t, "Verdict.UnmarshalText", v.UnmarshalText([]byte(pd)))
		var b rules.Basis
		check(t, "Basis.UnmarshalText", b.UnmarshalText([]byte(pd)))
		var e rules.Effect
		check(t, "Effect.UnmarshalText", e.UnmarshalText([]byte(pd)))
		var o rules.Obligation
		check(t, "Obligation.UnmarshalText", o.UnmarshalText([]byte(pd)))
		var ek eligibility.EvidenceKind
		check(t, "EvidenceKind.UnmarshalText", ek.UnmarshalText([]byte(pd)))
		check(t, "ConflictError", &consent.ConflictError{ID: pd})
		r := consent.Record{ID: pd, Purpose: consent.MarketingGeneral, Channel: consent.Email, Sender: "S",
			Status: consent.Withdrawn}
		check(t, "Record.Check", r.Check())
		_, err = address.ParseEmail(pd + "@")
		check(t, "ParseEmail", err)
		_, err = address.ParsePhone(pd+"x", address.MustCountry("FR"))
		check(t, "ParsePhone", err)
		_, err = address.Parse(pd+"!", address.MustCountry("GB"))
		check(t, "address.Parse", err)
		var a address.Address
		check(t, "Address.UnmarshalText", a.UnmarshalText([]byte(pd+"@@")))
		c := consent.Contact{ID: "c", Kind: consent.Consumer, Country: address.MustCountry("FR"), Location: paris,
			Phone: address.MustParsePhone("+33639980001", address.Country{})}
		d, err := evaluator(t).Decide(eligibility.Request{Contact: &c, Message: email(consent.MarketingGeneral)})
		check(t, "Decide", err)
		if strings.Contains(d.Detail, pd) {
			t.Errorf("Decision.Detail repeats personal data: %q", d.Detail)
		}
	}
}

// replaceMember returns doc with the value of key in the object at path
// replaced by value (raw, possibly invalid, JSON).
func replaceMember(t *testing.T, doc string, path []any, key, value string) string {
	t.Helper()
	v := mustAny(t, doc)
	obj := v
	for _, p := range path {
		switch p := p.(type) {
		case string:
			obj = obj.(map[string]any)[p]
		case int:
			obj = obj.([]any)[p]
		}
	}
	m := obj.(map[string]any)
	old := m[key]
	delete(m, key)
	kb, _ := json.Marshal(key)
	var b bytes.Buffer
	render(&b, v, nil, path, string(kb)+":"+value)
	m[key] = old
	return b.String()
}

// decodeScenario decodes a scenario document and its contacts, as the
// runner does.
func decodeScenario(b []byte) error {
	f, err := scenario.Decode(b)
	if err != nil {
		return err
	}
	for _, s := range f.Scenarios {
		var c consent.Contact
		if err := json.Unmarshal(s.Contact, &c); err != nil {
			return err
		}
	}
	return nil
}

// parseText parses s through T's UnmarshalText, as a decoder does.
func parseText[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](s string) (T, error) {
	var v T
	err := P(&v).UnmarshalText([]byte(s))
	return v, err
}
