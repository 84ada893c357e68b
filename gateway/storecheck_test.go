package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/store"
)

// The highest ticket number named anywhere in the spool, whatever the
// case and wherever a 1 MiB read cuts the segment.
func TestMaxTicketInSpool(t *testing.T) {
	dir := t.TempDir()
	writeAt := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	head := "Subject: [SUP-1002] a\r\nTo: support+sup-1009@x\r\n"
	// The first read ends inside "SUP-4711".
	big := strings.Repeat("x", 1<<20-len(head)-5) + " SUP-4711 "
	writeAt(filepath.Join(dir, "00000001.seg"), head+big)
	writeAt(filepath.Join(dir, "00000002.seg"), "X-Frontdesk-Ticket: SUP-1003\r\nSUPPORT-99999 ABC-5000\r\n")
	writeAt(filepath.Join(dir, "notes.txt"), "SUP-9999")
	n, err := maxTicketInSpool(dir, "SUP")
	if err != nil || n != 4711 {
		t.Fatalf("maxTicketInSpool = %d, %v; want 4711", n, err)
	}
	os.RemoveAll(dir)
	if n, err := maxTicketInSpool(dir, "SUP"); err != nil || n != 0 {
		t.Errorf("no spool: %d, %v", n, err)
	}
}

// A repair that lost the store and store.json keeps ticket numbers above
// the mark of the identity file's copy in the spool, though the mail that
// named them was kept inline in the lost store (store.inline_mail).
func TestRaiseTicketFloorFromSpoolMarks(t *testing.T) {
	dataDir := t.TempDir()
	o := StoreOptions(dataDir, true, nil)
	st, err := store.Open(filepath.Join(dataDir, "store"), o)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RaiseSequence(TicketSeqKey, 42); err != nil {
		t.Fatal(err)
	}
	st.Close()
	os.RemoveAll(filepath.Join(dataDir, "store"))
	os.Remove(o.IdentityFile)
	o.Repair = true
	st, err = store.Open(filepath.Join(dataDir, "store"), o)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var res StoreRepair
	if err := raiseTicketFloor(st, o.SpoolDir, "SUP", &res); err != nil {
		t.Fatal(err)
	}
	if res.TicketFloor != TicketBase+42 {
		t.Errorf("TicketFloor = %d; want %d", res.TicketFloor, TicketBase+42)
	}
}

// A store.json that does not parse is a data dir only a backup or `store
// check --repair` mends: serve exits with ExitNeedsRecovery, which the
// systemd unit does not restart into. Before, it was an ordinary error
// (exit 1), and systemd restarted serve into the same refusal forever.
func TestDamagedIdentityNeedsRecovery(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "store.json"), []byte("garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := openDataStore(dir, "", false, nil)
	if err == nil || !NeedsRecovery(err) || !strings.Contains(err.Error(), "store.json is damaged") {
		t.Fatalf("open with a damaged store.json: %v; want an error that needs recovery and names the file", err)
	}
	if w := WithRecovery(err, "f.yaml"); strings.Contains(w.Error(), "to recover:") {
		t.Errorf("WithRecovery adds advice that --repair refuses: %v", w)
	}
}

// A data_dir that is a symbolic link to nothing (a volume not mounted) is
// named as such; before, serve said "data dir: mkdir DIR: file exists".
func TestDataDirDanglingSymlink(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	target := filepath.Join(t.TempDir(), "volume", "frontdesk")
	if err := os.Symlink(target, dir); err != nil {
		t.Fatal(err)
	}
	err := makeDataDir(dir)
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link to "+target+", which does not exist") {
		t.Errorf("err = %v, want it to name the link and its missing target", err)
	}
	if err := makeDataDir(filepath.Join(t.TempDir(), "a", "b")); err != nil {
		t.Errorf("a new data dir: %v", err)
	}
}
