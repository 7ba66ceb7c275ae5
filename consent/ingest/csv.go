package ingest

import (
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/strictjson"
)

// CSV is an audience exported from a CRM as CSV tables: one row per
// contact, and optionally one row per consent event (a grant, a withdrawal
// or an objection: a [consent.Record]) and one row per purchase (a
// [consent.Interaction]), each naming its contact by id. [ReadCSV] joins
// them into contacts.
//
// Each table has a header line; a [Mapping] says which field each column
// holds. The fields are the names of the documented JSON form:
//
//   - contacts: id, kind, country, region, time_zone, birth_date, email,
//     phone, push, postal, push_permitted, collected_at, job_role,
//     opt_out_offered_at_collection;
//   - events: contact_id, and a record's id, subject, purpose, channel,
//     sender, status, at, method, source, wording_version, proof_ref,
//     confirmed_at, opt_out_offered;
//   - purchases: contact_id, and a purchase's id, at, seller, category,
//     collected (addresses separated by ";"), opt_out_offered, refused.
//
// Cells hold what the JSON form's values hold (instants in RFC 3339, the
// vocabulary's names, phone numbers in the contact country's national
// format or E.164); an empty cell is an absent field; a boolean is true,
// false, yes, no, 1 or 0, in any case. The rest of a contact (inquiries,
// contracts, call attempts, registry lookups, parental consent, and the
// provenance of a grant another company collected, [consent.Provenance])
// comes only in the JSON form ([Lines]): a column mapped to "provenance"
// is an error, and a partner grant imported without its provenance is
// read as the sender's own, so hosts holding partner data import it as
// JSON Lines.
type CSV struct {
	// Contacts is the contacts table. Required.
	Contacts io.Reader
	// Events and Purchases are the consent events and purchases tables,
	// or nil when there are none.
	Events, Purchases io.Reader
	// ContactColumns, EventColumns and PurchaseColumns map each table's
	// header names to fields; nil maps each header name to the field of
	// that name.
	ContactColumns, EventColumns, PurchaseColumns Mapping
	// Comma is the field separator; 0 means ','.
	Comma rune
}

// Mapping maps the header names of a CSV table to the fields they hold,
// for example {"Email Address": "email", "Contact ID": "id", "Notes":
// [Ignore]}. Every column of the table must be mapped, to a field or to
// Ignore: a column the import does not know — "Unsubscribed", say — is an
// error rather than a withdrawal silently lost. Two columns mapped to one
// field are an error too. Entries naming no column of the table are
// unused.
type Mapping map[string]string

// Ignore is the field of a column the host reads and discards.
const Ignore = "-"

// Fields of each table, and the kind of their values.
const (
	text   = iota // a JSON string
	flag          // a boolean
	list          // strings separated by ';'
	joinID        // the contact's id, in the events and purchases tables
)

var (
	contactFields = map[string]int{"id": text, "kind": text, "country": text, "region": text, "time_zone": text,
		"birth_date": text, "email": text, "phone": text, "push": text, "postal": text, "push_permitted": flag,
		"collected_at": text, "job_role": text, "opt_out_offered_at_collection": flag}
	eventFields = map[string]int{"contact_id": joinID, "id": text, "subject": text, "purpose": text, "channel": text,
		"sender": text, "status": text, "at": text, "method": text, "source": text, "wording_version": text,
		"proof_ref": text, "confirmed_at": text, "opt_out_offered": flag}
	purchaseFields = map[string]int{"contact_id": joinID, "id": text, "at": text, "seller": text, "category": text,
		"collected": list, "opt_out_offered": flag, "refused": flag}
)

// Table names, as [LineError.Table] reports them.
const (
	tableContacts  = "contacts"
	tableEvents    = "events"
	tablePurchases = "purchases"
)

