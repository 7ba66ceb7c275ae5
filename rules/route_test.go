package rules_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/decode"
	"github.com/sendright/sendright/rules"
)

// countryCmp compares countries by code.
var countryCmp = cmp.Comparer(func(a, b address.Country) bool { return a == b })

// routeFile is a valid route file with every kind of mechanism.
const routeFile = `routes:
  - name: newsletter_esp
    default_for: [email]
    hops:
      - id: esp
        entity: Example Mail Inc.
        entity_id: DPF-0000001
        role: processor
        processing: [US]
        access: [US, IN]
        mechanisms:
          - {kind: dpf, framework: eu_us, status: active, covered: non_hr, checked_at: 2026-11-01}
          - kind: scc_2021
            module: 2
            signed_at: 2024-05-01
            tia: {ref: TIA-0001, assessed_at: 2025-11-01, next_review_at: 2026-11-01}
      - id: analytics
        entity: Example Analytics Ltd
        role: subprocessor
        processing: [GB]
        from: esp
        mechanisms:
          - {kind: bcr, bcr_type: processor, approval_ref: ICO-BCR-0001, tia: {ref: TIA-2, assessed_at: 2025-01-01, next_review_at: 2027-01-01}}
          - {kind: uk_idta, signed_at: 2023-01-01, version: A1.0}
          - {kind: uk_addendum, signed_at: 2023-01-01}
          - {kind: scc_legacy, version: "2010", signed_at: 2019-01-01}
          - {kind: derogation_49, letter: a, evidence_ref: EV-1, one_off: true}
          - {kind: adequacy}
  - name: sms_gateway
    default_for: [sms]
    hops:
      - {id: gw, entity: Example SMS SAS, role: processor, processing: [FR]}
`

func TestParseRoutes(t *testing.T) {
	got, err := rules.ParseRoutes("routes.yaml", []byte(routeFile))
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	us, in, gb, fr := address.MustCountry("US"), address.MustCountry("IN"), address.MustCountry("GB"), address.MustCountry("FR")
	want := []rules.Route{
		{Name: "newsletter_esp", DefaultFor: []consent.Channel{consent.Email}, Hops: []rules.Hop{
			{ID: "esp", Entity: "Example Mail Inc.", EntityID: "DPF-0000001", Role: rules.Processor,
				Processing: []address.Country{us}, Access: []address.Country{us, in}, Mechanisms: []rules.Mechanism{
					{Kind: rules.DPF, Framework: rules.DPFEUUS, Status: rules.Active, Covered: rules.NonHRData, CheckedAt: day("2026-11-01")},
					{Kind: rules.SCC2021, Module: 2, SignedAt: day("2024-05-01"),
						TIA: rules.TIA{Ref: "TIA-0001", AssessedAt: day("2025-11-01"), NextReviewAt: day("2026-11-01")}},
				}},
			{ID: "analytics", Entity: "Example Analytics Ltd", Role: rules.Subprocessor, Processing: []address.Country{gb}, From: "esp",
				Mechanisms: []rules.Mechanism{
					{Kind: rules.BCR, BCRType: rules.BCRProcessor, ApprovalRef: "ICO-BCR-0001",
						TIA: rules.TIA{Ref: "TIA-2", AssessedAt: day("2025-01-01"), NextReviewAt: day("2027-01-01")}},
					{Kind: rules.UKIDTA, SignedAt: day("2023-01-01"), Version: "A1.0"},
					{Kind: rules.UKAddendum, SignedAt: day("2023-01-01")},
					{Kind: rules.SCCLegacy, Version: "2010", SignedAt: day("2019-01-01")},
					{Kind: rules.Derogation49, Letter: "a", EvidenceRef: "EV-1", OneOff: true},
					{Kind: rules.Adequacy},
				}},
		}},
		{Name: "sms_gateway", DefaultFor: []consent.Channel{consent.SMS}, Hops: []rules.Hop{
			{ID: "gw", Entity: "Example SMS SAS", Role: rules.Processor, Processing: []address.Country{fr}},
		}},
	}
	if d := cmp.Diff(want, got, countryCmp); d != "" {
		t.Fatalf("ParseRoutes (-want +got):\n%s", d)
	}

	// The JSON form, through the strict decoder every policy parameter
	// uses, gives the same routes back.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var back []rules.Route
	if err := decode.JSON(b, &back); err != nil {
		t.Fatalf("decoding the JSON form: %v\n%s", err, b)
	}
	if d := cmp.Diff(got, back, countryCmp); d != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", d)
	}
	if err := rules.CheckRoutes(back); err != nil {
		t.Errorf("CheckRoutes of the decoded routes: %v", err)
	}
	// And ParseRoutes reads the JSON form of a route file too.
	fileJSON, _ := json.Marshal(map[string]any{"routes": got})
	again, err := rules.ParseRoutes("routes.json", fileJSON)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, again, countryCmp); d != "" {
		t.Errorf("ParseRoutes of the JSON form (-want +got):\n%s", d)
	}
}

