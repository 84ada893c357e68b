package faq

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An FAQ file that cannot be read (missing, a dangling symlink, a
// directory) is named as the FAQ file: serve printed only "open PATH: no
// such file or directory", without saying which setting it came from.
func TestLoadUnreadableSaysFAQFile(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "faq.yaml")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, dir} {
		_, err := Load(p)
		if err == nil || !strings.HasPrefix(err.Error(), "FAQ file: ") || !strings.Contains(err.Error(), p) {
			t.Errorf("Load(%s): %v; want 'FAQ file: ' and the path", p, err)
		}
	}
}