// ReadCSV reads the tables of src and yields each contact with its
// consent events and purchases, in the order of the contacts table (a
// [Row]'s Line is its line there), and a [*LineError] for each row that
// cannot be read or joined:
//
//   - a malformed row, a value that is not one, a column the mapping does
//     not know: the error names its table, line and field;
//   - a contact whose own row, or one of whose events or purchases, is
//     invalid: the contact is not yielded, and the error names the row at
//     fault (one error per contact);
//   - an event or purchase whose contact is not in the contacts table, or
//     whose contact id is missing: reported, never dropped;
//   - a contact id given twice in the contacts table when events or
//     purchases name it: the second is an error, since the rows joined
//     the first.
//
// A header that cannot be read or mapped is an error that stops the
// import, as does a failure to read an input (yielded as it is, not
// wrapped in a LineError). The events and purchases tables are read into
// memory first, grouped by contact id; the contacts table is streamed.
func ReadCSV(src CSV) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		if src.Contacts == nil {
			yield(Row{}, errors.New("ingest: CSV without a contacts table"))
			return
		}
		j := joiner{byID: map[string]*joined{}}
		for _, t := range [...]struct {
			r      io.Reader
			name   string
			m      Mapping
			fields map[string]int
		}{{src.Events, tableEvents, src.EventColumns, eventFields},
			{src.Purchases, tablePurchases, src.PurchaseColumns, purchaseFields}} {
			if t.r == nil {
				continue
			}
			if !j.readEvents(newTable(t.r, t.name, t.m, t.fields, src.Comma), yield) {
				return
			}
		}
		if !j.readContacts(newTable(src.Contacts, tableContacts, src.ContactColumns, contactFields, src.Comma), yield) {
			return
		}
		j.orphans(yield)
	}
}

// table reads one CSV table through its mapping.
type table struct {
	name   string
	r      *csv.Reader
	m      Mapping
	fields map[string]int
	cols   []string // the field of each column, Ignore for an ignored one
	join   int      // the column of contact_id, -1 when none
}

func newTable(r io.Reader, name string, m Mapping, fields map[string]int, comma rune) *table {
	cr := csv.NewReader(r)
	if comma != 0 {
		cr.Comma = comma
	}
	cr.ReuseRecord = true
	return &table{name: name, r: cr, m: m, fields: fields, join: -1}
}

// header reads the header line and maps its columns. An error is a
// [*LineError], or the input's.
func (t *table) header() error {
	rec, err := t.r.Read()
	if err == io.EOF {
		return t.lineErr(1, &consent.FieldError{Err: consent.ErrMissing, Msg: "no header line"})
	}
	if err != nil {
		return t.readErr(err)
	}
	seen := map[string]bool{}
	for i, h := range rec {
		if i == 0 {
			h = strings.TrimPrefix(h, "\xEF\xBB\xBF")
		}
		f := h
		if t.m != nil {
			var ok bool
			if f, ok = t.m[h]; !ok {
				return t.lineErr(1, &consent.FieldError{Field: column(i, h), Err: consent.ErrUnknownField,
					Msg: "not in the mapping: map it to a field or to \"-\""})
			}
		}
		if f != Ignore {
			if _, ok := t.fields[f]; !ok {
				return t.lineErr(1, &consent.FieldError{Field: column(i, h), Err: consent.ErrUnknownField,
					Msg: "mapped to no field of the " + t.name + " table"})
			}
			if seen[f] {
				return t.lineErr(1, &consent.FieldError{Field: f, Err: consent.ErrDuplicateKey,
					Msg: "two columns hold this field"})
			}
			seen[f] = true
			if t.fields[f] == joinID {
				t.join = i
			}
		}
		t.cols = append(t.cols, f)
	}
	if _, ok := t.fields["contact_id"]; ok && t.join < 0 {
		return t.lineErr(1, &consent.FieldError{Field: "contact_id", Err: consent.ErrMissing,
			Msg: "no column holds the contact id"})
	}
	return nil
}

// column names the column i, whose header is h, in an error: by its
// header when that is a short identifier-like word (anything else might be
// personal data, as in a table whose first line is no header), else by
// its number.
func column(i int, h string) string {
	if strictjson.Token(h) {
		return h
	}
	return "column " + strconv.Itoa(i+1)
}

// lineErr is a LineError of this table.
func (t *table) lineErr(line int, err error) *LineError {
	return &LineError{Table: t.name, Line: line, Err: err}
}

