package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/store"
)

const storeUsage = `usage: frontdesk store check [-c CONFIG] [--json] [--repair]
       frontdesk store migrate [-c CONFIG] [--json]
       frontdesk store copy --from DATA_DIR --to DSN [--json]`

// runStore implements `frontdesk store check|migrate|copy`.
func runStore(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	fs := flag.NewFlagSet("store "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "machine-readable output")
	cfgPath := fs.String("c", "", "config file (check, migrate)")
	repair := fs.Bool("repair", false, "check: remove unreadable records, adopt the store found (a restored backup) or start a new one, keeping ticket numbers unique")
	from := fs.String("from", "", "copy: the data dir of a stopped Badger install")
	to := fs.String("to", "", "copy: the empty PostgreSQL database to copy into (postgres://…)")
	if cmd != "check" && cmd != "migrate" && cmd != "copy" {
		if cmd != "" {
			fmt.Fprintf(stderr, "frontdesk store: unknown subcommand %q\n", cmd)
		}
		fmt.Fprintln(stderr, storeUsage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		return flagExit(err)
	}
	switch {
	case fs.NArg() > 0:
		return usageError(stdout, stderr, "store "+cmd, fmt.Errorf("unexpected argument %q", fs.Arg(0)), storeUsage+"\n")
	case cmd == "copy" && (*from == "" || *to == ""):
		return usageError(stdout, stderr, "store copy", errors.New("--from and --to are both required"), storeUsage+"\n")
	case cmd != "copy" && (*from != "" || *to != ""):
		return usageError(stdout, stderr, "store "+cmd, errors.New("--from and --to are for store copy only"), storeUsage+"\n")
	}
	var v any
	var text func(io.Writer)
	code := 0
	cfg, err := loadConfig(*cfgPath)
	switch {
	case cmd == "copy":
		var res *gateway.StoreCopy
		res, err = gateway.CopyStore(ctx, *from, *to, func(p gateway.CopyProgress) { fmt.Fprintln(stderr, p) })
		v, text = res, func(w io.Writer) { res.WriteText(w) }
	case err != nil:
	case cmd == "migrate":
		var res *gateway.StoreMigration
		res, err = gateway.MigrateStore(ctx, cfg)
		v, text = res, func(w io.Writer) { res.WriteText(w) }
	default:
		var res *gateway.StoreCheck
		res, err = gateway.CheckStore(ctx, cfg, *repair, newLogger(stderr, "warn"), func(p store.CheckProgress) {
			fmt.Fprintf(stderr, "checked %d keys, %d mails (%d MB) in %s\n", p.Keys, p.MailChecked, p.MailBytes>>20, p.Elapsed.Round(time.Second))
		})
		v, text = res, func(w io.Writer) { res.WriteText(w, cfg.File) }
		if err == nil && !res.OK {
			code = 1
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk store %s: %v\n", cmd, err)
		return 1
	}
	if *asJSON {
		writeJSON(stdout, v)
	} else {
		text(stdout)
	}
	return code
}

// writeJSON is the commands' --json output: one value, indented.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
