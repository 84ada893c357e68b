package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/queue"
)

// runQueue implements `frontdesk queue list|retry|delete`, the equivalents
// of postqueue -p, postqueue -f and postsuper -d. It opens the store
// directly when the server is stopped; when a running server holds the
// store's lock it asks that server over its HTTP API instead.
func runQueue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: frontdesk queue list [-c CONFIG] [--json] | queue retry [-c CONFIG] [--json] ID...|--all | queue delete [-c CONFIG] [--json] ID...")
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("queue "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "machine-readable output")
	all := fs.Bool("all", false, "retry every item (queue retry only; delete removes only the items named)")
	ids, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return flagExit(err)
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
	case sub != "retry" && *all:
		fmt.Fprintf(stderr, "frontdesk queue %s: --all is for queue retry only (queue delete removes only the items named)\n", sub)
		return 2
	case sub == "delete" && len(ids) == 0:
		fmt.Fprintln(stderr, "frontdesk queue delete: give queue ids")
		return 2
	}
	q, err := gateway.OpenAdminFile(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk queue: %v\n", err)
		return 1
	}
	defer q.Close()
	switch sub {
	case "list":
		items, err := q.QueueList(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk queue list: %v\n", err)
			return 1
		}
		if *asJSON {
			if items == nil {
				items = []*queue.Item{}
			}
			writeJSON(stdout, items)
			return 0
		}
		queue.WriteTable(stdout, items, time.Now())
	case "retry":
		n, err := q.QueueRetry(ctx, ids)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk queue retry: %v\n", err)
			return 1
		}
		if *asJSON {
			writeJSON(stdout, map[string]int{"retried": n})
			return 0
		}
		fmt.Fprintf(stdout, "%d item(s) scheduled for immediate delivery\n", n)
	case "delete":
		for _, id := range ids {
			if err := q.QueueDelete(ctx, id); err != nil {
				fmt.Fprintf(stderr, "frontdesk queue delete: %v\n", err)
				return 1
			}
			if !*asJSON {
				fmt.Fprintf(stdout, "%s: deleted\n", id)
			}
		}
		if *asJSON {
			writeJSON(stdout, map[string][]string{"deleted": ids})
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
