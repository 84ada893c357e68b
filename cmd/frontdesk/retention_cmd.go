package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/frontdesk-mail/frontdesk/gateway"
)

// runRetention implements `frontdesk retention run [--dry-run] [--json]`:
// on a stopped data dir it runs retention itself (progress on stderr); on
// a running server's it asks that server, whose runner allows one run at
// a time.
func runRetention(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(stderr, "usage: frontdesk retention run [-c CONFIG] [--dry-run] [--json]")
		return 2
	}
	fs := flag.NewFlagSet("retention run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "machine-readable output")
	dry := fs.Bool("dry-run", false, "count what would be removed, remove nothing")
	if rest, err := parseInterleaved(fs, args[1:]); err != nil {
		return flagExit(err)
	} else if len(rest) > 0 {
		return usageError(stdout, stderr, "retention run", fmt.Errorf("unexpected argument %q", rest[0]), "")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	a, err := gateway.OpenAdmin(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk retention: %v\n", err)
		return 1
	}
	defer a.Close()
	rep, err := a.Retention(ctx, cfg.Retention, *dry, func(s string) { fmt.Fprintf(stderr, "retention: %s\n", s) })
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk retention run: %v\n", err)
		return 1
	}
	if *asJSON {
		writeJSON(stdout, rep)
		return 0
	}
	verb := "removed"
	if rep.DryRun {
		verb = "would remove"
	}
	fmt.Fprintf(stdout, "%s: %d mail (%d bytes), %d ticket(s), %d failed queue item(s), %d learned example(s)\n", verb, rep.MailRemoved, rep.MailBytes, rep.TicketsRemoved, rep.QueueItemsRemoved, rep.LearnedExamplesRemoved)
	if rep.InDatabase {
		fmt.Fprintln(stdout, "on disk: in the PostgreSQL database, not under data_dir (autovacuum gives removed rows' space back to the database)")
		return 0
	}
	fmt.Fprintf(stdout, "spool: %d segment(s) deleted, %d rewritten; %d bytes reclaimed\n", rep.Spool.Deleted, rep.Spool.Rewritten, rep.Reclaimed)
	fmt.Fprintf(stdout, "on disk: mail %d bytes, store %d bytes\n", rep.Usage.Mail, rep.Usage.Store)
	return 0
}
