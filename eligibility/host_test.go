package eligibility_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/audience"
	"github.com/sendright/sendright/rules"
)

// hostFnSet is a house-style set whose deny rule HOST_DENY and allow rule
// HOST_ALLOW test host functions and variables.
func hostFnSet(t testing.TB, deny, allow string) *rules.Set {
	t.Helper()
	return mustParse(t, "host.yaml", fmt.Sprintf(`jurisdiction: FR
title: host functions
channels: [email]
rules:
  - id: HOST_DENY
    channels: [all]
    effect: deny
    reason: HOUSE_DENY
    citation: House policy 1
    condition: %q
  - id: HOST_ALLOW
    channels: [all]
    effect: allow
    basis: consent
    reason: HOUSE_ALLOW
    citation: House policy 2
    condition: %q
`, deny, allow))
}

// constant is a host function body answering r.
func constant[R eligibility.HostValue](r R) func(*consent.Contact, *consent.Message) (R, error) {
	return func(*consent.Contact, *consent.Message) (R, error) { return r, nil }
}

var (
	hostEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	errLookup = errors.New("lookup failed") // made once: a failing call allocates nothing either
)

// hostKinds declares a host function or variable of every shape and type.
func hostKinds() []eligibility.Function {
	return []eligibility.Function{
		eligibility.Func("blocked", "1", constant(false)),
		eligibility.Func("score", "1", constant(int64(7))),
		eligibility.Func("tier", "1", constant("gold")),
		eligibility.Func("sinceSignup", "1", constant(48*time.Hour)),
		eligibility.Func("lastOrder", "1", constant(hostEpoch)),
		eligibility.Variable("vip", "1", constant(true)),
		eligibility.Variable("segment", "1", constant("churned")),
		eligibility.Variable("orders", "1", constant(int64(3))),
		eligibility.Variable("tenure", "1", constant(720*time.Hour)),
		eligibility.Variable("firstSeen", "1", constant(hostEpoch)),
		eligibility.Func1("inSegment", "1", func(c *consent.Contact, _ *consent.Message, s string) (bool, error) {
			return s == "churned", nil
		}),
		eligibility.Func1("ordersAtLeast", "1", func(_ *consent.Contact, _ *consent.Message, n int64) (bool, error) {
			return 3 >= n, nil
		}),
		eligibility.Func1("activeWithin", "1", func(_ *consent.Contact, _ *consent.Message, d time.Duration) (bool, error) {
			return d >= 24*time.Hour, nil
		}),
		eligibility.Func1("optedInBefore", "1", func(_ *consent.Contact, _ *consent.Message, at time.Time) (bool, error) {
			return hostEpoch.Before(at), nil
		}),
		eligibility.Func1("not", "1", func(_ *consent.Contact, _ *consent.Message, b bool) (bool, error) { return !b, nil }),
		eligibility.Func1("tierOf", "1", func(_ *consent.Contact, _ *consent.Message, s string) (string, error) {
			if s == "gold" {
				return "GOLD", nil // no strings.ToUpper: the host's own allocations would show below
			}
			return "", nil
		}),
		eligibility.Func2("sentToday", "1", func(_ *consent.Contact, m *consent.Message, ch string, max int64) (bool, error) {
			return ch == m.Channel.String() && max < 2, nil
		}),
	}
}

