package sendright_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function of non-test code may be, in lines
// from its signature to its closing brace, unless its doc comment gives
// the reason in a paragraph starting "Long:".
const maxFuncLines = 80

// TestFunctionLength lists the functions of non-test code over
// maxFuncLines lines (the examples' modules included) and fails on any
// without a reason.
func TestFunctionLength(t *testing.T) {
	var long []string
	err := walkSources(parser.ParseComments, func(fset *token.FileSet, path string, f *ast.File) {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1
			key := filepath.ToSlash(path) + ":" + fd.Name.Name
			if n <= maxFuncLines || strings.Contains(fd.Doc.Text(), "\nLong: ") {
				continue
			}
			long = append(long, fmt.Sprintf("%s (%d lines)", key, n))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(long) > 0 {
		t.Errorf("functions over %d lines without a reason (split them, or say why in a \"Long:\" paragraph of the doc comment):\n%s",
			maxFuncLines, strings.Join(long, "\n"))
	}
}

// walkSources parses every non-test Go file of the repository (the
// examples' modules included; testdata and hidden folders skipped) with
// mode, and hands each to visit.
func walkSources(mode parser.Mode, visit func(fset *token.FileSet, path string, f *ast.File)) error {
	fset := token.NewFileSet()
	return filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, mode|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		visit(fset, path, f)
		return nil
	})
}
