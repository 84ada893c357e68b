package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// runQueue implements `frontdesk queue list|retry|delete`, the equivalents
// of postqueue -p, postqueue -f and postsuper -d. It opens the store
// directly when the server is stopped; when a running server holds the
// store's lock it asks that server over its HTTP API instead.
func runQueue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: frontdesk queue list|retry|delete [-c CONFIG] [--json] [ID...|--all]")
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("queue "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "machine-readable output")
	all := fs.Bool("all", false, "retry every item")
	ids, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return 2
	}
	// The arguments are checked before the store is opened, so that a
	// typo costs neither a store open nor a misleading store error.
	switch {
	case sub != "list" && sub != "retry" && sub != "delete":
		fmt.Fprintf(stderr, "frontdesk queue: unknown subcommand %q (list, retry, delete)\n", sub)
		return 2
	case sub == "retry" && len(ids) == 0 && !*all:
		fmt.Fprintln(stderr, "frontdesk queue retry: give queue ids or --all")
		return 2
	case sub == "delete" && len(ids) == 0:
		fmt.Fprintln(stderr, "frontdesk queue delete: give queue ids")
		return 2
	}
	q, err := openAdmin(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk queue: %v\n", err)
		return 1
	}
	defer q.close()
	switch sub {
	case "list":
		items, err := q.list(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk queue list: %v\n", err)
			return 1
		}
		if *asJSON {
			if items == nil {
				items = []*queue.Item{}
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.Encode(items)
			return 0
		}
		printQueue(stdout, items)
	case "retry":
		n, err := q.retry(ctx, ids)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk queue retry: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%d item(s) scheduled for immediate delivery\n", n)
	case "delete":
		for _, id := range ids {
			if err := q.delete(ctx, id); err != nil {
				fmt.Fprintf(stderr, "frontdesk queue delete: %v\n", err)
				return 1
			}
			fmt.Fprintf(stdout, "%s: deleted\n", id)
		}
	}
	return 0
}

// parseInterleaved parses flags that may come before or after positional
// arguments, as admins type them either way; everything after "--" is
// positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos, tail []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, tail = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, tail...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func printQueue(w io.Writer, items []*queue.Item) {
	if len(items) == 0 {
		fmt.Fprintln(w, "queue is empty")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tKIND\tTARGET\tTO\tATTEMPTS\tAGE\tNEXT\tLAST ERROR")
	now := time.Now()
	for _, it := range items {
		next := "-"
		if it.State != queue.StateFailed {
			next = it.NextAttempt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", it.ID, it.State, it.Kind, it.Target, strings.Join(it.To, ","),
			it.Attempts, now.Sub(it.Created).Round(time.Second), next, it.LastError)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d item(s)\n", len(items))
}

// queueAdmin is the queue of a stopped server (direct store access) or of
// a running one (HTTP API).
type queueAdmin struct {
	st      *store.Store
	baseURL string
	token   string
}

// openAdmin loads the config (embedded defaults when path is empty) and
// opens its store, or its running server's API: the start of every
// command that reads the data dir.
func openAdmin(cfgPath string) (*queueAdmin, error) {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return nil, err
	}
	return openQueueAdmin(cfg.DataDir, cfg.HTTP.Listen, cfg.HTTP.APITokenFile)
}

// openQueueAdmin opens the store in dataDir, or, when a running server
// holds its lock, that server's API at httpAddr with the token from
// tokenFile (data_dir/api.token when empty), as the server reads it.
func openQueueAdmin(dataDir, httpAddr, tokenFile string) (*queueAdmin, error) {
	dir := filepath.Join(dataDir, "store")
	if err := checkStore(dataDir); err != nil {
		return nil, err
	}
	st, err := store.Open(dir, gateway.StoreOptions(dataDir, true, nil))
	if err == nil {
		return &queueAdmin{st: st}, nil
	}
	if !strings.Contains(err.Error(), "Cannot acquire directory lock") {
		return nil, gateway.WithRecovery(err, "")
	}
	tok, terr := gateway.ReadAPIToken(gateway.APITokenPath(tokenFile, dataDir))
	if terr != nil {
		return nil, fmt.Errorf("the store is in use by a running server, and its API token cannot be read: %w", terr)
	}
	return &queueAdmin{baseURL: "http://" + httpAddr, token: tok}, nil
}

// checkStore makes sure dataDir holds a store before it is opened:
// store.Open creates one where there is none, and these commands only
// read a server's data, so a wrong directory (the wrong working
// directory, a mistyped data_dir) would otherwise list an empty new store
// and leave it behind. Badger writes its MANIFEST when it creates a store,
// so a directory without one holds no store of ours. The messages name
// absolute paths: a relative one says nothing about where it was looked.
func checkStore(dataDir string) error {
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

func (q *queueAdmin) close() {
	if q.st != nil {
		q.st.Close()
	}
}

func (q *queueAdmin) list(ctx context.Context) ([]*queue.Item, error) {
	if q.st != nil {
		return queue.List(q.st)
	}
	var items []*queue.Item
	err := q.call(ctx, "GET", "/api/queue", &items)
	return items, err
}

func (q *queueAdmin) retry(ctx context.Context, ids []string) (int, error) {
	if q.st != nil {
		return queue.Retry(ctx, q.st, time.Now(), ids...)
	}
	var res struct{ Retried int }
	err := q.call(ctx, "POST", "/api/queue/retry?ids="+strings.Join(ids, ","), &res)
	return res.Retried, err
}

func (q *queueAdmin) delete(ctx context.Context, id string) error {
	if q.st != nil {
		return queue.Delete(ctx, q.st, id)
	}
	return q.call(ctx, "DELETE", "/api/queue/"+id, nil)
}

func (q *queueAdmin) call(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, q.baseURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+q.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("running server's API: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("running server's API: %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return errors.Join(errors.New("running server's API: bad answer"), err)
	}
	return nil
}
