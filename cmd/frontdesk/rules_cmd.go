package main

import (
	"context"
	"fmt"
	"io"
)

// runRules is a placeholder until its owner lands the real command.
func runRules(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "frontdesk rules: not implemented yet")
	return 2
}
