package main

import (
	"context"
	"fmt"
	"io"
)

// runFAQ is a placeholder until its owner lands the real command.
func runFAQ(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "frontdesk faq: not implemented yet")
	return 2
}
