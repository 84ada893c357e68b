package main

import (
	"context"
	"fmt"
	"io"
)

// runSLA is a placeholder until its owner lands the real command.
func runSLA(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "frontdesk sla: not implemented yet")
	return 2
}
