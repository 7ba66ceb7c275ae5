package abi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
)

// reply is any result of the interface, decoded.
type reply struct {
	Handle        uint64                `json:"handle"`
	PolicyVersion string                `json:"policy_version"`
	Jurisdictions []string              `json:"jurisdictions"`
	Released      uint64                `json:"released"`
	Line          int                   `json:"line"`
	Ref           string                `json:"ref"`
	Decision      *eligibility.Decision `json:"decision"`
	Audit         *eligibility.Audit    `json:"audit"`
	Error         *Error                `json:"error"`
}

// parse decodes one result, failing the test when it is not JSON.
func parse(t testing.TB, b []byte) reply {
	t.Helper()
	r, err := decodeReply(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// decodeReply decodes one result.
func decodeReply(b []byte) (reply, error) {
	var r reply
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("result is not JSON: %v\n%s", err, b)
	}
	return r, nil
}

// parseLines decodes the JSON Lines of a batch's result.
func parseLines(t testing.TB, b []byte) []reply {
	t.Helper()
	var out []reply
	for l := range bytes.Lines(b) {
		out = append(out, parse(t, l))
	}
	return out
}

// mustCompile compiles config and returns its handle, released at the end
// of the test.
func mustCompile(t testing.TB, config string) uint64 {
	t.Helper()
	r := parse(t, Compile([]byte(config)))
	if r.Error != nil || r.Handle == 0 {
		t.Fatalf("Compile(%s) = %+v", config, r.Error)
	}
	t.Cleanup(func() { Release(r.Handle) })
	return r.Handle
}

// The requests of the tests: fictional contacts.
const (
	allowReq = `{"contact": {"id": "c-1", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris",
		"email": "lea.exemple@example.com", "records": [{"id": "r-1", "subject": "lea.exemple@example.com",
		"purpose": "marketing_general", "channel": "email", "sender": "Maison Exemple SAS", "status": "granted",
		"at": "2025-09-01T10:00:00+02:00", "method": "unticked_checkbox"}]},
	 "message": {"purpose": "marketing_general", "channel": "email", "sender": {"entity": "Maison Exemple SAS", "kind": "company"},
		"at": "2026-03-10T11:00:00+01:00"}, "ref": "send-1"}`
	denyReq = `{"contact": {"id": "c-2", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris",
		"email": "noe.exemple@example.com", "records": []},
	 "message": {"purpose": "marketing_general", "channel": "email", "sender": {"entity": "Maison Exemple SAS", "kind": "company"},
		"at": "2026-03-10T11:00:00+01:00"}}`
)

// regexpLine matches the line numbers of a batch's result.
var regexpLine = regexp.MustCompile(`(?m)^\{"line":\d+`)

// oneLine removes the line breaks of a request written on several lines.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestDecide(t *testing.T) {
	h := mustCompile(t, `{}`)
	pol, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []string{allowReq, denyReq} {
		var r eligibility.Request
		if err := json.Unmarshal([]byte(req), &r); err != nil {
			t.Fatal(err)
		}
		want, err := pol.Decide(r)
		if err != nil {
			t.Fatal(err)
		}
		got := parse(t, Decide(h, []byte(req)))
		if got.Error != nil {
			t.Fatalf("error %+v", got.Error)
		}
		if diff := cmp.Diff(jsonOf(t, want), jsonOf(t, got.Decision)); diff != "" {
			t.Errorf("Decide differs from the Go API's (-want +got):\n%s", diff)
		}
	}
	if r := parse(t, Decide(h, []byte(allowReq))); r.Decision.Verdict != eligibility.Allow {
		t.Errorf("allowReq: %v, want an allow", r.Decision)
	}
}

