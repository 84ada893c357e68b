package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/ticket"
)

func orDash(s string) string { return cmp.Or(s, "-") }

// printLifecycle adds owner, merges, held replies and the rating to
// `tickets show`.
func printLifecycle(w io.Writer, t *ticket.Ticket) {
	fmt.Fprintf(w, "owner:      %s\n", orDash(t.Owner))
	if t.MergedInto != "" {
		fmt.Fprintf(w, "merged into: %s\n", t.MergedInto)
	}
	if len(t.MergedFrom) > 0 {
		fmt.Fprintf(w, "merged from: %s\n", strings.Join(t.MergedFrom, ", "))
	}
	for _, h := range t.Held {
		fmt.Fprintf(w, "held:       reply of %s at %s, expires %s: %s\n", h.From, h.At.Format(time.RFC3339), h.Expires.Format(time.RFC3339),
			ticket.Snippet(strings.ReplaceAll(h.Text, "\n", " "), 60))
	}
	if r := t.Rating; r != nil {
		fmt.Fprintf(w, "rating:     %s at %s", r.Value, r.At.Format(time.RFC3339))
		if r.Comment != "" {
			fmt.Fprintf(w, ": %s", ticket.Snippet(strings.ReplaceAll(r.Comment, "\n", " "), 60))
		}
		fmt.Fprintln(w)
	}
}
