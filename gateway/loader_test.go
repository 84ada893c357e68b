package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/message"
)

// TestLoadFilesBesideARunningServer: with the store held by a running
// server, the dry run is the catalog alone and NotLearned says why in the
// admin's words. Before, it was Badger's "Cannot acquire directory lock
// on …  Another process is using this Badger database".
func TestLoadFilesBesideARunningServer(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	st, err := openDataStore(cfg.DataDir, "", false, nil) // the running server's
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f, err := LoadFiles(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.NotLearned == nil || !strings.Contains(f.NotLearned.Error(), "in use by a running server") || strings.Contains(f.NotLearned.Error(), "Badger") {
		t.Errorf("NotLearned: %v", f.NotLearned)
	}
}

// TestLoadFilesAsksTheRunningServer: with the store held by a running
// server, the dry run (rules test, faq suggest) takes the examples from
// that server's API, so it still shows what serve does: a mail in the
// words an agent moved to finance is about finance. Before, it was the
// catalog alone.
func TestLoadFilesAsksTheRunningServer(t *testing.T) {
	_, _, url, _ := learnAPIServer(t, nil, learnExamples()...)
	cfg := config.Default()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	cfg.HTTP.Listen = strings.TrimPrefix(url, "http://")
	st, err := openDataStore(cfg.DataDir, "", false, nil) // the running server's
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := os.WriteFile(filepath.Join(cfg.DataDir, "api.token"), []byte("tok\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := LoadFiles(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.NotLearned != nil {
		t.Fatalf("NotLearned: %v", f.NotLearned)
	}
	if n, _ := f.FAQ.Examples(); n != 3 {
		t.Errorf("the dry run ranks with %d examples, want the server's 3", n)
	}
	m, _ := message.Parse([]byte("From: x@customer.test\r\nSubject: zorblax gizmo\r\n\r\nmy zorblax gizmo quibbled again\r\n"))
	if tp := f.FAQ.Topics(m); len(tp) == 0 || tp[0].Department != "finance" {
		t.Errorf("topics %+v, want finance as the agent taught", tp)
	}
}
