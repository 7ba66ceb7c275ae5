package sendright_test

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

// TestNoExportedVariables walks every package of the repository (the
// examples' modules included) and fails on an exported package-level var:
// any importer could reassign it or change what it points to, so a value
// other packages read is a const or a function that returns a fresh copy.
//
// The one exception is a sentinel error (a var named Err… set by a call,
// such as errors.New), compared with errors.Is, as the standard library's
// io.EOF is.
func TestNoExportedVariables(t *testing.T) {
	var found []string
	err := walkSources(0, func(fset *token.FileSet, path string, f *ast.File) {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !name.IsExported() || (i < len(vs.Values) && isSentinelError(name.Name, vs.Values[i])) {
						continue
					}
					found = append(found, fset.Position(name.Pos()).String()+": "+name.Name)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("exported package-level variables (make them constants or functions returning a copy):\n%s", strings.Join(found, "\n"))
	}
}

// isSentinelError reports whether a var named name set to e is a sentinel
// error: named Err… and made by a call (errors.New, fmt.Errorf with %w, or
// a constructor of the package's error type).
func isSentinelError(name string, e ast.Expr) bool {
	_, call := e.(*ast.CallExpr)
	return call && strings.HasPrefix(name, "Err")
}
