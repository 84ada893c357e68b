package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openSpooled(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	spool := filepath.Join(dir, "mail")
	st, err := Open(filepath.Join(dir, "store"), Options{SyncWrites: true, SpoolDir: spool})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, spool
}

func getRaw(st *Store, id string) (raw []byte, err error) {
	err = st.View(func(txn *Txn) error {
		raw, err = txn.GetRaw(id)
		return err
	})
	return raw, err
}

func TestSpoolWritesOneFilePerMessage(t *testing.T) {
	st, spool := openSpooled(t)
	at := time.Date(2026, 11, 23, 23, 59, 59, 0, time.FixedZone("CST", 8*3600)) // 15:59 UTC
	id := NewID(at)
	if err := st.Spool(context.Background(), id, []byte("Received: by us\r\n"), []byte("Subject: hi\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(spool, "2026-11-23", id+".eml")
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("the mail is not at %s: %v", p, err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600: mail is private", fi.Mode().Perm())
	}
	want := "Received: by us\r\nSubject: hi\r\n\r\nbody\r\n"
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Errorf("file holds %q, want %q", b, want)
	}
	raw, err := getRaw(st, id)
	if err != nil || string(raw) != want {
		t.Errorf("GetRaw = %q, %v; want %q", raw, err, want)
	}
	// An id is spooled once: a second write would replace committed mail.
	if err := st.Spool(context.Background(), id, []byte("other")); err == nil {
		t.Error("spooling the same id twice succeeded")
	}
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Errorf("after the refused second write the file holds %q", b)
	}
}

func TestUnspoolRemovesTheMail(t *testing.T) {
	st, _ := openSpooled(t)
	id := NewID(time.Now())
	if err := st.Spool(context.Background(), id, []byte("Subject: x\r\n\r\ny\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := st.Unspool(id); err != nil {
		t.Fatal(err)
	}
	if _, err := getRaw(st, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetRaw after Unspool: %v, want ErrNotFound", err)
	}
	if err := st.Unspool(id); err != nil {
		t.Errorf("a second Unspool: %v, want nil", err)
	}
}

// Mail the gateway wrote itself, and received mail stored before the spool
// existed, live in Badger under PrefixRaw; GetRaw finds both.
func TestGetRawReadsBadgerFirst(t *testing.T) {
	st, _ := openSpooled(t)
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

func TestSpoolBadIDs(t *testing.T) {
	st, _ := openSpooled(t)
	for _, id := range []string{"", "short", "zzzzzzzzzzzzzzzzzzzzzzzz", "../../etc/passwd0000000000"} {
		if err := st.Spool(context.Background(), id, []byte("x")); err == nil {
			t.Errorf("Spool(%q) succeeded", id)
		}
	}
}

// Received mail stays out of Badger's files: Badger maps its value log into
// the process, so every byte of mail written there stayed in the gateway's
// RSS.
func TestSpoolKeepsMailOutOfBadger(t *testing.T) {
	st, spool := openSpooled(t)
	marker := []byte("a line only this customer wrote")
	body := append(bytes.Repeat([]byte("0123456789abcdef"), 64<<10/16), marker...)
	for range 16 {
		id := NewID(time.Now())
		if err := st.Spool(context.Background(), id, body); err != nil {
			t.Fatal(err)
		}
		if err := st.Update(context.Background(), func(txn *Txn) error {
			return txn.PutMessage(&Message{ID: id, Size: len(body), Subject: "hello"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(filepath.Dir(spool), "store")
	files, _ := os.ReadDir(dir)
	if len(files) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, marker) {
			t.Errorf("Badger's %s holds the mail", f.Name())
		}
	}
}

func TestInMemoryStoreKeepsMailInBadger(t *testing.T) {
	st, err := Open("", Options{InMemory: true, SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id := NewID(time.Now())
	if err := st.Spool(context.Background(), id, []byte("a"), []byte("b")); err != nil {
		t.Fatal(err)
	}
	if raw, err := getRaw(st, id); err != nil || string(raw) != "ab" {
		t.Errorf("GetRaw = %q, %v", raw, err)
	}
	if err := st.Unspool(id); err != nil {
		t.Fatal(err)
	}
	if _, err := getRaw(st, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Unspool: %v", err)
	}
}

// A spooled file's name is made durable by the commit of its record: the
// committer syncs the directory before the transaction commits.
func TestCommitSyncsSpoolDirectories(t *testing.T) {
	st, spool := openSpooled(t)
	id := NewID(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
	if err := st.Spool(context.Background(), id, []byte("x")); err != nil {
		t.Fatal(err)
	}
	day := filepath.Join(spool, "2026-11-23")
	pending := func() bool {
		st.spool.mu.Lock()
		defer st.spool.mu.Unlock()
		_, ok := st.spool.dirty[day]
		return ok
	}
	if !pending() {
		t.Fatal("after Spool the day directory is not waiting for its sync")
	}
	if err := st.Update(context.Background(), func(txn *Txn) error {
		return txn.PutMessage(&Message{ID: id})
	}); err != nil {
		t.Fatal(err)
	}
	if pending() {
		t.Error("the record committed but its directory was not synced")
	}
}
