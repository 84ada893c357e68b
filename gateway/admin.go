package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/retention"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Admin is a data dir for the admin commands (queue, tickets, customers,
// retention): its store, opened as serve opens it, when the server is
// stopped, or the running server's HTTP API when that server holds the
// store's lock. Every method does the same thing either way.
type Admin struct {
	st          *store.Store        // nil: a running server answers
	notCustomer func(string) string // refuses erasing our own and staff addresses (stopped data dir)
	dataDir     string
	dsn         string // the PostgreSQL store's, "" for Badger
	baseURL     string
	token       string
}

// OpenAdminFile is OpenAdmin of the config at path (the embedded
// defaults when empty): the start of every command that reads a data dir.
// The checks (of the command's arguments against the config) run before
// the store is opened, so that a typo costs no store open.
func OpenAdminFile(path string, checks ...func(*config.Config) error) (*Admin, error) {
	cfg, err := config.LoadOrDefault(path)
	if err != nil {
		return nil, err
	}
	for _, check := range checks {
		if err := check(cfg); err != nil {
			return nil, err
		}
	}
	return OpenAdmin(cfg)
}

// OpenAdmin opens cfg's data dir, or its running server's API.
// A PostgreSQL store is opened beside the running servers: the database
// keeps their transactions and the admin's apart.
func OpenAdmin(cfg *config.Config) (*Admin, error) {
	if dsn := storeDSN(cfg); dsn != "" {
		st, err := openDataStore(cfg.DataDir, dsn, true, nil)
		if err != nil {
			return nil, err
		}
		return &Admin{st: st, dataDir: cfg.DataDir, dsn: dsn, notCustomer: adminNotCustomer(cfg)}, nil
	}
	a, err := OpenAdminAt(cfg.DataDir, cfg.HTTP.Listen, cfg.HTTP.APITokenFile)
	if err == nil {
		a.notCustomer = adminNotCustomer(cfg)
	}
	return a, err
}

// adminNotCustomer is notCustomer for a stopped data dir: cfg's own
// addresses and its rules file's staff (the embedded demo rules without
// one); a rules file that does not load leaves only the former.
func adminNotCustomer(cfg *config.Config) func(string) string {
	rs, err := loadFile(cfg.RulesFile, demoRules, rules.Load)
	if err != nil {
		return notCustomer(ours(cfg), nil)
	}
	return notCustomer(ours(cfg), func() *rules.Rules { return rs })
}

// OpenAdminAt opens the store in dataDir, or, when a running server holds
// its lock, that server's API at httpAddr with the token from tokenFile
// (data_dir/api.token when empty), as the server reads it.
func OpenAdminAt(dataDir, httpAddr, tokenFile string) (*Admin, error) {
	if err := CheckDataDir(dataDir); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(dataDir, "store"), StoreOptions(dataDir, true, nil))
	if err == nil {
		return &Admin{st: st, dataDir: dataDir}, nil
	}
	if !storeInUse(err) {
		return nil, WithRecovery(err, "")
	}
	return serverAdmin(dataDir, httpAddr, tokenFile)
}

// serverAdmin is the Admin of the running server that holds dataDir's
// store: its API at httpAddr with the token the server reads from
// tokenFile (data_dir/api.token when empty).
func serverAdmin(dataDir, httpAddr, tokenFile string) (*Admin, error) {
	tok, err := ReadAPIToken(APITokenPath(tokenFile, dataDir))
	if err != nil {
		return nil, fmt.Errorf("the store of %s is in use (by a running server, or another frontdesk command working on it: try again when it ends), and no server's API token can be read: %w", absPath(dataDir), err)
	}
	return &Admin{dataDir: dataDir, baseURL: "http://" + httpAddr, token: tok}, nil
}

// absPath is path made absolute for a message, or path when it cannot be.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// storeInUse says err is Badger's: another process holds the store.
func storeInUse(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Cannot acquire directory lock")
}

