package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
)

// newPolicy compiles the built-in law with the example house file.
func newPolicy(t *testing.T) *atomic.Pointer[eligibility.Policy] {
	t.Helper()
	p, err := loadPolicy("house")
	if err != nil {
		t.Fatal(err)
	}
	var cur atomic.Pointer[eligibility.Policy]
	cur.Store(p)
	return &cur
}

func TestPipelineAgreesWithDecideAll(t *testing.T) {
	cur := newPolicy(t)
	reqs, err := demoAudience(96)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	p := &Pipeline{Policy: cur, Transport: &Transport{}, DenyLog: &log}
	for _, r := range reqs {
		p.Submit(r)
	}
	var want Counts
	for res := range cur.Load().DecideAll(context.Background(), slices.Values(reqs)) {
		switch res.Decision.Verdict {
		case eligibility.Allow:
			want.Allowed++
		case eligibility.Defer:
			want.Deferred++
		case eligibility.Deny:
			want.Denied++
		default:
			want.Undetermined++
		}
	}
	if diff := cmp.Diff(want, p.Counts()); diff != "" {
		t.Errorf("pipeline counts differ from DecideAll (-DecideAll +pipeline):\n%s", diff)
	}
	if want.Allowed == 0 || want.Deferred == 0 || want.Denied == 0 {
		t.Fatalf("demo audience should exercise every route, got %+v", want)
	}
	if got := len(p.Transport.Sent()); got != want.Allowed {
		t.Errorf("transport got %d messages before release, want %d", got, want.Allowed)
	}
	if got := p.Pending(); got != want.Deferred {
		t.Errorf("scheduler holds %d, want %d", got, want.Deferred)
	}
	if got := strings.Count(log.String(), "\n"); got != want.Denied {
		t.Errorf("deny log has %d lines, want %d:\n%s", got, want.Denied, log.String())
	}
	if !strings.Contains(log.String(), "reason=NO_CONSENT") {
		t.Errorf("deny log does not give reasons:\n%s", log.String())
	}

	// Nothing is released before it is due; each is sent at its NotBefore.
	next, ok := p.Next()
	if !ok {
		t.Fatal("no deferred message queued")
	}
	if n := p.Release(next.Add(-time.Nanosecond)); n != 0 {
		t.Errorf("released %d messages before their NotBefore", n)
	}
	for {
		next, ok := p.Next()
		if !ok {
			break
		}
		p.Release(next)
	}
	sent := p.Transport.Sent()
	if got, want := len(sent), want.Allowed+want.Deferred; got != want {
		t.Errorf("after release the transport got %d messages, want %d", got, want)
	}
	for _, s := range sent[want.Allowed:] {
		if s.Decision.Verdict != eligibility.Allow || !s.Request.At.Equal(s.Decision.At) || s.Request.At.In(s.Request.Contact.Location).Weekday() != time.Monday {
			t.Errorf("released message %s sent at %v with %v; want an Allow on the recipient's Monday",
				s.Request.Contact.ID, s.Request.At, s.Decision.Verdict)
		}
	}
}

