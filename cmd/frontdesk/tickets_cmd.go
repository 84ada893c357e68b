package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// runTickets implements `frontdesk tickets list|show`.
func runTickets(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: frontdesk tickets list [-c CONFIG] [--status S] [--department D] [--owner AGENT|none] [--json] | tickets show [-c CONFIG] [--json] TAG")
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("tickets "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "machine-readable output")
	status := fs.String("status", "", "only tickets with this status ("+strings.Join(ticket.Statuses(), ", ")+")")
	dept := fs.String("department", "", "only tickets of this department")
	owner := fs.String("owner", "", `only tickets this agent owns ("none": tickets nobody owns)`)
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return flagExit(err)
	}
	// The arguments are checked before the store is opened, so that a
	// typo costs neither a store open nor a misleading store error.
	switch sub {
	case "list":
		if err := ticket.CheckStatus(*status); err != nil {
			fmt.Fprintf(stderr, "frontdesk tickets list: --status: %v\n", err)
			return 2
		}
	case "show":
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "frontdesk tickets show: give one ticket tag (e.g. SUP-1042)")
			return 2
		}
	default:
		fmt.Fprintf(stderr, "frontdesk tickets: unknown subcommand %q (list, show)\n", sub)
		return 2
	}
	a, err := gateway.OpenAdminFile(*cfgPath, gateway.DepartmentFilter(*dept)) // before the store opens
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk tickets %s: %v\n", sub, err)
		return map[bool]int{false: 1, true: 2}[gateway.IsUsage(err)]
	}
	defer a.Close()
	switch sub {
	case "list":
		ts, err := a.Tickets(ctx, *status, *dept, *owner)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk tickets list: %v\n", err)
			return 1
		}
		if *asJSON {
			json.NewEncoder(stdout).Encode(append([]*ticket.Ticket{}, ts...)) // [] for none, not null
			return 0
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TICKET\tSTATUS\tDEPARTMENT\tPRIORITY\tOWNER\tCUSTOMER\tFIRST RESPONSE DUE\tSUBJECT")
		for _, t := range ts {
			due := "-"
			if d := t.Deadline(sla.FirstResponse); d != nil {
				due = d.Due.Format(time.RFC3339)
				if !d.MetAt.IsZero() {
					due = "met"
				} else if !d.BreachedAt.IsZero() {
					due = "BREACHED"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Tag, t.Status, t.Department, t.Priority, orDash(t.Owner), t.Customer, due, ticket.Snippet(t.Subject, 50))
		}
		tw.Flush()
		fmt.Fprintf(stdout, "%d ticket(s)\n", len(ts))
	case "show":
		t, err := a.Ticket(ctx, pos[0])
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk tickets show: %v\n", err)
			return 1
		}
		if *asJSON {
			writeJSON(stdout, t)
			return 0
		}
		printTicket(stdout, t)
	}
	return 0
}

func printTicket(w io.Writer, t *ticket.Ticket) {
	fmt.Fprintf(w, "%s  %s\n", t.Tag, t.Subject)
	fmt.Fprintf(w, "status:     %s\ndepartment: %s\npriority:   %s\ncustomer:   %s\nopened:     %s\n",
		t.Status, t.Department, t.Priority, strings.TrimSpace(t.CustomerName+" "+t.Customer), t.Created.Format(time.RFC3339))
	printLifecycle(w, t)
	for _, d := range t.Deadlines {
		state := "running"
		switch {
		case !d.MetAt.IsZero():
			state = "met " + d.MetAt.Format(time.RFC3339)
		case !d.BreachedAt.IsZero():
			state = "BREACHED"
		case !d.PausedAt.IsZero():
			state = "paused"
		case t.Status == ticket.Resolved: // resolved (merged, erased) before this clock was met: it no longer runs
			state = "stopped (" + d.StoppedBy() + ")"
		}
		fmt.Fprintf(w, "deadline:   %-15s due %s  %s\n", d.Kind, d.Due.Format(time.RFC3339), state)
	}
	fmt.Fprintln(w, "timeline:")
	for _, e := range t.Timeline {
		fmt.Fprintf(w, "  %s  %-11s %s %s\n", e.At.Format(time.RFC3339), e.Kind, e.From, ticket.Snippet(strings.ReplaceAll(e.Text, "\n", " "), 80))
	}
}
