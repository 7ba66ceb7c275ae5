package consent

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// messageDocs are messages for the fast reading of Message.UnmarshalJSON:
// plain ones it takes, and variants it must leave to strictJSON (escapes,
// numbers, names given twice or in another case, nulls, unknown members,
// an SMS sender ID, trailing data, bad syntax).
var messageDocs = []string{
	`{"purpose":"marketing_general","channel":"email","sender":{"entity":"Maison Exemple SAS","kind":"company","country":"FR"},"at":"2026-03-10T10:00:00Z"}`,
	` { "purpose" : "marketing_similar" , "channel" : "sms" , "category" : "home_adaptation", "sender" : { "entity" : "Exemple SARL" , "kind" : "company" } , "at" : "2026-03-10T10:00:00.5+01:00", "role_relevant": true, "presumed_consent": false, "route": "eu-main" } `,
	`{"purpose":"transactional","channel":"email","content":["rating_request"],"sender":{"entity":"S","kind":"charity"},"at":"2026-03-10T10:00:00Z"}`,
	`{"purpose":"marketing_general","channel":"sms","sms_sender":{"alias":"TIENDAEJ","registered":true},"sender":{"entity":"S","kind":"company"},"at":"2026-03-10T10:00:00Z"}`,
	`{"purpose":"marketing_general","channel":"email","sender":null,"at":null,"category":null,"role_relevant":null}`,
	`{"purpose":"marketing_general","purpose":"transactional"}`,
	`{"purpose":"marketing_general","Purpose":"transactional"}`,
	`{"sender":{"entity":"A","entity":"B"}}`,
	`{"sender":{"Entity":"A"}}`,
	`{"sender":{"entity":"A","shoe":1}}`,
	`{"purpose":"marketing_g\u0065neral","channel":"email"}`,
	`{"purp\u006fse":"marketing_general"}`,
	`{"purpose":7}`, `{"role_relevant":"yes"}`, `{"at":"2026-03-10"}`, `{"at":"2026-03-10T10:00:00+24:00"}`,
	`{"content":"promotion"}`, `{"content":[1]}`, `{"sender":[]}`, `{"unknown":true}`,
	`null`, `{}`, `{} {}`, `{"purpose":"marketing_general"`, `{"purpose":"marketing_general",}`, `[]`, ``,
	"{\"category\":\"caf\xc3\xa9\"}", "{\"category\":\"caf\xff\"}", "{\"category\":\"a\tb\"}",
}

// TestMessageReadPlain checks the fast reading against strictJSON on
// messageDocs: what it takes, strictJSON decodes the same, and the plain
// messages it does take.
func TestMessageReadPlain(t *testing.T) {
	taken := 0
	for _, d := range messageDocs {
		if checkMessagePlain(t, []byte(d)) {
			taken++
		}
	}
	if taken < 3 {
		t.Errorf("the fast reading took %d of the messages, want the plain ones (at least 3)", taken)
	}
	if checkMessagePlain(t, []byte(strings.Replace(messageDocs[0], `"email"`, `"sms"`, 1))) == false {
		t.Errorf("the fast reading left a plain message to strictJSON")
	}
}

// FuzzMessageJSON: for any input the fast reading takes, strictJSON
// decodes the same mirror.
func FuzzMessageJSON(f *testing.F) {
	for _, d := range messageDocs {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkMessagePlain(t, b) })
}

// checkMessagePlain reports whether the fast reading took doc, failing t
// when it took what strictJSON refuses or decodes otherwise.
func checkMessagePlain(t *testing.T, doc []byte) bool {
	t.Helper()
	var fast, strict messageJSON
	if !fast.readPlain(doc) {
		return false
	}
	if err := strictJSON(doc, &strict); err != nil {
		t.Errorf("%q: the fast reading took a message strictJSON refuses: %v", doc, err)
		return true
	}
	if diff := cmp.Diff(strict, fast, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
		t.Errorf("%q: the fast reading differs (-strictJSON +fast):\n%s", doc, diff)
	}
	return true
}
