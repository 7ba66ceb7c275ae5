package abi

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/decode"
)

// fuzzHandle is the policy the fuzz targets decide with: every built-in
// set, compiled once and never released.
var fuzzHandle = sync.OnceValue(func() uint64 {
	r, err := decodeReply(Compile(nil))
	if err != nil || r.Handle == 0 {
		panic("compiling the built-in sets failed")
	}
	return r.Handle
})

// seedRequests are the seeds of the request targets.
var seedRequests = []string{
	allowReq, denyReq, ``, `null`, `{}`, `[]`, `{"contact": {}}`, `{"contact": 1, "message": 2}`,
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "a", "ref": "b"`, 1),
	strings.Replace(allowReq, `"FR"`, `"ZZ"`, 1),
	strings.Replace(allowReq, `"granted"`, `"Granted"`, 1),
}

// checkDecided checks one deciding result: JSON whose decision is strict
// JSON, a deny whenever there is an error, and an error whenever the
// request does not decode.
func checkDecided(t *testing.T, req, out []byte) {
	t.Helper()
	r, err := decodeReply(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision == nil {
		t.Fatalf("no decision: %s", out)
	}
	if r.Error != nil && r.Decision.Verdict != eligibility.Deny {
		t.Fatalf("error %+v with %v", r.Error, r.Decision)
	}
	var q eligibility.Request
	if q.UnmarshalJSON(req) != nil && (r.Error == nil || r.Decision.Verdict != eligibility.Deny) {
		t.Fatalf("malformed request decided %v, error %+v", r.Decision, r.Error)
	}
}

// FuzzDecide feeds Decide and Explain any bytes: the result is always
// JSON, and never an allow for a request that does not decode.
func FuzzDecide(f *testing.F) {
	for _, s := range seedRequests {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, req []byte) {
		h := fuzzHandle()
		checkDecided(t, req, Decide(h, req))
		checkDecided(t, req, Explain(h, req))
	})
}

// FuzzBatch feeds Batch any bytes: the result is one JSON line per input
// line, numbered in order, each a deny when in error or when its line does
// not decode.
// BatchFrom is fuzzed with it: first is any number, the lines numbered
// from it (from 1 when it is below 1).
func FuzzBatch(f *testing.F) {
	f.Add([]byte(oneLine(allowReq)+"\n"+oneLine(denyReq)), int64(1))
	f.Add([]byte(oneLine(allowReq)+"\r\n\n x\n"), int64(-3))
	for i, s := range seedRequests {
		f.Add([]byte(oneLine(s)+"\n"+oneLine(allowReq)), int64(i*100))
	}
	f.Fuzz(func(t *testing.T, in []byte, first int64) {
		out := Batch(fuzzHandle(), in)
		n := 1
		if first != 1 {
			out, n = BatchFrom(fuzzHandle(), first, in), firstLine(first)
		}
		if len(in) == 0 {
			if len(out) != 0 {
				t.Fatalf("empty batch gave %q", out)
			}
			return
		}
		if !bytes.HasSuffix(out, []byte("\n")) {
			t.Fatalf("result does not end a line: %q", out)
		}
		lines := bytes.Split(out[:len(out)-1], []byte("\n"))
		inLines := bytes.Split(bytes.TrimSuffix(in, []byte("\n")), []byte("\n"))
		if len(lines) != len(inLines) {
			t.Fatalf("%d result lines for %d input lines", len(lines), len(inLines))
		}
		for i, l := range lines {
			r, err := decodeReply(l)
			if err != nil {
				t.Fatal(err)
			}
			if r.Line != n+i {
				t.Fatalf("line %d numbered %d, want %d", i+1, r.Line, n+i)
			}
			checkDecided(t, bytes.TrimSuffix(inLines[i], []byte("\r")), l)
		}
	})
}

// FuzzCampaign feeds Campaign any first line, contact lines and first: the
// result is one JSON line per contact line, numbered in order from first,
// or one line numbered 0 for a campaign refused as a whole; each a deny
// when in error; and a contact decided without error is decided as Decide
// decides the request of the contact and the campaign's message.
func FuzzCampaign(f *testing.F) {
	head, contact := campaignOf(f, oneLine(allowReq))
	_, deny := campaignOf(f, oneLine(denyReq))
	f.Add([]byte(head), []byte(contact+"\n"+deny), int64(1))
	f.Add([]byte(head), []byte(contact+"\r\n\n x\n"), int64(-2))
	f.Add([]byte(`{"message": {}}`), []byte(contact), int64(7))
	f.Add([]byte(contact), []byte(contact), int64(1))
	for i, s := range seedRequests {
		f.Add([]byte(head), []byte(oneLine(s)+"\n"+contact), int64(i))
	}
	f.Fuzz(func(t *testing.T, head, contacts []byte, first int64) {
		if bytes.ContainsAny(head, "\n") {
			return // the first line is the campaign
		}
		in := append(append(append([]byte(nil), head...), '\n'), contacts...)
		out := Campaign(fuzzHandle(), first, in)
		var c campaignHeader
		if len(contacts) == 0 {
			if len(out) != 0 && (decode.JSON(head, &c) == nil && c.Message != nil) {
				t.Fatalf("a campaign without contacts gave %q", out)
			}
			return
		}
		if !bytes.HasSuffix(out, []byte("\n")) {
			t.Fatalf("result does not end a line: %q", out)
		}
		lines := bytes.Split(out[:len(out)-1], []byte("\n"))
		inLines := bytes.Split(bytes.TrimSuffix(contacts, []byte("\n")), []byte("\n"))
		if len(lines) == 1 && bytes.HasPrefix(lines[0], []byte(`{"line":0,`)) {
			r, err := decodeReply(lines[0])
			if err != nil || r.Error == nil || r.Decision == nil || r.Decision.Verdict != eligibility.Deny {
				t.Fatalf("a refused campaign without an error and a deny: %s", lines[0])
			}
			if decode.JSON(head, &c) == nil && c.Message != nil {
				t.Fatalf("a campaign refused for %+v", r.Error)
			}
			return
		}
		if len(lines) != len(inLines) {
			t.Fatalf("%d result lines for %d contact lines", len(lines), len(inLines))
		}
		c = campaignHeader{}
		if decode.JSON(head, &c) != nil || c.Message == nil {
			t.Fatalf("a campaign decided with the first line %q", head)
		}
		msg, err := json.Marshal(c.Message)
		if err != nil {
			t.Fatal(err)
		}
		n := firstLine(first)
		for i, l := range lines {
			r, err := decodeReply(l)
			if err != nil {
				t.Fatal(err)
			}
			if r.Line != n+i {
				t.Fatalf("line %d numbered %d, want %d", i+1, r.Line, n+i)
			}
			if r.Decision == nil || r.Error != nil && r.Decision.Verdict != eligibility.Deny {
				t.Fatalf("line %d: %s", i+1, l)
			}
			if r.Error != nil {
				continue
			}
			req := `{"contact": ` + string(bytes.TrimSuffix(inLines[i], []byte("\r"))) + `, "message": ` + string(msg) + `}`
			one, err := decodeReply(Decide(fuzzHandle(), []byte(req)))
			if err != nil || one.Error != nil {
				t.Fatalf("line %d decided as a contact, but not as a request: %+v", i+1, one.Error)
			}
			if diff := cmp.Diff(one.Decision, r.Decision); diff != "" {
				t.Fatalf("line %d: Campaign differs from Decide (-Decide +Campaign):\n%s", i+1, diff)
			}
		}
	})
}

// FuzzCompile feeds Compile any configuration: the result is JSON with
// either a handle or an error.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"builtin": ["GB"]}`, `{"builtin": []}`, `{"params": {"rule_budget": 1}}`,
		`{"builtin": ["FR"], "rules": [{"name": "h.yaml", "text": "house: acme\napplies_to: {jurisdictions: [FR]}\nrules: []\n"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, config []byte) {
		r, err := decodeReply(Compile(config))
		if err != nil {
			t.Fatal(err)
		}
		if (r.Handle == 0) == (r.Error == nil) {
			t.Fatalf("handle %d and error %+v", r.Handle, r.Error)
		}
		if r.Handle != 0 {
			Release(r.Handle)
		}
	})
}
