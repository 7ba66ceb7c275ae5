package consent

import (
	"encoding"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// mirrors are the JSON mirror structs of the contact form, each with its
// token-level decoder (wire.go) and the reflective decoder it replaced
// (strictJSON into the same struct), kept here as the reference the
// token-level one must agree with.
var mirrors = []struct {
	name       string
	wire       func([]byte) (any, error)
	reflective func([]byte) (any, error)
}{
	{"contact", wireMirror(readContact), reflectiveMirror[contactIn]},
	{"record", wireMirror(readRecord), reflectiveMirror[recordJSON]},
	{"interaction", wireMirror(readInteraction), reflectiveMirror[interactionJSON]},
	{"ledger", wireMirror(readLedger), reflectiveMirror[[]recordJSON]},
	{"relationship", wireMirror(func(w *wire, r *relationshipJSON) error { return r.read(w) }), reflectiveMirror[relationshipJSON]},
	{"registry", wireMirror(func(w *wire, g *registryJSON) error { return g.read(w) }), reflectiveMirror[registryJSON]},
}

func wireMirror[T any](read func(*wire, *T) error) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		var v T
		err := decodeWire(b, &v, read)
		return v, err
	}
}

func reflectiveMirror[T any](b []byte) (any, error) {
	var v T
	err := strictJSON(b, &v)
	return v, err
}

