package main

import (
	"context"
	"fmt"
	"io"
)

// runServe is a placeholder until its owner lands the real command.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "frontdesk serve: not implemented yet")
	return 2
}
