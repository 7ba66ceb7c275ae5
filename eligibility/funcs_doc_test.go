package eligibility

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated function lists of ../rules/doc.go and ../README.md")

// wrapComment renders items as a doc-comment list, wrapped at 77 columns.
func wrapComment(items []string) string {
	var b strings.Builder
	for _, it := range items {
		line := "//   -"
		for _, w := range strings.Fields(it) {
			if len(line)+1+len(w) > 77 && line != "//   -" {
				b.WriteString(line + "\n")
				line = "//    "
			}
			line += " " + w
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// The generated parts are between these markers.
const (
	docStart    = "README's against it):\n//\n"
	docEnd      = "//\n// Hosts add their own"
	readmeStart = "<!-- functions-table:start -->\n"
	readmeEnd   = "<!-- functions-table:end -->"
)

func docList() []string {
	var out []string
	for _, f := range domainFuncs {
		out = append(out, f.signature()+": "+f.doc+".")
	}
	return out
}

func readmeTable() string {
	var b strings.Builder
	b.WriteString("| Function | Returns |\n|---|---|\n")
	for _, f := range domainFuncs {
		b.WriteString("| `" + f.signature() + "` | " + strings.ReplaceAll(f.doc, "|", `\|`) + " |\n")
	}
	return b.String()
}

// checkGenerated compares the text of file between start and end with want,
// rewriting it under -update.
func checkGenerated(t *testing.T, file, start, end, want string, keepStart bool) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q … %q", file, start, end)
	}
	from := i + len(start)
	if keepStart {
		from = i
	}
	if s[from:j] == want {
		return
	}
	if *update {
		if err := os.WriteFile(file, []byte(s[:from]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s does not list the function table; run go test ./rules -run TestFunctionDocs -update\nwant:\n%s", file, want)
}

// TestFunctionDocs checks that the package documentation and the README
// list exactly the functions of the table, with their signatures and doc
// lines.
func TestFunctionDocs(t *testing.T) {
	checkGenerated(t, "../rules/doc.go", docStart, docEnd, wrapComment(docList()), false)
	checkGenerated(t, "../README.md", readmeStart, readmeEnd, readmeTable(), false)
}
