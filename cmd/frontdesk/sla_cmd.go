package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// runSLA implements `frontdesk sla due`: the deadline the SLA tracker
// enforces and the acknowledgement promises, from the same function.
func runSLA(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const usage = "usage: frontdesk sla due [-c CONFIG | -r RULES] --calendar NAME --start RFC3339 --duration DUR [--json]\n"
	if len(args) == 0 || args[0] != "due" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	fs := flag.NewFlagSet("sla due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file (its rules_file)")
	rulesPath := fs.String("r", "", "rules file")
	calName := fs.String("calendar", "", "calendar name from the rules file, or none for 24×7 wall-clock time")
	start := fs.String("start", "", "start time, RFC 3339 (e.g. 2026-11-20T17:30:00+08:00)")
	dur := fs.String("duration", "", "business duration (4h, 90m, 1h30m) or working days (3d)")
	asJSON := fs.Bool("json", false, `print {"due": "..."}`)
	if _, err := parseInterleaved(fs, args[1:]); err != nil {
		return flagExit(err)
	}
	// Like rules test and faq suggest: with both, one of them would be
	// ignored without a word, and the admin would read a deadline from
	// rules they did not mean.
	if *cfgPath != "" && *rulesPath != "" {
		fmt.Fprint(stderr, "frontdesk sla due: give either -c or -r, not both\n"+usage)
		return 2
	}
	if *calName == "" || *start == "" || *dur == "" {
		fmt.Fprint(stderr, "frontdesk sla due: --calendar, --start and --duration are required\n"+usage)
		return 2
	}
	files, file, err := (&fileOpts{config: *cfgPath, rules: *rulesPath}).load(false)
	if err != nil {
		if file != "" && file != *cfgPath {
			printRulesError(stderr, file, err)
		} else {
			fmt.Fprintln(stderr, err)
		}
		return 1
	}
	t0, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk sla due: bad --start %q: want RFC 3339, e.g. 2026-11-20T17:30:00+08:00\n", *start)
		return 1
	}
	d, err := sla.ParseDuration(*dur)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk sla due: %v\n", err)
		return 1
	}
	due, err := files.Rules.Due(*calName, t0, d)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk sla due: %v\n", err)
		return 1
	}
	if *asJSON {
		json.NewEncoder(stdout).Encode(map[string]string{"due": due.Format(time.RFC3339)})
		return 0
	}
	fmt.Fprintf(stdout, "%s\n", due.Format(time.RFC3339))
	fmt.Fprintf(stdout, "customers read: %s / %s\n", sla.Describe(due, string(message.English)), sla.Describe(due, string(message.Chinese)))
	return 0
}