func TestParseRoutesErrors(t *testing.T) {
	hop := "    hops:\n      - {id: esp, entity: Example Mail Inc., role: processor, processing: [US]}\n"
	tests := []struct {
		name, src string
		line      int    // 0: not checked
		field     string // Error.Field of the first problem
		mention   string
		is        error
	}{
		{"unknown key", "routes:\n  - name: a\n    hopz: []\n", 3, "routes[0].hopz", "hopz", consent.ErrUnknownField},
		{"case variant key", "routes:\n  - Name: a\n" + hop, 2, "routes[0].Name", `did you mean "name"`, consent.ErrUnknownField},
		{"duplicate key", "routes:\n  - name: a\n    name: b\n" + hop, 3, "routes[0].name", "given twice", consent.ErrDuplicateKey},
		{"alias", "x: &a 1\nroutes: *a\n", 0, "", "", nil},
		{"unknown channel", "routes:\n  - name: a\n    default_for: [fax]\n" + hop, 3, "routes[0].default_for[0]", "fax", nil},
		{"unknown country", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [XX]}\n", 4, "routes[0].hops[0].processing[0]", "country", nil},
		{"unknown kind", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US], mechanisms: [{kind: dpff}]}\n", 4, "routes[0].hops[0].mechanisms[0].kind", "dpff", nil},
		{"missing routes", "title: x\n", 1, "title", "unknown key", consent.ErrUnknownField},
		{"no routes key", "{}\n", 1, "", "missing routes", nil},
		{"missing name", "routes:\n  -" + strings.TrimPrefix(hop, "   "), 0, "routes[0].name", "missing name", nil},
		{"bad name", "routes:\n  - name: a b\n" + hop, 2, "routes[0].name", "want letters", nil},
		{"duplicate route", "routes:\n  - name: a\n" + hop + "  - name: a\n" + hop, 5, "routes[1].name", "defined twice", nil},
		{"default twice", "routes:\n  - name: a\n    default_for: [email]\n" + hop + "  - name: b\n    default_for: [email]\n" + hop, 7, "routes[1].default_for[0]", "already the default", nil},
		{"all as default", "routes:\n  - name: a\n    default_for: [all]\n" + hop, 3, "routes[0].default_for[0]", "not a message channel", nil},
		{"no hops", "routes:\n  - name: a\n    hops: []\n", 3, "routes[0].hops", "no hops", nil},
		{"hop without entity", "routes:\n  - name: a\n    hops:\n      - {id: h, role: processor, processing: [US]}\n", 4, "routes[0].hops[0].entity", "route a: hop h: missing entity", nil},
		{"hop without role", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, processing: [US]}\n", 4, "routes[0].hops[0].role", "missing role", nil},
		{"hop without countries", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor}\n", 4, "routes[0].hops[0].processing", "missing processing", nil},
		{"country twice", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US, US]}\n", 4, "routes[0].hops[0].processing[1]", "US given twice", nil},
		{"duplicate hop", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US]}\n      - {id: h, entity: E Inc, role: processor, processing: [US]}\n", 5, "routes[0].hops[1].id", "defined twice", nil},
		{"unknown from", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US], from: x}\n", 4, "routes[0].hops[0].from", `from "x" names no hop`, nil},
		{"from itself", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US], from: h}\n", 4, "routes[0].hops[0].from", "the hop itself", nil},
		{"cycle", "routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US], from: k}\n      - {id: k, entity: E Inc, role: processor, processing: [US], from: h}\n", 4, "routes[0].hops[0].from", "cycle", nil},
		{"dpf without status", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: dpf, framework: eu_us, covered: non_hr, checked_at: 2026-01-01}\n", 9, "routes[0].hops[0].mechanisms[0]", "route a: hop h: mechanism dpf: missing status", nil},
		{"field the kind does not take", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: scc_2021, module: 2, signed_at: 2024-01-01, framework: eu_us}\n", 9, "routes[0].hops[0].mechanisms[0].framework", "takes no framework", nil},
		{"module out of range", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: scc_2021, module: 5, signed_at: 2024-01-01}\n", 9, "routes[0].hops[0].mechanisms[0].module", "want 1 to 4", nil},
		{"legacy version", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: scc_legacy, version: \"2021\", signed_at: 2020-01-01}\n", 9, "routes[0].hops[0].mechanisms[0].version", "want 2001, 2004 or 2010", nil},
		{"derogation letter", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: derogation_49, letter: z}\n", 9, "routes[0].hops[0].mechanisms[0].letter", "a to g", nil},
		{"tia review before assessment", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: uk_idta, signed_at: 2024-01-01, tia: {ref: T, assessed_at: 2025-01-01, next_review_at: 2024-01-01}}\n", 9, "routes[0].hops[0].mechanisms[0].tia.next_review_at", "not after assessed_at", nil},
		{"mechanism twice", "routes:\n  - name: a\n    hops:\n      - id: h\n        entity: E Inc\n        role: processor\n        processing: [US]\n        mechanisms:\n          - {kind: adequacy}\n          - {kind: adequacy}\n", 10, "routes[0].hops[0].mechanisms[1]", "given twice", nil},
		{"two documents", "routes: []\n---\nroutes: []\n", 0, "", "more than one YAML document", nil},
		{"too large", "routes: []\n#" + strings.Repeat("x", rules.MaxFileSize), 0, "", "larger than", nil},
		{"too deep", "routes: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n", 1, "", "nested deeper", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.ParseRoutes("r.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("ParseRoutes = %v, want an error", got)
			}
			if got != nil {
				t.Errorf("ParseRoutes returned routes with its error: %v", got)
			}
			var list rules.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v: want a rules.ErrorList", err, err)
			}
			first := list[0]
			if !errors.Is(err, rules.ErrInvalid) {
				t.Errorf("error does not wrap rules.ErrInvalid: %v", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error does not wrap %v: %v", tt.is, err)
			}
			if tt.line != 0 && first.Line != tt.line {
				t.Errorf("line %d, want %d: %v", first.Line, tt.line, err)
			}
			if tt.field != "" && first.Field != tt.field {
				t.Errorf("field %q, want %q: %v", first.Field, tt.field, err)
			}
			if first.File != "r.yaml" {
				t.Errorf("file %q, want r.yaml", first.File)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
}

func TestParseRoutesLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("routes:\n  - name: a\n    hops:\n")
	for i := range rules.MaxHops + 1 {
		b.WriteString("      - {id: h" + strings.Repeat("x", i) + ", entity: E Inc, role: processor, processing: [US]}\n")
	}
	if _, err := rules.ParseRoutes("r.yaml", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "at most 32") {
		t.Errorf("a route of %d hops: error %v, want at most %d", rules.MaxHops+1, err, rules.MaxHops)
	}
	long := strings.Repeat("n", rules.MaxRouteName+1)
	if _, err := rules.ParseRoutes("r.yaml", []byte("routes:\n  - name: "+long+"\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US]}\n")); err == nil {
		t.Error("a route name over MaxRouteName: no error")
	}
}