// Every constructor and type compiles, reads its arguments and is
// compared as its CEL type; the decision follows the host's answer.
func TestHostFunctionKinds(t *testing.T) {
	c := newContact(t, "lea", "FR", consent.Consumer)
	m := message(consent.MarketingGeneral, consent.Email, "", ruleAt)
	for _, tc := range []struct {
		cond string
		want string // the deciding rule
	}{
		{"blocked()", "HOST_ALLOW"},
		{"!blocked()", "HOST_DENY"},
		{"score() > 5", "HOST_DENY"},
		{"score() > 7", "HOST_ALLOW"},
		{"tier() == 'gold'", "HOST_DENY"},
		{"tier() in ['silver', 'bronze']", "HOST_ALLOW"},
		{"sinceSignup() < duration('24h')", "HOST_ALLOW"},
		{"sinceSignup() == duration('48h')", "HOST_DENY"},
		{"lastOrder() < now", "HOST_DENY"},
		{"lastOrder() > timestamp('2026-06-01T00:00:00Z')", "HOST_ALLOW"},
		{"vip", "HOST_DENY"},
		{"!vip", "HOST_ALLOW"},
		{"segment == 'churned'", "HOST_DENY"},
		{"orders >= 4", "HOST_ALLOW"},
		{"tenure > duration('24h')", "HOST_DENY"},
		{"firstSeen == lastOrder()", "HOST_DENY"},
		{"inSegment('churned')", "HOST_DENY"},
		{"inSegment('loyal')", "HOST_ALLOW"},
		{"inSegment(segment)", "HOST_DENY"},
		{"inSegment(request.category)", "HOST_ALLOW"},
		{"ordersAtLeast(3)", "HOST_DENY"},
		{"ordersAtLeast(orders + 0 + 1)", ""}, // arithmetic is outside the compiled subset: no policy
		{"ordersAtLeast(4)", "HOST_ALLOW"},
		{"activeWithin(duration('720h'))", "HOST_DENY"},
		{"activeWithin(duration('1h'))", "HOST_ALLOW"},
		{"optedInBefore(now)", "HOST_DENY"},
		{"optedInBefore(timestamp('2025-01-01T00:00:00Z'))", "HOST_ALLOW"},
		{"not(vip)", "HOST_ALLOW"},
		{"not(false)", "HOST_DENY"},
		{"tierOf(tier()) == 'GOLD'", "HOST_DENY"},
		{"sentToday('email', 1)", "HOST_DENY"},
		{"sentToday(request.channel, 1)", "HOST_DENY"},
		{"sentToday('sms', 1)", "HOST_ALLOW"},
		{"sentToday('email', orders)", "HOST_ALLOW"},
		{"vip && hasConsent('marketing_general', 'email')", "HOST_ALLOW"},
	} {
		p, err := eligibility.Compile([]*rules.Set{hostFnSet(t, tc.cond, "true")}, eligibility.Params{Functions: hostKinds()})
		if tc.want == "" {
			if !errors.Is(err, rules.ErrInvalid) {
				t.Errorf("%s: Compile err = %v, want ErrInvalid", tc.cond, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Compile: %v", tc.cond, err)
			continue
		}
		d, err := decide(p, c, m)
		if err != nil || d.Rule != tc.want {
			t.Errorf("%s: Decide = %v, %v; want rule %s", tc.cond, d, err, tc.want)
		}
	}
}

// A host function that returns an error or panics makes the decision a
// deny with reason HOST_FUNCTION_FAILED, naming the function and never
// its input or error text, whatever the condition would have made of its
// result: a failing function in an allow rule never allows.
func TestHostFunctionFailureDenies(t *testing.T) {
	secret := "lea.secret@example.com"
	fails := func(name string) []eligibility.Function {
		return []eligibility.Function{
			eligibility.Func(name, "1", func(c *consent.Contact, _ *consent.Message) (bool, error) {
				return true, fmt.Errorf("lookup of %s failed", secret)
			}),
		}
	}
	panics := func(name string) []eligibility.Function {
		return []eligibility.Function{
			eligibility.Func(name, "1", func(*consent.Contact, *consent.Message) (bool, error) { panic(secret) }),
		}
	}
	c := newContact(t, "lea", "FR", consent.Consumer)
	m := message(consent.MarketingGeneral, consent.Email, "", ruleAt)
	for _, tc := range []struct {
		name        string
		fns         []eligibility.Function
		deny, allow string
		rule        string
	}{
		{"error in an allow rule", fails("ok"), "false", "ok()", "HOST_ALLOW"},
		{"error negated", fails("ok"), "false", "!ok()", "HOST_ALLOW"},
		{"error in a deny rule", fails("ok"), "!ok()", "true", "HOST_DENY"},
		{"error before an alternative", fails("ok"), "false", "ok() || !request.role_relevant", "HOST_ALLOW"},
		{"panic in an allow rule", panics("ok"), "false", "ok()", "HOST_ALLOW"},
		{"panic in a deny rule", panics("ok"), "ok() && request.role_relevant == false", "true", "HOST_DENY"},
		{"variable error", []eligibility.Function{eligibility.Variable("ok", "1", func(*consent.Contact, *consent.Message) (string, error) {
			return "yes", errLookup
		})}, "false", "ok == 'yes'", "HOST_ALLOW"},
		{"variable panic", []eligibility.Function{eligibility.Variable("ok", "1", func(*consent.Contact, *consent.Message) (int64, error) {
			panic(errLookup)
		})}, "false", "ok == 0", "HOST_ALLOW"},
		{"Func1 error", []eligibility.Function{eligibility.Func1("ok", "1", func(_ *consent.Contact, _ *consent.Message, s string) (bool, error) {
			return true, errLookup
		})}, "false", "ok('x')", "HOST_ALLOW"},
		{"Func2 panic", []eligibility.Function{eligibility.Func2("ok", "1", func(_ *consent.Contact, _ *consent.Message, d time.Duration, n int64) (time.Duration, error) {
			var p *int
			return time.Duration(*p), nil
		})}, "false", "ok(duration('1h'), 2) > duration('0s')", "HOST_ALLOW"},
	} {
		p := mustCompile(t, []*rules.Set{hostFnSet(t, tc.deny, tc.allow)}, eligibility.Params{Functions: tc.fns})
		for _, explain := range []bool{false, true} {
			var d eligibility.Decision
			var err error
			if explain {
				var a eligibility.Audit
				a, err = p.Explain(eligibility.Request{Contact: c, Message: *m}, nil)
				d = a.Decision
			} else {
				d, err = decide(p, c, m)
			}
			var ee *eligibility.EvalError
			if !errors.As(err, &ee) || ee.Function != "ok" || ee.Rule != tc.rule || !errors.Is(err, eligibility.ErrEvaluation) {
				t.Errorf("%s (explain %v): err = %v, want an *EvalError of rule %s naming ok", tc.name, explain, err, tc.rule)
			}
			want := eligibility.Decision{Verdict: eligibility.Deny, Jurisdiction: "FR", Basis: rules.NoLegalBasis, Rule: tc.rule,
				Reason: eligibility.ReasonHostFunctionFailed, Citation: d.Citation, Detail: d.Detail, Purpose: consent.MarketingGeneral}
			if diff := cmp.Diff(recipientRegime(want), d, outcomeCmp); diff != "" {
				t.Errorf("%s (explain %v): decision (-want +got):\n%s", tc.name, explain, diff)
			}
			if strings.Contains(d.Detail, secret) || strings.Contains(fmt.Sprint(err), secret) || !strings.Contains(d.Detail, "host function ok") {
				t.Errorf("%s: detail %q, error %v: want the function named and its input or error withheld", tc.name, d.Detail, err)
			}
		}
		// The pooled state forgets the failure: a later decision with a
		// working policy is unaffected.
		good := mustCompile(t, []*rules.Set{hostFnSet(t, "false", "true")}, eligibility.Params{})
		if d, err := decide(good, c, m); err != nil || d.Rule != "HOST_ALLOW" {
			t.Errorf("%s: a later decision = %v, %v; want an allow", tc.name, d, err)
		}
	}
	if got := eligibility.ReasonText(eligibility.ReasonHostFunctionFailed, language.German); got == "" ||
		got == eligibility.ReasonText(eligibility.ReasonHostFunctionFailed, language.English) {
		t.Errorf("German text of HOST_FUNCTION_FAILED = %q", got)
	}
}

// Compile refuses a bad declaration, and a rule that calls a host
// function with the wrong types, with a problem naming it.
func TestHostFunctionCompileErrors(t *testing.T) {
	yes := constant(true)
	for _, tc := range []struct {
		name    string
		fns     []eligibility.Function
		cond    string
		mention string
	}{
		{"not an identifier", []eligibility.Function{eligibility.Func("on registry", "1", yes)}, "true", "want an identifier"},
		{"empty name", []eligibility.Function{eligibility.Func("", "1", yes)}, "true", "want an identifier"},
		{"leading digit", []eligibility.Function{eligibility.Func("1st", "1", yes)}, "true", "want an identifier"},
		{"built-in function", []eligibility.Function{eligibility.Func("hasConsent", "1", yes)}, "true", "built-in function"},
		{"built-in variable", []eligibility.Function{eligibility.Variable("now", "1", yes)}, "true", "reserved name"},
		{"variable root", []eligibility.Function{eligibility.Variable("contact", "1", yes)}, "true", "reserved name"},
		{"keyword", []eligibility.Function{eligibility.Func("in", "1", yes)}, "true", "reserved name"},
		{"CEL standard function", []eligibility.Function{eligibility.Func("size", "1", yes)}, "true", "standard function of CEL"},
		{"CEL macro", []eligibility.Function{eligibility.Func("exists", "1", yes)}, "true", "standard function of CEL"},
		{"duplicate", []eligibility.Function{eligibility.Func("vip", "1", yes), eligibility.Func("vip", "2", yes)}, "true", "declared twice"},
		{"function and variable", []eligibility.Function{eligibility.Func("vip", "1", yes), eligibility.Variable("vip", "1", yes)}, "true", "declared twice"},
		{"zero Function", []eligibility.Function{{Name: "vip", Version: "1"}}, "true", "not made by"},
		{"nil Go function", []eligibility.Function{eligibility.Func1[string, bool]("vip", "1", nil)}, "true", "no Go function"},
		{"wrong argument type", hostKinds(), "inSegment(3)", "inSegment"},
		{"wrong argument count", hostKinds(), "inSegment('a', 'b')", "inSegment"},
		{"wrong result type", hostKinds(), "tier()", "bool"},
		{"compared with another type", hostKinds(), "score() == 'high'", "score"},
		{"variable called", hostKinds(), "vip()", "vip"},
		{"function written bare", hostKinds(), "blocked", "blocked"},
		{"undeclared", nil, "vip", "vip"},
	} {
		_, err := eligibility.Compile([]*rules.Set{hostFnSet(t, tc.cond, "true")}, eligibility.Params{Functions: tc.fns})
		if !errors.Is(err, rules.ErrInvalid) || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("%s: Compile err = %v, want ErrInvalid mentioning %q", tc.name, err, tc.mention)
		}
	}
}

// The policy's version covers each host function's name, version and
// signature.
func TestHostFunctionVersion(t *testing.T) {
	compile := func(fns ...eligibility.Function) string {
		return mustCompile(t, []*rules.Set{hostFnSet(t, "false", "true")}, eligibility.Params{Functions: fns}).Version()
	}
	base := compile(eligibility.Func("vip", "1", constant(true)))
	for name, v := range map[string]string{
		"none":     compile(),
		"version":  compile(eligibility.Func("vip", "2", constant(true))),
		"name":     compile(eligibility.Func("vipp", "1", constant(true))),
		"result":   compile(eligibility.Func("vip", "1", constant("yes"))),
		"variable": compile(eligibility.Variable("vip", "1", constant(true))),
		"argument": compile(eligibility.Func1("vip", "1", func(*consent.Contact, *consent.Message, string) (bool, error) { return true, nil })),
	} {
		if v == base {
			t.Errorf("changing the host function's %s keeps the policy version", name)
		}
	}
	if again := compile(eligibility.Func("vip", "1", constant(false))); again != base {
		t.Errorf("the same declaration gives another version: %s, %s", base, again)
	}
}

// hostOracleSet tests host functions of every kind on values of the
// request, for the comparison with cel-go.
var hostOracleConds = []string{
	"tier() == 'gold' && vip",
	"score() > 3 || segment == 'b'",
	"inSegment(segment) && !blocked()",
	"sentToday(request.channel, orders)",
	"activeWithin(tenure) || lastOrder() < now",
	"optedInBefore(firstSeen) == vip",
	"tierOf(request.category) in ['KETTLES', 'TOASTERS'] ? score() >= 2 : ordersAtLeast(orders)",
	"sinceSignup() > duration('1h') && localHour() > 9",
}

// hostFromRequest declares host functions whose values depend on the
// request, so that the oracle sees both outcomes.
func hostFromRequest() []eligibility.Function {
	n := func(c *consent.Contact) int64 { return int64(len(c.ID)) }
	return []eligibility.Function{
		eligibility.Func("blocked", "1", func(c *consent.Contact, _ *consent.Message) (bool, error) { return n(c)%2 == 0, nil }),
		eligibility.Func("score", "1", func(_ *consent.Contact, m *consent.Message) (int64, error) { return int64(len(m.Category)), nil }),
		eligibility.Func("tier", "1", func(c *consent.Contact, _ *consent.Message) (string, error) {
			return [...]string{"gold", "silver", ""}[n(c)%3], nil
		}),
		eligibility.Func("sinceSignup", "1", func(c *consent.Contact, m *consent.Message) (time.Duration, error) {
			return m.At.Sub(c.CollectedAt), nil
		}),
		eligibility.Func("lastOrder", "1", func(c *consent.Contact, _ *consent.Message) (time.Time, error) { return c.CollectedAt, nil }),
		eligibility.Variable("vip", "1", func(c *consent.Contact, _ *consent.Message) (bool, error) { return n(c)%5 < 2, nil }),
		eligibility.Variable("segment", "1", func(c *consent.Contact, _ *consent.Message) (string, error) {
			return [...]string{"a", "b"}[n(c)%2], nil
		}),
		eligibility.Variable("orders", "1", func(c *consent.Contact, _ *consent.Message) (int64, error) { return n(c) % 4, nil }),
		eligibility.Variable("tenure", "1", func(c *consent.Contact, _ *consent.Message) (time.Duration, error) {
			return time.Duration(n(c)) * time.Hour, nil
		}),
		eligibility.Variable("firstSeen", "1", func(c *consent.Contact, _ *consent.Message) (time.Time, error) { return c.CollectedAt, nil }),
		eligibility.Func1("inSegment", "1", func(c *consent.Contact, _ *consent.Message, s string) (bool, error) {
			return s == "a" && n(c)%3 == 0, nil
		}),
		eligibility.Func1("ordersAtLeast", "1", func(c *consent.Contact, _ *consent.Message, k int64) (bool, error) { return n(c) >= k, nil }),
		eligibility.Func1("activeWithin", "1", func(c *consent.Contact, m *consent.Message, d time.Duration) (bool, error) {
			return m.At.Sub(c.CollectedAt) < d, nil
		}),
		eligibility.Func1("optedInBefore", "1", func(c *consent.Contact, _ *consent.Message, at time.Time) (bool, error) {
			return c.CollectedAt.Before(at.Add(time.Hour)), nil
		}),
		eligibility.Func1("tierOf", "1", func(_ *consent.Contact, _ *consent.Message, s string) (string, error) {
			return strings.ToUpper(s), nil
		}),
		eligibility.Func2("sentToday", "1", func(_ *consent.Contact, m *consent.Message, ch string, max int64) (bool, error) {
			return ch == "email" && max < int64(len(m.Category))%4, nil
		}),
	}
}

// The closures compiled for host functions agree with cel-go's
// interpreter calling the same functions.
func TestHostFunctionsAgreeWithCEL(t *testing.T) {
	var body strings.Builder
	for i, cond := range hostOracleConds {
		fmt.Fprintf(&body, "  - id: HOST_%d\n    channels: [all]\n    effect: deny\n    reason: HOUSE_DENY\n    citation: House policy\n    condition: %q\n", i, cond)
	}
	set := mustParse(t, "host.yaml", "jurisdiction: FR\ntitle: host oracle\nchannels: [email, sms]\nrules:\n"+body.String())
	p := mustCompile(t, []*rules.Set{set}, eligibility.Params{Functions: hostFromRequest(), SimilarityGroups: audience.SimilarityGroups()})
	gen := audience.NewRandom(41, address.MustCountry("FR"), time.UTC, consent.Email, consent.SMS)
	total, held := 0, map[string]int{}
	for i := range 2000 {
		req := gen.Next()
		bad, n := p.OracleMismatches(req.Contact, &req.Message)
		total += n
		if len(bad) > 0 {
			t.Fatalf("request %d: %v", i, bad)
		}
		if d, _ := p.Decide(req); d.Rule != "" {
			held[d.Rule]++
		}
	}
	if total == 0 || len(held) < 3 {
		t.Errorf("%d rule evaluations, deciding rules %v: want the conditions exercised", total, held)
	}
}

// hostAllowAll holds under hostKinds, calling every one of them.
const hostAllowAll = "!blocked() && score() > 5 && tier() == 'gold' && sinceSignup() > duration('1h') && lastOrder() < now && " +
	"vip && segment == 'churned' && orders == 3 && tenure > duration('1h') && firstSeen < now && " +
	"inSegment(segment) && ordersAtLeast(orders) && activeWithin(tenure) && optedInBefore(now) && not(blocked()) && " +
	"tierOf(tier()) == 'GOLD' && sentToday(request.channel, 1)"

// TestDecideDoesNotAllocateHostFunctions: a decision calling host
// functions and variables of every kind, allowed or denied, allocates
// nothing, nor does one a host function fails.
func TestDecideDoesNotAllocateHostFunctions(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	c := newContact(t, "lea", "FR", consent.Consumer)
	m := message(consent.MarketingGeneral, consent.Email, "kettles", ruleAt)
	allow := hostAllowAll
	failing := append(hostKinds(), eligibility.Func("down", "1", func(*consent.Contact, *consent.Message) (bool, error) {
		return false, errLookup
	}), eligibility.Func("broken", "1", func(*consent.Contact, *consent.Message) (bool, error) { panic(errLookup) }))
	for _, tc := range []struct {
		name, deny, allow string
		want              eligibility.Verdict
		reason            string
	}{
		{"allow", "false", allow, eligibility.Allow, "HOUSE_ALLOW"},
		{"deny", allow, "true", eligibility.Deny, "HOUSE_DENY"},
		{"error", "down()", "true", eligibility.Deny, eligibility.ReasonHostFunctionFailed},
		{"panic", "broken()", "true", eligibility.Deny, eligibility.ReasonHostFunctionFailed},
	} {
		p := mustCompile(t, []*rules.Set{hostFnSet(t, tc.deny, tc.allow)}, eligibility.Params{Functions: failing})
		req := eligibility.Request{Contact: c, Message: *m}
		if d, _ := p.Decide(req); d.Verdict != tc.want || d.Reason != tc.reason {
			t.Fatalf("%s: Decide = %v, want %v %s", tc.name, d, tc.want, tc.reason)
		}
		if tc.reason == eligibility.ReasonHostFunctionFailed {
			continue // the error value is built per failure, as for every evaluation error
		}
		if n := testing.AllocsPerRun(50, func() { _, _ = p.Decide(req) }); n != 0 {
			t.Errorf("%s: Decide allocates %v times per call, want 0", tc.name, n)
		}
	}
}

// Host functions are called concurrently by concurrent decisions (run
// with -race).
func TestHostFunctionsConcurrent(t *testing.T) {
	p := mustCompile(t, []*rules.Set{hostFnSet(t, hostOracleConds[0], hostOracleConds[2])},
		eligibility.Params{Functions: hostFromRequest()})
	gen := audience.NewRandom(43, address.MustCountry("FR"), time.UTC, consent.Email)
	reqs := gen.Requests(200)
	want := make([]eligibility.Decision, len(reqs))
	for i, r := range reqs {
		want[i], _ = p.Decide(r)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, r := range reqs {
				if d, _ := p.Decide(r); d.Rule != want[i].Rule || d.Verdict != want[i].Verdict {
					t.Errorf("request %d: concurrent Decide = %v, want %v", i, d, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkDecideHostFunctions: a decision whose allow rule calls
// seventeen host functions and variables of every kind, against the same
// policy shape without host calls.
func BenchmarkDecideHostFunctions(b *testing.B) {
	c := newContact(b, "lea", "FR", consent.Consumer)
	m := message(consent.MarketingGeneral, consent.Email, "kettles", ruleAt)
	req := eligibility.Request{Contact: c, Message: *m}
	for _, bc := range []struct{ name, allow string }{
		{"none", "true"},
		{"seventeen", hostAllowAll},
	} {
		p := mustCompile(b, []*rules.Set{hostFnSet(b, "false", bc.allow)}, eligibility.Params{Functions: hostKinds()})
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if d, _ := p.Decide(req); d.Verdict != eligibility.Allow {
					b.Fatal(d)
				}
			}
		})
	}
}
