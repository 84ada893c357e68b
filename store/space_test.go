package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// A full disk fails writes; it never kills the process. Badger maps its
// value log and memtable files and writes through the mapping: a page of a
// sparse file that the filesystem cannot back is a SIGBUS, which killed
// the gateway in 3 of 4 runs of an outside test. Every commit that
// returned nil is readable after a reopen.
func TestFullDiskNeverCrashes(t *testing.T) {
	root := testenv.SmallFS(t, 160<<20)
	d := dataDir{root}
	o := d.opts()
	o.SyncWrites = false // tmpfs: nothing to sync, and the test is about space
	// Small value-log files, so that the reserve (72 MiB with them) leaves
	// room to fill, and rotations happen while it fills.
	o.ValueLogFileSize = 4 << 20
	st, err := Open(d.store(), o)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu        sync.Mutex
		committed []string
		failures  atomic.Int64
		otherErr  atomic.Value
	)
	mail := []byte("Subject: x\r\n\r\n" + strings.Repeat("mail body ", 10_000)) // 100 KB
	record := []byte(`{"timeline":"` + strings.Repeat("t", 4000) + `"}`)        // value-log sized
	var wg sync.WaitGroup
	var n atomic.Int64
	for w := range 8 {
		wg.Go(func() {
			for failures.Load() < 200 {
				i := n.Add(1)
				id := fmt.Sprintf("m%d-%06d", w, i)
				p, err := st.Spool(mail)
				if err == nil {
					err = st.Update(context.Background(), func(txn *Txn) error {
						if err := txn.PutMessage(&Message{ID: id}, p); err != nil {
							return err
						}
						return txn.Set([]byte("t/"+id), record)
					})
				}
				if err != nil {
					if !errors.Is(err, ErrNoSpace) {
						otherErr.Store(err)
					}
					failures.Add(1)
					continue
				}
				mu.Lock()
				committed = append(committed, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := st.Close(); err != nil {
		t.Logf("close on a full disk: %v", err)
	}
	if e := otherErr.Load(); e != nil {
		t.Errorf("a write on a full disk failed with %v, want ErrNoSpace", e)
	}
	if len(committed) == 0 {
		t.Fatal("nothing committed")
	}
	t.Logf("%d committed before the disk was full", len(committed))
	// Nothing committed is lost or damaged.
	// Reopened with the reserve lowered, as an operator would after
	// making room.
	o.Reserve = 1 << 20
	st, err = Open(d.store(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(func(txn *Txn) error {
		for _, id := range committed {
			if raw, err := txn.GetRaw(id); err != nil || len(raw) != len(mail) {
				return fmt.Errorf("mail %s: %v", id, err)
			}
			if v, err := txn.Get([]byte("t/" + id)); err != nil || len(v) != len(record) {
				return fmt.Errorf("record %s: %v", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A disk that another program fills refuses the store's writes with
// ErrNoSpace, and takes them again once there is room, without a reopen.
func TestDiskFilledByAnotherProgramAndFreedAgain(t *testing.T) {
	root := testenv.SmallFS(t, 160<<20)
	d := dataDir{root}
	o := d.opts()
	o.SyncWrites = false
	o.ValueLogFileSize = 4 << 20
	st, err := Open(d.store(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	put := func(id string) error {
		p, err := st.Spool([]byte("Subject: x\r\n\r\nbody\r\n"))
		if err != nil {
			return err
		}
		return st.Update(context.Background(), func(txn *Txn) error {
			if err := txn.PutMessage(&Message{ID: id}, p); err != nil {
				return err
			}
			return txn.Set([]byte("t/"+id), []byte(strings.Repeat("r", 3000)))
		})
	}
	if err := put("before"); err != nil {
		t.Fatal(err)
	}
	// Fill the filesystem to the last block.
	ballast := root + "/ballast"
	f, err := os.Create(ballast)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	for i := range 20 {
		if err := put(fmt.Sprintf("full%d", i)); !errors.Is(err, ErrNoSpace) {
			t.Fatalf("write %d on a full disk: %v, want ErrNoSpace", i, err)
		}
	}
	if avail, _ := st.Available(); avail >= 0 {
		t.Errorf("Available() = %d on a full disk, want below 0", avail)
	}
	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	if err := put("after"); err != nil {
		t.Fatalf("after room was made: %v", err)
	}
	err = st.View(func(txn *Txn) error {
		for _, id := range []string{"before", "after"} {
			if _, err := txn.GetRaw(id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A filesystem out of inodes (bytes to spare) is a full disk, not a
// damaged store: Badger's "Cannot write pid file … no space left on
// device" carries ENOSPC only in its text. Before, Open called it
// ErrUnopenable, and serve told the operator to run `store check
// --repair`, which moves the whole store aside for a new lifetime.
func TestOpenWithoutInodesIsNoSpace(t *testing.T) {
	root := testenv.FewInodesFS(t, 400<<20, 200)
	d, o := madeAndClosed(t, root)
	junk := root + "/junk"
	if err := os.Mkdir(junk, 0o700); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		f, err := os.Create(fmt.Sprintf("%s/%d", junk, i))
		if err != nil {
			break
		}
		f.Close()
	}
	_, err := Open(d.store(), o)
	if !errors.Is(err, ErrNoSpace) || errors.Is(err, ErrUnopenable) {
		t.Fatalf("Open on a filesystem without a free inode: %v; want ErrNoSpace, not ErrUnopenable", err)
	}
	if err := os.RemoveAll(junk); err != nil {
		t.Fatal(err)
	}
	st, err := Open(d.store(), o)
	if err != nil {
		t.Fatalf("Open once inodes are free again: %v", err)
	}
	st.Close()
}

// madeAndClosed makes a store in a data dir at root (on a scratch
// filesystem: no syncs) and closes it, for a test of opening it again.
func madeAndClosed(t *testing.T, root string) (dataDir, Options) {
	t.Helper()
	d := dataDir{root}
	o := d.opts()
	o.SyncWrites = false
	st, err := Open(d.store(), o)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return d, o
}

func TestIsNoSpaceInText(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{errors.New(`Cannot write pid file "d/LOCK" err: open d/LOCK: no space left on device`), true},
		{fmt.Errorf("write: %w", syscall.ENOSPC), true},
		{errors.New("checksum mismatch"), false},
		{nil, false},
	} {
		if got := errors.Is(isNoSpace(tc.err), ErrNoSpace); got != tc.want {
			t.Errorf("isNoSpace(%v) is ErrNoSpace: %v, want %v", tc.err, got, tc.want)
		}
	}
}

// A store on a filesystem mounted read-only (or not writable, or with no
// file descriptor left) is not damaged: Open says what the system said,
// without ErrUnopenable, whose advice (`store check --repair`) moves the
// store aside. Badger's LOCK error carries the errno only in its text.
func TestOpenReadOnlyIsNotUnopenable(t *testing.T) {
	root := testenv.SmallFS(t, 200<<20)
	d, o := madeAndClosed(t, root)
	if err := syscall.Mount("", root, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatal(err)
	}
	_, err := Open(d.store(), o)
	if err == nil || errors.Is(err, ErrUnopenable) || !strings.Contains(err.Error(), "read-only file system") {
		t.Fatalf("Open on a read-only filesystem: %v; want the system's error, not ErrUnopenable", err)
	}
	for _, text := range []string{
		`Cannot write pid file "d/LOCK" err: open d/LOCK: permission denied`,
		`Cannot write pid file "d/LOCK" err: open d/LOCK: too many open files`,
	} {
		if !environmental(errors.New(text)) {
			t.Errorf("environmental(%q) = false", text)
		}
	}
	if environmental(errors.New("file does not exist for table 7")) {
		t.Error("a missing table is environmental")
	}
}