func TestCheckRoutesWithoutFile(t *testing.T) {
	routes := []rules.Route{{Name: "a", Hops: []rules.Hop{{ID: "h", Entity: "E Inc", Role: rules.Processor,
		Processing: []address.Country{address.MustCountry("US")}, From: "nope"}}}}
	err := rules.CheckRoutes(routes)
	var list rules.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("CheckRoutes = %v, want one problem", err)
	}
	if e := list[0]; e.File != "" || e.Line != 0 || e.Field != "routes[0].hops[0].from" || !strings.Contains(e.Msg, "route a: hop h") {
		t.Errorf("problem %+v: want no position, the field, and the route and hop named", e)
	}
	if err := rules.CheckRoutes(nil); err != nil {
		t.Errorf("CheckRoutes(nil) = %v", err)
	}
}

func TestParseRoutesFS(t *testing.T) {
	fsys := fstest.MapFS{
		"routes/a.yaml": {Data: []byte("routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US]}\n")},
		"routes/b.yaml": {Data: []byte("routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US]}\n")},
		"routes/c.yaml": {Data: []byte("routes:\n  - name: c\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US]}\n")},
	}
	got, err := rules.ParseRoutesFS(fsys, "routes/c.yaml", "routes/a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "c" {
		t.Errorf("ParseRoutesFS: %v, want a then c", got)
	}
	if _, err := rules.ParseRoutesFS(fsys, "routes/*.yaml"); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("two files defining route a: %v, want defined twice", err)
	}
	if _, err := rules.ParseRoutesFS(fsys, "nothing/*.yaml"); err == nil {
		t.Error("a pattern matching nothing: no error")
	}
	if _, err := rules.ParseRoutesFile("testdata/no-such-routes.yaml"); err == nil {
		t.Error("ParseRoutesFile of a missing file: no error")
	}
}

// FuzzParseRoutes: ParseRoutes never panics; it returns routes or an
// ErrorList, never both; what it accepts passes CheckRoutes and survives
// the strict JSON round trip.
func FuzzParseRoutes(f *testing.F) {
	f.Add(routeFile)
	f.Add("routes: []\n")
	f.Add("routes:\n  - name: a\n    hops:\n      - {id: h, entity: E Inc, role: processor, processing: [US], from: h}\n")
	f.Add("{\"routes\": [{\"name\": \"a\", \"hops\": [{\"id\": \"h\", \"entity\": \"E\", \"role\": \"processor\", \"processing\": [\"US\"]}]}]}")
	f.Fuzz(func(t *testing.T, src string) {
		got, err := rules.ParseRoutes("f.yaml", []byte(src))
		if err != nil {
			var list rules.ErrorList
			if got != nil || !errors.As(err, &list) {
				t.Fatalf("routes %v with error %T %v", got, err, err)
			}
			return
		}
		if err := rules.CheckRoutes(got); err != nil {
			t.Fatalf("accepted routes fail CheckRoutes: %v", err)
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("marshalling accepted routes: %v", err)
		}
		var back []rules.Route
		if err := decode.JSON(b, &back); err != nil {
			t.Fatalf("decoding the JSON form: %v", err)
		}
		if d := cmp.Diff(got, back, countryCmp, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("JSON round trip (-want +got):\n%s", d)
		}
	})
}