// wireDocs are documents of the contact form and near misses: every kind
// of member (string, boolean, time, nullable string, array of strings,
// array of objects, object, text and JSON unmarshalers) given each JSON
// kind, nulls, escapes, duplicates and case variants at each level,
// syntax errors inside and after values.
func wireDocs(t testing.TB) [][]byte {
	contact := `{"id":"c-1","kind":"consumer","country":"FR","region":"fr-57","time_zone":"Europe/Paris",` +
		`"birth_date":"1990-04-17","email":"lea@example.com","phone":"06 39 98 00 01","push":"push:com.example/1",` +
		`"postal":"L\u00e9a\n1 rue\n57000 Metz\nFR","push_permitted":true,"collected_at":"2024-11-01T00:00:00+01:00",` +
		`"job_role":"buyer","opt_out_offered_at_collection":false,"published_for_marketing":["info@example.com"],` +
		`"relationship":{"purchases":[{"id":"p-1","at":"2025-02-01T10:00:00Z","seller":"Maison Exemple SAS",` +
		`"category":"tea","collected":["lea@example.com"],"opt_out_offered":true,"refused":false}],` +
		`"inquiries":[],"support":null,"contracts":[{"id":"k-1","seller":"S","start":"2025-02-01T00:00:00Z"}],` +
		`"responses":[{"id":"r","at":"2025-03-05T08:00:00Z","seller":"S"}]},` +
		`"records":[{"id":"g-1","subject":"lea@example.com","purpose":"marketing_general","channel":"email",` +
		`"sender":"Maison Exemple SAS","status":"granted","at":"2025-01-10T10:00:00Z","method":"double_opt_in",` +
		`"source":"https://shop.example/signup","wording_version":"v1","proof_ref":"p","confirmed_at":"2025-01-10T10:05:00Z",` +
		`"opt_out_offered":true,"parental_consent":"none"}],` +
		`"attempts":[{"at":"2025-03-02T10:15:00+01:00","channel":"voice_live","sender":"S","outcome":"refused"}],` +
		`"sent":[{"at":"2025-03-03T08:00:00+01:00","channel":"email","purpose":"marketing_general","sender":"S"}],` +
		`"registries":[{"registry":"bloctel","number":"06 39 98 00 01","listed":true,` +
		`"listed_since":"2025-02-01T00:00:00Z","checked_at":"2025-03-01T00:00:00Z"}]}`
	docs := []string{contact, "", " ", "null", "{}", "[]", "[null]", `"x"`, "1", "true", "{", "{}}", "{} ", "{} {}",
		"{}x", "\ufeff{}", `{"id":"a"}` + "\n", `{"id":"a",}`, `{"id" "a"}`, `{"id":"\ud800"}`, "{\"id\":\"\xff\"}",
		`{"\u0069d":"a"}`, `{"id":"a\"b\\c\u00e9"}`, `{"id":"a","id":"b"}`, `{"id":"a","ID":"b"}`, `{"Id":"a"}`,
		`{"kind":"consumer","kind":"consumer"}`, `{"records":[{"id":"a","Status":"granted"}]}`,
		`{"records":[{"id":"a","id":"b"}]}`, `{"records":[{"id":"a"},{"id":"b","status":"x","status":"y"}]}`,
		`{"relationship":{"purchases":[{"id":"p","collected":["a","b"],"collected":[]}]}}`,
		`{"relationship":{"Purchases":[]}}`, `{"relationship":{"purchases":[],"purchases":[]}}`,
		`{"registries":[{"registry":"bloctel","registry":"tps"}]}`, `{"shoe_size":42}`, `{"shoe_size":{"a":1,"a":2}}`,
		`{"records":[{"colour":"blue"}]}`, `{"relationship":{"purchases":[{"colour":1}]}}`,
		`{"registries":[{"colour":1}]}`, `{"attempts":[{"colour":1}]}`, `{"sent":[{"at":"x"}]}`,
		`{"relationship":{"contracts":[{"id":"k","id":"k"}]}}`, `{"attempts":[null]}`, `{"sent":[null,{}]}`,
		`{"attempts":{"a":1,"a":2}}`, `{"attempts":[{"a":1,"a":2}]}`, `{"attempts":[}`, `{"attempts":5}`,
		`{"registries":[{"registry":null,"number":null,"listed":null,"listed_since":null,"checked_at":null}]}`,
		`{"registries":[{"registry":"nowhere"}]}`, `{"registries":[{"registry":5}]}`, `{"registries":[{"registry":["a"]}]}`,
		`{"registries":[{"registry":"\u0062loctel"}]}`, `{"registries":[{"registry":"bloctel","listed":"yes"}]}`,
		`{"records":null}`, `{"records":[]}`, `{"records":[null]}`, `{"records":{}}`, `{"records":"x"}`, `{"records":[1]}`,
		`{"records":[[]]}`, `{"records":[{"method":null,"parental_consent":null}]}`, `{"records":[{"method":5}]}`,
		`{"records":[{"method":"x","parental_consent":true}]}`, `{"records":[{"method":[}]}`,
		`{"relationship":null}`, `{"relationship":[]}`, `{"relationship":[}`, `{"relationship":5}`, `{"relationship":"x"}`,
		`{"relationship":{"purchases":null,"inquiries":[null],"support":[{}],"responses":[{"collected":null}]}}`,
		`{"relationship":{"purchases":[{"collected":[null,"a",5]}]}}`, `{"relationship":{"purchases":[{"collected":"a"}]}}`,
		`{"published_for_marketing":null}`, `{"published_for_marketing":[]}`, `{"published_for_marketing":["a",null]}`,
		`{"published_for_marketing":[1]}`, `{"published_for_marketing":{}}`, `{"published_for_marketing":[{}]}`,
		`{"id":null,"kind":null,"push_permitted":null,"collected_at":null}`, `{"id":5}`, `{"id":true}`, `{"id":[]}`,
		`{"id":{}}`, `{"id":[}`, `{"id":{"a":1,"a":2}}`, `{"id":1e999}`, `{"id":-}`, `{"id":tru}`,
		`{"push_permitted":"true"}`, `{"push_permitted":1}`, `{"push_permitted":[]}`, `{"push_permitted":[}`,
		`{"push_permitted":{}}`, `{"push_permitted":false}`,
		`{"collected_at":"2024-11-01"}`, `{"collected_at":"2024-11-01T00:00:00"}`, `{"collected_at":5}`,
		`{"collected_at":[}`, `{"collected_at":"2024-11-01T00:00:00.5Z"}`, `{"collected_at":"2024-11-01T00:00:00,5Z"}`,
		`{"collected_at":"2024-11-01T0:00:00Z"}`, `{"collected_at":"2024-11-01T00:00:00+24:00"}`,
		`{"collected_at":"2024-11-01T00:00:00+23:60"}`, `{"collected_at":"2024-11-01T00:00:00+23:59"}`,
		`{"collected_at":"2024-11-01T00:00:00z"}`, `{"collected_at":"2024-11-01t00:00:00Z"}`,
		`{"collected_at":"2024-11-01T00:00:00-00:00"}`, `{"collected_at":"2024-13-01T00:00:00Z"}`,
		`{"collected_at":"2024-11-01T24:00:00Z"}`, `{"collected_at":"2024-11-01T00:00:60Z"}`,
		`{"collected_at":"\u0032024-11-01T00:00:00Z"}`, `{"collected_at":" 2024-11-01T00:00:00Z"}`,
		`{"collected_at":"10000-11-01T00:00:00Z"}`, `{"collected_at":"2024-11-01T00:00:00.Z"}`,
		`{"collected_at":"2024-11-01T00:00:00.1234567891Z"}`, `{"collected_at":"2024-11-01T00:00:00+0100"}`,
		`{"id":"a"} /`, "{\"id\":\"a\"}\x00", `[{"id":"a"},{"id":"b"}]`, `[{"id":"a","id":"a"}]`, `[{"ID":"a"}]`,
		`[{"id":"a"},5]`, `[{"id":5},{"x"`, `{"id":"p","at":"2025-01-10T09:00:00Z","seller":"S","collected":["email"]}`,
		`{"registry":"tps","number":"+44 7700 900123","listed":false,"checked_at":"2026-03-01T08:00:00Z"}`,
		`{"purchases":[{"id":"p"}],"contracts":[{"id":"k"}]}`, strings.Repeat("[", 20) + strings.Repeat("]", 20),
		`{"id":"g","terms":["signature","automated_means","not_purchase_condition"]}`, `{"id":"g","terms":["signature","signature"]}`,
		`{"id":"g","terms":null}`, `{"id":"g","terms":[]}`, `{"id":"g","terms":"signature"}`, `{"id":"g","terms":[5]}`,
		`{"records":[{"id":"g","terms":["sign\u0061ture"]},{"id":"h","terms":["automated_means"]}]}`,
		`{"records":[` + strings.Repeat("[", 17) + strings.Repeat("]", 17) + `]}`,
	}
	out := make([][]byte, 0, len(docs))
	for _, d := range docs {
		out = append(out, []byte(d))
	}
	// The fuzzers' corpora of the contact form.
	for _, dir := range []string{"FuzzContactJSON", "FuzzRecordJSON", "FuzzInteractionJSON"} {
		files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", dir, "*"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(b), "\n")
			if len(lines) < 2 || !strings.HasPrefix(lines[1], "[]byte(") {
				continue
			}
			s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, []byte(s))
		}
	}
	return out
}

