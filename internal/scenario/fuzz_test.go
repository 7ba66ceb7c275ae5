package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: a scenario document never panics the decoder; a document
// that decodes has scenarios with ids and expectations.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "eligibility", "testdata", "scenarios", "*", "*.yaml"))
	for _, s := range seeds[:min(len(seeds), 6)] {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"scenarios":[{"id":"x","contact":{},"request":{},"expect":{"verdict":"deny","basis":"b","reason":"R"}}]}`))
	f.Add([]byte("scenarios:\n  - &a {id: x}\n  - *a\n"))
	f.Add([]byte("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"))
	f.Add([]byte("a: !!binary aGVsbG8=\nb: 0x1F\nc: .inf\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(data)
		if err != nil {
			return
		}
		for _, s := range file.Scenarios {
			if s.ID == "" || s.Expect.Reason == "" || len(s.Contact) == 0 {
				t.Fatalf("decoded an incomplete scenario: %+v", s)
			}
		}
	})
}
