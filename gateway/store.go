package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/pgdsn"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// StoreOptions are the options every command opens a data dir's store
// with: its spool and its identity file beside it.
func StoreOptions(dataDir string, sync bool, log *slog.Logger) store.Options {
	return store.Options{SyncWrites: sync, SpoolDir: filepath.Join(dataDir, "mail"),
		IdentityFile: filepath.Join(dataDir, "store.json"), Logger: log}
}

// storeDSN is the database cfg keeps its store in, "" for Badger.
func storeDSN(cfg *config.Config) string {
	if cfg.Store.Postgres() {
		return cfg.Store.DSN
	}
	return ""
}

// openDataStore opens the Badger store of dataDir, or, with dsn, the
// PostgreSQL database it names (the data dir then holds no store), with
// the DSN's password masked in any error.
func openDataStore(dataDir, dsn string, sync bool, log *slog.Logger) (*store.Store, error) {
	o := StoreOptions(dataDir, sync, log)
	if dsn != "" {
		o = store.Options{DSN: dsn, Logger: log}
	}
	st, err := store.Open(filepath.Join(dataDir, "store"), o)
	return st, pgdsn.Err(err, dsn)
}

// NeedsRecovery says that err is about a lost or damaged store: one that
// no restart mends, only a restored backup or `store check --repair`.
func NeedsRecovery(err error) bool {
	return errors.Is(err, store.ErrLost) || errors.Is(err, store.ErrIdentityDamaged) || errors.Is(err, store.ErrDamaged) || errors.Is(err, ErrStoreDamaged) || errors.Is(err, store.ErrUnopenable)
}

// ExitNeedsRecovery is the exit status of `frontdesk serve` when it
// refuses a lost or damaged store (NeedsRecovery). The systemd unit in
// deploy/ names it in RestartPreventExitStatus, so that systemd does not
// restart into the same refusal; it is not 1 (every other failure) nor 2
// (a usage error, and the status of a Go panic, which a restart should
// follow).
const ExitNeedsRecovery = 3

// WithRecovery adds what to do to an error that says the store is lost or
// damaged.
func WithRecovery(err error, cfgFile string) error {
	if !NeedsRecovery(err) || errors.Is(err, store.ErrIdentityDamaged) {
		// A damaged store.json says itself what to do: --repair
		// refuses it until it is restored or removed.
		return err
	}
	c := ""
	if cfgFile != "" {
		c = " -c " + cfgFile
	}
	return fmt.Errorf("%w\nto recover: restore the data dir from a backup (README: \"When the store is lost or damaged\"), or run `frontdesk store check --repair%s` to keep what is readable and go on with a new store lifetime", err, c)
}

var ErrStoreDamaged = errors.New("the store is damaged")

// StoreDecoders check the records of the packages that own them.
func StoreDecoders() map[string]func([]byte) error {
	return map[string]func([]byte) error{
		store.PrefixTicket: func(b []byte) error {
			var t ticket.Ticket
			if err := json.Unmarshal(b, &t); err != nil {
				return err
			}
			if t.Tag == "" || t.Created.IsZero() {
				return errors.New("ticket record without a tag or creation time")
			}
			return nil
		},
		store.PrefixQueue: func(b []byte) error {
			var it queue.Item
			if err := json.Unmarshal(b, &it); err != nil {
				return err
			}
			if it.ID == "" {
				return errors.New("queue item without an id")
			}
			return nil
		},
	}
}

