package gateway

import (
	"net"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
)

// TestDryRunBesideAStoreNoServerAnswersFor: a store held where no server
// answers is said once, with what follows for the dry run, not nested in
// a second sentence about an API that did not answer.
func TestDryRunBesideAStoreNoServerAnswersFor(t *testing.T) {
	dir := t.TempDir()
	if _, err := EnsureAPIToken("", dir); err != nil {
		t.Fatal(err)
	}
	st, err := openDataStore(dir, "", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody answers there
	cfg := &config.Config{DataDir: dir}
	cfg.HTTP.Listen = addr
	_, err = learnedExamples(cfg)
	if err == nil {
		t.Fatal("no error beside a held store")
	}
	msg := err.Error()
	if strings.Count(msg, "is in use") != 1 || strings.Contains(msg, "did not answer") || !strings.Contains(msg, "no server answers at http://"+addr) || !strings.HasSuffix(msg, "the dry run leaves the examples stored there out") {
		t.Errorf("error %q", msg)
	}
}
