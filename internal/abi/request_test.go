package abi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sendright/sendright/eligibility"
)

// checkAsRequest checks that q decodes req as Request.UnmarshalJSON does:
// the same error, or requests with the same JSON form and decision.
func checkAsRequest(t *testing.T, q *requestDecoder, req []byte) {
	t.Helper()
	var want eligibility.Request
	werr := want.UnmarshalJSON(req)
	got, err := q.decode(req)
	switch {
	case (err == nil) != (werr == nil):
		t.Fatalf("%q: error %v, Request.UnmarshalJSON's %v", req, err, werr)
	case err != nil:
		if err.Error() != werr.Error() {
			t.Fatalf("%q: error %q, Request.UnmarshalJSON's %q", req, err, werr)
		}
		return
	}
	gj, gerr := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if gerr != nil || string(gj) != string(wj) || got.Ref != want.Ref {
		t.Fatalf("%q: decoded %s (%v), Request.UnmarshalJSON %s", req, gj, gerr, wj)
	}
	pol := policy(fuzzHandle())
	gd, _ := pol.Decide(got)
	wd, _ := pol.Decide(want)
	if gd.String() != wd.String() {
		t.Fatalf("%q: decided %v, Request.UnmarshalJSON's request %v", req, gd, wd)
	}
}

// requestVariants are requests the decoder's own reading of the envelope
// must take as Request.UnmarshalJSON does: reordered, escaped, repeated,
// null, unknown or missing members, trailing data, and messages that
// change from one line to the next or repeat.
var requestVariants = []string{
	`{"message": {"purpose": "marketing_similar", "channel": "email", "sender": {"entity": "Exemple SARL", "kind": "company", "country": "FR"}, "at": "2026-03-10T10:00:00Z"}, "contact": {"id": "c-2", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris", "email": "lea@example.com"}}`,
	strings.Replace(allowReq, `"contact"`, `"cont\u0061ct"`, 1),
	strings.Replace(allowReq, `"message"`, `"Message"`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": null`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": 7`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "lea@example.com"`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "s\u0065nd-1"`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "send-1", "extra": 1`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "send-1", "contact": null`, 1),
	strings.Replace(allowReq, `"ref": "send-1"`, `"ref": "send-1", "message": {}`, 1),
	strings.Replace(allowReq, `"message": {`, `"message": null, "x": {`, 1),
	strings.Replace(allowReq, `"contact": {`, `"contact": [`, 1),
	allowReq + ` {}`, allowReq + ` `, " \t" + allowReq, allowReq[:len(allowReq)-1],
	`{"contact": {"id": "c-1"}, "message": null}`, `{"contact": null, "message": {}}`, `{"ref": "a"}`, `{"contact": {}, "message": {}}`,
	strings.Replace(allowReq, `"email"`, `"sms"`, 1), allowReq, denyReq, allowReq,
	strings.Replace(allowReq, `"id": "c-1"`, "\"id\": \"c-\xff\"", 1),
}

// TestRequestDecoder decodes the seeds and variants one after another with
// one decoder, as a batch's worker does, and compares each with
// Request.UnmarshalJSON.
func TestRequestDecoder(t *testing.T) {
	var q requestDecoder
	for _, req := range append(append([]string{}, seedRequests...), requestVariants...) {
		checkAsRequest(t, &q, []byte(req))
	}
}

// FuzzRequestDecoder compares the batch's request decoder with
// Request.UnmarshalJSON on any bytes, decoded after a request whose
// message it remembers.
func FuzzRequestDecoder(f *testing.F) {
	for _, s := range append(append([]string{}, seedRequests...), requestVariants...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, req []byte) {
		var q requestDecoder
		if _, err := q.decode([]byte(allowReq)); err != nil {
			t.Fatal(err)
		}
		checkAsRequest(t, &q, req)
		checkAsRequest(t, &q, req)
	})
}

// TestChunksOf checks that chunksOf counts lines as a reader of JSON Lines
// does (a last line without its end counts), keeps every byte in order,
// and stops past most.
func TestChunksOf(t *testing.T) {
	for _, in := range []string{"", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n\n", strings.Repeat("x\n", 3*chunkLines+1) + "y"} {
		want := strings.Count(in, "\n")
		if in != "" && !strings.HasSuffix(in, "\n") {
			want++
		}
		chunks, n := chunksOf([]byte(in), want)
		var joined []byte
		for _, c := range chunks {
			joined = append(joined, c...)
		}
		if n != want || string(joined) != in || len(chunks) != (want+chunkLines-1)/chunkLines {
			t.Errorf("chunksOf(%.20q) = %d chunks, %d lines, %.20q; want %d lines", in, len(chunks), n, joined, want)
		}
		if want > 0 {
			if chunks, n := chunksOf([]byte(in), want-1); chunks != nil || n <= want-1 {
				t.Errorf("chunksOf(%.20q, %d) = %d chunks, %d lines; want none, more than %d", in, want-1, len(chunks), n, want-1)
			}
		}
	}
}
