package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The alias guard counts what aliases expand to, not the nodes of the file:
// a long file without aliases compiles, a few aliases used many times
// compile, and an alias bomb is still refused.
func TestAliasGuardCountsAliases(t *testing.T) {
	var big strings.Builder
	big.WriteString("departments:\n  support: {addresses: [support]}\n  sales: {addresses: [sales]}\ndefault_department: support\nrules:\n")
	for i := range 12000 { // ~1.5 MB; the old guard refused it at rule 10,500
		fmt.Fprintf(&big, "  - name: rule %d\n    if: {subject: {contains: [w%da, w%db]}}\n    then: {department: sales, tags: [t%d]}\n", i, i, i, i)
	}
	r, err := Parse("big.yaml", []byte(big.String()))
	if err != nil {
		t.Fatalf("a 12,000-rule file without aliases: %v", firstLine(err))
	}
	if r.Len() != 12000 {
		t.Errorf("%d rules; want 12000", r.Len())
	}

	var reused strings.Builder
	reused.WriteString("departments:\n  support: {addresses: [support]}\n  sales: {addresses: [sales]}\ndefault_department: support\nrules:\n" +
		"  - name: first\n    if: &words {subject: {contains: [refund, invoice, money, back, charge, paid, bill, receipt]}}\n    then: {department: sales}\n    continue: true\n")
	for i := range 500 {
		fmt.Fprintf(&reused, "  - name: again %d\n    if: *words\n    then: {tags: [t%d]}\n    continue: true\n", i, i)
	}
	if _, err := Parse("reused.yaml", []byte(reused.String())); err != nil {
		t.Fatalf("an anchor used 500 times: %v", firstLine(err))
	}

	bomb := "departments: {support: {}}\ndefault_department: support\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
	for i := 1; i < 9; i++ {
		bomb += fmt.Sprintf("x%d: &x%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*x%d, ", i-1), 10), ", "))
	}
	bomb += "rules:\n  - name: boom\n    if: {subject: {contains: *x8}}\n    then: {priority: high}\n"
	_, err = Parse("bomb.yaml", []byte(bomb))
	if err == nil || !strings.Contains(err.Error(), "aliases expand to more than 200000 nodes") {
		t.Fatalf("alias bomb: %v", err)
	}
}

// The size limit is reported with the file's real size, before it is read
// or parsed whole.
func TestFileSizeLimit(t *testing.T) {
	_, err := Parse("huge.yaml", []byte("#"+strings.Repeat("x", MaxFileSize)+"\n"))
	if err == nil || !strings.Contains(err.Error(), "huge.yaml:1:1: the file is 4.0 MB; a rules file may be at most 4 MB") {
		t.Errorf("Parse of 4 MB + 2 bytes: %v", err)
	}
	path := filepath.Join(t.TempDir(), "rules.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(58 << 20); err != nil { // sparse: no 58 MB written
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(path)
	var list ErrorList
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "the file is 58.0 MB") {
		t.Errorf("Load of a 58 MB file: %v", err)
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
