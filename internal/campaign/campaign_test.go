package campaign

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
)

func TestMessage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	file := write("campaign.json", `{"purpose":"marketing_general","channel":"sms",`+
		`"sender":{"entity":"Maison Exemple SAS","kind":"company"},"at":"2026-03-10T10:00:00Z"}`)
	misspelt := write("misspelt.json", `{"Purpose":"marketing_general","at":"2026-03-10T10:00:00Z"}`)
	twice := write("twice.json", `{"purpose":"marketing_general","purpose":"transactional","at":"2026-03-10T10:00:00Z"}`)
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	shop := consent.Sender{Entity: "Maison Exemple SAS", Kind: consent.Company}
	for _, tt := range []struct {
		name    string
		args    []string
		want    consent.Message
		wantErr bool
		usage   bool // the error wraps ErrUsage
	}{
		{name: "flags only", args: []string{"-purpose", "marketing_general", "-channel", "email", "-sender", "Maison Exemple SAS",
			"-sender-kind", "company", "-sender-country", "FR", "-at", "2026-03-10T10:00:00Z", "-category", "tea"},
			want: consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email, Category: "tea", At: at,
				Sender: consent.Sender{Entity: shop.Entity, Kind: shop.Kind, Country: address.MustCountry("FR")}}},
		{name: "file, flags override its fields", args: []string{"-campaign", file, "-channel", "email", "-category", "tea",
			"-sender-country", "BE"},
			want: consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.Email, Category: "tea", At: at,
				Sender: consent.Sender{Entity: shop.Entity, Kind: shop.Kind, Country: address.MustCountry("BE")}}},
		{name: "file alone", args: []string{"-campaign", file},
			want: consent.Message{Purpose: consent.MarketingGeneral, Channel: consent.SMS, At: at, Sender: shop}},
		{name: "misspelt key in the file", args: []string{"-campaign", misspelt}, wantErr: true},
		{name: "key given twice in the file", args: []string{"-campaign", twice}, wantErr: true},
		{name: "no file", args: []string{"-campaign", filepath.Join(dir, "none.json")}, wantErr: true},
		{name: "no instant", args: []string{"-purpose", "marketing_general", "-channel", "email", "-sender", "S",
			"-sender-kind", "company"}, wantErr: true, usage: true},
		{name: "unknown channel", args: []string{"-campaign", file, "-channel", "fax"}, wantErr: true},
		{name: "bad instant", args: []string{"-campaign", file, "-at", "10 March"}, wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var f Flags
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			f.Register(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			got, doc, err := f.Message()
			if (err != nil) != tt.wantErr || errors.Is(err, ErrUsage) != tt.usage {
				t.Fatalf("Message() error = %v, want error %v (usage %v)", err, tt.wantErr, tt.usage)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(address.Country{})); diff != "" {
				t.Errorf("Message() (-want +got):\n%s", diff)
			}
			var again consent.Message
			if err := again.UnmarshalJSON(doc); err != nil {
				t.Fatalf("the JSON form does not decode: %v", err)
			}
			if diff := cmp.Diff(got, again, cmp.AllowUnexported(address.Country{})); diff != "" {
				t.Errorf("the JSON form decodes to another message (-Message +decoded):\n%s", diff)
			}
		})
	}
}
