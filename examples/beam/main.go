// Command beam decides a whole audience for one campaign on Apache Beam:
// an audience too large for one machine is read in parallel from JSON Lines
// files, every contact is decided with the library's default policy (and
// any house rule files), and the decisions are written in three outputs —
// allowed, deferred and denied, one JSON line per contact with its id —
// with a summary of the counts per verdict, basis and reason, also kept as
// Beam metrics counters.
//
// Locally it runs on Beam's in-process prism runner, fully offline:
//
//	go run . -in 'audience-*.jsonl' -out out/ \
//	    -purpose marketing_general -channel email \
//	    -sender 'Maison Exemple SAS' -sender-kind company \
//	    -at 2026-03-10T10:00:00Z
//
// The same binary runs on Dataflow, Flink or Spark with Beam's runner
// flags (-runner dataflow -project … -region … -temp_location gs://…, or
// -runner flink / spark -endpoint of the job server); see the README.
//
// Contacts come in the documented JSON form of consent.Contact, one per
// line. Files are split into blocks read by different workers, so a line
// is known by its file and the byte offset at which it starts (not its
// line number, which no worker knows). A line that is not a contact is a
// deny with reason INVALID_REQUEST, written to the denied output with its
// offset and error; it is never dropped. Blank lines hold no contact and
// are passed over, as consent/ingest does. Input files must be
// uncompressed: byte offsets are offsets in the file as stored.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/sendright/sendright/internal/campaign"
	"github.com/sendright/sendright/rules"
)

func main() {
	c, err := parseFlags(flag.CommandLine, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(2)
	}
	// On a worker of a distributed runner, Init runs the worker and does
	// not return; on the launching machine it returns at once.
	beam.Init()
	if err := run(context.Background(), c, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(1)
	}
}

// errUsage marks an error in the command line (the campaign's included).
var errUsage = campaign.ErrUsage

// config is the command line of the pipeline (Beam's own flags, such as
// -runner, are read by Beam).
type config struct {
	in, out  string
	shards   int
	block    int64
	campaign campaign.Flags // -campaign and the message's flags
	rules    []string
}

// parseFlags defines the command's flags on fs, beside Beam's, and parses
// args.
func parseFlags(fs *flag.FlagSet, args []string) (*config, error) {
	c := &config{}
	fs.StringVar(&c.in, "in", "", "the audience: a JSON Lines file or a glob of them (local, or gs:// with the Dataflow runner)")
	fs.StringVar(&c.out, "out", "", "the outputs' prefix: a directory ending in / or a file stem (allowed-…, deferred-…, denied-… and summary.txt follow it)")
	fs.IntVar(&c.shards, "shards", 1, "the number of files per output")
	fs.Int64Var(&c.block, "block", 64<<20, "the size in bytes of the blocks an input file is split into for reading")
	c.campaign.Register(fs)
	fs.Func("rules", "a house rule file compiled beside the built-in law (repeatable)", func(path string) error {
		if path == "" {
			return errors.New("empty path")
		}
		c.rules = append(c.rules, path)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return c, nil
}

// check refuses a command line that cannot make a pipeline. It is not
// part of parseFlags because a worker of a distributed runner starts the
// same binary without the command's flags.
func (c *config) check() error {
	switch {
	case c.in == "":
		return fmt.Errorf("%w: -in is required", errUsage)
	case c.out == "":
		return fmt.Errorf("%w: -out is required", errUsage)
	case c.shards < 1:
		return fmt.Errorf("%w: -shards must be at least 1", errUsage)
	case c.block < 1:
		return fmt.Errorf("%w: -block must be at least 1", errUsage)
	}
	return nil
}

// message returns the campaign in its documented JSON form, built from
// the -campaign file and the flags and validated by decoding it; the
// pipeline carries these bytes to its workers.
func (c *config) message() (string, error) {
	_, b, err := c.campaign.Message()
	return string(b), err
}

// houseFiles reads the house rule files. Their text travels with the
// pipeline, so that workers need no access to the launching machine's
// files; each is parsed here once so that a bad file fails before the
// pipeline starts.
func (c *config) houseFiles() ([]ruleFile, error) {
	var files []ruleFile
	for _, path := range c.rules {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if _, err := rules.Parse(path, b); err != nil {
			return nil, err
		}
		files = append(files, ruleFile{Name: path, Text: string(b)})
	}
	return files, nil
}

// pipeline builds the pipeline of the command line.
func (c *config) pipeline() (*beam.Pipeline, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	msg, err := c.message()
	if err != nil {
		return nil, err
	}
	house, err := c.houseFiles()
	if err != nil {
		return nil, err
	}
	// Compile once here as well: a policy that does not compile fails
	// now, not on every worker.
	if _, err := (&decideFn{Message: msg, House: house}).policy(); err != nil {
		return nil, err
	}
	p, s := beam.NewPipelineWithRoot()
	build(s, plan{In: c.in, Out: c.out, Shards: c.shards, Block: c.block, Message: msg, House: house})
	return p, nil
}

// run builds the pipeline, runs it on the runner of Beam's -runner flag
// (prism by default) and reports the counters on w.
func run(ctx context.Context, c *config, w io.Writer) error {
	p, err := c.pipeline()
	if err != nil {
		return err
	}
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return err
	}
	if res == nil {
		return nil // some runners report no metrics
	}
	counts := counters(res)
	var b strings.Builder
	for _, k := range sortedKeys(counts) {
		fmt.Fprintf(&b, "%s\t%d\n", k, counts[k])
	}
	_, err = io.WriteString(w, b.String())
	return err
}