// TestWireMatchesReflective: the token-level decoder of each mirror
// decodes every document as the reflective decoder does, value and error.
func TestWireMatchesReflective(t *testing.T) {
	for _, doc := range wireDocs(t) {
		for _, m := range mirrors {
			checkWireAgrees(t, m.name, doc, m.wire, m.reflective)
		}
	}
}

// FuzzWire: for any input, the token-level decoders agree with the
// reflective one, value and error.
func FuzzWire(f *testing.F) {
	for _, d := range wireDocs(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range mirrors {
			checkWireAgrees(t, m.name, b, m.wire, m.reflective)
		}
	})
}

func checkWireAgrees(t *testing.T, name string, doc []byte, wire, reflective func([]byte) (any, error)) {
	t.Helper()
	got, gotErr := wire(doc)
	want, wantErr := reflective(doc)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && !sameFieldError(gotErr, wantErr) {
		t.Errorf("%s %q: token-level error %#v, reflective %#v", name, doc, describeErr(gotErr), describeErr(wantErr))
		return
	}
	if gotErr != nil {
		return
	}
	if diff := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
		t.Errorf("%s %q: token-level decoder differs (-reflective +token-level):\n%s", name, doc, diff)
	}
}

// sameFieldError reports whether a and b are *FieldErrors with the same
// field, message, text and sentinels.
func sameFieldError(a, b error) bool {
	var fa, fb *FieldError
	if !errors.As(a, &fa) || !errors.As(b, &fb) {
		return false
	}
	for _, s := range []error{ErrMissing, ErrInvalid, ErrTooLarge, ErrDuplicateKey, ErrUnknownField, ErrUnknownValue} {
		if errors.Is(a, s) != errors.Is(b, s) {
			return false
		}
	}
	return fa.Field == fb.Field && fa.Msg == fb.Msg && a.Error() == b.Error()
}

