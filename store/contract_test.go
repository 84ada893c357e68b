package store_test

import (
	"path/filepath"
	"testing"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
)

// TestBadgerContract runs the store contract against the Badger store as
// serve opens it: synced writes, the spool of mail beside it and the
// identity file that keeps sequences from repeating.
func TestBadgerContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dir string) *store.Store {
		s, err := store.Open(filepath.Join(dir, "store"), store.Options{
			SyncWrites:   true,
			SpoolDir:     filepath.Join(dir, "mail"),
			IdentityFile: filepath.Join(dir, "store.json"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
