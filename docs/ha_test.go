package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sqlOf returns the string literals of the store's files that talk to
// PostgreSQL (those importing pgx), and the pgx identifiers they use.
func sqlOf(t *testing.T, dir string) (lits []string, idents map[string]bool) {
	t.Helper()
	idents = map[string]bool{}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		usesPgx := slices.ContainsFunc(f.Imports, func(imp *ast.ImportSpec) bool {
			return strings.Contains(imp.Path.Value, "github.com/jackc/pgx")
		})
		if !usesPgx {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					if s, err := strconv.Unquote(n.Value); err == nil {
						lits = append(lits, s)
					}
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "pgx" {
					idents[n.Sel.Name] = true
				}
			}
			return true
		})
	}
	return lits, idents
}

// TestPortableSQLListed fails when the PostgreSQL store uses an SQL
// keyword, function, cast or column type, an isolation level or access
// mode, or pgx's batches, that the "Portable SQL" section of ha.md does
// not name: the issue asks the docs to say exactly which PostgreSQL
// features the store relies on.
func TestPortableSQLListed(t *testing.T) {
	doc, err := os.ReadFile("ha.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n## Portable SQL\n")
	if !ok {
		t.Fatal(`ha.md has no "## Portable SQL" section`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	named := func(word string) bool {
		return regexp.MustCompile(`\b` + regexp.QuoteMeta(word) + `\b`).MatchString(section)
	}
	lits, idents := sqlOf(t, filepath.Join("..", "store"))
	sqlish := regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|CREATE|FROM|WHERE|ORDER|LIMIT|FOR|DESC|RETURNING|SAVEPOINT|ROLLBACK|RELEASE|BEGIN|COMMIT|SET)\b|::`)
	keyword := regexp.MustCompile(`\b[A-Z]{2,}\b`)
	function := regexp.MustCompile(`\b([a-z_]+)\(`)
	cast := regexp.MustCompile(`::([a-z]+)`)
	types := regexp.MustCompile(`\b(bytea|text|bigint|integer|smallint|timestamptz|timestamp|interval|boolean|jsonb|json|uuid|serial|bigserial|numeric|varchar)\b`)
	missing := map[string]bool{}
	checked := 0
	for _, l := range lits {
		if !sqlish.MatchString(l) {
			continue
		}
		for _, k := range keyword.FindAllString(l, -1) {
			checked++
			if !named(k) {
				missing["keyword "+k] = true
			}
		}
		for _, m := range function.FindAllStringSubmatch(l, -1) {
			checked++
			if !strings.Contains(section, m[1]+"(") {
				missing["function "+m[1]+"()"] = true
			}
		}
		for _, m := range cast.FindAllStringSubmatch(l, -1) {
			checked++
			if !strings.Contains(section, "::"+m[1]) {
				missing["cast ::"+m[1]] = true
			}
		}
		for _, m := range types.FindAllStringSubmatch(l, -1) {
			checked++
			if !named(m[1]) {
				missing["type "+m[1]] = true
			}
		}
	}
	for ident, words := range map[string]string{
		"Serializable": "SERIALIZABLE", "RepeatableRead": "REPEATABLE READ", "ReadCommitted": "READ COMMITTED",
		"ReadUncommitted": "READ UNCOMMITTED", "ReadOnly": "READ ONLY", "Deferrable": "DEFERRABLE", "Batch": "Batch",
		"CopyFrom": "COPY", "Identifier": "identifier",
	} {
		if idents[ident] {
			checked++
			if !strings.Contains(section, words) {
				missing["pgx."+ident+" ("+words+")"] = true
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d SQL constructs found in store/: the patterns no longer find them", checked)
	}
	for m := range missing {
		t.Errorf("store/ uses %s, which ha.md's Portable SQL section does not name", m)
	}
}