func describeErr(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return "FieldError{Field: " + strconv.Quote(fe.Field) + ", Msg: " + strconv.Quote(fe.Msg) + "}: " + err.Error()
	}
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestWireDecodesEveryMirrorField: every field of every mirror struct is
// read by its token-level decoder. For each field, a document holding only
// that member with a sample value of the field's type is decoded: the
// member must not be unknown, and unless the sample is refused by the
// field's own decoder (an error naming the member) the field must come out
// non-zero. A field added to a mirror without its case in wire.go fails
// here.
func TestWireDecodesEveryMirrorField(t *testing.T) {
	for _, m := range []struct {
		typ  reflect.Type
		wire func([]byte) (any, error)
	}{
		{reflect.TypeFor[contactIn](), mirrors[0].wire},
		{reflect.TypeFor[recordJSON](), mirrors[1].wire},
		{reflect.TypeFor[interactionJSON](), mirrors[2].wire},
		{reflect.TypeFor[relationshipJSON](), mirrors[4].wire},
		{reflect.TypeFor[registryJSON](), mirrors[5].wire},
	} {
		for i := range m.typ.NumField() {
			f := m.typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				t.Errorf("%v.%s has no JSON name", m.typ, f.Name)
				continue
			}
			doc := `{"` + name + `":` + sampleJSON(f.Type) + `}`
			v, err := m.wire([]byte(doc))
			if err != nil {
				var fe *FieldError
				if errors.Is(err, ErrUnknownField) || !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, name) {
					t.Errorf("%v.%s: %s: %v: the member is not decoded", m.typ, f.Name, doc, err)
				}
				continue
			}
			if reflect.ValueOf(v).Field(i).IsZero() {
				t.Errorf("%v.%s: %s decoded to a zero field: the member is read but not stored", m.typ, f.Name, doc)
			}
		}
	}
}

// sampleJSON is a non-null JSON value of type t, one a field of that type
// holds once decoded.
func sampleJSON(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return `"2025-01-10T09:00:00Z"`
	case t.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()):
		// An enumeration: its first named value.
		for i := 1; i < 256; i++ {
			v := reflect.New(t)
			v.Elem().SetUint(uint64(i))
			if s, ok := v.Elem().Interface().(interface{ String() string }); ok {
				if v.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s.String())) == nil {
					return strconv.Quote(s.String())
				}
			}
		}
		return `"x"`
	}
	switch t.Kind() {
	case reflect.String:
		return `"x"`
	case reflect.Bool:
		return "true"
	case reflect.Pointer:
		return sampleJSON(t.Elem())
	case reflect.Slice:
		return "[" + sampleJSON(t.Elem()) + "]"
	case reflect.Struct:
		// The first field of a struct, or an empty object for a type
		// decoding itself (whose UnmarshalJSON sees it).
		if t.NumField() > 0 && t.Field(0).Tag.Get("json") != "" {
			name, _, _ := strings.Cut(t.Field(0).Tag.Get("json"), ",")
			return `{"` + name + `":` + sampleJSON(t.Field(0).Type) + `}`
		}
		return "{}"
	}
	return "1"
}

