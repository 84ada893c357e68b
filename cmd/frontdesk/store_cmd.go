package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/store"
)

// runStore implements `frontdesk store check [--repair] [--json]`.
func runStore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: frontdesk store check [-c CONFIG] [--json] [--repair]")
		return 2
	}
	fs := flag.NewFlagSet("store check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "machine-readable output")
	repair := fs.Bool("repair", false, "remove unreadable records, adopt the store found (a restored backup) or start a new one, keeping ticket numbers unique")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "frontdesk store check: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	res, err := gateway.CheckStore(ctx, cfg, *repair, newLogger(stderr, "warn"), func(p store.CheckProgress) {
		fmt.Fprintf(stderr, "checked %d keys, %d mails (%d MB) in %s\n", p.Keys, p.MailChecked, p.MailBytes>>20, p.Elapsed.Round(time.Second))
	})
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk store check: %v\n", err)
		return 1
	}
	code := 0
	if !res.OK {
		code = 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
		return code
	}
	printCheck(stdout, res, cfg.File)
	return code
}

func printCheck(w io.Writer, res *gateway.StoreCheck, cfgFile string) {
	c := ""
	if cfgFile != "" {
		c = " -c " + cfgFile
	}
	if res.Lost != "" {
		fmt.Fprintf(w, "LOST: %s\n", res.Lost)
		fmt.Fprintf(w, "restore the data dir from a backup, or run `frontdesk store check --repair%s`\n", c)
		return
	}
	if rp := res.Repair; rp != nil {
		if rp.MovedAside != "" {
			fmt.Fprintf(w, "repair: the store without its MANIFEST was moved to %s\n", rp.MovedAside)
		}
		if rp.TicketFloor > 0 {
			fmt.Fprintf(w, "repair: new tickets are numbered from at least %d (the spool's mail names tickets up to %d)\n", rp.TicketFloor, rp.TicketFloor-1)
		}
		fmt.Fprintf(w, "repair: removed %d unreadable record(s)\n", len(rp.Removed))
		for _, k := range rp.Removed {
			fmt.Fprintf(w, "  removed %s\n", k)
		}
	}
	id := res.Identity
	fmt.Fprintf(w, "store %s (lifetime %d, since %s) in %s\n", id.ID, id.Lifetime, id.Created.Format(time.RFC3339), res.DataDir)
	r := res.Report
	fmt.Fprintf(w, "%d keys, %d mails (%d bytes) read in %s\n", r.Keys, r.MailChecked, r.MailBytes, r.Elapsed.Round(time.Millisecond))
	for _, p := range r.Problems {
		fmt.Fprintf(w, "PROBLEM %s %s: %s\n", p.What, p.Key, p.Err)
	}
	if res.OK {
		fmt.Fprintln(w, "ok")
	} else {
		fmt.Fprintf(w, "%d problem(s)", len(r.Problems))
		if res.Repair == nil {
			fmt.Fprintf(w, ": `frontdesk store check --repair%s` removes unreadable records; mail that is damaged or missing can only come back from a backup", c)
		}
		fmt.Fprintln(w)
	}
}
