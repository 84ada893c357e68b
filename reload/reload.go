// Package reload keeps a compiled value (rules, FAQ, templates) fresh from
// its file without risk: a new version is compiled completely before it is
// swapped in atomically, and a version that fails to compile leaves the last
// good one live and is reported (log line and OnResult for metrics).
package reload

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a Watcher. The zero value is usable.
type Options struct {
	// Logger receives a line per reload attempt; nil discards.
	Logger *slog.Logger
	// OnResult is called after every reload attempt (Reload and file
	// changes seen by Run), e.g. to count successes and failures.
	OnResult func(ok bool, err error)
	// Debounce is how long Run waits after the last change before
	// compiling; 0 means 200 ms.
	Debounce time.Duration
}

// Watcher holds the current compiled value of one file.
type Watcher[T any] struct {
	path    string
	compile func(path string) (*T, error)
	opts    Options
	cur     atomic.Pointer[T]
	mu      sync.Mutex // serialises compilations
	// compiled is the file's stamp when it was last compiled: Run
	// compares it once its watch is in place, so an edit made between
	// New and the watch (serve starts its watchers after loading) is not
	// missed.
	compiled atomic.Value // stamp
}

// stamp is what tells a changed file from the one compiled: the
// modification time and size of the file, or of the newest entry and the
// entry count of a directory.
type stamp struct {
	mod  time.Time
	size int64
}

func stampOf(path string) stamp {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}
	}
	if !fi.IsDir() {
		return stamp{fi.ModTime(), fi.Size()}
	}
	s := stamp{fi.ModTime(), 0}
	entries, _ := os.ReadDir(path)
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			if info.ModTime().After(s.mod) {
				s.mod = info.ModTime()
			}
			s.size += info.Size() + 1
		}
	}
	return s
}

// New compiles path once; that first compilation must succeed.
func New[T any](path string, compile func(path string) (*T, error), opts Options) (*Watcher[T], error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 200 * time.Millisecond
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	w := &Watcher[T]{path: abs, compile: compile, opts: opts}
	w.compiled.Store(stampOf(abs))
	v, err := compile(abs)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("reload %s: compile returned nil", abs)
	}
	w.cur.Store(v)
	return w, nil
}

// Current returns the last value that compiled. It never returns nil.
func (w *Watcher[T]) Current() *T { return w.cur.Load() }

// Path is the absolute path of the watched file.
func (w *Watcher[T]) Path() string { return w.path }

// Reload compiles the file again. On success the new value replaces the
// current one; on error the current value stays and the error is returned.
func (w *Watcher[T]) Reload() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.compiled.Store(stampOf(w.path))
	v, err := w.compile(w.path)
	if err == nil && v == nil {
		err = errors.New("compile returned nil")
	}
	if err != nil {
		w.opts.Logger.Error("reload failed; keeping the previous version", "file", w.path, "err", err)
	} else {
		w.cur.Store(v)
		w.opts.Logger.Info("reloaded", "file", w.path)
	}
	if w.opts.OnResult != nil {
		w.opts.OnResult(err == nil, err)
	}
	return err
}

// Run watches the file's directory (editors and Kubernetes ConfigMaps
// replace files by rename, which a watch on the file itself would lose) and
// reloads after changes to the file settle for the debounce interval. When
// the watched path is a directory (the acknowledgement templates), a change
// to anything in it counts. It returns when ctx is done, or with an error
// if watching cannot start.
func (w *Watcher[T]) Run(ctx context.Context) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer fw.Close()
	dir, base := filepath.Dir(w.path), filepath.Base(w.path)
	if fi, err := os.Stat(w.path); err == nil && fi.IsDir() {
		dir, base = w.path, ""
	}
	if err := fw.Add(dir); err != nil {
		return err
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	// The watch is in place: anything changed since the last compilation
	// happened before it and produced no event.
	if stampOf(w.path) != w.compiled.Load().(stamp) {
		timer.Reset(w.opts.Debounce)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			// Kubernetes swaps a "..data" symlink; react to anything that
			// touches our name or that link.
			name := filepath.Base(ev.Name)
			if base != "" && name != base && name != "..data" {
				continue
			}
			if ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove|fsnotify.Chmod) == 0 {
				continue
			}
			timer.Reset(w.opts.Debounce)
		case err, ok := <-fw.Errors:
			if !ok {
				return nil
			}
			w.opts.Logger.Warn("watch error", "dir", dir, "err", err)
		case <-timer.C:
			_ = w.Reload()
		}
	}
}
