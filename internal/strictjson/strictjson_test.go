package strictjson

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestToken(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"granted", true},
		{"marketing_general", true},
		{"Status", true},
		{"FR", true},
		{"ISO-3166", true},
		{"v2026", true},
		{"", false},
		{"lea@example.com", false},
		{"lea.martin", false},
		{"+33639980001", false},
		{"0639980001", false},
		{"12345", false},
		{"06-39-98-00-01", false},
		{"06_39_98", false},
		{"order-1001", true},
		{"06 39 98 00 01", false},
		{"a b", false},
		{"é", false},
		{strings.Repeat("a", 41), false},
		{strings.Repeat("a", 40), true},
	}
	for _, tt := range tests {
		if got := Token(tt.in); got != tt.want {
			t.Errorf("Token(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"/status", "status"},
		{"/records/1/status", "records[1].status"},
		{"/0/kind", "[0].kind"},
		{"/contact/records/12/Status", "contact.records[12].Status"},
		{"/lea@example.com", "?"},
		{"/a~1b/c", "?.c"},
		{"/similarity_groups/007", "similarity_groups.007"},
		{"/639980001", "?"},
		{"/123456", "[123456]"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Path(tt.in)); diff != "" {
			t.Errorf("Path(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestDescribe(t *testing.T) {
	type doc struct {
		Status string `json:"status"`
		N      int    `json:"n"`
	}
	tests := []struct {
		name, in string
		want     Problem
	}{
		{"duplicate", `{"status":"withdrawn","status":"granted"}`, Problem{Kind: Duplicate, Path: "status", Offset: 22}},
		{"case variant", `{"status":"withdrawn","Status":"granted"}`, Problem{Kind: Unknown, Path: "Status", Offset: 22}},
		{"syntax", `{"status":lea@example.com}`, Problem{Kind: Syntax, Path: "status", Offset: 10}},
		{"trailing data", `{"status":"x"} {}`, Problem{Kind: Syntax, Offset: 15}},
		{"wrong type", `{"n":"0639980001"}`, Problem{Kind: Type, Path: "n", Offset: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := Unmarshal([]byte(tt.in), &d)
			if err == nil {
				t.Fatal("Unmarshal() error = nil")
			}
			if diff := cmp.Diff(tt.want, Describe(err)); diff != "" {
				t.Errorf("Describe(%v) mismatch (-want +got):\n%s", err, diff)
			}
			if m := Describe(err).Message(); strings.Contains(m, "example") || strings.Contains(m, "0639") {
				t.Errorf("Message() = %q repeats the input", m)
			}
		})
	}
}

// FuzzPath: a path never carries a member name that is not a Token.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"", "/a/0/b", "/lea@example.com/1", "/~0~1/x", "//", "/+33639980001", "/639980001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ptr string) {
		if ptr != "" && ptr[0] != '/' {
			return
		}
		p := Path(ptr)
		for _, seg := range strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
			if seg != "?" && !Token(seg) && (strings.Trim(seg, "0123456789") != "" || len(seg) > 6) {
				t.Fatalf("Path(%q) = %q: segment %q is not a token", ptr, p, seg)
			}
		}
	})
}

func TestUnder(t *testing.T) {
	tests := []struct{ path, field, want string }{
		{"", "status", "status"},
		{"records", "records[1].status", "records[1].status"},
		{"contact", "contact.kind", "contact.kind"},
		{"contact", "records[1].Status", "contact.records[1].Status"},
		{"relationship.purchases[0]", "collected[1]", "relationship.purchases[0].collected[1]"},
		{"contact.records", "records[0].id", "contact.records[0].id"},
		{"message", "", "message"},
		{"[2]", "kind", "[2].kind"},
		{"content", "message.content", "message.content"},
		{"content", "message.content[1]", "message.content[1]"},
		{"message", "message.content", "message.content"},
		{"records", "recordsx", "records.recordsx"},
		{"relationship.purchases[0]", "seller", "relationship.purchases[0].seller"},
	}
	for _, tt := range tests {
		if got := Under(tt.path, tt.field); got != tt.want {
			t.Errorf("Under(%q, %q) = %q, want %q", tt.path, tt.field, got, tt.want)
		}
	}
}
