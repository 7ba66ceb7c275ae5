package calls

import (
	"errors"
	"time"

	"github.com/sendright/sendright/consent/address"
	"github.com/sendright/sendright/internal/enum"
	"github.com/sendright/sendright/internal/fielderr"
)

// Registry is a do-not-call registry. The zero Registry is invalid.
type Registry uint8

// Registries. Stored forms use the names, never the numbers. Do not
// reorder.
const (
	// Bloctel is France's opposition list for telephone canvassing (C.
	// consom. art. L223-1), until the regime of 11 August 2026.
	Bloctel Registry = iota + 1
	// DNCM is Belgium's "Ne m'appelez plus" / "Bel-me-niet-meer" list
	// (Code de droit économique arts. VI.111-VI.114; Royal Decree of 28
	// June 2015 designating the DNCM asbl).
	DNCM
	// TPS is the UK's Telephone Preference Service, for individual
	// subscribers (PECR reg. 26).
	TPS
	// CTPS is the UK's Corporate Telephone Preference Service, for
	// corporate subscribers (PECR reg. 26(1A): the register of reg. 26
	// has held corporate subscribers' numbers since 2004; reg. 25 is the
	// fax register).
	CTPS
	// RPO is Italy's Registro pubblico delle opposizioni (Codice privacy,
	// D.Lgs. 196/2003, art. 130(3-bis); Law 5/2018; DPR 26/2022): every
	// national fixed and mobile number since 27 July 2022, and the postal
	// addresses listed with numbers in public directories. A registration
	// revokes the marketing consents given before it.
	RPO
	// NDD is Ireland's National Directory Database opt-out register: the
	// subscribers' preference not to receive marketing calls, recorded by
	// their line provider (S.I. 336/2011 regs 13 and 14).
	NDD
	// Robinson is Spain's Lista Robinson, the advertising-exclusion system
	// the AEPD publishes under LOPDGDD (Ley Orgánica 3/2018) art. 23.4. It
	// lists phone numbers (calls and SMS), e-mail addresses and postal
	// addresses: a lookup may be of any of them ([Registry.Lists]).
	Robinson
	// DNCR is Australia's Do Not Call Register (Do Not Call Register Act
	// 2006 ss. 11, 13-14): numbers used primarily for private or domestic
	// purposes (and fax numbers); registration is permanent.
	DNCR
	// DNCL is Canada's National Do Not Call List, which the CRTC
	// establishes under the Telecommunications Act (S.C. 1993, c. 38) s.
	// 41.2 and its Unsolicited Telecommunications Rules, Part II (the
	// National DNCL Rules): telephone numbers of consumers who do not
	// want telemarketing calls.
	DNCL
	// USDNC is the United States' National Do Not Call Registry, which the
	// FTC keeps (16 CFR 310.4(b)(1)(iii)(B)) and the FCC's rules read (47
	// CFR 64.1200(c)(2)): residential and wireless numbers, for calls and,
	// since FCC 23-107, texts.
	USDNC
	// StopPublicidad is Spain's Lista Stop Publicidad, the second
	// advertising-exclusion system the AEPD publishes under LOPDGDD art.
	// 23.4 (run by the Asociación Española para la Privacidad Digital,
	// working since January 2025). Like [Robinson] it lists phone numbers,
	// e-mail addresses and postal addresses.
	StopPublicidad
	// USFLDNC is Florida's "no sales solicitation calls" list, which the
	// Department of Agriculture and Consumer Services publishes quarterly
	// (Fla. Stat. s. 501.059(3)-(4)): residential, mobile and paging
	// numbers, for telephonic sales calls, texts included.
	USFLDNC
)

var registryNames = enum.New[Registry]("calls", "registry", "", "bloctel", "dncm", "tps", "ctps", "rpo", "ndd", "robinson", "dncr",
	"dncl", "us_dnc", "stop_publicidad", "us_fl_dnc")

// Lists reports whether the registry lists addresses of kind k: every
// registry lists phone numbers; [Robinson] and [StopPublicidad] also list
// e-mail and postal addresses.
func (r Registry) Lists(k address.Kind) bool {
	switch k {
	case address.Phone:
		return registryNames.Valid(r)
	case address.Email, address.Postal:
		return r == Robinson || r == StopPublicidad
	}
	return false
}

// String returns the text form, e.g. "tps".
func (r Registry) String() string { return registryNames.String(r) }

// MarshalText implements encoding.TextMarshaler; an invalid registry is an
// error.
func (r Registry) MarshalText() ([]byte, error) { return registryNames.Marshal(r) }

// UnmarshalText implements encoding.TextUnmarshaler; unknown text is an
// error.
func (r *Registry) UnmarshalText(b []byte) error { return registryNames.Unmarshal(r, b) }

