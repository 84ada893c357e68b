package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/pgdsn"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/web"
)

// statusKeyKey is where a PostgreSQL store keeps the status-page key, so
// that every node signs and verifies the same status links.
const statusKeyKey = store.PrefixMisc + "status-key"

// loadStatusKey is the status-page key: data_dir/status.key beside a
// Badger store; in a PostgreSQL store, the one the first node made.
func loadStatusKey(ctx context.Context, st *store.Store, dataDir string) ([]byte, error) {
	if !st.Postgres() {
		return web.LoadOrCreateKey(dataDir)
	}
	var key []byte
	// Two nodes starting at once both find none and both write: the
	// database lets one commit and runs the other again, which then
	// reads the first one's key.
	err := st.Update(ctx, func(txn *store.Txn) error {
		k, err := txn.Get([]byte(statusKeyKey))
		if errors.Is(err, store.ErrNotFound) {
			key = web.NewKey()
			return txn.Set([]byte(statusKeyKey), key)
		}
		if err == nil && !web.ValidKey(k) {
			err = fmt.Errorf("%s in the store has %d bytes: not a status-page key", statusKeyKey, len(k))
		}
		key = k
		return err
	})
	return key, err
}

// CopyProgress is how far `store copy` is.
type CopyProgress = store.CopyProgress

// StoreCopy is what `store copy` did.
type StoreCopy struct {
	From      string        `json:"from"`
	To        string        `json:"to"` // password masked
	Schema    int           `json:"schema_version"`
	Source    store.Counts  `json:"source"`
	Copied    store.Counts  `json:"copied"`
	StatusKey bool          `json:"status_key"` // data_dir/status.key was copied
	Elapsed   time.Duration `json:"elapsed_ns"`
}

// WriteText prints the copy's counts for people.
func (c *StoreCopy) WriteText(w io.Writer) {
	fmt.Fprintf(w, "copied %s into %s (schema version %d) in %s\n", c.From, c.To, c.Schema, c.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "%-18s %10s %10s\n", "", "store", "database")
	for _, r := range []struct {
		name string
		a, b int64
	}{{"mails", c.Source.Mails, c.Copied.Mails}, {"messages", c.Source.Messages, c.Copied.Messages},
		{"tickets", c.Source.Tickets, c.Copied.Tickets}, {"deadlines", c.Source.Deadlines, c.Copied.Deadlines},
		{"queue items", c.Source.QueueItems, c.Copied.QueueItems}, {"learned examples", c.Source.Learned, c.Copied.Learned},
		{"keys in all", c.Source.Keys, c.Copied.Keys}} {
		fmt.Fprintf(w, "%-18s %10d %10d\n", r.name, r.a, r.b)
	}
	for k, v := range c.Source.Sequences {
		fmt.Fprintf(w, "sequence %s: next %d, in the database %d\n", k, v, c.Copied.Sequences[k])
	}
	fmt.Fprintf(w, "%s still holds the Badger store and its mail (store/, mail/): once the nodes serve from the database, "+
		"delete them (or move them off the host); erasures and retention do not reach them\n", c.From)
	if c.StatusKey {
		fmt.Fprintln(w, "status-page key: copied (status links already mailed keep working)")
	} else {
		fmt.Fprintln(w, "status-page key: none in the data dir; the first node makes one")
	}
}

// CopyStore copies the Badger store of a stopped install in dataDir, its
// spooled mail and its status-page key into the empty PostgreSQL
// database at dsn, creating the schema there if it has none
// (`frontdesk store copy`), and verifies the counts.
func CopyStore(ctx context.Context, dataDir, dsn string, progress func(CopyProgress)) (*StoreCopy, error) {
	if err := pgdsn.Check(dsn); err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(dataDir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--from %s: no such directory: give the data_dir of the stopped Badger install (where its store/ is)", dataDir)
	}
	if err := CheckDataDir(dataDir); err != nil {
		return nil, fmt.Errorf("--from %s: %w (give the data_dir of the stopped Badger install, where its store/ is)", dataDir, err)
	}
	res := &StoreCopy{From: dataDir, To: pgdsn.Redact(dsn)}
	start := time.Now()
	src, err := store.Open(filepath.Join(dataDir, "store"), StoreOptions(dataDir, true, nil))
	if err != nil {
		if storeInUse(err) {
			return nil, fmt.Errorf("the store of %s is in use by a running server: stop it first (a copy must see everything the server accepted)", dataDir)
		}
		return nil, WithRecovery(err, "")
	}
	defer src.Close()
	if err := store.Migrate(ctx, dsn); err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	res.Schema = store.SchemaVersion
	dst, err := store.Open("", store.Options{DSN: dsn})
	if err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	defer dst.Close()
	if res.Source, res.Copied, err = src.CopyInto(ctx, dst, progress); err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	key, err := web.ReadKey(dataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("status-page key: %w", err)
	default:
		if err := dst.Update(ctx, func(txn *store.Txn) error { return txn.Set([]byte(statusKeyKey), key) }); err != nil {
			return nil, pgdsn.Err(fmt.Errorf("status-page key: %w", err), dsn)
		}
		res.StatusKey = true
	}
	if err := dst.FinishCopy(ctx); err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}
