package enum_test

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/internal/enum"
)

type color uint8

var colors = enum.New[color]("paint", "color", "", "red", "green")

func (c color) String() string               { return colors.String(c) }
func (c color) MarshalText() ([]byte, error) { return colors.Marshal(c) }

type level uint8

var levels = enum.WithZero[level]("paint", "level", "none", "low", "", "high") // 2 is a gap

func (l level) String() string               { return levels.String(l) }
func (l level) MarshalText() ([]byte, error) { return levels.Marshal(l) }

func TestNames(t *testing.T) {
	tests := []struct {
		name    string
		valid   bool
		str     string
		marshal string // "" when Marshal must fail
	}{
		{"color 0", colors.Valid(0), colors.String(0), marshal(colors.Marshal(0))},
		{"color 1", colors.Valid(1), colors.String(1), marshal(colors.Marshal(1))},
		{"color 3", colors.Valid(3), colors.String(3), marshal(colors.Marshal(3))},
		{"level 0", levels.Valid(0), levels.String(0), marshal(levels.Marshal(0))},
		{"level 2 (gap)", levels.Valid(2), levels.String(2), marshal(levels.Marshal(2))},
		{"level 3", levels.Valid(3), levels.String(3), marshal(levels.Marshal(3))},
	}
	want := map[string][3]any{
		"color 0":       {false, "invalid(0)", ""},
		"color 1":       {true, "red", "red"},
		"color 3":       {false, "invalid(3)", ""},
		"level 0":       {true, "none", "none"},
		"level 2 (gap)": {false, "invalid(2)", ""},
		"level 3":       {true, "high", "high"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(want[tt.name], [3]any{tt.valid, tt.str, tt.marshal}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func marshal(b []byte, err error) string {
	if err != nil {
		return ""
	}
	return string(b)
}

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    level
		wantErr string
	}{
		{"none", 0, ""},
		{"high", 3, ""},
		{"", 0, "paint: unknown level (value withheld: it may be personal data)"},
		{"High", 0, `paint: unknown level "High"`},
		{"jane.doe@example.com", 0, "paint: unknown level (value withheld: it may be personal data)"},
		{"+33 6 12 34 56 78", 0, "paint: unknown level (value withheld: it may be personal data)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := levels.Parse(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr || !errors.Is(err, enum.ErrUnknownValue()) {
				t.Fatalf("Parse(%q) error = %v, want %q matching ErrUnknownValue", tt.in, err, tt.wantErr)
			}
			var ue *enum.UnknownValueError
			if !errors.As(err, &ue) || ue.Type != "level" || ue.Value != tt.in {
				t.Errorf("Parse(%q) error = %#v, want an *UnknownValueError keeping the value", tt.in, err)
			}
		})
	}
}

func TestUnmarshalKeepsValueOnError(t *testing.T) {
	l := level(3)
	if err := levels.Unmarshal(&l, []byte("medium")); err == nil || l != 3 {
		t.Errorf("Unmarshal(medium) = %v, value %d; want an error and the value unchanged", err, l)
	}
	if err := levels.Unmarshal(&l, []byte("low")); err != nil || l != 1 {
		t.Errorf("Unmarshal(low) = %v, value %d; want 1", err, l)
	}
}

func TestValid(t *testing.T) {
	for _, tt := range []struct {
		v    level
		want bool
	}{{0, true}, {1, true}, {2, false}, {3, true}, {4, false}} {
		if got := enum.Valid(tt.v); got != tt.want || got != levels.Valid(tt.v) {
			t.Errorf("Valid(%d) = %v, want %v (as Names.Valid)", tt.v, got, tt.want)
		}
	}
}

func TestMembers(t *testing.T) {
	vals, text := enum.Members[level](0)
	if diff := cmp.Diff([]level{0, 1, 3}, vals); diff != "" {
		t.Errorf("Members values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"none", "low", "high"}, text); diff != "" {
		t.Errorf("Members text (-want +got):\n%s", diff)
	}
	if _, text := enum.Members(color(2)); !cmp.Equal(text, []string{"red"}) {
		t.Errorf("Members(limit 2) = %q, want [red]", text)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "none", "low", "high", "invalid(2)", "red", "jane@example.org", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := levels.Parse(s)
		if err != nil {
			if v != 0 || !errors.Is(err, enum.ErrUnknownValue()) {
				t.Fatalf("Parse(%q) = %d, %v; want 0 and ErrUnknownValue", s, v, err)
			}
			if len(s) > 40 && strings.Contains(err.Error(), s) {
				t.Fatalf("Parse error repeats a long input: %v", err)
			}
			return
		}
		if !enum.Valid(v) || v.String() != s || marshal(levels.Marshal(v)) != s {
			t.Fatalf("Parse(%q) = %d, which does not round-trip", s, v)
		}
	})
}

// TestParseIndex compares Lookup, which finds a member through its index,
// and Parse with a comparison of every member's text, on vocabularies with gaps, a
// zero member with an empty text, duplicate texts and so many members
// that their hashes collide.
func TestParseIndex(t *testing.T) {
	crowd := []string{""}
	for i := range 250 {
		crowd = append(crowd, "w"+strconv.Itoa(i))
	}
	crowd = append(crowd, "dup", "", "dup")
	type word uint8
	vocabularies := []enum.Names[word]{enum.New[word]("p", "t", crowd...), enum.WithZero[word]("p", "t", "", "a", "b"),
		enum.WithZero[word]("p", "t", "none", "low", "", "high"), enum.New[word]("p", "t", "", "red", "green", "red")}
	r := rand.New(rand.NewPCG(7, 8))
	for k, names := range vocabularies {
		texts := []string{"", "x", "dup", "none", "invalid(2)"}
		for v := range 256 {
			if s := names.String(word(v)); names.Valid(word(v)) {
				texts = append(texts, s, s+"x", strings.ToUpper(s), s[:len(s)/2], "x"+s)
			}
		}
		for range 2000 {
			b := make([]byte, 1+r.IntN(5))
			for i := range b {
				b[i] = "wdupx0123456789"[r.IntN(15)]
			}
			texts = append(texts, string(b))
		}
		for _, s := range texts {
			want, found := word(0), false
			for v := range 256 {
				if names.Valid(word(v)) && names.String(word(v)) == s {
					want, found = word(v), true
					break
				}
			}
			if got, err := names.Parse(s); got != want || (err == nil) != found {
				t.Fatalf("vocabulary %d: Parse(%q) = %d, %v; want %d (found: %v)", k, s, got, err, want, found)
			}
			if got, ok := names.Lookup(s); got != want || ok != found {
				t.Fatalf("vocabulary %d: Lookup(%q) = %d, %v; want %d, %v", k, s, got, ok, want, found)
			}
		}
	}
}
