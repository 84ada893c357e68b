package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A config file over MaxFileSize is refused, naming the file and the cap,
// by Load (without reading it whole) and by Parse; one at the cap loads.
func TestConfigFileSizeCap(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		t.Helper()
		head := "hostname: mx.example\n"
		path := filepath.Join(dir, name)
		// A comment fills the file to size: valid YAML of any length.
		if err := os.WriteFile(path, []byte(head+"#"+strings.Repeat("x", size-len(head)-2)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	atCap := write("at-cap.yaml", MaxFileSize)
	cfg, err := Load(atCap)
	if err != nil || cfg.Hostname != "mx.example" {
		t.Fatalf("a file of exactly %d bytes: %v", MaxFileSize, err)
	}
	for _, size := range []int{MaxFileSize + 1, 64 << 20} {
		path := write("big.yaml", size)
		_, err := Load(path)
		want := path + ":1:1: the file is " + strconv.Itoa(size) + " bytes; a config file may be at most 1048576 bytes (1 MB)"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Load of %d bytes: %v; want %q…", size, err, want)
		}
		data, _ := os.ReadFile(path)
		if _, err := Parse("f.yaml", data); err == nil || !strings.HasPrefix(err.Error(), "f.yaml:1:1: the file is "+strconv.Itoa(size)+" bytes") {
			t.Errorf("Parse of %d bytes: %v", size, err)
		}
	}
}
