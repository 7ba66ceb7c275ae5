package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/sendright/sendright/consent"
	"github.com/sendright/sendright/internal/strictjson"
	"go.yaml.in/yaml/v3"
)

// maxDepth bounds the nesting of a scenario document.
const maxDepth = 64

// yamlToJSON converts one YAML 1.2 document to JSON, so that every type
// decodes through its strict JSON decoder (unknown fields are errors).
// Scalars keep their text, so a date stays "1990-01-02" and a country code
// "NO" stays a string. Anchors and aliases are refused.
func yamlToJSON(data []byte) ([]byte, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty document")
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, &doc, 0); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("line %d: nested deeper than %d levels", n.Line, maxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return errors.New("empty document")
		}
		return writeJSON(b, n.Content[0], depth+1)
	case yaml.AliasNode:
		return fmt.Errorf("line %d: aliases are not supported", n.Line)
	case yaml.MappingNode:
		b.WriteByte('{')
		// yaml.v3 nodes keep every key of a mapping, so a key given twice
		// would reach the JSON decoder; refuse it here, where its line is
		// known, wherever it is in the tree.
		seen := make(map[string]int, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: mapping keys must be strings", k.Line)
			}
			if first, dup := seen[k.Value]; dup {
				return &DuplicateKeyError{Key: k.Value, Line: k.Line, First: first}
			}
			seen[k.Value] = k.Line
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(k.Value)
			b.Write(key)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			var v bool
			if err := n.Decode(&v); err != nil {
				return fmt.Errorf("line %d: not a boolean", n.Line) // yaml's error quotes the text
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			var v float64
			if err := n.Decode(&v); err != nil {
				return fmt.Errorf("line %d: not a number", n.Line) // yaml's error quotes the text
			}
			out, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("line %d: %v", n.Line, err)
			}
			b.Write(out)
		default:
			s, _ := json.Marshal(n.Value)
			b.Write(s)
		}
	default:
		return fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	return nil
}

// DuplicateKeyError reports a key given twice in one mapping of a scenario
// file. It wraps [consent.ErrDuplicateKey].
type DuplicateKeyError struct {
	Key   string // the key; shown in Error only when identifier-like
	Line  int    // the line of the second occurrence
	First int    // the line of the first
}

// Error implements error.
func (e *DuplicateKeyError) Error() string {
	k := "(key withheld: it may be personal data)"
	if strictjson.Token(e.Key) {
		k = strconv.Quote(e.Key)
	}
	return fmt.Sprintf("line %d: key %s given twice (first at line %d)", e.Line, k, e.First)
}

// Unwrap returns [consent.ErrDuplicateKey].
func (e *DuplicateKeyError) Unwrap() error { return consent.ErrDuplicateKey }
