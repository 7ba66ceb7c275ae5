package eligibility_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/consent/rights"
	"github.com/sendright/sendright/eligibility"
)

// storedAudit explains a French consumer's marketing e-mail with reference
// ref under kr and returns the audit as a host would read it back from its
// store (through its JSON form), with the request.
func storedAudit(t *testing.T, ref string, kr *rights.Keyring) (eligibility.Audit, eligibility.Request) {
	t.Helper()
	req := eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral), Ref: ref}
	a, err := evaluator(t).Explain(req, kr)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back eligibility.Audit
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatalf("reading the audit back: %v\n%s", err, js)
	}
	return back, req
}

// verifyError is what a Verify error says: which sentinel and which field.
type verifyError struct {
	Mismatch, Unverifiable bool
	Field                  string
}

func describe(err error) *verifyError {
	if err == nil {
		return nil
	}
	v := &verifyError{Mismatch: errors.Is(err, eligibility.ErrAuditMismatch),
		Unverifiable: errors.Is(err, eligibility.ErrAuditUnverifiable)}
	var fe *consent.FieldError
	if errors.As(err, &fe) {
		v.Field = fe.Field
	}
	return v
}

// TestVerify: a stored audit verifies against its request; each tampered
// member of the audit, and each change to the request, fails with the
// sentinel and the field that differs.
func TestVerify(t *testing.T) {
	kr := keyring(t)
	other, err := rights.NewKeyring(2, map[uint32][]byte{1: []byte(strings.Repeat("k", 32)), 2: []byte(strings.Repeat("q", 32))})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := rights.NewKeyring(1, map[uint32][]byte{1: []byte(strings.Repeat("z", 32))})
	if err != nil {
		t.Fatal(err)
	}
	mismatch := func(f string) *verifyError { return &verifyError{Mismatch: true, Field: f} }
	unverifiable := func(f string) *verifyError { return &verifyError{Unverifiable: true, Field: f} }
	for _, tc := range []struct {
		name  string
		audit func(*eligibility.Audit)
		req   func(*eligibility.Request)
		kr    *rights.Keyring
		want  *verifyError
	}{
		{name: "stored audit verifies", kr: kr},
		{name: "after a key rotation", kr: other},
		{name: "schema", audit: func(a *eligibility.Audit) { a.Schema = "sendright.audit/0" }, kr: kr, want: unverifiable("schema")},
		{name: "ref", audit: func(a *eligibility.Audit) { a.Ref = "send-43" }, kr: kr, want: mismatch("ref")},
		{name: "ref dropped", audit: func(a *eligibility.Audit) { a.Ref = "" }, kr: kr, want: mismatch("ref")},
		{name: "request ref", req: func(r *eligibility.Request) { r.Ref = "send-43" }, kr: kr, want: mismatch("ref")},
		{name: "at", audit: func(a *eligibility.Audit) { a.At = a.At.Add(time.Hour) }, kr: kr, want: mismatch("at")},
		{name: "same instant elsewhere", req: func(r *eligibility.Request) { r.At = r.At.UTC() }, kr: kr, want: mismatch("request.digest")},
		{name: "recipient kind", audit: func(a *eligibility.Audit) { a.Request.RecipientKind = consent.SoleTrader }, kr: kr, want: mismatch("request.recipient_kind")},
		{name: "country", audit: func(a *eligibility.Audit) { a.Request.Country = address.MustCountry("BE") }, kr: kr, want: mismatch("request.country")},
		{name: "purpose", audit: func(a *eligibility.Audit) { a.Request.Purpose = consent.MarketingSimilar }, kr: kr, want: mismatch("request.purpose")},
		{name: "channel", audit: func(a *eligibility.Audit) { a.Request.Channel = consent.SMS }, kr: kr, want: mismatch("request.channel")},
		{name: "category", audit: func(a *eligibility.Audit) { a.Request.Category = "shoes" }, kr: kr, want: mismatch("request.category")},
		{name: "sender", audit: func(a *eligibility.Audit) { a.Request.Sender.Entity = "Other Shop SAS" }, kr: kr, want: mismatch("request.sender")},
		{name: "role relevant", audit: func(a *eligibility.Audit) { a.Request.RoleRelevant = true }, kr: kr, want: mismatch("request.role_relevant")},
		{name: "presumed consent", audit: func(a *eligibility.Audit) { a.Request.PresumedConsent = true }, kr: kr, want: mismatch("request.presumed_consent")},
		{name: "content", audit: func(a *eligibility.Audit) { a.Request.Content = consent.PromotionalBody }, kr: kr, want: mismatch("request.content")},
		{name: "records", audit: func(a *eligibility.Audit) { a.Request.Records = 0 }, kr: kr, want: mismatch("request.records")},
		{name: "purchases", audit: func(a *eligibility.Audit) { a.Request.Purchases = 1 }, kr: kr, want: mismatch("request.purchases")},
		{name: "inquiries", audit: func(a *eligibility.Audit) { a.Request.Inquiries = 1 }, kr: kr, want: mismatch("request.inquiries")},
		{name: "support", audit: func(a *eligibility.Audit) { a.Request.Support = 1 }, kr: kr, want: mismatch("request.support")},
		{name: "contracts", audit: func(a *eligibility.Audit) { a.Request.Contracts = 1 }, kr: kr, want: mismatch("request.contracts")},
		{name: "digest", audit: func(a *eligibility.Audit) { a.Request.Digest = strings.Repeat("0", 64) }, kr: kr, want: mismatch("request.digest")},
		{name: "digest in upper case", audit: func(a *eligibility.Audit) { a.Request.Digest = strings.ToUpper(a.Request.Digest) }, kr: kr, want: mismatch("request.digest")},
		{name: "digest not hex", audit: func(a *eligibility.Audit) { a.Request.Digest = "zz" }, kr: kr, want: mismatch("request.digest")},
		{name: "address changed", req: func(r *eligibility.Request) { r.Contact.Email = address.MustParseEmail("lea.m@example.com") }, kr: kr, want: mismatch("request.digest")},
		{name: "no digest", audit: func(a *eligibility.Audit) { a.Request.Digest, a.Request.KeyVersion = "", 0 }, kr: kr, want: unverifiable("request.digest")},
		{name: "no keyring", want: unverifiable("request.digest")},
		{name: "key version not held", audit: func(a *eligibility.Audit) { a.Request.KeyVersion = 7 }, kr: kr, want: unverifiable("request.key_version")},
		{name: "another host's key", kr: foreign, want: mismatch("request.digest")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, req := storedAudit(t, "send-42", kr)
			if tc.audit != nil {
				tc.audit(&a)
			}
			if tc.req != nil {
				tc.req(&req)
			}
			if diff := cmp.Diff(tc.want, describe(eligibility.Verify(a, req, tc.kr))); diff != "" {
				t.Errorf("Verify (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAuditDigestForm: the digest is the keyed hash of exactly the
// exported form, which is the request's JSON form with the reference.
func TestAuditDigestForm(t *testing.T) {
	kr := keyring(t)
	a, req := storedAudit(t, "crm:contact/7f3a", kr)
	form, err := eligibility.AuditDigestForm(req)
	if err != nil {
		t.Fatal(err)
	}
	v, sum := kr.Sum(form)
	if diff := cmp.Diff([]any{v, sum}, []any{a.Request.KeyVersion, a.Request.Digest}); diff != "" {
		t.Errorf("digest (-Sum(AuditDigestForm) +audit):\n%s", diff)
	}
	if !bytes.HasPrefix(form, []byte(`{"contact":{`)) || !bytes.HasSuffix(form, []byte(`},"ref":"crm:contact/7f3a"}`)) {
		t.Errorf("AuditDigestForm = %s, want {\"contact\":…,\"message\":…,\"ref\":…}", form)
	}
	var back eligibility.Request
	if err := json.Unmarshal(form, &back); err != nil {
		t.Fatal(err)
	}
	again, err := eligibility.AuditDigestForm(back)
	if err != nil || !bytes.Equal(form, again) {
		t.Errorf("the form of the decoded request differs (%v):\n%s\n%s", err, form, again)
	}
	if err := eligibility.Verify(a, back, kr); err != nil {
		t.Errorf("Verify(audit, request decoded from its form) = %v", err)
	}
	// Without a reference the form is the request's JSON form as before.
	req.Ref = ""
	plain, _ := eligibility.AuditDigestForm(req)
	js, _ := json.Marshal(req)
	if !bytes.Equal(plain, js) || bytes.Contains(plain, []byte(`"ref"`)) {
		t.Errorf("AuditDigestForm without a ref = %s, want %s", plain, js)
	}
	if _, err := eligibility.AuditDigestForm(eligibility.Request{Message: email(consent.MarketingGeneral)}); err == nil {
		t.Error("AuditDigestForm of a request without a contact succeeded")
	}
}

// TestRef: CheckRef accepts opaque ids and refuses the shapes of personal
// data; a refused ref is a typed error and a deny from Decide and Explain,
// an error decoding a request or an audit, and never copied into the audit.
func TestRef(t *testing.T) {
	for _, tc := range []struct {
		ref string
		ok  bool
	}{
		{"", true},
		{"send-42", true},
		{"6f1c2b8e-3c7d-4d9a-9a53-1f4e8b2c7d10", true},
		{"urn:example:msg/2026.03.10_0042", true},
		{strings.Repeat("a", eligibility.MaxRefLen), true},
		{strings.Repeat("a", eligibility.MaxRefLen+1), false},
		{"lea.martin@example.com", false},
		{"+33639980001", false},
		{"Lea Martin", false},
		{"Léa", false},
		{"a\nb", false},
		{"x\x00", false},
	} {
		err := eligibility.CheckRef(tc.ref)
		if (err == nil) != tc.ok {
			t.Errorf("CheckRef(%q) = %v, want ok %v", tc.ref, err, tc.ok)
			continue
		}
		if err == nil {
			continue
		}
		var fe *consent.FieldError
		if !errors.As(err, &fe) || fe.Field != "ref" || !errors.Is(err, consent.ErrInvalid) || strings.Contains(err.Error(), tc.ref) {
			t.Errorf("CheckRef(%q) = %#v, want a FieldError for ref that does not quote it", tc.ref, err)
		}
		req := eligibility.Request{Contact: frConsumer(t), Message: email(consent.MarketingGeneral), Ref: tc.ref}
		d, derr := evaluator(t).Decide(req)
		if derr == nil || d.Verdict != eligibility.Deny || d.Reason != eligibility.ReasonInvalidRequest {
			t.Errorf("Decide with ref %q = %v, %v; want a deny and an error", tc.ref, d, derr)
		}
		a, aerr := evaluator(t).Explain(req, keyring(t))
		if aerr == nil || a.Decision.Reason != d.Reason || a.Decision.Verdict != d.Verdict || a.Ref != "" || a.Request.Digest != "" || len(a.Trace) != 0 {
			t.Errorf("Explain with ref %q = %+v, %v; want Decide's deny, no ref, no digest", tc.ref, a, aerr)
		}
		js, _ := json.Marshal(tc.ref)
		var back eligibility.Request
		if err := json.Unmarshal([]byte(strings.Replace(requestJSON(), `{"contact"`, `{"ref":`+string(js)+`,"contact"`, 1)), &back); err == nil {
			t.Errorf("decoding a request with ref %q succeeded", tc.ref)
		}
		var audit eligibility.Audit
		if err := json.Unmarshal([]byte(`{"schema":"sendright.audit/1","ref":`+string(js)+`}`), &audit); err == nil {
			t.Errorf("decoding an audit with ref %q succeeded", tc.ref)
		}
	}
}

// FuzzAuditJSON: an audit decodes strictly, with a typed error otherwise,
// and a decoded audit round-trips through its JSON form.
func FuzzAuditJSON(f *testing.F) {
	kr, err := rights.NewKeyring(1, map[uint32][]byte{1: []byte(strings.Repeat("k", 32))})
	if err != nil {
		f.Fatal(err)
	}
	for _, ref := range []string{"", "send-42"} {
		a, err := evaluator(f).Explain(eligibility.Request{Contact: frConsumer(f), Message: email(consent.MarketingGeneral), Ref: ref}, kr)
		if err != nil {
			f.Fatal(err)
		}
		a.Trace = a.Trace[len(a.Trace)-1:] // a short seed: minimising inputs grown from a 5 KiB trace takes most of a short fuzzing pass
		js, err := json.Marshal(a)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js)
	}
	// Two regimes: a German sender's message to a French consumer.
	two := eligibility.Request{Contact: frConsumer(f), Message: email(consent.MarketingGeneral)}
	two.Sender.Country = address.MustCountry("DE")
	if a, err := evaluator(f).Explain(two, kr); err == nil {
		a.Trace = a.Trace[len(a.Trace)-1:]
		if js, err := json.Marshal(a); err == nil {
			f.Add(js)
		}
	}
	f.Add([]byte(`{"schema":"sendright.audit/1","ref":"a@b"}`))
	f.Add([]byte(`{"schema":"x","Schema":"y"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a eligibility.Audit
		if err := json.Unmarshal(b, &a); err != nil {
			checkDecodeError(t, err)
			return
		}
		out, err := json.Marshal(a)
		if err != nil {
			return // a decoded value the encoder refuses (an instant beyond year 9999) is not an audit Explain writes
		}
		var again eligibility.Audit
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("json.Unmarshal(json.Marshal(audit)) error = %v\n%s", err, out)
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the audit:\n%s\n%s (%v)", out, out2, err)
		}
	})
}
