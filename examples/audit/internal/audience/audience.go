// Package audience generates a varied, fictional audience in the
// documented contact form, one contact per line of JSON Lines: the
// example's tests read it, and command gen writes it for trying the audit
// on any number of contacts without storing them.
package audience

import "strconv"

// Append appends the i-th contact of the audience, on one line without its
// terminator, to dst: countries with and without rules (FR, GB, BE, DE in
// turn), a consent granted (i%3 == 0), withdrawn (i%3 == 1) or absent,
// and a purchase for every fifth contact. Every value is fictional.
func Append(dst []byte, i int) []byte {
	id := strconv.Itoa(i)
	country, zone := [...]string{"FR", "GB", "BE", "DE"}[i%4], [...]string{"Europe/Paris", "Europe/London", "Europe/Brussels", "Europe/Berlin"}[i%4]
	email := "client" + id + "@example.com"
	dst = append(dst, `{"id":"c-`+id+`","kind":"consumer","country":"`+country+`","time_zone":"`+zone+
		`","email":"`+email+`","records":[`...)
	switch i % 3 {
	case 0:
		dst = append(dst, `{"id":"r-`+id+`","subject":"`+email+`","purpose":"marketing_general","channel":"email",`+
			`"sender":"Maison Exemple SAS","status":"granted","at":"2025-01-01T10:00:00Z","method":"double_opt_in",`+
			`"confirmed_at":"2025-01-01T10:05:00Z","source":"https://shop.example/signup"}`...)
	case 1:
		dst = append(dst, `{"id":"r-`+id+`","subject":"`+email+`","purpose":"marketing_general","channel":"email",`+
			`"sender":"Maison Exemple SAS","status":"withdrawn","at":"2025-06-01T10:00:00Z"}`...)
	}
	dst = append(dst, `],"relationship":{"purchases":[`...)
	if i%5 == 0 {
		dst = append(dst, `{"id":"p-`+id+`","at":"2025-02-01T10:00:00Z","seller":"Maison Exemple SAS","category":"tea",`+
			`"collected":["`+email+`"],"opt_out_offered":true}`...)
	}
	return append(dst, `]}}`...)
}

// Line returns the i-th contact (see [Append]).
func Line(i int) string { return string(Append(nil, i)) }
