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
	w, results := runWatcher(t, path, compileFile)

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
			case <-t.Context().Done():
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

// compileDir joins the contents of the files in a directory, in name
// order; a file starting with "broken" makes the whole directory fail.
func compileDir(dir string) (*string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		s, err := compileFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		parts = append(parts, *s)
	}
	s := strings.Join(parts, "+")
	return &s, nil
}

// A watched directory (the templates) reloads when any file in it changes,
// is added or is replaced, and keeps the last good version when one breaks.
func TestRunReloadsADirectoryOnAnyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "templates")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a1"), 0o644)
	w, results := runWatcher(t, dir, compileDir)
	// waitFor rewrites name with content until the current value is want
	// (the first writes may come before the watch is established) or the
	// reload fails, which it reports.
	waitFor := func(name, content, want string) error {
		t.Helper()
		deadline := time.After(10 * time.Second)
		poke := time.NewTicker(100 * time.Millisecond)
		defer poke.Stop()
		replace(t, filepath.Join(dir, name), content)
		for {
			select {
			case r := <-results:
				if !r.ok {
					return r.err
				}
				if *w.Current() == want {
					return nil
				}
			case <-poke.C:
				replace(t, filepath.Join(dir, name), content)
			case <-deadline:
				t.Fatalf("current %q, want %q within 10s", *w.Current(), want)
			}
		}
	}
	if err := waitFor("a.txt", "a2", "a2"); err != nil {
		t.Fatalf("changed file: %v", err)
	}
	if err := waitFor("b.txt", "b1", "a2+b1"); err != nil {
		t.Fatalf("new file: %v", err)
	}
	err := waitFor("b.txt", "broken b2", "never")
	if err == nil || !strings.Contains(err.Error(), "broken b2") {
		t.Fatalf("broken file: err %v", err)
	}
	if got := *w.Current(); got != "a2+b1" {
		t.Errorf("current %q after a broken file, want the last good a2+b1", got)
	}
}

// runWatcher watches path with a short debounce until the test ends, and
// passes every reload's result on.
func runWatcher(t *testing.T, path string, compile func(string) (*string, error)) (*Watcher[string], chan result) {
	t.Helper()
	results := make(chan result, 64)
	w, err := New(path, compile, Options{
		Debounce: 20 * time.Millisecond,
		OnResult: func(ok bool, err error) { results <- result{ok, err} },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return w, results
}

// TestRunPicksUpAnEditBeforeTheWatch: serve compiles its files at start-up
// and starts watching them later; an edit in between produced no event the
// watch could see, and used to stay unnoticed until the next edit.
func TestRunPicksUpAnEditBeforeTheWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.yaml")
	os.WriteFile(path, []byte("v1"), 0o644)
	results := make(chan result, 64)
	w, err := New(path, compileFile, Options{
		Debounce: 20 * time.Millisecond,
		OnResult: func(ok bool, err error) { results <- result{ok, err} },
	})
	if err != nil {
		t.Fatal(err)
	}
	// The edit, before Run: a later modification time as a fast editor's
	// save within the same clock tick could not be told apart by size.
	os.WriteFile(path, []byte("v22"), 0o644)
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(path, later, later)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go w.Run(ctx)
	select {
	case r := <-results:
		if !r.ok || *w.Current() != "v22" {
			t.Fatalf("after the watch started: ok=%v err=%v current=%q, want v22", r.ok, r.err, *w.Current())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("an edit made before Run was not reloaded (current %q)", *w.Current())
	}
}
