package docs

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLayout holds the package layout to what docs/design.md says: cmd/
// parses flags and prints (at most 1,200 lines, no metrics, no HTTP
// handlers, no mail composition, no Badger), and the store is the only
// package that imports Badger.
func TestLayout(t *testing.T) {
	fset := token.NewFileSet()
	cmdLines := 0
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "third_party" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		inCmd := strings.HasPrefix(rel, "cmd"+string(filepath.Separator))
		if inCmd {
			cmdLines += bytes.Count(src, []byte("\n"))
			for _, bad := range []string{"HandleFunc(", "http.Handler", "ServeMux", "ResponseWriter", ".NewCounter", ".NewGauge", ".NewHistogram", "Auto-Submitted", "MIME-Version"} {
				if bytes.Contains(src, []byte(bad)) {
					t.Errorf("%s: %s belongs in a package, not in cmd/", rel, bad)
				}
			}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case strings.HasPrefix(p, "github.com/dgraph-io/badger") && !strings.HasPrefix(rel, "store"+string(filepath.Separator)):
				t.Errorf("%s imports %s: only package store may", rel, p)
			case inCmd && strings.HasPrefix(p, "github.com/prometheus/"):
				t.Errorf("%s imports %s: metrics are defined next to what they measure", rel, p)
			case inCmd && (strings.HasPrefix(p, "github.com/jhillyerd/enmime") || p == "net/http"):
				t.Errorf("%s imports %s: mail is composed in package compose, HTTP served by package gateway", rel, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cmdLines > 1200 || cmdLines == 0 {
		t.Errorf("cmd/ has %d non-test lines; at most 1,200", cmdLines)
	}
}

// TestSMTPDependsOnNoPipeline holds the SMTP server to what docs/design.md
// says: smtpd speaks SMTP in front of an Acceptor and shares only the
// neutral message.Envelope with intake, so it builds, and its tests run,
// without intake, the store or the queue (issue 18).
func TestSMTPDependsOnNoPipeline(t *testing.T) {
	const mod = "github.com/frontdesk-mail/frontdesk/"
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../smtpd").Output()
	if err != nil {
		t.Fatalf("go list -deps ../smtpd: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, mod+"smtpd") || !slices.Contains(deps, mod+"message") {
		t.Fatalf("go list -deps ../smtpd does not list both smtpd and message: %q", deps)
	}
	for _, p := range []string{"intake", "store", "queue"} {
		if slices.Contains(deps, mod+p) {
			t.Errorf("smtpd depends on %s: the SMTP server takes an Acceptor and a message.Envelope, nothing of the pipeline behind it", p)
		}
	}
}

// TestNoPathsOutside fails when the README, a doc or a package's non-test
// source points at a file outside the repository: a user who clones the
// project has only what is in it (issue 18: the design moved into docs/).
func TestNoPathsOutside(t *testing.T) {
	outside := []string{"../shared", "shared/DESIGN", "DESIGN.md", "/work/"}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "third_party" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".md")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, o := range outside {
				if strings.Contains(line, o) {
					t.Errorf("%s:%d: points outside the repository (%s)", path, i+1, o)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// typedLiterals are values that have a type with constants (issue 18):
// written as a string literal anywhere but next to their constant, they
// would drift from it unseen.
var typedLiterals = map[string]string{
	"first_response": "sla", "next_response": "sla", "resolution": "sla", "pending_close": "sla",
	"agents": "queue", "outbound": "queue",
	"zh": "message", "en": "message",
}

// notTyped are the uses of those spellings that are something else
// (file and literal): why each is not the typed value.
var notTyped = map[string]string{
	"rules/parse.go agents": "the rules file's key of a department's agents, not a queue target",
	"sla/describe.go zh":    "sla is the leaf below message: Describe and Kind.Name read a language tag (zh-CN, zh_TW…)",
	"web/lang.go en":        "an HTML lang attribute beside the message.Language of the page",
}

// TestTypedLiterals fails when a non-test file outside the owning package
// compares with, switches on, indexes by or sets a field to one of
// typedLiterals: deadline kinds are sla.Kind, queue targets
// queue.TargetName, languages message.Language. Struct tags and other
// uses (a YAML key of the same spelling, say) are not flagged.
func TestTypedLiterals(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "third_party" || d.Name() == "bench" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		pkg := filepath.ToSlash(filepath.Dir(rel))
		check := func(e ast.Expr, how string) {
			bl, ok := e.(*ast.BasicLit)
			if !ok || bl.Kind != token.STRING {
				return
			}
			s, _ := strconv.Unquote(bl.Value)
			owner, typed := typedLiterals[s]
			if !typed || pkg == owner || notTyped[filepath.ToSlash(rel)+" "+s] != "" {
				return
			}
			t.Errorf("%s: %q %s: use the constant of package %s", fset.Position(bl.Pos()), s, how, owner)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op == token.EQL || n.Op == token.NEQ {
					check(n.X, "compared")
					check(n.Y, "compared")
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					check(e, "as a case")
				}
			case *ast.IndexExpr:
				check(n.Index, "as an index")
			case *ast.KeyValueExpr:
				check(n.Value, "as a field value")
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Deadline" {
					for _, a := range n.Args {
						check(a, "as a deadline kind")
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
