package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
)

// TestLoadFilesBesideARunningServer: with the store held by a running
// server, the dry run leaves the stored examples out and NotLearned says why in the
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
	off := false
	cfg.Learn.Starter = &off                              // the server's examples alone, to count them
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

// TestLoadFilesStarterExamples: a dry run on embedded defaults ranks with
// the starter examples, as serve does; learn.starter: false and a catalog
// they were not labelled for leave them out (true puts them back), and
// learning off uses no example at all.
func TestLoadFilesStarterExamples(t *testing.T) {
	starter, err := learn.Starter()
	if err != nil {
		t.Fatal(err)
	}
	own := gizmoCatalog(t)
	yes, no := true, false
	for _, c := range []struct {
		name    string
		faqFile string
		starter *bool
		learn   *bool
		want    int
	}{
		{"embedded defaults", "", nil, nil, len(starter)},
		{"starter off", "", &no, nil, 0},
		{"learning off", "", nil, &no, 0},
		{"another catalog", own, nil, nil, 0},
		{"another catalog, starter on", own, &yes, nil, len(starter)},
	} {
		cfg := config.Default()
		cfg.DataDir = filepath.Join(t.TempDir(), "none") // no store: the starter examples alone
		cfg.FAQFile = c.faqFile
		cfg.Learn.Starter, cfg.Learn.Enabled = c.starter, c.learn
		f, err := LoadFiles(cfg, true)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n, _ := f.FAQ.Examples(); n != c.want {
			t.Errorf("%s: %d examples, want %d", c.name, n, c.want)
		}
	}
}

// gizmoCatalog writes a one-entry FAQ catalog that is not the demo's
// (the starter examples do not fit it) and returns its path.
func gizmoCatalog(t *testing.T) string {
	t.Helper()
	own := filepath.Join(t.TempDir(), "faq.yaml")
	if err := os.WriteFile(own, []byte("- id: gizmo-reset\n  url: https://help.example/gizmo-reset\n  departments: [support]\n  en:\n    title: How do I reset my gizmo?\n    answer: Hold the button for ten seconds.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return own
}
