package abi

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/eligibility"
)

// campaignOf splits a request of the tests into a campaign's first line
// and its contact line.
func campaignOf(t testing.TB, req string) (head, contact string) {
	t.Helper()
	var r struct {
		Contact json.RawMessage `json:"contact"`
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal([]byte(req), &r); err != nil {
		t.Fatal(err)
	}
	return `{"message": ` + string(r.Message) + `}`, string(r.Contact)
}

// campaignReply is a line of a campaign's result.
type campaignReply struct {
	Line     int                   `json:"line"`
	ID       string                `json:"id"`
	Decision *eligibility.Decision `json:"decision"`
	Error    *Error                `json:"error"`
}

func parseCampaign(t testing.TB, b []byte) []campaignReply {
	t.Helper()
	var out []campaignReply
	for l := range bytes.Lines(b) {
		var r campaignReply
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, l)
		}
		out = append(out, r)
	}
	return out
}

func TestCampaign(t *testing.T) {
	h := mustCompile(t, `{}`)
	head, allowContact := campaignOf(t, oneLine(allowReq))
	_, denyContact := campaignOf(t, oneLine(denyReq))
	badStatus := strings.Replace(allowContact, `"granted"`, `"Granted"`, 1)
	contacts := []string{allowContact, "not json", "", denyContact + "\r", " \t", badStatus, allowContact}
	in := head + "\n" + strings.Join(contacts, "\n") // no final line break
	got := parseCampaign(t, Campaign(h, 1, []byte(in)))
	type summary struct {
		Line    int
		ID      string
		Verdict eligibility.Verdict
		Code    Code
		Field   string
	}
	var sum []summary
	for _, l := range got {
		s := summary{Line: l.Line, ID: l.ID, Verdict: l.Decision.Verdict}
		if l.Error != nil {
			s.Code, s.Field = l.Error.Code, l.Error.Field
		}
		sum = append(sum, s)
	}
	want := []summary{
		{1, "c-1", eligibility.Allow, "", ""},
		{2, "", eligibility.Deny, CodeInvalidRequest, "contact"},
		{3, "", eligibility.Deny, CodeInvalidRequest, ""},
		{4, "c-2", eligibility.Deny, "", ""},
		{5, "", eligibility.Deny, CodeInvalidRequest, ""},
		{6, "", eligibility.Deny, CodeInvalidRequest, "contact.records[0].status"},
		{7, "c-1", eligibility.Allow, "", ""},
	}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("Campaign (-want +got):\n%s", diff)
	}
	// Each decision is Decide's on the request of the contact and the
	// message; an undecodable line's is the deny of a request that does
	// not decode, with the same field (a blank line is no contact, as in
	// a batch).
	msg := head[len(`{"message": `) : len(head)-1]
	for i, c := range contacts {
		if strings.TrimSpace(c) == "" {
			continue
		}
		one := parse(t, Decide(h, []byte(`{"contact": `+c+`, "message": `+msg+`}`)))
		if got[i].Error != nil {
			if one.Error == nil || one.Decision.Verdict != eligibility.Deny || one.Error.Field != got[i].Error.Field {
				t.Errorf("line %d: Campaign error %+v, Decide's %+v", i+1, got[i].Error, one.Error)
			}
			continue
		}
		if diff := cmp.Diff(jsonOf(t, one.Decision), jsonOf(t, got[i].Decision)); diff != "" {
			t.Errorf("line %d: Campaign differs from Decide (-Decide +Campaign):\n%s", i+1, diff)
		}
	}
	// Numbered from first, the same on one thread (the WebAssembly
	// module's case) and on several, in chunks.
	long := []byte(head + "\n" + strings.Repeat(allowContact+"\n"+denyContact+"\nnot json\n", 2*chunkLines))
	whole := Campaign(h, 1, long)
	number := regexpLine
	for _, procs := range []int{1, 2, 4} {
		prev := runtime.GOMAXPROCS(procs)
		for _, first := range []int64{-1, 1, 500} {
			out := Campaign(h, first, long)
			lines := parseCampaign(t, out)
			if len(lines) != 6*chunkLines {
				t.Fatalf("GOMAXPROCS %d: %d lines, want %d", procs, len(lines), 6*chunkLines)
			}
			for i, l := range lines {
				if l.Line != int(max(first, 1))+i {
					t.Fatalf("GOMAXPROCS %d, first %d: line %d numbered %d", procs, first, i, l.Line)
				}
			}
			if diff := cmp.Diff(string(number.ReplaceAll(whole, nil)), string(number.ReplaceAll(out, nil))); diff != "" {
				t.Fatalf("GOMAXPROCS %d, first %d: differs but for the numbers:\n%s", procs, first, diff)
			}
		}
		runtime.GOMAXPROCS(prev)
	}
	if out := Campaign(h, 1, []byte(head+"\n")); len(out) != 0 {
		t.Errorf("a campaign without contacts gave %q", out)
	}
}

// TestCampaignRefused checks the campaigns refused as a whole: one line
// numbered 0 with the error and a deny.
func TestCampaignRefused(t *testing.T) {
	h := mustCompile(t, `{"builtin": ["FR"]}`)
	head, contact := campaignOf(t, oneLine(allowReq))
	for _, c := range []struct {
		name string
		h    uint64
		in   string
		code Code
	}{
		{"empty", h, "", CodeInvalidRequest},
		{"no first line", h, "\n" + contact, CodeInvalidRequest},
		{"not JSON", h, "{\n" + contact, CodeInvalidRequest},
		{"a contact first", h, contact + "\n" + contact, CodeInvalidRequest},
		{"no message", h, "{}\n" + contact, CodeInvalidRequest},
		{"null message", h, `{"message": null}` + "\n" + contact, CodeInvalidRequest},
		{"unknown key", h, `{"message": {}, "x": 1}` + "\n" + contact, CodeInvalidRequest},
		{"bad message", h, strings.Replace(head, `"email"`, `"fax"`, 1) + "\n" + contact, CodeInvalidRequest},
		{"unknown handle", 1 << 40, head + "\n" + contact, CodeUnknownHandle},
		{"too many lines", h, head + "\n" + strings.Repeat("\n", MaxBatchLines+1), CodeTooLarge},
	} {
		got := parseCampaign(t, Campaign(c.h, 1, []byte(c.in)))
		if len(got) != 1 || got[0].Line != 0 || got[0].Error == nil || got[0].Error.Code != c.code ||
			got[0].Decision == nil || got[0].Decision.Verdict != eligibility.Deny {
			t.Errorf("%s: %+v, want one line 0 %s with a deny", c.name, got, c.code)
		}
	}
	if got := parseCampaign(t, Campaign(h, 1, []byte(head+"\n"+strings.Repeat("\n", MaxBatchLines)))); len(got) != MaxBatchLines {
		t.Errorf("a campaign of %d empty lines: %d results", MaxBatchLines, len(got))
	}
}
