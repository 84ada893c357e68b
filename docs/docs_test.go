// Package docs holds the project's design documents; its test keeps them
// true to the code.
package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// symbols returns every top-level function, type, method (pkg.Type.Method)
// and interface method declared in the repository's non-test Go files,
// keyed by the last element of the package's directory.
func symbols(t *testing.T, root string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	eachGoFile(t, root, false, func(pkg string, f *ast.File) {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) == 0 {
					out[pkg+"."+d.Name.Name] = true
					continue
				}
				typ := d.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if g, ok := typ.(*ast.IndexExpr); ok {
					typ = g.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					out[pkg+"."+id.Name+"."+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					out[pkg+"."+ts.Name.Name] = true
					if it, ok := ts.Type.(*ast.InterfaceType); ok {
						for _, m := range it.Methods.List {
							for _, n := range m.Names {
								out[pkg+"."+ts.Name.Name+"."+n.Name] = true
							}
						}
					}
				}
			}
		}
	})
	return out
}

// eachGoFile parses every Go file of the repository below root (test
// files only when tests is set; testdata and hidden directories left out)
// and calls fn with it and the last element of its package's directory.
func eachGoFile(t *testing.T, root string, tests bool, fn func(pkg string, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || (!tests && strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		fn(filepath.Base(filepath.Dir(path)), f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFlowNamesExist fails when docs/flow.md names a function, method or
// type that the code no longer has, or a file that is gone: the walk is
// only useful while every name in it can be opened.
func TestFlowNamesExist(t *testing.T) {
	root := ".."
	doc, err := os.ReadFile("flow.md")
	if err != nil {
		t.Fatal(err)
	}
	syms := symbols(t, root)
	pkgs := map[string]bool{}
	for s := range syms {
		pkgs[strings.SplitN(s, ".", 2)[0]] = true
	}
	checked := 0
	for _, m := range regexp.MustCompile("`([^`\\s]+)`").FindAllStringSubmatch(string(doc), -1) {
		name := m[1]
		switch {
		case strings.HasSuffix(name, ".go"):
			checked++
			if _, err := os.Stat(filepath.Join(root, name)); err != nil {
				t.Errorf("flow.md names %s, which does not exist", name)
			}
		case regexp.MustCompile(`^[a-z]+(\.[A-Za-z_][A-Za-z0-9_]*){1,2}$`).MatchString(name):
			pkg := strings.SplitN(name, ".", 2)[0]
			if !pkgs[pkg] {
				continue // a file name, a config key, a header
			}
			checked++
			if !syms[name] {
				t.Errorf("flow.md names %s, which the code does not declare", name)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d names checked in flow.md; the pattern no longer finds them", checked)
	}
}
