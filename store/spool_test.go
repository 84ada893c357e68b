package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openSpooled(t *testing.T, dir string) *Store {
	t.Helper()
	st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func getRaw(st *Store, id string) (raw []byte, err error) {
	err = st.View(func(txn *Txn) error {
		raw, err = txn.GetRaw(id)
		return err
	})
	return raw, err
}

// commitMail is what intake does with a received mail.
func commitMail(st *Store, parts ...[]byte) (string, error) {
	id := NewID(time.Now())
	mail, err := st.Spool(parts...)
	if err != nil {
		return "", err
	}
	return id, st.Update(context.Background(), func(txn *Txn) error {
		return txn.PutMessage(&Message{ID: id}, mail)
	})
}

func spoolAndCommit(t *testing.T, st *Store, parts ...[]byte) string {
	t.Helper()
	id, err := commitMail(st, parts...)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSpoolRoundTrip(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	id := spoolAndCommit(t, st, []byte("Received: by us\r\n"), []byte("Subject: hi\r\n\r\nbody\r\n"))
	want := "Received: by us\r\nSubject: hi\r\n\r\nbody\r\n"
	if raw, err := getRaw(st, id); err != nil || string(raw) != want {
		t.Errorf("GetRaw = %q, %v; want %q", raw, err, want)
	}
	seg := filepath.Join(dir, "mail", "00000001.seg")
	fi, err := os.Stat(seg)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("segment mode %v, want 0600: mail is private", fi.Mode().Perm())
	}
}

// Mail in the segment being written is read through the segment's open
// file: a delivery costs no open(2) and close(2) of its own.
func TestSpoolReadsTheOpenSegmentThroughItsFile(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	id := spoolAndCommit(t, st, []byte("Subject: hi\r\n\r\nbody\r\n"))
	// Only a read through the open file still finds the mail.
	if err := os.Remove(filepath.Join(dir, "mail", "00000001.seg")); err != nil {
		t.Fatal(err)
	}
	if raw, err := getRaw(st, id); err != nil || string(raw) != "Subject: hi\r\n\r\nbody\r\n" {
		t.Errorf("GetRaw = %q, %v; want the mail, read through the open segment", raw, err)
	}
}

// Mail whose record never committed (the commit failed, or the process
// died first) is not found: only a committed record points at its bytes.
func TestUncommittedMailIsNotFound(t *testing.T) {
	st := openSpooled(t, t.TempDir())
	id := NewID(time.Now())
	if _, err := st.Spool([]byte("Subject: x\r\n\r\ny\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := getRaw(st, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetRaw of an uncommitted mail: %v, want ErrNotFound", err)
	}
}

// Mail the gateway wrote itself, and received mail stored before the spool
// existed, live in Badger under PrefixRaw; GetRaw returns them as they are.
func TestGetRawReadsMailKeptInBadger(t *testing.T) {
	st := openSpooled(t, t.TempDir())
	id := NewID(time.Now())
	if err := st.Update(context.Background(), func(txn *Txn) error {
		return txn.Set([]byte(PrefixRaw+id), []byte("Subject: ack\r\n\r\nthanks\r\n"))
	}); err != nil {
		t.Fatal(err)
	}
	if raw, err := getRaw(st, id); err != nil || !strings.Contains(string(raw), "thanks") {
		t.Errorf("GetRaw = %q, %v", raw, err)
	}
}

// Concurrent sessions reserve their own offsets; segments rotate when full
// and after a restart; every committed mail reads back as written.
func TestSpoolConcurrentWritesRotationAndReopen(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	st.spool.max = 64 << 10
	want := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				body := fmt.Sprintf("Subject: %d/%d\r\n\r\n%s", g, i, strings.Repeat("x", (g*20+i)*97%9000))
				id, err := commitMail(st, []byte("Received: x\r\n"), []byte(body))
				if err != nil {
					t.Error(err)
					return
				}
				// Read back at once, as its delivery does, while the other
				// writers rotate segments and commits close retired ones.
				if raw, err := getRaw(st, id); err != nil || string(raw) != "Received: x\r\n"+body {
					t.Errorf("GetRaw(%s) right after its commit = %d bytes, %v", id, len(raw), err)
					return
				}
				mu.Lock()
				want[id] = "Received: x\r\n" + body
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	check := func(st *Store) {
		t.Helper()
		for id, w := range want {
			if raw, err := getRaw(st, id); err != nil || string(raw) != w {
				t.Fatalf("GetRaw(%s) = %d bytes, %v; want %d bytes", id, len(raw), err, len(w))
			}
		}
	}
	check(st)
	segs, _ := filepath.Glob(filepath.Join(dir, "mail", "*.seg"))
	if len(segs) < 3 {
		t.Errorf("%d segments after ~700 KB in 64 KB segments; want rotation", len(segs))
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2 := openSpooled(t, dir)
	check(st2)
	id := spoolAndCommit(t, st2, []byte("after the restart"))
	if raw, _ := getRaw(st2, id); string(raw) != "after the restart" {
		t.Errorf("after reopen: %q", raw)
	}
	if _, err := os.Stat(filepath.Join(dir, "mail", fmt.Sprintf("%08d.seg", len(segs)+1))); err != nil {
		t.Errorf("new mail after a restart does not start a new segment: %v", err)
	}
}

func TestDamagedMailIsReported(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	id := spoolAndCommit(t, st, []byte("Subject: x\r\n\r\nthe text\r\n"))
	seg := filepath.Join(dir, "mail", "00000001.seg")
	b, _ := os.ReadFile(seg)
	b[len(b)-3] ^= 0x20
	os.WriteFile(seg, b, 0o600)
	if _, err := getRaw(st, id); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("GetRaw of a damaged mail: %v, want a checksum error", err)
	}
}

// Received mail stays out of Badger's files: Badger maps its value log into
// the process, so every byte of mail written there stayed in the gateway's
// RSS.
func TestSpoolKeepsMailOutOfBadger(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	marker := []byte("a line only this customer wrote")
	body := append(bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16), marker...)
	for range 16 {
		spoolAndCommit(t, st, body)
	}
	files, _ := os.ReadDir(filepath.Join(dir, "store"))
	if len(files) == 0 {
		t.Fatal("no files in the store")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, "store", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, marker) {
			t.Errorf("Badger's %s holds the mail", f.Name())
		}
	}
}

