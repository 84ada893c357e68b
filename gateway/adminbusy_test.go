package gateway

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/store"
)

// TestAdminStoreHeldByAnotherCommand: when the store's lock is held by a
// process that answers no API (another admin command on the stopped data
// dir, or a server run with another config), an admin command says so,
// naming the data dir and where it asked; before, `retention run` printed
// "the server is running" and a bare "connection refused" while a second
// `frontdesk customers erase` held the store.
func TestAdminStoreHeldByAnotherCommand(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "store"), StoreOptions(dir, false, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody answers there now

	// No api.token: the server that would have written it never ran.
	if _, err := OpenAdminAt(dir, addr, ""); err == nil || !strings.Contains(err.Error(), "another frontdesk command") {
		t.Errorf("without a token: err = %v, want one saying another frontdesk command may hold the store", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "api.token"), []byte("tok\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := OpenAdminAt(dir, addr, "")
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"tickets list": func() error { _, err := a.Tickets(context.Background(), "", "", ""); return err },
		"queue list":   func() error { _, err := a.QueueList(context.Background()); return err },
		"erase": func() error {
			_, err := a.Erase(context.Background(), "x@customer.test", "t", true)
			return err
		},
	} {
		err := call()
		for _, want := range []string{dir, "another frontdesk command", "http://" + addr} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err = %v, want it to mention %q", name, err, want)
			}
		}
	}
}

// A second serve on a data dir another frontdesk process holds says so;
// before, Badger's "Cannot acquire directory lock … Another process is
// using this Badger database" was all it printed.
func TestServeStoreHeldByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "store"), StoreOptions(dir, false, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = OpenStore(context.Background(), &config.Config{}, dir, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "the store of "+dir+" is in use by another frontdesk process") || NeedsRecovery(err) {
		t.Errorf("err = %v, want one saying another frontdesk process holds the store (and not needing recovery)", err)
	}
}
