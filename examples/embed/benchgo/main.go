// Command benchgo times the Go side of the bindings' benchmarks, on the
// requests the bindings time (the scenarios' cases of the default policy,
// as examples/embed/exportscenarios writes them): Go's Decide and DecideAll
// on decoded requests, and the interface's Decide and Batch (JSON in, JSON
// out, no crossing into another language); and, for the campaign form, the
// cases' contacts with one message (-message): DecideAll on those requests
// decoded, and the interface's Campaign. It prints one JSON object of
// figures, which examples/python/bench.py and examples/node/bench.mjs read
// to state their ratios.
//
//	go run ./examples/embed/benchgo -cases examples/embed/out/cases.jsonl
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/eligibility"
	"github.com/sendright/sendright/internal/abi"
	"github.com/sendright/sendright/internal/abi/cases"
)

func main() {
	path := flag.String("cases", "examples/embed/out/cases.jsonl", "the cases, from exportscenarios")
	lines := flag.Int("n", 20000, "requests in the batch")
	dur := flag.Duration("d", time.Second, "time spent on each measure")
	message := flag.String("message", CampaignMessage, "the message of the campaign (JSON)")
	flag.Parse()
	reqs, raw, err := load(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pol, err := eligibility.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var h struct{ Handle uint64 }
	if err := json.Unmarshal(abi.Compile(nil), &h); err != nil || h.Handle == 0 {
		fmt.Fprintln(os.Stderr, "compile failed")
		os.Exit(1)
	}
	batchReqs := make([]eligibility.Request, *lines)
	var batch bytes.Buffer
	for i := range batchReqs {
		batchReqs[i] = reqs[i%len(reqs)]
		batch.Write(raw[i%len(raw)])
		batch.WriteByte('\n')
	}
	var msg consent.Message
	if err := msg.UnmarshalJSON([]byte(*message)); err != nil {
		fmt.Fprintln(os.Stderr, "-message:", err)
		os.Exit(1)
	}
	campaignReqs := make([]eligibility.Request, *lines)
	campaign := bytes.NewBufferString(`{"message": ` + *message + "}\n")
	for i := range campaignReqs {
		campaignReqs[i] = eligibility.Request{Contact: reqs[i%len(reqs)].Contact, Message: msg}
		var r struct{ Contact json.RawMessage }
		if err := json.Unmarshal(raw[i%len(raw)], &r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		campaign.Write(r.Contact)
		campaign.WriteByte('\n')
	}
	figures := map[string]float64{
		"requests": float64(len(reqs)),
		"batch":    float64(*lines),
		"decide_ns": perCall(*dur, func(i int) {
			_, _ = pol.Decide(reqs[i%len(reqs)])
		}),
		"abi_decide_ns": perCall(*dur, func(i int) { abi.Decide(h.Handle, raw[i%len(raw)]) }),
		"decideall_per_s": perSecond(*dur, *lines, func() {
			for range pol.DecideAll(context.Background(), slices.Values(batchReqs)) {
			}
		}),
		"abi_batch_per_s": perSecond(*dur, *lines, func() { abi.Batch(h.Handle, batch.Bytes()) }),
		"decideall_campaign_per_s": perSecond(*dur, *lines, func() {
			for range pol.DecideAll(context.Background(), slices.Values(campaignReqs)) {
			}
		}),
		"abi_campaign_per_s": perSecond(*dur, *lines, func() { abi.Campaign(h.Handle, 1, campaign.Bytes()) }),
	}
	if err := json.NewEncoder(os.Stdout).Encode(figures); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// CampaignMessage is the message of the campaign measured by default: a
// company's general marketing e-mail, as an audience would be sent.
const CampaignMessage = `{"purpose": "marketing_general", "channel": "email", ` +
	`"sender": {"entity": "Maison Exemple SAS", "kind": "company", "country": "FR"}, "at": "2026-03-10T10:00:00Z"}`

// load reads the cases of the default policy that decide without error:
// their requests decoded, and their JSON.
func load(path string) ([]eligibility.Request, [][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var reqs []eligibility.Request
	var raw [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var c cases.Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, nil, err
		}
		if string(c.Config) != "{}" || c.Error != "" {
			continue
		}
		var r eligibility.Request
		if err := r.UnmarshalJSON(c.Request); err != nil {
			return nil, nil, err
		}
		reqs, raw = append(reqs, r), append(raw, c.Request)
	}
	if len(reqs) == 0 {
		return nil, nil, fmt.Errorf("%s: no case of the default policy", path)
	}
	return reqs, raw, sc.Err()
}

// perCall returns the mean nanoseconds of f over about d.
func perCall(d time.Duration, f func(i int)) float64 {
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		for range 100 {
			f(n)
			n++
		}
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// perSecond returns the requests a second of f, which decides n, over
// about d (at least once).
func perSecond(d time.Duration, n int, f func()) float64 {
	runs := 0
	start := time.Now()
	for runs == 0 || time.Since(start) < d {
		f()
		runs++
	}
	return float64(runs*n) / time.Since(start).Seconds()
}