// RegistryCheck is the result of one lookup of a phone number (or, in a
// registry that lists them, an e-mail or postal address) in a registry,
// as the host made it.
//
// JSON form:
//
//	{"registry": "tps", "number": "+447700900123", "listed": true,
//	 "listed_since": "2026-01-05T00:00:00Z", "checked_at": "2026-03-01T08:00:00Z"}
//
// Decoded inside a contact, the number may be in the national format of
// the contact's country; decoded alone, it must be in E.164 form.
type RegistryCheck struct {
	// Registry is the registry looked up. Required.
	Registry Registry `json:"registry"`
	// Number is the number looked up: a phone [address.Address], or an
	// e-mail or postal address in a registry that lists them
	// ([Registry.Lists]). It counts for the contact only when it is the
	// address the message goes to (compared as by [address.Address.Same]):
	// the number for calls and SMS, the e-mail address for e-mail, the
	// postal address for post. Required.
	Number address.Address `json:"number"`
	// Listed is the answer: the number is on the registry.
	Listed bool `json:"listed,omitempty"`
	// ListedSince is when the number was registered, when the registry
	// says; zero when unknown, which is read as registered long enough ago
	// for the registration to be in effect. Only with Listed, and not after
	// CheckedAt.
	ListedSince time.Time `json:"listed_since,omitzero"`
	// CheckedAt is when the lookup was made. Required. A lookup after the
	// instant decided does not count, and one older than the registry's
	// maximum age in the rule set counts as none.
	CheckedAt time.Time `json:"checked_at"`
}

// Validate reports what makes c unusable, as a *FieldError (see package
// consent): a registry outside the vocabulary, a number that is not a
// phone number (or an address of a kind the registry does not list), a
// missing CheckedAt, or a ListedSince without Listed or
// after CheckedAt.
func (c *RegistryCheck) Validate() error {
	switch {
	case !registryNames.Valid(c.Registry):
		return &fielderr.FieldError{Field: "registry", Err: registryNames.Unknown(c.Registry.String())}
	case c.Number.IsZero():
		return &fielderr.FieldError{Field: "number", Err: fielderr.ErrMissing()}
	case !c.Registry.Lists(c.Number.Kind()):
		return fielderr.Invalid("number", "not a phone number, nor an address of a kind the registry lists")
	case c.CheckedAt.IsZero():
		return &fielderr.FieldError{Field: "checked_at", Err: fielderr.ErrMissing()}
	case !c.ListedSince.IsZero() && !c.Listed:
		return fielderr.Invalid("listed_since", "a registration date for a number not listed")
	case c.ListedSince.After(c.CheckedAt):
		return fielderr.Invalid("listed_since", "registered after the lookup that found it")
	}
	return nil
}

// UnmarshalJSON decodes a check strictly, like every decoder of package
// consent: keys match exactly and appear once, unknown keys are errors;
// the number must be in E.164 form (inside a contact, which reads it in
// the contact's national format too, consent decodes it); in a registry
// that lists e-mail and postal addresses it may be one, in its text form
// ([address.Parse]). The check is
// validated ([RegistryCheck.Validate]).
func (c *RegistryCheck) UnmarshalJSON(b []byte) error {
	if len(b) > maxJSON {
		return &fielderr.FieldError{Err: fielderr.ErrTooLarge(), Msg: "registry check larger than 4096 bytes"}
	}
	var w struct {
		Registry    Registry  `json:"registry"`
		Number      string    `json:"number"`
		Listed      bool      `json:"listed"`
		ListedSince time.Time `json:"listed_since"`
		CheckedAt   time.Time `json:"checked_at"`
	}
	if err := fielderr.JSON(b, &w); err != nil {
		return err
	}
	n := RegistryCheck{Registry: w.Registry, Listed: w.Listed, ListedSince: w.ListedSince, CheckedAt: w.CheckedAt}
	if w.Number != "" {
		a, err := ParseNumber(w.Registry, w.Number, address.Country{})
		if err != nil {
			var fe *fielderr.FieldError
			if errors.As(err, &fe) {
				return fielderr.WithField(fe, "number")
			}
			return err
		}
		n.Number = a
	}
	if err := n.Validate(); err != nil {
		return err
	}
	*c = n
	return nil
}

// ParseNumber parses what a lookup in r was of: a phone number in E.164
// form or in the national format of country, or, when r lists them
// ([Registry.Lists]), an e-mail or postal address in its text form
// ([address.Parse]). Errors are those of package address.
func ParseNumber(r Registry, s string, country address.Country) (address.Address, error) {
	if r.Lists(address.Email) {
		return address.Parse(s, country)
	}
	return address.ParsePhone(s, country)
}

// maxJSON bounds the JSON document of one attempt or one registry check.
const maxJSON = 1 << 12