// CheckDataDir makes sure dataDir holds a store before it is opened:
// store.Open creates one where there is none, and the admin commands only
// read a server's data, so a wrong directory (the wrong working
// directory, a mistyped data_dir) would otherwise list an empty new store
// and leave it behind. Badger writes its MANIFEST when it creates a store,
// so a directory without one holds no store of ours. The messages name
// absolute paths: a relative one says nothing about where it was looked.
func CheckDataDir(dataDir string) error {
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	storeDir := filepath.Join(dataDir, "store")
	if fi, err := os.Stat(dataDir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no data dir %s: run this where the server keeps its data, or give the server's config with -c", dataDir)
	} else if err != nil {
		return fmt.Errorf("data dir: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("data dir %s is not a directory", dataDir)
	}
	if _, err := os.Stat(filepath.Join(storeDir, "MANIFEST")); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dataDir, "store.json")); err == nil {
			return nil // a store was here: store.Open says what became of it
		}
		return fmt.Errorf("no store in data dir %s (no %s): is this the data_dir of a server that has run?", dataDir, storeDir)
	} else if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// Running says a running server answers, not the store.
func (a *Admin) Running() bool { return a.st == nil }

// Close closes the store when it was opened.
func (a *Admin) Close() {
	if a.st != nil {
		a.st.Close()
	}
}

// QueueList is `queue list`: every queue item.
func (a *Admin) QueueList(ctx context.Context) ([]*queue.Item, error) {
	if a.st != nil {
		return queue.List(a.st)
	}
	var items []*queue.Item
	err := a.call(ctx, "GET", "/api/queue", &items)
	return items, err
}

// QueueRetry is `queue retry`: the items with ids (all when none) are due
// now; it returns how many.
func (a *Admin) QueueRetry(ctx context.Context, ids []string) (int, error) {
	if a.st != nil {
		return queue.Retry(ctx, a.st, time.Now(), ids...)
	}
	var res struct{ Retried int }
	err := a.call(ctx, "POST", "/api/queue/retry?ids="+strings.Join(ids, ","), &res)
	return res.Retried, err
}

// QueueDelete is `queue delete`.
func (a *Admin) QueueDelete(ctx context.Context, id string) error {
	if a.st != nil {
		return queue.Delete(ctx, a.st, id)
	}
	return a.call(ctx, "DELETE", "/api/queue/"+id, nil)
}

// Tickets is `tickets list`: the tickets with status, department and
// owner ("none": nobody's; each filter off when empty).
func (a *Admin) Tickets(ctx context.Context, status, dept, owner string) ([]*ticket.Ticket, error) {
	var ts []*ticket.Ticket
	var err error
	if a.st != nil {
		ts, err = ticket.List(a.st, status, dept)
	} else {
		q := url.Values{"status": {status}, "department": {dept}, "owner": {owner}}
		err = a.call(ctx, "GET", "/api/tickets?"+q.Encode(), &ts)
	}
	return ticket.ByOwner(ts, owner), err
}

// Ticket is `tickets show`: the ticket with tag.
func (a *Admin) Ticket(ctx context.Context, tag string) (*ticket.Ticket, error) {
	var t *ticket.Ticket
	var err error
	if a.st != nil {
		err = a.st.View(func(txn *store.Txn) error {
			var e error
			t, e = ticket.Get(txn, tag)
			return e
		})
	} else {
		err = a.call(ctx, "GET", "/api/tickets/"+url.PathEscape(strings.ToUpper(tag)), &t)
	}
	if err != nil && (ticket.IsNotFound(err) || strings.Contains(err.Error(), "404")) {
		err = errors.New("no such ticket " + tag)
	}
	return t, err
}

// Export is `customers export`: one customer's mail and tickets.
func (a *Admin) Export(ctx context.Context, addr string) (*customers.Export, error) {
	if a.st != nil {
		return customers.ExportOf(a.st, addr)
	}
	ex := new(customers.Export)
	err := a.call(ctx, "GET", "/api/customers/"+url.PathEscape(addr)+"/export", ex)
	return ex, err
}

// Erase is `customers erase`: it erases one customer's data (counts it
// when dry), with by in the audit record, as the running server would.
func (a *Admin) Erase(ctx context.Context, addr, by string, dry bool) (*customers.EraseReport, error) {
	if a.st != nil {
		return a.eraseStopped(ctx, addr, by, dry)
	}
	q := url.Values{"by": {by}}
	if dry {
		q.Set("dry_run", "1")
	}
	rep := new(customers.EraseReport)
	err := a.call(ctx, "POST", "/api/customers/"+url.PathEscape(addr)+"/erase?"+q.Encode(), rep)
	return rep, err
}