// writeFile writes a house file and moves its modification time forward so
// that a poll sees the change whatever the file system's time resolution.
func writeFile(t *testing.T, path, text string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

const badHouse = `house: broken
title: A house file whose condition does not compile
applies_to:
  jurisdictions: [all]
  channels: [email]
rules:
  - id: BROKEN_RULE
    channels: [all]
    effect: deny
    reason: BROKEN
    citation: test house rule
    condition: noSuchFunction() == 1
reasons:
  BROKEN:
    en: Never sent.
`

const goodHouse = `house: quiet_hours
title: No marketing e-mail before 08:00
applies_to:
  jurisdictions: [all]
  channels: [email]
rules:
  - id: QUIET_EARLY_EMAIL
    channels: [all]
    effect: defer
    reason: QUIET_EARLY
    citation: test house rule
    condition: request.purpose != 'transactional' && localHour() < 8
reasons:
  QUIET_EARLY:
    en: No marketing e-mail before 08:00 in the recipient's zone.
`

func TestHotReloadRefusesABadPolicy(t *testing.T) {
	dir := t.TempDir()
	acme, err := os.ReadFile(filepath.Join("house", "acme.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeFile(t, filepath.Join(dir, "acme.yaml"), string(acme), t0)

	var cur atomic.Pointer[eligibility.Policy]
	var refused []error
	reloads := 0
	w := &Watcher{Dir: dir, Current: &cur, OnError: func(err error) { refused = append(refused, err) },
		OnReload: func(*eligibility.Policy) { reloads++ }}
	if !w.Check() || cur.Load() == nil {
		t.Fatal("first check did not load the policy")
	}
	if w.Check() {
		t.Error("a check with no change reported a change")
	}
	reqs, err := demoAudience(4)
	if err != nil {
		t.Fatal(err)
	}
	p := &Pipeline{Policy: &cur, Transport: &Transport{}}
	v1 := cur.Load().Version()
	if d := p.Submit(reqs[0]); d.PolicyVersion != v1 {
		t.Fatalf("decided with %s, want %s", d.PolicyVersion, v1)
	}

	// A house file that does not compile arrives: refused, reported, and
	// the pipeline keeps deciding with the old policy.
	bad := filepath.Join(dir, "zz.yaml")
	writeFile(t, bad, badHouse, t0.Add(time.Minute))
	if !w.Check() {
		t.Fatal("the new file was not seen")
	}
	if len(refused) != 1 || !strings.Contains(refused[0].Error(), "noSuchFunction") {
		t.Fatalf("refusal not reported with the compile error: %v", refused)
	}
	if w.Check() || len(refused) != 1 {
		t.Errorf("an unchanged bad file was compiled again: %d refusals", len(refused))
	}
	for _, r := range reqs {
		if d := p.Submit(r); d.PolicyVersion != v1 {
			t.Errorf("after a bad file, decided with %s, want the old %s", d.PolicyVersion, v1)
		}
	}

	// The file is fixed: the new policy goes in force.
	writeFile(t, bad, goodHouse, t0.Add(2*time.Minute))
	if !w.Check() {
		t.Fatal("the fixed file was not seen")
	}
	v2 := cur.Load().Version()
	if v2 == v1 || reloads != 2 || len(refused) != 1 {
		t.Fatalf("after the fix: version %s (old %s), %d reloads, refusals %v", v2, v1, reloads, refused)
	}
	for _, r := range reqs {
		if d := p.Submit(r); d.PolicyVersion != v2 {
			t.Errorf("after the fix, decided with %s, want %s", d.PolicyVersion, v2)
		}
	}

	// A removed file is a change too.
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	if !w.Check() || cur.Load().Version() != v1 {
		t.Errorf("after removing the file the version is %s, want %s again", cur.Load().Version(), v1)
	}
}

func TestDecideEndpoint(t *testing.T) {
	cur := newPolicy(t)
	srv := httptest.NewServer(decideHandler(cur))
	defer srv.Close()
	reqs, err := demoAudience(12)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(srv.URL+"/v1/decide", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var got eligibility.Decision
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d, decode error %v", r.Contact.ID, resp.StatusCode, err)
		}
		want, err := cur.Load().Decide(r)
		if err != nil {
			t.Fatal(err)
		}
		// Compare through JSON: the endpoint's answer is the decision's JSON form.
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(got)
		if diff := cmp.Diff(string(wantJSON), string(gotJSON)); diff != "" {
			t.Errorf("%s: endpoint differs from Decide (-want +got):\n%s", r.Contact.ID, diff)
		}
	}

	// A request that decodes but that the evaluator refuses (no e-mail
	// address for an e-mail): 422 with the error and its Deny.
	noEmail := reqs[0]
	c := *noEmail.Contact
	c.Email = address.Address{}
	noEmail.Contact = &c
	body, err := json.Marshal(noEmail)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/v1/decide", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var eb errorBody
	err = json.NewDecoder(resp.Body).Decode(&eb)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusUnprocessableEntity || eb.Error == "" ||
		eb.Decision == nil || eb.Decision.Verdict != eligibility.Deny {
		t.Errorf("no address: status %d, body %+v, decode error %v; want 422 with an error and a Deny", resp.StatusCode, eb, err)
	}

	for _, tc := range []struct {
		name, method, body string
		status             int
	}{
		{"not JSON", http.MethodPost, `{"contact":`, http.StatusBadRequest},
		{"unknown key", http.MethodPost, `{"Contact": {}, "message": {}}`, http.StatusBadRequest},
		{"trailing data", http.MethodPost, `{} {}`, http.StatusBadRequest},
		{"GET", http.MethodGet, ``, http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+"/v1/decide", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
}

// The watcher swaps the policy while the pipeline decides on other
// goroutines: every decision is made by one of the two policies, and the new
// one goes in force without stopping the pipeline.
func TestWatcherRunReloadsWhileDeciding(t *testing.T) {
	dir := t.TempDir()
	var cur atomic.Pointer[eligibility.Policy]
	w := &Watcher{Dir: dir, Current: &cur, OnError: func(err error) { t.Errorf("refused: %v", err) }}
	if !w.Check() {
		t.Fatal("first check did not load the policy")
	}
	v1 := cur.Load().Version()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { w.Run(5*time.Millisecond, stop); close(done) }()
	defer func() { close(stop); <-done }()

	reqs, err := demoAudience(8)
	if err != nil {
		t.Fatal(err)
	}
	p := &Pipeline{Policy: &cur, Transport: &Transport{}}
	writeFile(t, filepath.Join(dir, "quiet.yaml"), goodHouse, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	deadline := time.Now().Add(10 * time.Second)
	seen := map[string]bool{}
	for !seen[cur.Load().Version()] || cur.Load().Version() == v1 {
		if time.Now().After(deadline) {
			t.Fatal("the new policy never went in force")
		}
		for _, r := range reqs {
			seen[p.Submit(r).PolicyVersion] = true
		}
	}
	if len(seen) != 2 || !seen[v1] {
		t.Errorf("decided with versions %v, want the old %s and the new one", seen, v1)
	}
}
