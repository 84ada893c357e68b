package reload

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type result struct {
	ok  bool
	err error
}

func compileFile(path string) (*string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, "broken") {
		return nil, errors.New("does not compile: " + s)
	}
	return &s, nil
}

// replace writes content to a temporary file in the same directory and
// renames it over path, as editors and ConfigMap updates do.
func replace(t *testing.T, path, content string) {
	t.Helper()
	if err := replaceFile(path, content); err != nil {
		t.Fatal(err)
	}
}

func replaceFile(path, content string) error {
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func TestNewNeedsGoodFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(path, []byte("broken"), 0o644)
	if _, err := New(path, compileFile, Options{}); err == nil {
		t.Fatal("New accepted a file that does not compile")
	}
	if _, err := New(filepath.Join(t.TempDir(), "missing"), compileFile, Options{}); err == nil {
		t.Fatal("New accepted a missing file")
	}
}

func TestReloadKeepsOldOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(path, []byte("v1"), 0o644)
	var results []result
	w, err := New(path, compileFile, Options{OnResult: func(ok bool, err error) { results = append(results, result{ok, err}) }})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("broken v2"), 0o644)
	if err := w.Reload(); err == nil {
		t.Fatal("Reload of a broken file returned nil")
	}
	if got := *w.Current(); got != "v1" {
		t.Fatalf("current = %q after failed reload, want v1", got)
	}
	os.WriteFile(path, []byte("v3"), 0o644)
	if err := w.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := *w.Current(); got != "v3" {
		t.Fatalf("current = %q, want v3", got)
	}
	if len(results) != 2 || results[0].ok || !results[1].ok {
		t.Fatalf("OnResult calls = %+v", results)
	}
}

func TestRunReloadsOnRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.yaml")
	os.WriteFile(path, []byte("v1"), 0o644)
	results := make(chan result, 16)
	w, err := New(path, compileFile, Options{
		Debounce: 20 * time.Millisecond,
		OnResult: func(ok bool, err error) { results <- result{ok, err} },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	// Until the watch is established, changes may be missed: poke the file
	// until the first callback arrives.
	wait := func(want bool) result {
		t.Helper()
		for {
			select {
			case r := <-results:
				if r.ok == want {
					return r
				}
				// A late event from the previous step; keep waiting.
			case <-time.After(10 * time.Second):
				t.Fatalf("no OnResult(%v) within 10s", want)
			}
		}
	}
	// Establish the watch: unrelated files in the directory are ignored,
	// the watched one is not.
	os.WriteFile(filepath.Join(dir, "other.txt"), []byte("x"), 0o644)
	poke := time.NewTicker(100 * time.Millisecond)
	defer poke.Stop()
	first := make(chan result, 1)
	go func() {
		for {
			select {
			case r := <-results:
				first <- r
				return
			case <-poke.C:
				_ = replaceFile(path, "v1")
			case <-ctx.Done():
				return
			}
		}
	}()
	select {
	case r := <-first:
		if !r.ok {
			t.Fatalf("reload of v1 failed: %v", r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watcher never reported")
	}
	poke.Stop()

	replace(t, path, "broken v2")
	r := wait(false)
	if r.err == nil || !strings.Contains(r.err.Error(), "broken v2") {
		t.Fatalf("err = %v", r.err)
	}
	if got := *w.Current(); got != "v1" {
		t.Fatalf("current = %q after broken replacement, want v1", got)
	}
	replace(t, path, "v3")
	wait(true)
	if got := *w.Current(); got != "v3" {
		t.Fatalf("current = %q, want v3", got)
	}
}
