package gateway

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
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
