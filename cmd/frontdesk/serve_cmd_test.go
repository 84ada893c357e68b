package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/gateway"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// A server that cannot start because a file it loads is broken prints
// that file's errors one per line, file:line:col first, besides its log
// line; an argument serve does not take is a usage error.
func TestServeStartupErrorsOnePerLine(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "tpl"), 0o755)
	os.WriteFile(filepath.Join(dir, "tpl", "ack.en.txt"), []byte("Hello {{.Nope}}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "tpl", "ack.zh.txt"), []byte("您好\n{{.TicketTag\n"), 0o644)
	cfg := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("data_dir: data\ntemplates_dir: tpl\nsmtp: {listen: %s}\nhttp: {listen: %s}\n", freeAddr(t), freeAddr(t))), 0o644)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"serve", "-c", cfg}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, errb.String())
	}
	lines := strings.Split(errb.String(), "\n")
	want := []string{
		filepath.Join(dir, "tpl", "ack.en.txt") + ":1:",
		filepath.Join(dir, "tpl", "ack.zh.txt") + ":3:1:",
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimPrefix(l, "frontdesk serve: "), w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no line starting with %q in stderr:\n%s", w, errb.String())
		}
	}

	errb.Reset()
	if code := run(context.Background(), []string{"serve", "frontdesk.yaml"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), `unexpected argument "frontdesk.yaml"`) {
		t.Errorf("serve frontdesk.yaml: exit %d, stderr %q; want 2 and the argument named", code, errb.String())
	}
}

// A lost store makes serve exit with gateway.ExitNeedsRecovery, the
// status the systemd unit does not restart on, and name the repair; a
// usage error stays 2 and other start-up failures 1.
func TestServeLostStoreExitStatus(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfgPath, []byte(fmt.Sprintf("data_dir: data\nsmtp: {listen: %s}\nhttp: {listen: %s}\n", freeAddr(t), freeAddr(t))), 0o644)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(context.Background(), gateway.Options{Config: cfg, Registry: prometheus.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	g.Close()
	if err := os.RemoveAll(filepath.Join(dir, "data", "store")); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "-c", cfgPath}, &out, &errb)
	if code != gateway.ExitNeedsRecovery || code == 1 || code == 2 || !strings.Contains(errb.String(), "frontdesk store check --repair -c "+cfgPath) {
		t.Fatalf("serve on a data dir whose store was deleted: exit %d, want %d with the repair command; stderr:\n%s", code, gateway.ExitNeedsRecovery, errb.String())
	}
}
