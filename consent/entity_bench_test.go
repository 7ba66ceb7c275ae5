package consent_test

import (
	"testing"

	"github.com/sendright/sendright/consent"
)

// BenchmarkSameEntity measures a comparison of two spellings, ASCII and
// not: the cost the engine pays per purchase, inquiry or contract.
func BenchmarkSameEntity(b *testing.B) {
	for _, tt := range []struct{ name, a, b string }{
		{"ascii", "Maison Exemple SAS", "MAISON EXEMPLE S.A.S."},
		{"latin", "Société Générale d'Exemple", "SOCIÉTÉ GÉNÉRALE D'EXEMPLE"},
		{"nfd_fullwidth", "Socie\u0301te\u0301 Exemple", "ＳＯＣＩÉＴÉ ＥＸＥＭＰＬＥ"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				if !consent.SameEntity(tt.a, tt.b) {
					b.Fatal("not the same")
				}
			}
		})
	}
}
