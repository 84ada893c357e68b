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
	res.WriteText(stdout, cfg.File)
	return code
}