// readErr converts an error of the CSV reader: a malformed row is a
// [*LineError], any other error the input's.
func (t *table) readErr(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	msg := "malformed CSV"
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		msg = "not as many fields as the header has columns"
	case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
		msg = "malformed CSV: a quote out of place"
	}
	line := pe.StartLine
	if line == 0 {
		line = pe.Line
	}
	return t.lineErr(line, &consent.FieldError{Err: consent.ErrInvalid, Msg: msg})
}

// next reads the next row: its cells, the line it starts on, and a
// [*LineError] when it is malformed (cells is then nil). err is io.EOF at
// the end, or the input's error.
func (t *table) next() (cells []string, line int, rowErr *LineError, err error) {
	rec, err := t.r.Read()
	if err == nil {
		line, _ = t.r.FieldPos(0)
		return rec, line, nil, nil
	}
	if err == io.EOF {
		return nil, 0, nil, err
	}
	e := t.readErr(err)
	if le, ok := e.(*LineError); ok {
		return nil, le.Line, le, nil
	}
	return nil, 0, nil, e
}

// object appends the JSON object of a row's mapped cells, contact_id
// aside, to dst.
func (t *table) object(dst []byte, cells []string) ([]byte, error) {
	dst = append(dst, '{')
	first := true
	for i, f := range t.cols {
		v := cells[i]
		kind := t.fields[f]
		if f == Ignore || kind == joinID || v == "" {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, '"')
		dst = append(dst, f...)
		dst = append(dst, '"', ':')
		var err error
		switch kind {
		case flag:
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "true", "yes", "1":
				dst = append(dst, "true"...)
			case "false", "no", "0":
				dst = append(dst, "false"...)
			default:
				return nil, &consent.FieldError{Field: f, Err: consent.ErrInvalid, Msg: "not a boolean: true, false, yes, no, 1 or 0"}
			}
		case list:
			dst = append(dst, '[')
			for k, s := range strings.Split(v, ";") {
				if k > 0 {
					dst = append(dst, ',')
				}
				if dst, err = jsontext.AppendQuote(dst, strings.TrimSpace(s)); err != nil {
					break
				}
			}
			dst = append(dst, ']')
		default:
			dst, err = jsontext.AppendQuote(dst, v)
		}
		if err != nil {
			return nil, &consent.FieldError{Field: f, Err: consent.ErrInvalid, Msg: "invalid UTF-8"}
		}
	}
	return append(dst, '}'), nil
}

// joined is what the events and purchases tables hold for one contact id.
type joined struct {
	records, purchases []byte // JSON objects, comma-separated
	recLines, purLines []int  // the line of each record and purchase
	err                *LineError
	used               bool // joined to a contact already
}

// joiner joins events and purchases to contacts by contact id.
type joiner struct {
	byID  map[string]*joined
	order []string // ids in the order first seen, for the orphans
}

// readEvents reads an events or purchases table into j; false when the
// import stops.
func (j *joiner) readEvents(t *table, yield func(Row, error) bool) bool {
	return t.rows(yield, func(cells []string, line int) bool {
		id := cells[t.join]
		if id == "" {
			return yield(Row{}, t.lineErr(line, &consent.FieldError{Field: "contact_id", Err: consent.ErrMissing}))
		}
		g := j.byID[id]
		if g == nil {
			g = &joined{}
			j.byID[id] = g
			j.order = append(j.order, id)
		}
		list, lines := &g.records, &g.recLines
		if t.name == tablePurchases {
			list, lines = &g.purchases, &g.purLines
		}
		n := len(*list)
		if len(*lines) > 0 {
			*list = append(*list, ',')
		}
		obj, err := t.object(*list, cells)
		if err != nil {
			*list = (*list)[:n]
			if g.err == nil {
				g.err = t.lineErr(line, err)
			}
			return true
		}
		*list = obj
		*lines = append(*lines, line)
		return true
	})
}

// readContacts streams the contacts table, joining each contact to its
// events and purchases; false when the import stops.
func (j *joiner) readContacts(t *table, yield func(Row, error) bool) bool {
	var doc []byte
	return t.rows(yield, func(cells []string, line int) bool {
		row, lerr := j.contact(t, cells, line, &doc)
		if lerr != nil {
			return yield(Row{}, lerr)
		}
		return yield(row, nil)
	})
}