// jsonOf returns v's JSON form decoded as a generic value, for diffs.
func jsonOf(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var g any
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDecideMalformed(t *testing.T) {
	h := mustCompile(t, `{}`)
	tests := []struct {
		name, req string
		code      Code
		field     string
	}{
		{"empty", ``, CodeInvalidRequest, ""},
		{"not JSON", `{"contact":`, CodeInvalidRequest, "contact"},
		{"null", `null`, CodeInvalidRequest, "contact"},
		{"no message", `{"contact": {"id": "c-3", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris", "records": []}}`, CodeInvalidRequest, "message"},
		{"unknown key", strings.Replace(allowReq, `"ref"`, `"Ref"`, 1), CodeInvalidRequest, "Ref"},
		{"duplicate key", strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "a", "ref": "b"`, 1), CodeInvalidRequest, "ref"},
		{"bad ref", strings.Replace(allowReq, `"send-1"`, `"lea@example.com"`, 1), CodeInvalidRequest, "ref"},
		{"bad channel", strings.Replace(allowReq, `"channel": "email", "sender": {`, `"channel": "fax", "sender": {`, 1), CodeInvalidRequest, "message.channel"},
		{"too deep", `{"contact": ` + strings.Repeat(`{"a": `, 40) + `1` + strings.Repeat(`}`, 40) + `}`, CodeTooLarge, "contact"},
		{"too large", `{"contact": {"id": "` + strings.Repeat("x", 9<<20) + `"}}`, CodeTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parse(t, Decide(h, []byte(tt.req)))
			if r.Error == nil || r.Error.Code != tt.code || r.Error.Field != tt.field {
				t.Errorf("error = %+v, want code %s field %q", r.Error, tt.code, tt.field)
			}
			if r.Decision == nil || r.Decision.Verdict != eligibility.Deny || r.Decision.Reason != eligibility.ReasonInvalidRequest {
				t.Errorf("decision = %v, want a deny INVALID_REQUEST", r.Decision)
			}
		})
	}
}

func TestCompile(t *testing.T) {
	tests := []struct {
		name, config string
		code         Code
		field        string
		jur          []string
	}{
		{"empty", ``, "", "", nil},
		{"every set", `{}`, "", "", nil},
		{"some sets", `{"builtin": ["FR", "GB"]}`, "", "", []string{"FR", "GB"}},
		{"no such set", `{"builtin": ["XX"]}`, CodeInvalidConfig, "builtin", nil},
		{"not JSON", `{`, CodeInvalidConfig, "", nil},
		{"unknown key", `{"Builtin": ["FR"]}`, CodeInvalidConfig, "Builtin", nil},
		{"bad params", `{"params": {"rule_budget": "x"}}`, CodeInvalidConfig, "params.rule_budget", nil},
		{"bad rule file", `{"rules": [{"name": "house.yaml", "text": "house: [\n"}]}`, CodeInvalidRules, "rules[0]", nil},
		{"does not compile", `{"builtin": ["FR"], "rules": [{"name": "h.yaml", "text": "house: acme\napplies_to: {jurisdictions: [GB]}\nrules: []\n"}]}`,
			CodeInvalidRules, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parse(t, Compile([]byte(tt.config)))
			if r.Handle != 0 {
				defer Release(r.Handle)
			}
			switch {
			case tt.code == "" && (r.Error != nil || r.Handle == 0 || r.PolicyVersion == ""):
				t.Fatalf("Compile = %+v, error %+v; want a handle", r, r.Error)
			case tt.code != "" && (r.Error == nil || r.Error.Code != tt.code || r.Error.Field != tt.field || r.Handle != 0):
				t.Fatalf("Compile = handle %d, error %+v; want code %s field %q", r.Handle, r.Error, tt.code, tt.field)
			}
			if tt.jur != nil {
				if diff := cmp.Diff(tt.jur, r.Jurisdictions); diff != "" {
					t.Errorf("jurisdictions (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestReleasedHandle(t *testing.T) {
	r := parse(t, Compile([]byte(`{"builtin": ["FR"]}`)))
	h := r.Handle
	if got := parse(t, Decide(h, []byte(allowReq))); got.Error != nil || got.Decision.Verdict != eligibility.Allow {
		t.Fatalf("before release: %+v %v", got.Error, got.Decision)
	}
	if got := parse(t, Release(h)); got.Error != nil || got.Released != h {
		t.Fatalf("Release = %+v", got)
	}
	for name, h := range map[string]uint64{"released": h, "never issued": 1 << 50, "zero": 0} {
		t.Run(name, func(t *testing.T) {
			if got := parse(t, Decide(h, []byte(allowReq))); got.Error == nil || got.Error.Code != CodeUnknownHandle ||
				got.Decision.Verdict != eligibility.Deny {
				t.Errorf("Decide = %+v %v, want UNKNOWN_HANDLE and a deny", got.Error, got.Decision)
			}
			if got := parse(t, Explain(h, []byte(allowReq))); got.Error == nil || got.Error.Code != CodeUnknownHandle ||
				got.Decision.Verdict != eligibility.Deny || got.Audit == nil || got.Audit.Decision.Verdict != eligibility.Deny {
				t.Errorf("Explain = %+v, want UNKNOWN_HANDLE and a deny", got.Error)
			}
			if got := parse(t, Explain(h, []byte(`{`))); got.Error == nil || got.Error.Code != CodeUnknownHandle ||
				got.Decision.Verdict != eligibility.Deny || got.Audit != nil {
				t.Errorf("Explain of no request = %+v %+v, want UNKNOWN_HANDLE, a deny and no audit", got.Error, got.Audit)
			}
			lines := parseLines(t, Batch(h, []byte(allowReq+"\n"+allowReq+"\n")))
			if len(lines) != 1 || lines[0].Line != 0 || lines[0].Error == nil || lines[0].Error.Code != CodeUnknownHandle ||
				lines[0].Decision.Verdict != eligibility.Deny {
				t.Errorf("Batch = %+v, want one line 0, UNKNOWN_HANDLE and a deny", lines)
			}
			if got := parse(t, Release(h)); got.Error == nil || got.Error.Code != CodeUnknownHandle {
				t.Errorf("Release = %+v, want UNKNOWN_HANDLE", got)
			}
		})
	}
}

func TestTooManyHandles(t *testing.T) {
	defer func(n int) { maxHandles = n }(maxHandles)
	handles.RLock()
	maxHandles = len(handles.pols) + 2
	handles.RUnlock()
	mustCompile(t, `{"builtin": ["GB"]}`)
	mustCompile(t, `{"builtin": ["GB"]}`)
	r := parse(t, Compile([]byte(`{"builtin": ["GB"]}`)))
	if r.Error == nil || r.Error.Code != CodeTooManyHandles || r.Handle != 0 {
		t.Errorf("third Compile = %d %+v, want TOO_MANY_HANDLES", r.Handle, r.Error)
	}
}

func TestBatch(t *testing.T) {
	h := mustCompile(t, `{}`)
	in := oneLine(allowReq) + "\n" +
		"not json\n" +
		"\n" +
		oneLine(denyReq) + "\r\n" +
		"   \t\n" +
		oneLine(allowReq) // no final line break
	got := parseLines(t, Batch(h, []byte(in)))
	type summary struct {
		Line    int
		Ref     string
		Verdict eligibility.Verdict
		Code    Code
	}
	var sum []summary
	for _, l := range got {
		s := summary{Line: l.Line, Ref: l.Ref, Verdict: l.Decision.Verdict}
		if l.Error != nil {
			s.Code = l.Error.Code
		}
		sum = append(sum, s)
	}
	want := []summary{
		{1, "send-1", eligibility.Allow, ""},
		{2, "", eligibility.Deny, CodeInvalidRequest},
		{3, "", eligibility.Deny, CodeInvalidRequest},
		{4, "", eligibility.Deny, ""},
		{5, "", eligibility.Deny, CodeInvalidRequest},
		{6, "send-1", eligibility.Allow, ""},
	}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("Batch (-want +got):\n%s", diff)
	}
	// Each decision is Decide's.
	for i, req := range strings.Split(strings.ReplaceAll(in, "\r", ""), "\n") {
		one := parse(t, Decide(h, []byte(req)))
		if i == 1 || i == 2 || i == 4 {
			one.Decision.Detail = got[i].Decision.Detail // the decoding error is worded by line
		}
		if diff := cmp.Diff(jsonOf(t, one.Decision), jsonOf(t, got[i].Decision)); diff != "" {
			t.Errorf("line %d: Batch differs from Decide (-Decide +Batch):\n%s", i+1, diff)
		}
	}
	if out := Batch(h, nil); len(out) != 0 {
		t.Errorf("Batch(nil) = %q, want nothing", out)
	}
}

// TestBatchFrom checks that BatchFrom numbers the lines from its first
// and is otherwise Batch, byte for byte once renumbered, with one thread
// (the WebAssembly module's case, decided without goroutines) as with
// several; a first below 1 is 1.
func TestBatchFrom(t *testing.T) {
	h := mustCompile(t, `{}`)
	in := []byte(strings.Repeat(oneLine(allowReq)+"\n"+oneLine(denyReq)+"\nnot json\n", 2*chunkLines))
	want := Batch(h, in)
	for _, procs := range []int{1, 2, 4} {
		prev := runtime.GOMAXPROCS(procs)
		for _, first := range []int64{-5, 0, 1, 1000, 1 << 60} {
			got := BatchFrom(h, first, in)
			n := int(max(first, 1))
			if first == 1<<60 {
				n = 1<<53 - MaxBatchLines
			}
			lines := parseLines(t, got)
			if len(lines) != 6*chunkLines {
				t.Fatalf("GOMAXPROCS %d, first %d: %d lines, want %d", procs, first, len(lines), 6*chunkLines)
			}
			for i, l := range lines {
				if l.Line != n+i {
					t.Fatalf("GOMAXPROCS %d, first %d: line %d numbered %d, want %d", procs, first, i, l.Line, n+i)
				}
			}
			number := regexpLine
			if diff := cmp.Diff(string(number.ReplaceAll(want, nil)), string(number.ReplaceAll(got, nil))); diff != "" {
				t.Fatalf("GOMAXPROCS %d, first %d: BatchFrom differs from Batch but for the numbers (-Batch +BatchFrom):\n%s", procs, first, diff)
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

func TestBatchTooLarge(t *testing.T) {
	h := mustCompile(t, `{"builtin": ["GB"]}`)
	got := parseLines(t, Batch(h, bytes.Repeat([]byte("\n"), MaxBatchLines+1)))
	if len(got) != 1 || got[0].Line != 0 || got[0].Error == nil || got[0].Error.Code != CodeTooLarge ||
		got[0].Decision.Verdict != eligibility.Deny {
		t.Errorf("Batch of %d lines = %+v, want one line 0 TOO_LARGE with a deny", MaxBatchLines+1, got)
	}
	if got := parseLines(t, Batch(h, bytes.Repeat([]byte("\n"), MaxBatchLines))); len(got) != MaxBatchLines {
		t.Errorf("Batch of %d empty lines: %d results", MaxBatchLines, len(got))
	}
}

func TestExplain(t *testing.T) {
	h := mustCompile(t, `{}`)
	pol, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	var r eligibility.Request
	if err := json.Unmarshal([]byte(allowReq), &r); err != nil {
		t.Fatal(err)
	}
	want, err := pol.Explain(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := parse(t, Explain(h, []byte(allowReq)))
	if got.Error != nil {
		t.Fatal(got.Error)
	}
	if diff := cmp.Diff(jsonOf(t, want), jsonOf(t, got.Audit)); diff != "" {
		t.Errorf("Explain differs from the Go API's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(jsonOf(t, want.Decision), jsonOf(t, got.Decision)); diff != "" {
		t.Errorf("Explain's decision differs from the audit's (-want +got):\n%s", diff)
	}
	for _, req := range []string{`{"contact": 1}`, strings.Replace(allowReq, `"at": "2026-03-10T11:00:00+01:00"`, `"category": ""`, 1)} {
		bad := parse(t, Explain(h, []byte(req)))
		if bad.Error == nil || bad.Error.Code != CodeInvalidRequest || bad.Decision.Verdict != eligibility.Deny ||
			(bad.Audit != nil && bad.Audit.Decision.Verdict != eligibility.Deny) {
			t.Errorf("Explain of a malformed request = %+v %v, want INVALID_REQUEST with a deny", bad.Error, bad.Decision)
		}
	}
}

func TestInfo(t *testing.T) {
	var got struct {
		ABI       int    `json:"abi"`
		Semantics string `json:"semantics"`
		Module    string `json:"module"`
	}
	if err := json.Unmarshal(Info(), &got); err != nil {
		t.Fatal(err)
	}
	if got.ABI != Version || got.Semantics != eligibility.SemanticsVersion || got.Module == "" {
		t.Errorf("Info = %+v", got)
	}
}

// TestPanicRecovered checks that a panic in an entry point becomes an
// INTERNAL error with a deny, and without one an INTERNAL error.
func TestPanicRecovered(t *testing.T) {
	deciding := func() (out []byte) {
		defer recovered(&out, func(e *Error) []byte { return marshal(result{&internalDeny, e}) })
		panic("boom")
	}
	r := parse(t, deciding())
	if r.Error == nil || r.Error.Code != CodeInternal || r.Decision == nil || r.Decision.Verdict != eligibility.Deny {
		t.Errorf("deciding entry point's panic = %+v %v", r.Error, r.Decision)
	}
	batching := func() (out []byte) {
		defer recovered(&out, func(e *Error) []byte { return refuse(&internalDeny, e) })
		panic(fmt.Errorf("boom"))
	}
	lines := parseLines(t, batching())
	if len(lines) != 1 || lines[0].Line != 0 || lines[0].Error.Code != CodeInternal || lines[0].Decision.Verdict != eligibility.Deny {
		t.Errorf("batch entry point's panic = %+v", lines)
	}
	other := func() (out []byte) {
		defer recovered(&out, nil)
		panic("boom")
	}
	if r := parse(t, other()); r.Error == nil || r.Error.Code != CodeInternal {
		t.Errorf("entry point's panic = %+v", r.Error)
	}
}

// TestConcurrent compiles, decides and releases from many goroutines at
// once (run it with -race): every call gets either its policy's decision
// or, once released, UNKNOWN_HANDLE with a deny.
func TestConcurrent(t *testing.T) {
	shared := mustCompile(t, `{"builtin": ["FR"]}`)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 16 {
		wg.Go(func() {
			c, err := decodeReply(Compile([]byte(`{"builtin": ["FR"]}`)))
			if err != nil || c.Handle == 0 {
				errs <- fmt.Sprintf("goroutine %d: Compile: %v %+v", g, err, c.Error)
				return
			}
			own := c.Handle
			for i := range 20 {
				h := shared
				if i%2 == 1 {
					h = own
				}
				r, err := decodeReply(Decide(h, []byte(allowReq)))
				if err != nil || r.Error != nil || r.Decision.Verdict != eligibility.Allow {
					errs <- fmt.Sprintf("goroutine %d call %d: %+v %v", g, i, r.Error, r.Decision)
				}
				if i == 10 {
					out := bytes.Split(bytes.TrimSuffix(Batch(h, []byte(oneLine(allowReq)+"\n"+oneLine(denyReq))), []byte("\n")), []byte("\n"))
					var lines []reply
					for _, o := range out {
						l, err := decodeReply(o)
						if err != nil {
							errs <- err.Error()
						}
						lines = append(lines, l)
					}
					if len(lines) != 2 || lines[0].Decision == nil || lines[1].Decision == nil || lines[0].Decision.Verdict != eligibility.Allow || lines[1].Decision.Verdict != eligibility.Deny {
						errs <- fmt.Sprintf("goroutine %d batch: %+v", g, lines)
					}
				}
			}
			Release(own)
			if r, err := decodeReply(Decide(own, []byte(allowReq))); err != nil || r.Error == nil || r.Error.Code != CodeUnknownHandle ||
				r.Decision.Verdict != eligibility.Deny {
				errs <- fmt.Sprintf("goroutine %d after release: %+v %v", g, r.Error, r.Decision)
			}
		})
	}
	// Releasing a handle while other goroutines decide with it.
	victim := parse(t, Compile([]byte(`{"builtin": ["FR"]}`))).Handle
	for range 4 {
		wg.Go(func() {
			for range 50 {
				r, err := decodeReply(Decide(victim, []byte(allowReq)))
				ok := err == nil && r.Decision != nil && ((r.Error == nil && r.Decision.Verdict == eligibility.Allow) ||
					(r.Error != nil && r.Error.Code == CodeUnknownHandle && r.Decision.Verdict == eligibility.Deny))
				if !ok {
					errs <- fmt.Sprintf("victim: %+v %v", r.Error, r.Decision)
				}
			}
		})
	}
	Release(victim)
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