// eraseStopped erases on a stopped store, then reopens it so that the
// purge also reaches the value-log file the erasure wrote to.
func (a *Admin) eraseStopped(ctx context.Context, addr, by string, dry bool) (*customers.EraseReport, error) {
	rep, err := customers.Erase(ctx, a.st, addr, customers.EraseOptions{By: by, DryRun: dry, Maildirs: Maildirs(a.dataDir),
		Erasers: []customers.Eraser{learn.Eraser{}}, NotCustomer: a.notCustomer})
	if err == nil && a.st.Postgres() {
		rep.NotReached = leftBadgerNote(a.dataDir)
	}
	if err != nil || dry {
		return rep, err
	}
	if err := a.st.Close(); err != nil {
		return nil, err
	}
	a.st = nil
	st, err := openDataStore(a.dataDir, a.dsn, true, nil)
	if err != nil {
		return nil, fmt.Errorf("reopen for the purge: %w", err)
	}
	defer st.Close()
	if _, err := customers.FinishPurge(ctx, st); err != nil {
		return nil, err
	}
	rep.PurgePending = false
	return rep, nil
}

// Retention is `retention run`: on a stopped data dir it runs retention
// itself, saying how it goes to progress; a running server's runner,
// which allows one run at a time, is asked to instead.
func (a *Admin) Retention(ctx context.Context, cfg config.Retention, dry bool, progress func(string)) (*retention.Report, error) {
	if a.st != nil {
		return retention.Run(ctx, a.st, RetentionPolicy(cfg), retention.Options{DryRun: dry, Progress: progress})
	}
	progress("the store is in use; asking the server at " + a.baseURL + " to run retention")
	path := "/api/retention/run"
	if dry {
		path += "?dry_run=1"
	}
	rep := new(retention.Report)
	if err := a.call(ctx, "POST", path, rep); err != nil {
		return rep, err
	}
	// The server applies the policy it read when it started; say so when
	// that is not the one the command's config says (an admin who edited
	// retention and runs --dry-run to see what it would remove).
	if rep.Policy != (retention.Periods{}) {
		if diff := rep.Policy.Differences(RetentionPolicy(cfg).Periods(), "the config given"); diff != "" {
			progress("note: the running server applied its own retention settings, read when it started, not the config's: " + diff + "; restart it to apply them")
		}
	}
	return rep, nil
}

// LearnList is `learn list`: every learned example, oldest first
// (learn.Server).
func (a *Admin) LearnList(ctx context.Context) ([]learn.Example, error) {
	if a.st != nil {
		return learn.List(a.st)
	}
	var exs []learn.Example
	err := a.call(ctx, "GET", "/api/learn", &exs)
	return exs, err
}

// LearnForget is `learn forget`: the examples with ids (every one when
// all) are forgotten, all or none; through a running server it returns
// once that server's ranking no longer uses them (learn.Server).
func (a *Admin) LearnForget(ctx context.Context, ids []string, all bool) (int, error) {
	if a.st != nil {
		return learn.Forget(ctx, a.st, ids, all)
	}
	q := url.Values{"id": ids}
	if all {
		q = url.Values{"all": {"1"}}
	}
	var res struct {
		Forgotten int `json:"forgotten"`
	}
	err := a.call(ctx, "DELETE", "/api/learn?"+q.Encode(), &res)
	// The server's "no such learned example: ID" is the store's own
	// error again, so that the CLI says the same whether the server runs.
	if ae := (*apiError)(nil); errors.As(err, &ae) && ae.code == http.StatusNotFound && strings.HasPrefix(ae.msg, learn.ErrNoExample.Error()) {
		return 0, fmt.Errorf("%w%s", learn.ErrNoExample, strings.TrimPrefix(ae.msg, learn.ErrNoExample.Error()))
	}
	return res.Forgotten, err
}

