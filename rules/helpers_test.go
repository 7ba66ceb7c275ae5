package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendright/sendright/rules"
)

// errorList extracts the ErrorList from err, failing the test when err is
// not one or does not wrap rules.ErrInvalid.
func errorList(t testing.TB, err error) rules.ErrorList {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want one")
	}
	if !errors.Is(err, rules.ErrInvalid) {
		t.Errorf("error %v does not wrap rules.ErrInvalid", err)
	}
	var list rules.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T (%v) is not a rules.ErrorList", err, err)
	}
	if len(list) == 0 {
		t.Fatal("empty ErrorList returned as an error")
	}
	var first *rules.Error
	if !errors.As(err, &first) || first != list[0] {
		t.Errorf("errors.As(*rules.Error) = %v, want the first entry %v", first, list[0])
	}
	return list
}

// mustParse parses src as file or fails the test.
func mustParse(t testing.TB, file, src string) *rules.Set {
	t.Helper()
	s, err := rules.Parse(file, []byte(src))
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return s
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("%q occurs %d times", old, n)
	}
	return strings.Replace(s, old, new, 1)
}
