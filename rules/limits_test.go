package rules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendright/sendright/rules"
)

func TestParseRejectsDeepNesting(t *testing.T) {
	doc := "jurisdiction: FR\ntitle: deep\nrules: []\nnote: " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n"
	_, err := rules.Parse("deep.yaml", []byte(doc))
	var list rules.ErrorList
	if !errors.Is(err, rules.ErrInvalid) || !errors.As(err, &list) || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("Parse(40 levels) error = %v, want a nesting error", err)
	}
}
