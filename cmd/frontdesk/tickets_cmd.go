package main

import (
	"context"
	"fmt"
	"io"
)

// runTickets is a placeholder until its owner lands the real command.
func runTickets(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "frontdesk tickets: not implemented yet")
	return 2
}