// LearnImport is `learn import` of exs (learn.Import): on a running
// server it returns once that server's ranking uses them, its progress
// lines copied to progress as the server stores (learn.Server).
func (a *Admin) LearnImport(ctx context.Context, exs []learn.Example, progress io.Writer) (learn.ImportSummary, error) {
	if a.st != nil {
		return learn.Import(ctx, a.st, exs, progress)
	}
	if exs == nil {
		exs = []learn.Example{}
	}
	body, err := json.Marshal(exs)
	if err != nil {
		return learn.ImportSummary{}, err
	}
	var sum *learn.ImportSummary
	err = a.do(ctx, "POST", "/api/learn", bytes.NewReader(body), func(r io.Reader) error {
		dec := json.NewDecoder(r)
		for {
			var rec importRecord
			if err := dec.Decode(&rec); err == io.EOF {
				return errors.New("running server's API: the import's answer ended before its summary (learn list shows what was stored)")
			} else if err != nil {
				return errors.Join(errors.New("running server's API: bad answer"), err)
			}
			switch {
			case rec.Error != "":
				return fmt.Errorf("running server: %s", rec.Error)
			case rec.Summary != nil:
				sum = rec.Summary
				return nil
			default:
				fmt.Fprintln(progress, rec.Progress)
			}
		}
	})
	if err != nil {
		return learn.ImportSummary{}, err
	}
	return *sum, nil
}

// apiError is a running server's answer other than 2xx.
type apiError struct {
	code   int
	status string // "404 Not Found"
	msg    string // the body, trimmed
}

func (e *apiError) Error() string {
	return fmt.Sprintf("running server's API: %s: %s", e.status, e.msg)
}

func (a *Admin) call(ctx context.Context, method, path string, out any) error {
	return a.do(ctx, method, path, nil, func(r io.Reader) error {
		if out == nil {
			return nil
		}
		if err := json.NewDecoder(r).Decode(out); err != nil {
			return errors.Join(errors.New("running server's API: bad answer"), err)
		}
		return nil
	})
}

// noServerError is a store in use where no server answers: it says so
// itself, so callers add only what follows from it.
type noServerError struct{ error }

func (e *noServerError) Unwrap() error { return e.error }

// do sends a request with body (nil: none) to the running server's API
// and hands a 2xx answer's body to read.
func (a *Admin) do(ctx context.Context, method, path string, body io.Reader, read func(io.Reader) error) error {
	req, err := http.NewRequestWithContext(ctx, method, a.baseURL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := http.DefaultClient.Do(req)
	if op := (*net.OpError)(nil); errors.As(err, &op) && op.Op == "dial" {
		// The lock is held, but not by a server listening where the
		// config says.
		return &noServerError{fmt.Errorf("the store of %s is in use, but no server answers at %s: another frontdesk command may be working on it (try again when it ends), or the server runs with another config (give that one with -c): %w", absPath(a.dataDir), a.baseURL, err)}
	}
	if err != nil {
		return fmt.Errorf("running server's API: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return &apiError{code: resp.StatusCode, status: resp.Status, msg: strings.TrimSpace(string(b))}
	}
	return read(resp.Body)
}

// OpenLearnTarget is what `frontdesk learn` works on: the store of cfg's
// stopped server (as use says: an existing one, made if missing, or none),
// and the catalog and departments serve would load. When a running server
// holds the store (Badger's lock), list, forget and import go through its
// admin API, as `queue` and `tickets` do.
func OpenLearnTarget(cfg *config.Config, use learn.StoreUse) (*learn.Target, error) {
	files, err := LoadFiles(cfg, false)
	if err != nil {
		return nil, err
	}
	t := &learn.Target{Catalog: files.FAQ, Departments: departmentKeys(files.Rules), PublicURL: cfg.HTTP.PublicURL, Close: func() error { return nil }}
	// what serve with this config, started now, does with the starter examples
	t.Starter = "not used with this config: learn.enabled is false"
	t.LearningOff = !cfg.Learn.On()
	if cfg.Learn.On() {
		exs, why, err := learn.StarterFor(cfg.Learn.Starter, files.FAQ)
		if err != nil {
			return nil, err
		}
		t.Starter = "used with this config"
		if len(exs) == 0 {
			t.Starter = "not used with this config: " + why
		}
	}
	if use == learn.StoreNone {
		return t, nil
	}
	if use == learn.StoreExisting && storeDSN(cfg) == "" {
		if err := CheckDataDir(cfg.DataDir); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	st, err := openDataStore(cfg.DataDir, storeDSN(cfg), true, nil)
	if err != nil {
		if storeInUse(err) {
			a, err := serverAdmin(cfg.DataDir, cfg.HTTP.Listen, cfg.HTTP.APITokenFile)
			if err != nil {
				return nil, err
			}
			t.Server, t.Close = a, func() error { return nil }
			return t, nil
		}
		return nil, WithRecovery(err, cfg.File)
	}
	t.Store, t.Close = st, st.Close
	return t, nil
}
