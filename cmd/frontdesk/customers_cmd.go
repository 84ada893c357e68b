package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/user"
	"path/filepath"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/gateway"
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
		return flagExit(err)
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "frontdesk customers %s: give one customer address (%d given)\n%s\n", sub, len(pos), use)
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
	a, err := gateway.OpenAdminFile(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk customers: %v\n", err)
		return 1
	}
	defer a.Close()
	if sub == "export" {
		ex, err := a.Export(ctx, addr)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk customers export: %v\n", err)
			return 1
		}
		dir := *outDir
		if dir == "" {
			dir = customers.DefaultDir(addr)
		}
		if err := ex.WriteDir(dir); err != nil {
			fmt.Fprintf(stderr, "frontdesk customers export: %v\n", err)
			return 1
		}
		if *asJSON {
			writeJSON(stdout, ex.Summary(dir))
			return 0
		}
		fmt.Fprintf(stdout, "%s: %d ticket(s) in %s, %d mail in %s\n", addr, len(ex.Tickets), filepath.Join(dir, "tickets.json"),
			len(ex.MailIDs)-len(ex.Missing), filepath.Join(dir, "mail.mbox"))
		return 0
	}
	rep, err := a.Erase(ctx, addr, *by, *dry)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk customers erase: %v\n", err)
		return 1
	}
	if *asJSON {
		writeJSON(stdout, rep)
		return 0
	}
	au := rep.Audit
	verb := "erased"
	if rep.DryRun {
		verb = "would erase"
	}
	fmt.Fprintf(stdout, "%s %s: %d ticket(s), %d mail, %d queue item(s), %d rate-limit record(s), %d delivered copies\n",
		verb, addr, au.Tickets, au.Mail, au.QueueItems, au.RateLimits, au.MaildirCopies)
	for _, n := range rep.Notes() {
		fmt.Fprintln(stdout, n)
	}
	return 0
}
