package ingest_test

import (
	"fmt"
	"strings"
)

// contactLine returns a contact in JSON, on one line, with records grants
// and purchases purchases; i makes it distinct. Every value is fictional.
func contactLine(i, records, purchases int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":"c-%d","kind":"consumer","country":"FR","time_zone":"Europe/Paris",`+
		`"email":"client%d@example.com","phone":"+33 6 39 98 %02d %02d","records":[`, i, i, i/100%100, i%100)
	for r := range records {
		if r > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"r-%d-%d","subject":"client%d@example.com","purpose":"marketing_general",`+
			`"channel":"email","sender":"Maison Exemple SAS","status":"granted","at":"2025-0%d-01T10:00:00Z",`+
			`"method":"double_opt_in","confirmed_at":"2025-0%d-01T10:05:00Z","source":"https://shop.example/signup"}`,
			i, r, i, r%9+1, r%9+1)
	}
	b.WriteString(`],"relationship":{"purchases":[`)
	for p := range purchases {
		if p > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"p-%d-%d","at":"2025-02-0%dT10:00:00Z","seller":"Maison Exemple SAS",`+
			`"category":"tea","collected":["client%d@example.com"],"opt_out_offered":true}`, i, p, p%9+1, i)
	}
	b.WriteString(`]}}`)
	return b.String()
}

// file joins lines with "\n", with a final one.
func file(lines ...string) string { return strings.Join(lines, "\n") + "\n" }
