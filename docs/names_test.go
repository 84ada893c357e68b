package docs

import (
	"go/ast"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// allNames returns what symbols does and also constants, variables,
// struct fields (pkg.Type.Field) and the functions of test files, keyed
// by the package directory's last element; and the names of every test,
// benchmark and fuzz function.
func allNames(t *testing.T, root string) (names, tests map[string]bool) {
	t.Helper()
	names, tests = symbols(t, root), map[string]bool{}
	eachGoFile(t, root, true, func(pkg string, f *ast.File) {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[pkg+"."+d.Name.Name] = true
					if regexp.MustCompile(`^(Test|Benchmark|Fuzz)[A-Z0-9_]`).MatchString(d.Name.Name) {
						tests[d.Name.Name] = true
					}
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[pkg+"."+n.Name] = true
						}
					case *ast.TypeSpec:
						names[pkg+"."+s.Name.Name] = true
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								for _, n := range fl.Names {
									names[pkg+"."+s.Name.Name+"."+n.Name] = true
								}
								if len(fl.Names) == 0 { // embedded
									typ := fl.Type
									if p, ok := typ.(*ast.StarExpr); ok {
										typ = p.X
									}
									if sel, ok := typ.(*ast.SelectorExpr); ok {
										names[pkg+"."+s.Name.Name+"."+sel.Sel.Name] = true
									} else if id, ok := typ.(*ast.Ident); ok {
										names[pkg+"."+s.Name.Name+"."+id.Name] = true
									}
								}
							}
						}
					}
				}
			}
		}
	})
	return names, tests
}

// TestDocNamesExist is TestFlowNamesExist for the README and the other
// docs: every exported `package.Name` (or `package.Method`, short for
// `package.Type.Method`) and `package.Type.Member`, .go file and test function (TestX, BenchmarkX, FuzzX,
// TestX/subtest) that they name in code spans exists, so that a rename
// does not leave a reader looking for what is gone.
func TestDocNamesExist(t *testing.T) {
	root := ".."
	names, tests := allNames(t, root)
	pkgs := map[string]bool{}
	short := map[string]bool{} // pkg.Member for pkg.Type.Member, as prose shortens it
	for s := range names {
		parts := strings.Split(s, ".")
		pkgs[parts[0]] = true
		if len(parts) == 3 {
			short[parts[0]+"."+parts[2]] = true
		}
	}
	// Exported names only: a lower-case second element is a config key
	// (store.min_free) or a file (rules.yaml) as often as code.
	qualified := regexp.MustCompile(`^[a-z]+\.[A-Z][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)
	testName := regexp.MustCompile(`^(Test|Benchmark|Fuzz)[A-Z0-9][A-Za-z0-9_]*(/[^ ]*)?$`)
	checked := 0
	for _, doc := range []string{"../README.md", "design.md", "ha.md", "metrics.md", "../deploy/README.md", "../bench/README.md", "../third_party/README.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile("`([^`\\s]+)`").FindAllStringSubmatch(string(text), -1) {
			name := strings.TrimSuffix(m[1], "()")
			switch {
			case strings.HasSuffix(name, ".go") && strings.Contains(name, "/"):
				checked++
				if _, err := os.Stat(filepath.Join(root, name)); err != nil {
					t.Errorf("%s names %s, which does not exist", doc, name)
				}
			case testName.MatchString(name):
				checked++
				if !tests[strings.SplitN(name, "/", 2)[0]] {
					t.Errorf("%s names the test %s, which no _test.go declares", doc, name)
				}
			case qualified.MatchString(name):
				pkg := strings.SplitN(name, ".", 2)[0]
				if !pkgs[pkg] {
					continue // a file name, a config key, a header
				}
				checked++
				if !names[name] && !short[name] {
					t.Errorf("%s names %s, which the code does not declare", doc, name)
				}
			}
		}
	}
	if checked < 60 {
		t.Errorf("only %d names checked in the docs; the patterns no longer find them", checked)
	}
	t.Logf("%d names in the docs checked against the code", checked)
}
