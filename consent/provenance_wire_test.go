package consent

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// provenanceDocs are records and contacts carrying a grant's provenance,
// valid and not, for the token-level decoder's agreement with the
// reflective one.
var provenanceDocs = []string{
	`{"id":"g","provenance":{"collector":{"entity":"C","id":"SIREN 1"},"chain":[{"entity":"C"},{"entity":"B","id":"2"}],` +
		`"partners":{"version":"v3","shown":"inline","entries":[{"entity":"S","id":"SIREN 2","added_at":"2026-02-01T00:00:00+01:00"}],` +
		`"category":"partenaires"},"separate":true,"bundled":true,"asymmetric_choice":false,"individual_proof":"p",` +
		`"obtained_at":"2026-01-12T00:00:00Z","notice_sent_at":"2026-01-13T00:00:00Z"}}`,
	`{"id":"g","provenance":null}`,
	`{"id":"g","provenance":{}}`,
	`{"id":"g","provenance":[]}`,
	`{"id":"g","provenance":"C"}`,
	`{"id":"g","provenance":{"collector":{"entity":"C"},"collector":{"entity":"D"}}}`,
	`{"id":"g","provenance":{"Collector":{"entity":"C"}}}`,
	`{"id":"g","provenance":{"collector":{"entity":"C"}},"provenance":null}`,
	`{"id":"g","provenance":{"partners":{"entries":[{"entity":"S","id":"1","colour":2}]}}}`,
	`{"id":"g","provenance":{"partners":{"shown":"popup"}}}`,
	`{"id":"g","provenance":{"obtained_at":"yesterday"}}`,
	`{"records":[{"id":"g","provenance":{"collector":{"entity":"C"},"separate":true}}]}`,
	`[{"id":"g","provenance":{"collector":{"entity":"C"}}},{"id":"h","provenance":{"chain":[null]}}]`,
}

func TestWireProvenance(t *testing.T) {
	for _, d := range provenanceDocs {
		for _, m := range mirrors {
			checkWireAgrees(t, m.name, []byte(d), m.wire, m.reflective)
		}
	}
}

// TestWireProvenanceCorpus keeps the provenance documents in FuzzWire's
// seed corpus.
func TestWireProvenanceCorpus(t *testing.T) {
	for i, d := range provenanceDocs {
		name := filepath.Join("testdata", "fuzz", "FuzzWire", "provenance-"+strconv.Itoa(i))
		want := "go test fuzz v1\n[]byte(" + strconv.Quote(d) + ")\n"
		if got, err := os.ReadFile(name); err != nil || string(got) != want {
			if os.Getenv("SENDRIGHT_WRITE_CORPUS") != "" {
				if err := os.WriteFile(name, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s is missing or stale: run with SENDRIGHT_WRITE_CORPUS=1", name)
		}
	}
}
