package rules_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/rules"
)

// Builtin returns fresh copies: changing one does not change the next.
func TestBuiltinFreshCopies(t *testing.T) {
	a, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	a[0].Rules[0].Citation = "changed"
	a[0].Jurisdiction = "changed"
	b, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if b[0].Rules[0].Citation == "changed" || b[0].Jurisdiction == "changed" {
		t.Error("Builtin returned a set shared with an earlier call")
	}
}

// Two calls of Builtin share no slice a caller can write: every exported
// slice of a set, at any depth, has its own backing array. A field added
// to Set later without a deep copy fails here.
func TestBuiltinSharesNoSlice(t *testing.T) {
	a, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	b, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("Builtin returned %d then %d sets", len(a), len(b))
	}
	seen := 0
	for i := range a {
		if a[i] == b[i] {
			t.Fatalf("set %d returned twice", i)
		}
		seen += sharedSlices(t, reflect.ValueOf(a[i]).Elem(), reflect.ValueOf(b[i]).Elem(), a[i].File)
	}
	if seen == 0 {
		t.Fatal("no slice compared")
	}
	for i := range a {
		if diff := cmp.Diff(a[i], b[i], cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
			t.Errorf("two copies of %s differ (-first +second):\n%s", a[i].File, diff)
		}
	}
}

// sharedSlices walks the exported parts of x and y, two copies of one
// value, failing on a non-empty slice they share; it returns the number of
// non-empty slices compared.
func sharedSlices(t *testing.T, x, y reflect.Value, path string) int {
	t.Helper()
	n := 0
	switch x.Kind() {
	case reflect.Struct:
		for i := range x.NumField() {
			if x.Type().Field(i).IsExported() {
				n += sharedSlices(t, x.Field(i), y.Field(i), path+"."+x.Type().Field(i).Name)
			}
		}
	case reflect.Slice:
		if x.Len() == 0 {
			return 0
		}
		n++
		if x.Pointer() == y.Pointer() {
			t.Errorf("%s: one backing array in two copies", path)
		}
		for i := range x.Len() {
			n += sharedSlices(t, x.Index(i), y.Index(i), path)
		}
	case reflect.Map, reflect.Pointer:
		if !x.IsNil() {
			t.Errorf("%s: a %s in a set: copy it in Set.clone and here", path, x.Kind())
		}
	}
	return n
}