// rows reads t's header, then hands each well-formed row to each with its
// line, yielding the errors of the others; false when the import stops
// (a failed read, or yield or each said stop).
func (t *table) rows(yield func(Row, error) bool, each func(cells []string, line int) bool) bool {
	if err := t.header(); err != nil {
		yield(Row{}, err)
		return false
	}
	for {
		cells, line, rowErr, err := t.next()
		switch {
		case err == io.EOF:
			return true
		case err != nil:
			yield(Row{}, err)
			return false
		case rowErr != nil:
			if !yield(Row{}, rowErr) {
				return false
			}
		case !each(cells, line):
			return false
		}
	}
}

// contact builds and decodes the contact of one row with what joined it.
func (j *joiner) contact(t *table, cells []string, line int, doc *[]byte) (Row, *LineError) {
	obj, err := t.object((*doc)[:0], cells)
	if err != nil {
		return Row{}, t.lineErr(line, err)
	}
	var id string
	for i, f := range t.cols {
		if f == "id" {
			id = cells[i]
		}
	}
	g := j.byID[id]
	if g != nil {
		if g.used {
			return Row{}, t.lineErr(line, &consent.FieldError{Field: "id", Err: consent.ErrInvalid,
				Msg: "a contact id given twice: its events and purchases joined the first"})
		}
		g.used = true
		if g.err != nil {
			return Row{}, g.err
		}
		obj = obj[:len(obj)-1] // the closing brace
		if len(obj) > 1 {
			obj = append(obj, ',')
		}
		obj = append(obj, `"records":[`...)
		obj = append(obj, g.records...)
		obj = append(obj, `],"relationship":{"purchases":[`...)
		obj = append(obj, g.purchases...)
		obj = append(obj, "]}}"...)
	}
	*doc = obj
	c := new(consent.Contact)
	if err := c.UnmarshalJSON(obj); err != nil {
		return Row{}, j.locate(t, line, g, err)
	}
	return Row{Line: line, Contact: c}, nil
}

// locate attributes a contact's decoding error to the row at fault: an
// event's or a purchase's when the error is in one, the contact's
// otherwise.
func (j *joiner) locate(t *table, line int, g *joined, err error) *LineError {
	var fe *consent.FieldError
	if g != nil && errors.As(err, &fe) {
		for _, at := range [...]struct {
			prefix, table string
			lines         []int
		}{{"records[", tableEvents, g.recLines}, {"contact.relationship.purchases[", tablePurchases, g.purLines}} {
			rest, ok := strings.CutPrefix(fe.Field, at.prefix)
			if !ok {
				continue
			}
			num, field, _ := strings.Cut(rest, "]")
			i, convErr := strconv.Atoi(num)
			if convErr != nil || i < 0 || i >= len(at.lines) {
				continue
			}
			c := *fe
			c.Field = strings.TrimPrefix(field, ".")
			return &LineError{Table: at.table, Line: at.lines[i], Err: &c}
		}
	}
	return t.lineErr(line, err)
}

// orphans yields an error for each contact id of the events and purchases
// tables that no contact had, at each of its rows.
func (j *joiner) orphans(yield func(Row, error) bool) {
	var errs []*LineError
	for _, id := range j.order {
		g := j.byID[id]
		if g.used {
			continue
		}
		if g.err != nil {
			errs = append(errs, g.err)
		}
		for _, at := range [...]struct {
			table string
			lines []int
		}{{tableEvents, g.recLines}, {tablePurchases, g.purLines}} {
			for _, l := range at.lines {
				errs = append(errs, &LineError{Table: at.table, Line: l, Err: &consent.FieldError{Field: "contact_id",
					Err: consent.ErrInvalid, Msg: "no contact with this id in the contacts table"}})
			}
		}
	}
	slices.SortFunc(errs, func(a, b *LineError) int {
		if a.Table != b.Table {
			return strings.Compare(a.Table, b.Table)
		}
		return a.Line - b.Line
	})
	for _, e := range errs {
		if !yield(Row{}, e) {
			return
		}
	}
}
