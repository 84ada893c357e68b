package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// customerExport is what `customers export` writes, and what the API
// answers: the tickets with their timelines, and the mail as an mbox.
type customerExport struct {
	Address string           `json:"address"`
	Tickets []*ticket.Ticket `json:"tickets"`
	MailIDs []string         `json:"mail_ids"`
	Missing []string         `json:"missing,omitempty"`
	Mbox    []byte           `json:"mbox"` // base64 in JSON
}

func exportCustomer(st *store.Store, addr string) (*customerExport, error) {
	h, err := customers.Find(st, addr)
	if err != nil {
		return nil, err
	}
	var mbox bytes.Buffer
	missing, err := customers.WriteMbox(&mbox, st, h)
	if err != nil {
		return nil, err
	}
	return &customerExport{Address: h.Address, Tickets: h.Tickets, MailIDs: h.Mail, Missing: missing, Mbox: mbox.Bytes()}, nil
}

// runCustomers implements `frontdesk customers export|erase ADDRESS`.
func runCustomers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const use = "usage: frontdesk customers export ADDRESS [-c CONFIG] [-o DIR] [--json]\n       frontdesk customers erase ADDRESS [-c CONFIG] [--dry-run] [--by NAME] [--json]"
	if len(args) == 0 || (args[0] != "export" && args[0] != "erase") {
		fmt.Fprintln(stderr, use)
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("customers "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "machine-readable output")
	dry := fs.Bool("dry-run", false, "erase: count what would be erased, erase nothing")
	outDir := fs.String("o", "", "export: the directory to write mail.mbox and tickets.json to (default customer-ADDRESS)")
	by := fs.String("by", "", "erase: who asks, for the audit record (default: the user running the command)")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, use)
		return 2
	}
	addr, err := customers.Canonical(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk customers %s: %v\n", sub, err)
		return 2
	}
	if *by == "" {
		if u, err := user.Current(); err == nil {
			*by = u.Username
		}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	a, err := openQueueAdmin(cfg.DataDir, cfg.HTTP.Listen, cfg.HTTP.APITokenFile)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk customers: %v\n", err)
		return 1
	}
	defer a.close()
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if sub == "export" {
		var ex *customerExport
		if a.st != nil {
			ex, err = exportCustomer(a.st, addr)
		} else {
			ex = new(customerExport)
			err = a.call(ctx, "GET", "/api/customers/"+url.PathEscape(addr)+"/export", ex)
		}
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk customers export: %v\n", err)
			return 1
		}
		dir := *outDir
		if dir == "" {
			dir = "customer-" + strings.NewReplacer("/", "_", "@", "_at_").Replace(addr)
		}
		if err := writeExport(dir, ex); err != nil {
			fmt.Fprintf(stderr, "frontdesk customers export: %v\n", err)
			return 1
		}
		if *asJSON {
			enc.Encode(map[string]any{"address": ex.Address, "dir": dir, "tickets": len(ex.Tickets), "mail": len(ex.MailIDs) - len(ex.Missing), "missing": ex.Missing})
			return 0
		}
		fmt.Fprintf(stdout, "%s: %d ticket(s) in %s, %d mail in %s\n", addr, len(ex.Tickets), filepath.Join(dir, "tickets.json"),
			len(ex.MailIDs)-len(ex.Missing), filepath.Join(dir, "mail.mbox"))
		return 0
	}
	var rep *customers.EraseReport
	if a.st != nil {
		rep, err = eraseStopped(ctx, a, cfg.DataDir, addr, *by, *dry)
	} else {
		q := url.Values{"by": {*by}}
		if *dry {
			q.Set("dry_run", "1")
		}
		rep = new(customers.EraseReport)
		err = a.call(ctx, "POST", "/api/customers/"+url.PathEscape(addr)+"/erase?"+q.Encode(), rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk customers erase: %v\n", err)
		return 1
	}
	if *asJSON {
		enc.Encode(rep)
		return 0
	}
	au := rep.Audit
	verb := "erased"
	if rep.DryRun {
		verb = "would erase"
	}
	fmt.Fprintf(stdout, "%s %s: %d ticket(s), %d mail, %d queue item(s), %d rate-limit record(s), %d delivered copies\n",
		verb, addr, au.Tickets, au.Mail, au.QueueItems, au.RateLimits, au.MaildirCopies)
	if rep.PurgePending {
		fmt.Fprintln(stdout, "the store forgets the last old versions at the server's next start")
	}
	return 0
}

func writeExport(dir string, ex *customerExport) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(map[string]any{"address": ex.Address, "tickets": ex.Tickets}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "tickets.json"), append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "mail.mbox"), ex.Mbox, 0o600)
}

// eraseMaildirs are the Maildir roots under the data dir that the gateway
// delivers into (relay.target and outbound.target maildir).
func eraseMaildirs(dataDir string) []string {
	return []string{filepath.Join(dataDir, "mailboxes"), filepath.Join(dataDir, "outbox")}
}

// eraseStopped erases on a stopped store, then reopens it so that the
// purge also reaches the value-log file the erasure wrote to.
func eraseStopped(ctx context.Context, a *queueAdmin, dataDir, addr, by string, dry bool) (*customers.EraseReport, error) {
	rep, err := customers.Erase(ctx, a.st, addr, customers.EraseOptions{By: by, DryRun: dry, Maildirs: eraseMaildirs(dataDir),
		Erasers: []customers.Eraser{learn.Eraser{}}})
	if err != nil || dry {
		return rep, err
	}
	if err := a.st.Close(); err != nil {
		return nil, err
	}
	a.st = nil
	st, err := store.Open(filepath.Join(dataDir, "store"), storeOptions(dataDir, true, nil))
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

// customersAPI serves /api/customers/{address}/export and /erase.
func customersAPI(mux *http.ServeMux, token string, st *store.Store, dataDir string, erasers ...customers.Eraser) {
	mux.Handle("GET /api/customers/{addr}/export", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex, err := exportCustomer(st, r.PathValue("addr"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, ex)
	})))
	mux.Handle("POST /api/customers/{addr}/erase", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := customers.Canonical(r.PathValue("addr")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		q := r.URL.Query()
		by := q.Get("by")
		if by == "" {
			by = "api"
		}
		rep, err := customers.Erase(r.Context(), st, r.PathValue("addr"), customers.EraseOptions{By: by + " (api)", DryRun: q.Get("dry_run") == "1", Maildirs: eraseMaildirs(dataDir), Erasers: erasers})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, rep)
	})))
}