// BenchmarkMirror decodes the mirror of a contact with one record and one
// purchase with the token-level decoder and with the reflective one it
// replaced: the JSON part of decoding a contact, before addresses are
// parsed and the contact validated.
func BenchmarkMirror(b *testing.B) {
	doc := []byte(`{"id":"c-7","kind":"consumer","country":"FR","time_zone":"Europe/Paris","email":"client7@example.com",` +
		`"phone":"+33 6 39 98 00 07","records":[{"id":"r-7-0","subject":"client7@example.com","purpose":"marketing_general",` +
		`"channel":"email","sender":"Maison Exemple SAS","status":"granted","at":"2025-01-01T10:00:00Z","method":"double_opt_in",` +
		`"confirmed_at":"2025-01-01T10:05:00Z","source":"https://shop.example/signup"}],"relationship":{"purchases":[{"id":"p-7-0",` +
		`"at":"2025-02-01T10:00:00Z","seller":"Maison Exemple SAS","category":"tea","collected":["client7@example.com"],"opt_out_offered":true}]}}`)
	for _, m := range []struct {
		name   string
		decode func([]byte) (any, error)
	}{{"wire", mirrors[0].wire}, {"reflective", mirrors[0].reflective}} {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.decode(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWireMembersHaveDistinctBits: in each mirror, every two members are
// told apart by the fast reading's check of names given twice (once), so
// that a document naming both is not read twice. A case added to wire.go
// with the number of another member would pass every other test, only
// slower; this one names it.
func TestWireMembersHaveDistinctBits(t *testing.T) {
	for _, m := range []struct {
		typ  reflect.Type
		read func(*wire, []byte) error
	}{
		{reflect.TypeFor[contactIn](), fastOnly(readContact)},
		{reflect.TypeFor[recordJSON](), fastOnly(readRecord)},
		{reflect.TypeFor[interactionJSON](), fastOnly(readInteraction)},
		{reflect.TypeFor[relationshipJSON](), fastOnly(func(w *wire, r *relationshipJSON) error { return r.read(w) })},
		{reflect.TypeFor[registryJSON](), fastOnly(func(w *wire, g *registryJSON) error { return g.read(w) })},
	} {
		if m.typ.NumField() > 64 {
			t.Errorf("%v has %d fields: once tracks at most 64", m.typ, m.typ.NumField())
		}
		if m.typ.NumField() > maxMembers {
			t.Errorf("%v has %d fields: nameAfter predicts the names after the first %d only", m.typ, m.typ.NumField(), maxMembers)
		}
		member := func(i int) string {
			name, _, _ := strings.Cut(m.typ.Field(i).Tag.Get("json"), ",")
			return `"` + name + `":` + sampleJSON(m.typ.Field(i).Type)
		}
		for i := range m.typ.NumField() {
			for j := range i {
				doc := "{" + member(i) + "," + member(j) + "}"
				if err := m.read(new(wire), []byte(doc)); errors.Is(err, errDuplicateName) {
					t.Errorf("%v: %s: the fast reading takes %s and %s for one member", m.typ,
						doc, m.typ.Field(i).Name, m.typ.Field(j).Name)
				}
			}
		}
	}
}

// fastOnly reads a document into a fresh T with the fast reading alone.
func fastOnly[T any](read func(*wire, *T) error) func(*wire, []byte) error {
	return func(w *wire, b []byte) error {
		var v T
		w.fast, w.b, w.i, w.open = true, b, 0, false
		return read(w, &v)
	}
}

// TestUnplain: unplainMask flags a word of eight bytes exactly when one
// of them is not plain, and its lowest flag is the first byte that is
// not, for every byte value at every position among plain bytes of
// several kinds, pairs of bytes that are not plain, and random words.
func TestUnplain(t *testing.T) {
	check := func(x uint64) {
		first := -1
		for k := range 8 {
			if !plain[byte(x>>(8*k))] {
				first = k
				break
			}
		}
		m := unplainMask(x)
		got := -1
		if m != 0 {
			got = bits.TrailingZeros64(m) / 8
		}
		if got != first || m&^0x8080808080808080 != 0 {
			t.Fatalf("unplainMask(%#016x) = %#016x: first byte flagged %d, want %d", x, m, got, first)
		}
	}
	word := func(fill byte, at map[int]byte) uint64 {
		var x uint64
		for k := range 8 {
			b := fill
			if c, ok := at[k]; ok {
				b = c
			}
			x |= uint64(b) << (8 * k)
		}
		return x
	}
	for _, fill := range []byte{' ', '!', '#', '[', ']', 'a', '~', 0x7f} {
		for pos := range 8 {
			for c := range 256 {
				check(word(fill, map[int]byte{pos: byte(c)}))
				for _, d := range []byte{0, 0x1f, '"', '\\', 0x80, 0xff} {
					for pos2 := pos + 1; pos2 < 8; pos2++ {
						check(word(fill, map[int]byte{pos: byte(c), pos2: d}))
					}
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		x := r.Uint64()
		if r.IntN(2) == 0 { // mostly printable ASCII
			x &= 0x7f7f7f7f7f7f7f7f
			x |= 0x2020202020202020
		}
		check(x)
	}
}

// TestParseUTCSeconds: the fast path of parseRFC3339 accepts only what
// time.Time.UnmarshalText accepts, and gives the same time.Time, over
// every day of four centuries, years at the edges of the calendar's
// rules, invalid days and times, and random texts of its shape.
func TestParseUTCSeconds(t *testing.T) {
	check := func(s string) {
		got, ok := parseUTCSeconds([]byte(s))
		var want time.Time
		err := want.UnmarshalText([]byte(s))
		switch {
		case ok && err != nil:
			t.Fatalf("parseUTCSeconds(%q) accepts what UnmarshalText refuses: %v", s, err)
		case ok && (got != want || got.Location() != want.Location() || got.String() != want.String()):
			t.Fatalf("parseUTCSeconds(%q) = %v, UnmarshalText %v", s, got, want)
		case !ok && err == nil && len(s) == 20 && s[10] == 'T' && s[19] == 'Z':
			t.Fatalf("parseUTCSeconds(%q) refuses a plain UTC time", s)
		}
	}
	for _, y := range []int{0, 1, 4, 100, 399, 400, 401, 1600, 1899, 1900, 1969, 1970, 2000, 2024, 2025, 2100, 2400, 9999} {
		for mo := 0; mo <= 13; mo++ {
			for d := 0; d <= 32; d++ {
				check(fmt.Sprintf("%04d-%02d-%02dT12:34:56Z", y, mo, d))
			}
		}
	}
	for _, hms := range []string{"00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "99:99:99", "1a:00:00", "00:0 :00"} {
		check("2025-03-10T" + hms + "Z")
	}
	for d := time.Date(1599, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2402; d = d.AddDate(0, 0, 1) {
		check(d.Format("2006-01-02T") + "23:59:59Z") // every day of four centuries and their edges
	}
	r := rand.New(rand.NewPCG(3, 4))
	const chars = "0123456789-:TZ+ a"
	for range 200_000 {
		b := []byte("2025-03-10T10:00:00Z")
		for range 1 + r.IntN(3) {
			b[r.IntN(len(b))] = chars[r.IntN(len(chars))]
		}
		check(string(b))
	}
}

// TestYearOK compares yearOK with the year of the instant in UTC, at the
// bounds (to the nanosecond, in UTC and in zones either side of it) and at
// random instants from year 1 to 12000.
func TestYearOK(t *testing.T) {
	east, west := time.FixedZone("east", 14*3600), time.FixedZone("west", -12*3600)
	check := func(tm time.Time) {
		y := tm.UTC().Year()
		if want := y >= 1900 && y <= 9999; yearOK(tm) != want {
			t.Fatalf("yearOK(%v) = %v, the year in UTC %d", tm, !want, y)
		}
	}
	for _, b := range []time.Time{firstOf1900, firstOf10000} {
		for _, d := range []time.Duration{-time.Hour, -time.Second, -1, 0, 1, time.Second, time.Hour} {
			for _, loc := range []*time.Location{time.UTC, east, west} {
				check(b.Add(d).In(loc))
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	lo, hi := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for range 100_000 {
		check(time.Unix(lo+r.Int64N(hi-lo), r.Int64N(1e9)).In(east))
	}
}

// TestShortName compares shortName with the reading of a name by
// plainString, on names of every length to 20 bytes, of plain and other
// bytes, followed by a colon or not, near the end of the document or not.
func TestShortName(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const chars = `abcz_:"\ é` + "\x00\x7f"
	read := 0
	for range 300_000 {
		b := []byte{'"'}
		for range r.IntN(21) {
			if r.IntN(4) == 0 {
				b = append(b, chars[r.IntN(len(chars))])
			} else {
				b = append(b, byte('a'+r.IntN(26)))
			}
		}
		b = append(b, `":`[:1+r.IntN(2)]...)
		lo := r.IntN(2)
		b = append(b, []byte(` :"value","next":1}`)[lo:lo+r.IntN(19)]...)
		fast := &wire{fast: true, b: b}
		got, ok := fast.shortName()
		if !ok {
			continue
		}
		read++
		slow := &wire{fast: true, b: b}
		want, wantOK := slow.plainString()
		if wantOK && slow.peek() == ':' {
			slow.i++
		} else {
			wantOK = false
		}
		if !wantOK || string(got) != string(want) || fast.i != slow.i {
			t.Fatalf("%q: shortName %q, at %d; plainString %q, %v, at %d", b, got, fast.i, want, wantOK, slow.i)
		}
	}
	if read < 10_000 {
		t.Errorf("shortName read %d names of 300,000: the test checks too few", read)
	}
}

// TestNameAfter: a decoder that predicts member names from the documents
// it read before reads each document as a fresh decoder does, value and
// error, whatever order the members come in, with white space or not
// before a colon, and with names that are a prefix of, or extend, the one
// predicted.
func TestNameAfter(t *testing.T) {
	members := []string{`"id":"c-1"`, `"kind":"consumer"`, `"country":"FR"`, `"time_zone":"Europe/Paris"`,
		`"email":"lea@example.com"`, `"records":[{"id":"r-1","purpose":"marketing_general","channel":"email",` +
			`"sender":"S","status":"granted","at":"2025-01-02T10:00:00Z","method":"double_opt_in"},` +
			`{"status":"withdrawn","id":"r-2","sender":"S","channel":"email","purpose":"marketing_general","at":"2025-02-02T10:00:00Z"}]`,
		`"relationship":{"purchases":[{"id":"p-1","at":"2025-01-02T10:00:00Z","seller":"S"},{"seller":"S","id":"p-2"}]}`,
		`"i":"x"`, `"ids":"x"`, `"ie":"x"`, `"kin":"x"`, `"kine":"x"`, `"kind" :"consumer"`, `"region":"FR-75"`}
	r := rand.New(rand.NewPCG(11, 12))
	read := func(w *wire, doc []byte) (contactIn, error) {
		var j contactIn
		w.fast, w.b, w.i, w.open = true, doc, 0, false
		err := j.read(w)
		return j, err
	}
	w := new(wire)
	for range 3000 {
		var b strings.Builder
		b.WriteByte('{')
		for k, i := range r.Perm(len(members))[:1+r.IntN(len(members))] {
			if k > 0 {
				b.WriteByte(',')
			}
			b.WriteString(members[i])
		}
		b.WriteByte('}')
		doc := []byte(b.String())
		got, gotErr := read(w, doc)
		want, wantErr := read(new(wire), doc)
		if (gotErr == nil) != (wantErr == nil) || w.i != len(doc) && wantErr == nil {
			t.Fatalf("%s: error %v after earlier documents, %v alone", doc, gotErr, wantErr)
		}
		if diff := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); wantErr == nil && diff != "" {
			t.Fatalf("%s: read after earlier documents differs (-alone +after):\n%s", doc, diff)
		}
	}
}
