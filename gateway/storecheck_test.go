package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
