package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/frontdesk-mail/frontdesk/internal/buildinfo"
)

// runVersion prints the build, as the serve banner and frontdesk_build_info
// show it.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(stdout, stderr, "version", fmt.Errorf("unexpected argument %q", fs.Arg(0)), "usage: frontdesk version [--json]\n")
	}
	info := buildinfo.Read(version)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(info); err != nil {
			fmt.Fprintf(stderr, "frontdesk version: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stdout, "frontdesk %s\n", info)
	return 0
}
