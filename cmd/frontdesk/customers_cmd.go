package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/store"
)

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
		var ex *customers.Export
		if a.st != nil {
			ex, err = customers.ExportOf(a.st, addr)
		} else {
			ex = new(customers.Export)
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

func writeExport(dir string, ex *customers.Export) error {
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

// eraseStopped erases on a stopped store, then reopens it so that the
// purge also reaches the value-log file the erasure wrote to.
func eraseStopped(ctx context.Context, a *queueAdmin, dataDir, addr, by string, dry bool) (*customers.EraseReport, error) {
	rep, err := customers.Erase(ctx, a.st, addr, customers.EraseOptions{By: by, DryRun: dry, Maildirs: gateway.Maildirs(dataDir),
		Erasers: []customers.Eraser{learn.Eraser{}}})
	if err != nil || dry {
		return rep, err
	}
	if err := a.st.Close(); err != nil {
		return nil, err
	}
	a.st = nil
	st, err := store.Open(filepath.Join(dataDir, "store"), gateway.StoreOptions(dataDir, true, nil))
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
