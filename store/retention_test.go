package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// fillSegments commits n mails of about 1 KB into segments of 8 KB and
// returns their ids and contents.
func fillSegments(t *testing.T, st *Store, n int) ([]string, map[string][]byte) {
	t.Helper()
	st.spool.mu.Lock()
	st.spool.max = 8 << 10
	st.spool.mu.Unlock()
	ids := make([]string, n)
	want := map[string][]byte{}
	for i := range ids {
		body := bytes.Repeat([]byte(fmt.Sprintf("mail %d ", i)), 100)
		ids[i] = spoolAndCommit(t, st, body)
		want[ids[i]] = body
	}
	// Retire the last segment the way a restart does.
	st.spool.mu.Lock()
	if err := st.spool.rotate(); err != nil {
		t.Fatal(err)
	}
	st.spool.mu.Unlock()
	if err := st.spool.sync(); err != nil {
		t.Fatal(err)
	}
	return ids, want
}

func deleteMail(t *testing.T, st *Store, ids ...string) {
	t.Helper()
	err := st.Update(context.Background(), func(txn *Txn) error {
		for _, id := range ids {
			if err := txn.DeleteMail(id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkAll(t *testing.T, st *Store, want map[string][]byte) {
	t.Helper()
	for id, body := range want {
		got, err := getRaw(st, id)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("mail %s after compaction: %v (%d bytes, want %d)", id, err, len(got), len(body))
		}
	}
	rep, err := st.Check(context.Background(), CheckOptions{Mail: true})
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("store check: %v %+v", err, rep.Problems)
	}
}

func TestCompactSpoolDeletesAndRewrites(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	ids, want := fillSegments(t, st, 24) // segments of 10 mails (about 8 KB)
	before := st.DiskUsage().Mail
	// The first segment all gone, the second mostly gone, the third kept.
	// A dry run of retention, which deletes nothing, names what it would
	// delete: the estimate is the real run's.
	gone := map[string]bool{}
	for _, id := range ids[:17] {
		gone[id] = true
	}
	dryBefore, err := st.CompactSpool(context.Background(), CompactOptions{DryRun: true, Gone: gone})
	if err != nil || dryBefore.Deleted != 1 || dryBefore.Rewritten != 1 {
		t.Fatalf("dry run before the removal: %+v %v", dryBefore, err)
	}
	deleteMail(t, st, ids[:17]...)
	for _, id := range ids[:17] {
		delete(want, id)
	}
	dry, err := st.CompactSpool(context.Background(), CompactOptions{DryRun: true})
	if err != nil || dry != dryBefore {
		t.Fatalf("dry run: %+v %v, before the removal %+v", dry, err, dryBefore)
	}
	if st.DiskUsage().Mail != before {
		t.Fatal("a dry run changed the spool")
	}
	rep, err := st.CompactSpool(context.Background(), CompactOptions{})
	if err != nil || rep.Deleted != 1 || rep.Rewritten != 1 {
		t.Fatalf("compact: %+v %v", rep, err)
	}
	checkAll(t, st, want)
	if after := st.DiskUsage().Mail; after >= before-12<<10 {
		t.Errorf("spool %d bytes before, %d after: not reclaimed", before, after)
	}
	// Still readable after a restart.
	st.Close()
	st = openSpooled(t, dir)
	checkAll(t, st, want)
}

// TestCompactSpoolCrashAtEachStep stops a rewrite after each of its steps,
// as a crash would, reopens the store and finds every mail; a second run
// finishes the job.
func TestCompactSpoolCrashAtEachStep(t *testing.T) {
	for _, stop := range []string{"written", "synced", "committed", "removed"} {
		t.Run(stop, func(t *testing.T) {
			dir := t.TempDir()
			st := openSpooled(t, dir)
			ids, want := fillSegments(t, st, 8) // one segment
			deleteMail(t, st, ids[:6]...)
			for _, id := range ids[:6] {
				delete(want, id)
			}
			crash := errors.New("crash")
			_, err := st.CompactSpool(context.Background(), CompactOptions{step: func(s string) error {
				if s == stop {
					return crash
				}
				return nil
			}})
			if !errors.Is(err, crash) {
				t.Fatalf("compact stopped with %v", err)
			}
			st.Close()
			st = openSpooled(t, dir)
			checkAll(t, st, want)
			if _, err := st.CompactSpool(context.Background(), CompactOptions{}); err != nil {
				t.Fatal(err)
			}
			checkAll(t, st, want)
			segs, _ := filepath.Glob(filepath.Join(dir, "mail", "*.seg"))
			var total int64
			for _, s := range segs {
				fi, _ := os.Stat(s)
				total += fi.Size()
			}
			if total > 2*int64(len(want[ids[7]])) {
				t.Errorf("after the second run the spool holds %d bytes in %d segments, want only the 2 live mails", total, len(segs))
			}
		})
	}
}

func TestZeroMail(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	keep := spoolAndCommit(t, st, []byte("keep me"))
	gone := spoolAndCommit(t, st, []byte("SECRET-TOKEN-4711"))
	var loc MailLoc
	st.View(func(txn *Txn) error { loc, _ = txn.MailLocation(gone); return nil })
	deleteMail(t, st, gone)
	if err := st.ZeroMail([]MailLoc{loc}); err != nil {
		t.Fatal(err)
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "mail", "*.seg"))
	for _, s := range segs {
		b, _ := os.ReadFile(s)
		if bytes.Contains(b, []byte("SECRET-TOKEN")) {
			t.Errorf("%s still holds the erased mail", s)
		}
	}
	if got, err := getRaw(st, keep); err != nil || string(got) != "keep me" {
		t.Errorf("other mail: %q %v", got, err)
	}
}

// TestPurgeForgetsOldVersions rewrites a large record (value log) and
// deletes a small one (LSM tree), both holding a token, and finds the
// token in no file of the store after Purge: Badger keeps old versions in
// its memtable log, its tables and its value log until made to drop them.
func TestPurgeForgetsOldVersions(t *testing.T) {
	dir := t.TempDir()
	token := []byte("ERASE-ME-93417")
	st := openSpooled(t, dir)
	big := append(bytes.Repeat([]byte("x"), 4<<10), token...)
	put := func(k string, v []byte) {
		if err := st.Update(context.Background(), func(txn *Txn) error { return txn.Set([]byte(k), v) }); err != nil {
			t.Fatal(err)
		}
	}
	put("t/BIG", big)
	put("msg/small", append([]byte("subject "), token...))
	for i := 0; i < 50; i++ { // other data, kept
		put(fmt.Sprintf("t/OTHER-%d", i), bytes.Repeat([]byte("y"), 2<<10))
	}
	put("t/BIG", bytes.Repeat([]byte("z"), 4<<10))
	if err := st.Update(context.Background(), func(txn *Txn) error { return txn.Delete([]byte("msg/small")) }); err != nil {
		t.Fatal(err)
	}
	if len(testenv.FilesContaining(t, dir, token)) == 0 {
		t.Fatal("the token was never on disk: the test proves nothing")
	}
	// A running server's purge: the value-log file being written is sealed
	// first, so nothing of the token is left even in it.
	if err := st.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hits := testenv.FilesContaining(t, dir, token); len(hits) > 0 {
		t.Errorf("after a purge of the open store, the token is still in %v", hits)
	}
	// And across a reopen, as before.
	st.Close()
	st = openSpooled(t, dir)
	if err := st.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hits := testenv.FilesContaining(t, dir, token); len(hits) > 0 {
		t.Errorf("token still in %v", hits)
	}
	err := st.View(func(txn *Txn) error {
		v, err := txn.Get([]byte("t/OTHER-49"))
		if err != nil || len(v) != 2<<10 {
			return fmt.Errorf("other record: %d bytes, %v", len(v), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPurgeWhileWriting: commits made during a purge wait for its flush
// instead of failing (Badger refuses writes during a DropPrefix).
func TestPurgeWhileWriting(t *testing.T) {
	st := openSpooled(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func() {
			n := 0
			for ctx.Err() == nil {
				n++
				if _, err := commitMail(st, []byte(fmt.Sprintf("mail %d", n))); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for i := 0; i < 3; i++ {
		if err := st.Purge(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	for w := 0; w < 4; w++ {
		if err := <-errs; err != nil {
			t.Errorf("a commit during the purge failed: %v", err)
		}
	}
}

// TestCompactSpoolKilledAtEachStep kills a process with SIGKILL after each
// step of a segment rewrite (the test binary runs itself as that process)
// and finds, in the store that process left, every mail intact; a second
// run finishes the job. TestCompactSpoolCrashAtEachStep stops at the same
// places in-process and closes the store; here nothing is closed.
func TestCompactSpoolKilledAtEachStep(t *testing.T) {
	if step := os.Getenv("FRONTDESK_TEST_KILL_AT"); step != "" {
		compactAndDie(t, os.Getenv("FRONTDESK_TEST_KILL_DIR"), step)
		return
	}
	for _, stop := range []string{"written", "synced", "committed", "removed"} {
		t.Run(stop, func(t *testing.T) {
			dir := t.TempDir()
			st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
			if err != nil {
				t.Fatal(err)
			}
			ids, want := fillSegments(t, st, 24) // three segments
			deleteMail(t, st, ids[:6]...)        // the first mostly gone
			for _, id := range ids[:6] {
				delete(want, id)
			}
			st.Close()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCompactSpoolKilledAtEachStep$", "-test.count=1")
			cmd.Env = append(os.Environ(), "FRONTDESK_TEST_KILL_AT="+stop, "FRONTDESK_TEST_KILL_DIR="+dir)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the compacting process was not killed at %q: %v\n%s", stop, err, out)
			}
			st = openSpooled(t, dir)
			checkAll(t, st, want)
			rep, err := st.CompactSpool(context.Background(), CompactOptions{})
			if err != nil {
				t.Fatal(err)
			}
			checkAll(t, st, want)
			if stop != "removed" && rep.Deleted+rep.Rewritten == 0 {
				t.Errorf("the second run found nothing to finish: %+v", rep)
			}
			st.Close()
			st = openSpooled(t, dir)
			checkAll(t, st, want)
		})
	}
}

// compactAndDie is the killed process of TestCompactSpoolKilledAtEachStep.
func compactAndDie(t *testing.T, dir, at string) {
	st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.CompactSpool(context.Background(), CompactOptions{step: func(s string) error {
		if s == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // SIGKILL cannot be caught
		}
		return nil
	}})
	t.Fatalf("compaction returned (%v) instead of reaching step %q", err, at)
}

// TestReclaimGivesBackValueLogSpace: mail kept in Badger
// (store.inline_mail) that retention removed leaves the disk at Reclaim,
// the last step of a retention run. Badger's value-log GC rewrites only
// files it knows hold stale values, which it learns when the memtables
// holding the deletions are flushed; Reclaim flushes them first.
func TestReclaimGivesBackValueLogSpace(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail"), InlineMail: 32 << 10, ValueLogFileSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ids []string
	want := map[string][]byte{}
	for i := 0; i < 400; i++ {
		body := bytes.Repeat([]byte(fmt.Sprintf("mail %d ", i)), 2000) // ~16 KB, kept in Badger
		ids = append(ids, spoolAndCommit(t, st, body))
		want[ids[i]] = body
	}
	if st.DiskUsage().Mail != 0 {
		t.Fatal("the mail went to the spool, not Badger: the test proves nothing")
	}
	deleteMail(t, st, ids[:380]...)
	for _, id := range ids[:380] {
		delete(want, id)
	}
	before := st.DiskUsage().Store
	n := st.Reclaim()
	after := st.DiskUsage().Store
	if before-after < 4<<20 {
		t.Errorf("Reclaim rewrote %d value-log files: the store holds %d bytes, %d before; want at least 4 MiB of the ~6 MiB removed back", n, after, before)
	}
	checkAll(t, st, want)
}
