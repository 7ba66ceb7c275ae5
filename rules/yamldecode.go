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
// problem is a [*posError] at the node it concerns: a value of the wrong
// shape, an enumeration the vocabulary does not know, a malformed date.
// The decoder of go.yaml.in/yaml/v3 reports such problems only as text,
// and some of them (a text unmarshaller's) without a position at all.
//
// It handles what a [Set] is made of: structs with yaml tags, slices,
// strings, booleans, integers, instants and text-unmarshalled
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
		for i, c := range n.Content {
			if err := decodeNode(c, s.Index(i), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
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
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, ok := fieldByTag(t, k.Value)
		if !ok { // checkKeys reports it first; never decode past it
			return &posError{Line: k.Line, Column: k.Column, Field: join(path, k.Value), Msg: "unknown key " + strconv.Quote(clip(k.Value))}
		}
		if err := decodeNode(val, v.FieldByIndex(f.Index), join(path, k.Value)); err != nil {
			if pe, ok := err.(*posError); ok && pe.Rule == "" && t == reflect.TypeFor[Rule]() {
				if id := value(n, "id"); id != nil && id.Kind == yaml.ScalarNode {
					pe.Rule = id.Value
				}
			}
			return err
		}
	}
	return nil
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
