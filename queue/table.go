package queue

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes items as `queue list` shows them, like postqueue -p:
// one aligned line an item (its age as of now, the next attempt in local
// time, "-" for a failed one), then the count.
func WriteTable(w io.Writer, items []*Item, now time.Time) {
	if len(items) == 0 {
		fmt.Fprintln(w, "queue is empty")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tKIND\tTARGET\tTO\tATTEMPTS\tAGE\tNEXT\tLAST ERROR")
	for _, it := range items {
		next := "-"
		if it.State != StateFailed {
			next = it.NextAttempt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", it.ID, it.State, it.Kind, it.Target, strings.Join(it.To, ","),
			it.Attempts, now.Sub(it.Created).Round(time.Second), next, it.LastError)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d item(s)\n", len(items))
}
