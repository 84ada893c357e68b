package profile

import (
	"os"
	"path/filepath"
	"testing"
)

// Both profiles are written, and non-empty, when the run stops.
func TestStartWritesBoth(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	stop, err := Start(cpu, mem)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	for _, f := range []string{cpu, mem} {
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v (size %v)", f, err, fi)
		}
	}
	if _, err := Start(filepath.Join(dir, "no", "such", "dir"), ""); err == nil {
		t.Error("a CPU profile in a missing directory: no error")
	}
}
