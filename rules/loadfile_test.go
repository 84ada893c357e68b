package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A rules file that cannot be read (missing, a dangling symlink, a
// directory) is named as the rules file: serve printed only "open PATH: no
// such file or directory", without saying which setting it came from.
func TestLoadUnreadableSaysRulesFile(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "rules.yaml")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, dir} {
		_, err := Load(p)
		if err == nil || !strings.HasPrefix(err.Error(), "rules file: ") || !strings.Contains(err.Error(), p) {
			t.Errorf("Load(%s): %v; want 'rules file: ' and the path", p, err)
		}
	}
}