// The commit that records where a mail is syncs the segment first.
func TestCommitSyncsTheSpool(t *testing.T) {
	st := openSpooled(t, t.TempDir())
	mail, err := st.Spool([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if !spoolDirty(st) {
		t.Fatal("after Spool the segment is not waiting for its sync")
	}
	if err := st.Update(context.Background(), func(txn *Txn) error {
		return txn.PutMessage(&Message{ID: NewID(time.Now())}, mail)
	}); err != nil {
		t.Fatal(err)
	}
	if spoolDirty(st) {
		t.Error("the record committed but its mail was not synced")
	}
}

func TestInMemoryStoreKeepsMailInBadger(t *testing.T) {
	st, err := Open("", Options{InMemory: true, SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id := spoolAndCommit(t, st, []byte("a"), []byte("b"))
	if raw, err := getRaw(st, id); err != nil || string(raw) != "ab" {
		t.Errorf("GetRaw = %q, %v", raw, err)
	}
}

// Mail the gateway makes inside a transaction (acknowledgements, replies)
// goes to the spool too, synced by that transaction's commit, and none of
// its bytes reach Badger's files; an in-memory store keeps it in Badger.
func TestPutRawSpoolsInsideTheCommit(t *testing.T) {
	dir := t.TempDir()
	st := openSpooled(t, dir)
	marker := "an acknowledgement only this test wrote"
	raw := []byte("Subject: ack\r\n\r\n" + strings.Repeat(marker+"\r\n", 200))
	var ids []string
	for range 16 {
		id := NewID(time.Now())
		if err := st.Update(context.Background(), func(txn *Txn) error { return txn.PutRaw(id, raw) }); err != nil {
			t.Fatal(err)
		}
		if spoolDirty(st) {
			t.Fatal("PutRaw's commit returned before its mail was synced")
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		if got, err := getRaw(st, id); err != nil || !bytes.Equal(got, raw) {
			t.Fatalf("GetRaw(%s) = %d bytes, %v; want the %d written", id, len(got), err, len(raw))
		}
	}
	files, _ := os.ReadDir(filepath.Join(dir, "store"))
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, "store", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(marker)) {
			t.Errorf("Badger's %s holds the acknowledgement", f.Name())
		}
	}

	mem, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	id := NewID(time.Now())
	if err := mem.Update(context.Background(), func(txn *Txn) error { return txn.PutRaw(id, raw) }); err != nil {
		t.Fatal(err)
	}
	if got, err := getRaw(mem, id); err != nil || !bytes.Equal(got, raw) {
		t.Errorf("in memory: GetRaw = %d bytes, %v", len(got), err)
	}
}

// spoolDirty reports whether the current segment has writes not yet synced.
func spoolDirty(st *Store) bool {
	st.spool.mu.Lock()
	defer st.spool.mu.Unlock()
	return st.spool.cur != nil && st.spool.cur.dirty
}

// Mail of at most InlineMail bytes goes into Badger with its record: a
// commit that carries only such mail makes no fsync of a spool segment
// (Badger syncs its own logs on every commit anyway). Larger mail, and a
// store with InlineMail 0, spool as before.
func TestInlineMailSkipsTheSpoolAndItsSync(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail"), InlineMail: 1024})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	small := []byte("Subject: hi\r\n\r\n" + strings.Repeat("x", 900) + "\r\n")
	id := spoolAndCommit(t, st, []byte("Received: by us\r\n"), small)
	ackID := NewID(time.Now())
	if err := st.Update(context.Background(), func(txn *Txn) error { return txn.PutRaw(ackID, small) }); err != nil {
		t.Fatal(err)
	}
	if raw, err := getRaw(st, id); err != nil || string(raw) != "Received: by us\r\n"+string(small) {
		t.Errorf("GetRaw(inline mail) = %d bytes, %v", len(raw), err)
	}
	if raw, err := getRaw(st, ackID); err != nil || !bytes.Equal(raw, small) {
		t.Errorf("GetRaw(inline PutRaw) = %d bytes, %v", len(raw), err)
	}
	if n := st.Stats().SpoolSyncs; n != 0 {
		t.Errorf("%d spool fsyncs after two commits of inline mail; want 0", n)
	}
	if segs, _ := filepath.Glob(filepath.Join(dir, "mail", "*.seg")); len(segs) != 0 {
		t.Errorf("segments %v after inline mail only", segs)
	}

	large := []byte("Subject: big\r\n\r\n" + strings.Repeat("y", 1100) + "\r\n")
	id2 := spoolAndCommit(t, st, large)
	if raw, err := getRaw(st, id2); err != nil || !bytes.Equal(raw, large) {
		t.Errorf("GetRaw(spooled mail) = %d bytes, %v", len(raw), err)
	}
	if n := st.Stats().SpoolSyncs; n != 1 {
		t.Errorf("%d spool fsyncs after one commit of spooled mail; want 1", n)
	}

	// Under load small mail spools: another Update on its way will share
	// the commit, or spooled mail waits for its sync anyway.
	st.waiting.Add(1)
	if m, err := st.Spool(small); err != nil || m.data != nil {
		t.Errorf("Spool with another Update on its way kept the mail inline (%v)", err)
	}
	st.waiting.Add(-1)
	pending, err := st.Spool(large) // written, its commit not yet made
	if err != nil || pending.data != nil {
		t.Fatalf("large mail not spooled: %v", err)
	}
	ack2 := NewID(time.Now())
	err = st.Update(context.Background(), func(txn *Txn) error {
		if err := txn.PutMessage(&Message{ID: NewID(time.Now())}, pending); err != nil {
			return err
		}
		return txn.PutRaw(ack2, small)
	})
	if err != nil {
		t.Fatal(err)
	}
	st.View(func(txn *Txn) error {
		v, err := txn.Get([]byte(PrefixRaw + ack2))
		if _, ok := decodeSpooled(v); err != nil || !ok {
			t.Errorf("PutRaw beside spooled mail kept its mail inline (%v)", err)
		}
		return nil
	})

	// InlineMail 0 (openSpooled): every mail spools.
	dir2 := t.TempDir()
	st2 := openSpooled(t, dir2)
	spoolAndCommit(t, st2, small)
	if n := st2.Stats().SpoolSyncs; n != 1 {
		t.Errorf("InlineMail 0: %d spool fsyncs after one commit; want 1", n)
	}
}

// serve's start-up Check reads no mail, but finds mail whose segment is
// gone or cut short (a spool moved away, a volume not mounted): started
// regardless, every queued mail in it failed for good. Mail present but
// damaged is left to Check with Mail (its CRC).
func TestCheckFindsSpoolMailMissing(t *testing.T) {
	for _, c := range []struct {
		name    string
		damage  func(t *testing.T, mail string)
		missing int
		want    string
	}{
		{"intact", func(*testing.T, string) {}, 0, ""},
		{"segment deleted", func(t *testing.T, mail string) {
			if err := os.Remove(filepath.Join(mail, "00000001.seg")); err != nil {
				t.Fatal(err)
			}
		}, 2, "is missing"},
		{"spool deleted", func(t *testing.T, mail string) {
			if err := os.RemoveAll(mail); err != nil {
				t.Fatal(err)
			}
		}, 2, "is missing"},
		{"segment cut in the second mail", func(t *testing.T, mail string) {
			if err := os.Truncate(filepath.Join(mail, "00000001.seg"), 150); err != nil {
				t.Fatal(err)
			}
		}, 1, "is cut short: 150 bytes"},
		{"a byte changed", func(t *testing.T, mail string) {
			f, err := os.OpenFile(filepath.Join(mail, "00000001.seg"), os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt([]byte("X"), 5)
			f.Close()
		}, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
			if err != nil {
				t.Fatal(err)
			}
			spoolAndCommit(t, st, bytes.Repeat([]byte("a"), 100))
			spoolAndCommit(t, st, bytes.Repeat([]byte("b"), 100))
			st.Close()
			c.damage(t, filepath.Join(dir, "mail"))
			st = openSpooled(t, dir)
			r, err := st.Check(context.Background(), CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Problems) != c.missing {
				t.Fatalf("%d problems, want %d: %+v", len(r.Problems), c.missing, r.Problems)
			}
			for _, p := range r.Problems {
				if !p.Missing || p.What != "mail" || !strings.HasPrefix(p.Key, PrefixRaw) || !strings.Contains(p.Err, c.want) {
					t.Errorf("problem %+v; want mail missing, %q", p, c.want)
				}
			}
		})
	}
}
