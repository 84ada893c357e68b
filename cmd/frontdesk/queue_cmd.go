package main

import (
	"context"
	"fmt"
	"io"
)

// runQueue is a placeholder until its owner lands the real command.
func runQueue(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "frontdesk queue: not implemented yet")
	return 2
}
