package rights_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent/rights"
)

// TestCheckSum: CheckSum accepts exactly the digest Sum made, under the
// version it was made with, after the current version has moved on.
func TestCheckSum(t *testing.T) {
	old, err := rights.NewKeyring(1, map[uint32][]byte{1: []byte(strings.Repeat("a", 32))})
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(`{"contact":{},"message":{}}`)
	v, mac := old.Sum(data)
	rotated, err := rights.NewKeyring(2, map[uint32][]byte{1: []byte(strings.Repeat("a", 32)), 2: []byte(strings.Repeat("b", 32))})
	if err != nil {
		t.Fatal(err)
	}
	var none *rights.Keyring
	got := map[string]bool{
		"as made":         old.CheckSum(v, data, mac),
		"after rotation":  rotated.CheckSum(v, data, mac),
		"other version":   rotated.CheckSum(2, data, mac),
		"unknown version": old.CheckSum(3, data, mac),
		"other data":      old.CheckSum(v, append(data, ' '), mac),
		"upper case":      old.CheckSum(v, data, strings.ToUpper(mac)),
		"truncated":       old.CheckSum(v, data, mac[:62]),
		"not hex":         old.CheckSum(v, data, "zz"+mac[2:]),
		"empty":           old.CheckSum(v, data, ""),
		"nil keyring":     none.CheckSum(v, data, mac),
	}
	want := map[string]bool{"as made": true, "after rotation": true, "other version": false, "unknown version": false,
		"other data": false, "upper case": false, "truncated": false, "not hex": false, "empty": false, "nil keyring": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckSum (-want +got):\n%s", diff)
	}
}
