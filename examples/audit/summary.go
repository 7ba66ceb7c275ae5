package main

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/sendright/sendright/consent"
)

// dimensions of the summary, in the order they are shown.
var dimensions = [...]string{"verdict", "basis", "jurisdiction", "reason"}

// summary counts decisions by verdict, basis, jurisdiction and reason. Its
// size is bounded by the vocabularies, not by the audience.
type summary struct {
	msg    consent.Message
	total  int
	bad    int // rows that could not be read
	counts [len(dimensions)]map[string]int
}

func newSummary(msg consent.Message) *summary {
	s := &summary{msg: msg}
	for i := range s.counts {
		s.counts[i] = map[string]int{}
	}
	return s
}

// add counts one line of the output.
func (s *summary) add(l *line) {
	s.total++
	if l.Error != "" {
		s.bad++
	}
	d := &l.Decision
	for i, k := range [...]string{d.Verdict.String(), d.Basis.String(), cmp.Or(d.Jurisdiction, "(none)"), d.Reason} {
		s.counts[i][k]++
	}
}

// count is one row of a summary table.
type count struct {
	Key   string
	N     int
	Share float64 // of the total, 0–1
}

// table returns dimension i's counts, largest first, ties by key.
func (s *summary) table(i int) []count {
	rows := make([]count, 0, len(s.counts[i]))
	for k, n := range s.counts[i] {
		rows = append(rows, count{Key: k, N: n, Share: float64(n) / float64(max(s.total, 1))})
	}
	slices.SortFunc(rows, func(a, b count) int { return cmp.Or(b.N-a.N, cmp.Compare(a.Key, b.Key)) })
	return rows
}

// writeText writes the summary as text tables.
func (s *summary) writeText(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%d contacts audited, %d unreadable (counted as deny)\n", s.total, s.bad); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	for i, dim := range dimensions {
		fmt.Fprintf(tw, "\n%s\tcount\tshare\t\n", dim)
		for _, r := range s.table(i) {
			fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t\n", r.Key, r.N, 100*r.Share)
		}
	}
	return tw.Flush()
}

// chart is one bar chart of the HTML report.
type chart struct {
	Title  string
	Height int
	Bars   []bar
}

// bar is one bar of a chart, with its geometry in the SVG's units.
type bar struct {
	count
	Y, Width int
	Label    string
}

// report is what the HTML template shows.
type report struct {
	Campaign string
	Total    int
	Bad      int
	Charts   []chart
}

// Bar geometry in the SVG's user units.
const (
	barHeight = 22
	barGap    = 6
	barMax    = 420 // the width of a bar at 100%
)

// writeHTML writes the summary as one self-contained HTML page: styles and
// SVG charts inline, no script, no reference to anything outside it.
func (s *summary) writeHTML(w io.Writer) error {
	r := report{Total: s.total, Bad: s.bad, Campaign: fmt.Sprintf("%s by %s on %s, %s",
		s.msg.Purpose, s.msg.Sender.Entity, s.msg.Channel, s.msg.At.UTC().Format(time.RFC3339))}
	if s.msg.Category != "" {
		r.Campaign += ", category " + s.msg.Category
	}
	for i, dim := range dimensions {
		c := chart{Title: "By " + dim}
		for j, row := range s.table(i) {
			c.Bars = append(c.Bars, bar{count: row, Y: j * (barHeight + barGap),
				Width: max(1, int(row.Share*barMax+0.5)),
				Label: strconv.Itoa(row.N) + " (" + strconv.FormatFloat(100*row.Share, 'f', 1, 64) + "%)"})
		}
		c.Height = max(len(c.Bars)*(barHeight+barGap), barHeight)
		r.Charts = append(r.Charts, c)
	}
	return page.Execute(w, r)
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Audience audit</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
svg text { font-size: 12px; dominant-baseline: middle; }
.bar { fill: #3b6ea5; } .deny { fill: #b5473a; } .allow { fill: #3a8a4f; } .defer { fill: #c48a1b; }
</style>
</head>
<body>
<h1>Audience audit</h1>
<p>Campaign: {{.Campaign}}.</p>
<p>{{.Total}} contacts audited; {{.Bad}} unreadable rows counted as deny.</p>
{{range .Charts}}
<h2>{{.Title}}</h2>
<svg role="img" aria-label="{{.Title}}" width="880" height="{{.Height}}" viewBox="0 0 880 {{.Height}}">
{{range .Bars}}<g transform="translate(0,{{.Y}})">
<text x="0" y="11">{{.Key}}</text>
<rect class="bar {{.Key}}" x="300" y="0" width="{{.Width}}" height="22"></rect>
<text x="{{.Width}}" dx="306" y="11">{{.Label}}</text>
</g>
{{end}}</svg>
{{end}}
</body>
</html>
`))