// OpenStore opens the store for serve and reads every record in it
// (not the mail: that is `store check`), so that a damaged value log stops
// the start instead of turning up later as an empty ticket.
func OpenStore(ctx context.Context, cfg *config.Config, dataDir string, log *slog.Logger) (*store.Store, error) {
	if cfg.Store.Postgres() {
		// The database checks its own pages; Open has checked the schema.
		st, err := openDataStore(dataDir, cfg.Store.DSN, true, log)
		if err != nil {
			return nil, fmt.Errorf("store on PostgreSQL (%s): %w", cfg.Store.RedactedDSN(), err)
		}
		log.Info("store opened", "backend", "postgres", "database", cfg.Store.RedactedDSN(), "schema", store.SchemaVersion)
		return st, nil
	}
	o := StoreOptions(dataDir, cfg.Store.Sync(), log)
	o.InlineMail = cfg.Store.InlineMail
	st, err := store.Open(filepath.Join(dataDir, "store"), o)
	if storeInUse(err) {
		return nil, fmt.Errorf("the store of %s is in use by another frontdesk process (a server already running on this data dir, or an admin command: frontdesk queue, tickets, retention, customers, learn or store): stop it first: %w", dataDir, err)
	}
	if err != nil {
		return nil, WithRecovery(err, cfg.File)
	}
	last := time.Now()
	r, err := st.Check(ctx, store.CheckOptions{Decoders: StoreDecoders(), Progress: func(p store.CheckProgress) {
		if time.Since(last) > 10*time.Second {
			last = time.Now()
			log.Info("checking the store", "keys", p.Keys, "elapsed", p.Elapsed.Round(time.Second))
		}
	}})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("store check: %w", err)
	}
	log.Info("store checked", "keys", r.Keys, "elapsed", r.Elapsed.Round(time.Millisecond), "id", st.Identity().ID)
	if len(r.Problems) > 0 {
		st.Close()
		p := r.Problems[0]
		if p.Missing {
			// Put back, the spool delivers what is queued; started
			// regardless, every queued mail of it failed for good.
			return nil, WithRecovery(fmt.Errorf("%w: the spool %s lacks %d mail(s) the store records, the first %s: %s; if it was moved, or is on a volume not mounted, put it back",
				ErrStoreDamaged, o.SpoolDir, len(r.Problems), p.Key, p.Err), cfg.File)
		}
		return nil, WithRecovery(fmt.Errorf("%w: %d record(s) cannot be read, the first %s: %s", ErrStoreDamaged, len(r.Problems), p.Key, p.Err), cfg.File)
	}
	return st, nil
}

// StoreMigration is what `store migrate` did: the schema version before
// and after, and the version this build knows.
type StoreMigration struct {
	Database string `json:"database"` // the DSN, password masked
	Before   int    `json:"before"`   // 0: there was no schema
	After    int    `json:"after"`
	Known    int    `json:"known"`
}

// WriteText prints the migration for people.
func (m *StoreMigration) WriteText(w io.Writer) {
	switch {
	case m.Before == m.After:
		fmt.Fprintf(w, "%s: schema version %d, up to date\n", m.Database, m.After)
	case m.Before == 0:
		fmt.Fprintf(w, "%s: schema created, version %d\n", m.Database, m.After)
	default:
		fmt.Fprintf(w, "%s: schema upgraded from version %d to %d\n", m.Database, m.Before, m.After)
	}
}

// MigrateStore creates or upgrades the schema of cfg's PostgreSQL store
// (`frontdesk store migrate`); nodes still running the older build may
// refuse to start afterwards, never the other way round.
func MigrateStore(ctx context.Context, cfg *config.Config) (*StoreMigration, error) {
	if !cfg.Store.Postgres() {
		return nil, fmt.Errorf("store.backend is %s: only a PostgreSQL store has a schema to migrate", cfg.Store.Backend)
	}
	dsn := cfg.Store.DSN
	m := &StoreMigration{Database: cfg.Store.RedactedDSN(), Known: store.SchemaVersion}
	var err error
	if m.Before, err = store.SchemaVersionAt(ctx, dsn); err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	if err := store.Migrate(ctx, dsn); err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	if m.After, err = store.SchemaVersionAt(ctx, dsn); err != nil {
		return nil, pgdsn.Err(err, dsn)
	}
	return m, nil
}

// makeDataDir makes dataDir where there is none. A symbolic link to
// nothing (a volume not mounted) is said to be one: MkdirAll's own
// "mkdir DIR: file exists" named no reason.
func makeDataDir(dataDir string) error {
	err := os.MkdirAll(dataDir, 0o750)
	if err == nil {
		return nil
	}
	if fi, lerr := os.Lstat(dataDir); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, rerr := os.Readlink(dataDir); rerr == nil {
			if _, serr := os.Stat(dataDir); errors.Is(serr, fs.ErrNotExist) {
				return fmt.Errorf("data dir %s is a symbolic link to %s, which does not exist (a volume not mounted?)", dataDir, target)
			}
		}
	}
	return fmt.Errorf("data dir: %w", err)
}
