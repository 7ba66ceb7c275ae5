package rules_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/rules"
)

func TestBuiltinTransfers(t *testing.T) {
	laws, err := rules.BuiltinTransfers()
	if err != nil {
		t.Fatal(err)
	}
	if len(laws) != 2 || laws[0].Regime != rules.EUTransfers || laws[1].Regime != rules.UKTransfers {
		t.Fatalf("BuiltinTransfers: %v, want the EU table then the UK table", laws)
	}
	eu, uk := laws[0], laws[1]
	if len(eu.Home) != 37 || !slices.Contains(eu.Home, address.MustCountry("NO")) || !slices.Contains(eu.Home, address.MustCountry("RE")) ||
		slices.Contains(eu.Home, address.MustCountry("GB")) {
		t.Errorf("EU home: %v, want the 30 EEA states and the Union's 7 territories with codes of their own", eu.Home)
	}
	if len(uk.Home) != 1 || uk.Home[0] != address.MustCountry("GB") {
		t.Errorf("UK home: %v, want GB", uk.Home)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	row := func(l *rules.TransferLaw, id string) *rules.AdequacyRow {
		for i := range l.Adequacy {
			if l.Adequacy[i].ID == id {
				return &l.Adequacy[i]
			}
		}
		t.Fatalf("%v: no row %s", l, id)
		return nil
	}
	if r := row(eu, "EU_ADEQ_GB"); !r.ValidFrom.Equal(day("2021-06-28")) || !r.ValidUntil.Equal(day("2031-12-27")) {
		t.Errorf("EU_ADEQ_GB dates %v..%v", r.ValidFrom, r.ValidUntil)
	}
	if r := row(eu, "EU_ADEQ_US_DPF"); r.Requires != (rules.Requirement{Kind: rules.DPF, Framework: rules.DPFEUUS}) || !r.ValidFrom.Equal(day("2023-07-10")) {
		t.Errorf("EU_ADEQ_US_DPF: %+v", r)
	}
	if r := row(uk, "UK_ADEQ_US_UKEXT"); r.Requires != (rules.Requirement{Kind: rules.DPF, Framework: rules.DPFUKExtension}) || !r.ValidFrom.Equal(day("2023-10-12")) {
		t.Errorf("UK_ADEQ_US_UKEXT: %+v", r)
	}
	// Copies: changing one does not change the next.
	eu.Home[0] = address.MustCountry("US")
	again, _ := rules.BuiltinTransfers()
	if again[0].Home[0] == address.MustCountry("US") {
		t.Error("BuiltinTransfers hands out shared slices")
	}
}

func TestParseTransferLawErrors(t *testing.T) {
	const head = "regime: EU\ntitle: t\nhome: [FR]\n"
	const adq = "  - {id: EU_ADEQ_X, destinations: [CH], instrument: D, ref: R, citation: GDPR art. 45}\n"
	tests := []struct {
		name, src, mention string
		line               int
		is                 error
	}{
		{"unknown key", head + "adequacy:\n  - {id: EU_ADEQ_X, destination: [CH]}\n", "destination", 5, consent.ErrUnknownField},
		{"case variant", "Regime: EU\n", `did you mean "regime"`, 1, consent.ErrUnknownField},
		{"duplicate key", head + "home: [DE]\n", "given twice", 4, consent.ErrDuplicateKey},
		{"bad regime", "regime: US\nhome: [US]\n", "transfer regime", 1, nil},
		{"no home", "regime: EU\nadequacy: []\n", "missing home", 1, nil},
		{"home destination", head + "adequacy:\n  - {id: EU_ADEQ_X, destinations: [FR], instrument: D, ref: R, citation: GDPR art. 45}\n", "FR is home", 5, nil},
		{"duplicate id", head + "adequacy:\n" + adq + adq, "defined twice", 6, nil},
		{"bad id", head + "adequacy:\n  - {id: eu-x, destinations: [CH], instrument: D, ref: R, citation: c}\n", "CAPS_WITH_UNDERSCORES", 5, nil},
		{"no citation", head + "adequacy:\n  - {id: EU_ADEQ_X, destinations: [CH], instrument: D, ref: R}\n", "citation are required", 5, nil},
		{"bad requirement", head + "adequacy:\n  - {id: EU_ADEQ_X, destinations: [US], instrument: D, ref: R, citation: c, requires: {kind: scc_2021}}\n", "requires", 5, nil},
		{"dates reversed", head + "mechanisms:\n  - {id: EU_SCC_X, kind: scc_2021, citation: c, valid_from: 2022-01-01, valid_until: 2021-01-01}\n", "not after valid_from", 5, nil},
		{"mechanism kind", head + "mechanisms:\n  - {id: EU_SCC_X, kind: dpf, citation: c}\n", "kind: want", 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := rules.ParseTransferLaw("x.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("ParseTransferLaw = %+v, want an error", l)
			}
			var list rules.ErrorList
			if !errors.As(err, &list) || !errors.Is(err, rules.ErrInvalid) {
				t.Fatalf("error %T %v: want an ErrorList wrapping ErrInvalid", err, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error does not wrap %v: %v", tt.is, err)
			}
			if list[0].Line != tt.line {
				t.Errorf("line %d, want %d: %v", list[0].Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
	// Two tables of one regime, or sharing a row id, are refused together.
	a, err := rules.ParseTransferLaw("a.yaml", []byte(head+"adequacy:\n"+adq))
	if err != nil {
		t.Fatal(err)
	}
	b, err := rules.ParseTransferLaw("b.yaml", []byte(head+"adequacy:\n"+adq))
	if err != nil {
		t.Fatal(err)
	}
	err = rules.CheckTransferLaws([]*rules.TransferLaw{a, b})
	if err == nil || !strings.Contains(err.Error(), "also the regime of a.yaml") || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("CheckTransferLaws of two EU tables with one id: %v", err)
	}
}
