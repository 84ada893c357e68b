package gateway

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/store"
)

// sweptFile, in data_dir, lists the erasure sweeps (customers.Sweep) this
// node has applied to its Maildirs, one id a line.
const sweptFile = "erasures-swept"

// SweepErased removes from the Maildirs under dataDir the copies of mail
// of customers erased on any node of a shared store, for the erasures not
// yet applied here (sweptFile). It returns how many files it removed.
func SweepErased(st *store.Store, dataDir string) (int, error) {
	sws, err := customers.Sweeps(st)
	if err != nil || len(sws) == 0 {
		return 0, err
	}
	path := filepath.Join(dataDir, sweptFile)
	done := map[string]bool{}
	switch f, err := os.Open(path); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return 0, fmt.Errorf("erasure sweep: %w", err)
	default:
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			done[strings.TrimSpace(sc.Text())] = true
		}
		err := sc.Err()
		f.Close()
		if err != nil {
			return 0, fmt.Errorf("erasure sweep: %s: %w", path, err)
		}
	}
	var todo []customers.Sweep
	for _, sw := range sws {
		if !done[sw.ID] {
			todo = append(todo, sw)
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	n, err := customers.SweepMaildirs(Maildirs(dataDir), todo)
	if err != nil {
		return n, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return n, fmt.Errorf("erasure sweep: %w", err)
	}
	for _, sw := range todo {
		fmt.Fprintln(f, sw.ID)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return n, fmt.Errorf("erasure sweep: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return n, fmt.Errorf("erasure sweep: %s: %w", path, err)
	}
	return n, nil
}

// sweepErasedLoop applies erasures made on other nodes to this node's
// Maildirs at each tick, until ctx ends.
func sweepErasedLoop(ctx context.Context, st *store.Store, dataDir string, log *slog.Logger, tick <-chan time.Time) {
	for {
		n, err := SweepErased(st, dataDir)
		switch {
		case ctx.Err() != nil:
			return // stopping: the store may be closing
		case err != nil:
			log.Error("erasure sweep of the Maildirs failed; trying again", "err", err)
		case n > 0:
			log.Info("erasure sweep: copies of erased customers' mail removed from this node's Maildirs", "files", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
