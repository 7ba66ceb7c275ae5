package rights_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sendright/sendright/consent/rights"
)

// FuzzSuppressionListJSON: a stored suppression list never panics the
// decoder, a list that decodes is valid, and it survives a round trip.
func FuzzSuppressionListJSON(f *testing.F) {
	f.Add([]byte(`[{"key_version":1,"hmac":"` + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" + `","kind":"email","sender":"E","purpose":"all_marketing","channel":"all","at":"2026-01-01T00:00:00Z"}]`))
	f.Add([]byte(`[{"key_version":0}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"hmac":"zz"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l rights.SuppressionList
		if err := json.Unmarshal(data, &l); err != nil {
			return
		}
		for _, s := range l {
			if err := s.Check(); err != nil {
				t.Fatalf("decoded an invalid suppression %+v: %v", s, err)
			}
		}
		out, err := json.Marshal(l)
		if err != nil {
			t.Fatalf("json.Marshal(decoded list) = %v", err)
		}
		var back rights.SuppressionList
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if !reflect.DeepEqual(l, back) && !(len(l) == 0 && len(back) == 0) {
			t.Fatalf("round trip changed the list:\n%+v\n%+v", l, back)
		}
	})
}
