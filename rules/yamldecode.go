package rules

import (
	"cmp"
	"encoding"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// decodeNode decodes the YAML node n into v, field by field, so that every
// problem is a [*posError] at the node it concerns, and every problem of
// the value is reported (as posErrors), not only the first: a value of the wrong
// shape, an enumeration the vocabulary does not know, a malformed date.
// The decoder of go.yaml.in/yaml/v3 reports such problems only as text,
// and some of them (a text unmarshaller's) without a position at all.
//
// It handles what a [Set] is made of: structs with yaml tags, slices,
// maps with string keys, strings, booleans, integers, instants and text-unmarshalled
// enumerations. checkKeys has refused aliases, merge keys and unknown or
// repeated keys before it runs; a null leaves the zero value, as yaml.v3
// does.
func decodeNode(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if v.Type() == timeType {
		return decodeScalar(n, v, path, "a date (2006-01-02) or an RFC 3339 instant")
	}
	if u, ok := v.Addr().Interface().(encoding.TextUnmarshaler); ok {
		if n.Kind != yaml.ScalarNode {
			return wrongShape(n, path, "a single word")
		}
		if err := u.UnmarshalText([]byte(n.Value)); err != nil {
			return &posError{Line: n.Line, Column: n.Column, Field: path, Msg: err.Error()}
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		return decodeStruct(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return wrongShape(n, path, "a list")
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		var errs posErrors
		for i, c := range n.Content {
			errs = errs.add(decodeNode(c, s.Index(i), path+"["+strconv.Itoa(i)+"]"))
		}
		v.Set(s)
		return errs.err()
	case reflect.Map: // string keys (a house file's reasons)
		if n.Kind != yaml.MappingNode {
			return wrongShape(n, path, "a mapping")
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		var errs posErrors
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				errs = errs.add(wrongShape(k, path, "a key"))
				continue
			}
			e := reflect.New(v.Type().Elem()).Elem()
			errs = errs.add(decodeNode(val, e, join(path, k.Value)))
			m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), e)
		}
		v.Set(m)
		return errs.err()
	case reflect.String:
		return decodeScalar(n, v, path, "a string")
	case reflect.Bool:
		return decodeScalar(n, v, path, "true or false")
	case reflect.Int:
		return decodeScalar(n, v, path, "a whole number")
	}
	// Only a new field type of Set can get here: a programming error that
	// must fail every file rather than decode nothing.
	return &posError{Line: n.Line, Column: n.Column, Field: path, Msg: "no decoder for " + v.Type().String()}
}

// decodeStruct decodes a mapping into the fields of a struct, matched by
// their yaml tags.
func decodeStruct(n *yaml.Node, v reflect.Value, path string) error {
	if n.Kind != yaml.MappingNode {
		return wrongShape(n, path, "a mapping")
	}
	t := v.Type()
	var errs posErrors
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, ok := fieldByTag(t, k.Value)
		if !ok { // checkKeys reports it first; never decode past it
			return errs.add(&posError{Line: k.Line, Column: k.Column, Field: join(path, k.Value), Msg: "unknown key " + strconv.Quote(clip(k.Value))}).err()
		}
		errs = errs.add(decodeNode(val, v.FieldByIndex(f.Index), join(path, k.Value)))
	}
	if len(errs) > 0 && t == reflect.TypeFor[Rule]() {
		if id := value(n, "id"); id != nil && id.Kind == yaml.ScalarNode {
			for _, pe := range errs {
				if pe.Rule == "" {
					pe.Rule = id.Value
				}
			}
		}
	}
	return errs.err()
}

// posErrors are every problem decodeNode found in a value, in file order.
type posErrors []*posError

func (l posErrors) Error() string { return l[0].Error() }

// add appends the problems of err, a *posError or posErrors, to l.
func (l posErrors) add(err error) posErrors {
	switch e := err.(type) {
	case nil:
	case *posError:
		l = append(l, e)
	case posErrors:
		l = append(l, e...)
	default: // never returned by decodeNode
		l = append(l, &posError{Msg: err.Error()})
	}
	return l
}

// err returns l as an error, nil when it is empty.
func (l posErrors) err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// fieldByTag returns the exported field of struct type t whose yaml tag
// names key.
func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	f, ok := yamlFields(t)[key]
	return f, ok
}

// fieldCache holds, for each struct type decoded, its exported fields by
// the name their yaml tag gives: read once per type rather than once per
// key of every mapping.
var fieldCache sync.Map // reflect.Type → map[string]reflect.StructField

// yamlFields returns the exported fields of struct type t by the name
// their yaml tag gives ("-" and untagged fields left out). The map is
// shared: callers only read it.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.StructField)
	}
	m := map[string]reflect.StructField{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.IsExported() && name != "" && name != "-" {
			m[name] = f
		}
	}
	v, _ := fieldCache.LoadOrStore(t, m)
	return v.(map[string]reflect.StructField)
}

// decodeScalar decodes a scalar with yaml.v3's own resolution (YAML 1.2
// booleans, integers and timestamps), replacing its textual error by one
// at the node saying what was wanted.
func decodeScalar(n *yaml.Node, v reflect.Value, path, want string) error {
	if n.Kind != yaml.ScalarNode {
		return wrongShape(n, path, want)
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		return &posError{Line: n.Line, Column: n.Column, Field: path, Msg: "want " + want + ", not " + strconv.Quote(clip(n.Value))}
	}
	return nil
}

// wrongShape is the error for a node of the wrong kind.
func wrongShape(n *yaml.Node, path, want string) error {
	got := map[yaml.Kind]string{yaml.ScalarNode: "a scalar", yaml.SequenceNode: "a list",
		yaml.MappingNode: "a mapping"}[n.Kind]
	return &posError{Line: n.Line, Column: n.Column, Field: path, Msg: "want " + want + ", not " + cmp.Or(got, "this")}
}

// join appends key to the dotted path of its mapping.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
