package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
)

const rulesUsage = `usage:
  frontdesk rules check FILE...
      check rules files; prints "file:line:col: message" lines and exits 1 on errors
  frontdesk rules test [-c CONFIG | -r RULES] [--json] [--rcpt ADDR]... [--now RFC3339] MESSAGE.eml...
      show the decision for each message and which rules matched; nothing is sent or stored.
      Without -c or -r the embedded demo rules are used. --rcpt sets envelope
      recipients (default: the To and Cc addresses); --now the evaluation time.
`

func runRules(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, rulesUsage)
		return 2
	}
	switch args[0] {
	case "check":
		return rulesCheck(args[1:], stdout, stderr)
	case "test":
		return rulesTest(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, rulesUsage)
		return 0
	}
	fmt.Fprintf(stderr, "frontdesk rules: unknown subcommand %q\n%s", args[0], rulesUsage)
	return 2
}

// printRulesError writes a rules error as file:line:col lines.
func printRulesError(w io.Writer, file string, err error) {
	var list rules.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		return
	}
	fmt.Fprintf(w, "%s: %v\n", file, err)
}

func rulesCheck(args []string, stdout, stderr io.Writer) int {
	var files []string
	for _, a := range args {
		if a == "-h" || a == "--help" {
			fmt.Fprint(stdout, rulesUsage)
			return 0
		}
		files = append(files, a)
	}
	if len(files) == 0 {
		fmt.Fprint(stderr, "frontdesk rules check: no file given\n"+rulesUsage)
		return 2
	}
	code := 0
	for _, f := range files {
		r, err := rules.Load(f)
		if err != nil {
			printRulesError(stderr, f, err)
			code = 1
			continue
		}
		prefix := ""
		if len(files) > 1 {
			prefix = f + ": "
		}
		fmt.Fprintf(stdout, "%sok: %d departments, %d rules\n", prefix, len(r.Departments()), r.Len())
	}
	return code
}

type testOpts struct {
	config, rules string
	json          bool
	rcpt          []string
	now           time.Time
	files         []string
}

// parseTestArgs accepts flags before, between and after the files.
func parseTestArgs(args []string) (testOpts, error) {
	var o testOpts
	fs := flag.NewFlagSet("rules test", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the caller prints the error and the usage
	fs.StringVar(&o.config, "c", "", "config file")
	fs.StringVar(&o.config, "config", "", "config file")
	fs.StringVar(&o.rules, "r", "", "rules file")
	fs.StringVar(&o.rules, "rules", "", "rules file")
	fs.BoolVar(&o.json, "json", false, "one JSON object per message")
	fs.Func("rcpt", "envelope recipient (repeatable)", func(v string) error { o.rcpt = append(o.rcpt, v); return nil })
	fs.Func("now", "evaluate as of this RFC 3339 time", func(v string) (err error) { o.now, err = time.Parse(time.RFC3339, v); return err })
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return o, err
	}
	o.files = files
	if o.config != "" && o.rules != "" {
		return o, errors.New("give either -c or -r, not both")
	}
	if len(o.files) == 0 {
		return o, errors.New("no message given")
	}
	return o, nil
}

// loadFilesFor loads what serve would use with -c (the embedded demos
// without it), with -r's rules file in place of the config's, and with
// learned the examples agents taught in -c's data dir; the file named is
// the one an error is about.
func loadFilesFor(o testOpts, learned bool) (*gateway.Files, string, error) {
	cfg := config.Default()
	if o.config != "" {
		var err error
		if cfg, err = config.Load(o.config); err != nil {
			return nil, o.config, err
		}
	}
	if o.rules != "" {
		cfg.RulesFile = o.rules
	}
	f, err := gateway.LoadFiles(cfg, learned && o.config != "")
	return f, cfg.RulesFile, err
}

func rulesTest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseTestArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk rules test: %v\n%s", err, rulesUsage)
		return 2
	}
	files, file, err := loadFilesFor(o, true)
	if err != nil {
		if file == o.config && o.config != "" {
			fmt.Fprintln(stderr, err)
		} else {
			printRulesError(stderr, file, err)
		}
		return 1
	}
	if files.NotLearned != nil {
		fmt.Fprintf(stderr, "note: learned examples not used (%v)\n", files.NotLearned)
	}
	now := o.now
	if now.IsZero() {
		now = time.Now()
	}
	code := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i, f := range o.files {
		if ctx.Err() != nil {
			return 1
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			code = 1
			if o.json {
				enc.Encode(gateway.FailedTrace(f, err))
			}
			fmt.Fprintf(stderr, "frontdesk rules test: %v\n", err)
			continue
		}
		m, perr := message.Parse(raw)
		if perr != nil {
			fmt.Fprintf(stderr, "%s: warning: %v (routed on what could be read)\n", f, perr)
		}
		m.Rcpt = append(m.Rcpt, o.rcpt...)
		tr := files.Trace(f, m, now)
		if o.json {
			enc.Encode(tr)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printDecision(stdout, files.Rules, f, tr.Decision)
		if len(tr.FAQ) > 0 {
			fmt.Fprintf(stdout, "  faq:        %s\n", strings.Join(tr.FAQ, ", "))
		} else if tr.AckSuppressed != "" && tr.Action == "relay" && tr.Ack != "none" {
			fmt.Fprintf(stdout, "  faq:        - (no acknowledgement: %s)\n", tr.AckSuppressed)
		} else {
			fmt.Fprintf(stdout, "  faq:        -\n")
		}
	}
	return code
}

func printDecision(w io.Writer, r *rules.Rules, file string, d rules.Decision) {
	fmt.Fprintln(w, file)
	name := ""
	if dep, ok := r.Department(d.Department); ok && dep.Name != dep.Key {
		name = " (" + dep.Name + ")"
	}
	fmt.Fprintf(w, "  department: %s%s\n", d.Department, name)
	fmt.Fprintf(w, "  priority:   %s\n", d.Priority)
	tags := "-"
	if len(d.Tags) > 0 {
		tags = strings.Join(d.Tags, ", ")
	}
	fmt.Fprintf(w, "  tags:       %s\n", tags)
	ack := d.Ack
	if ack == "" {
		ack = "default template"
	}
	fmt.Fprintf(w, "  ack:        %s\n", ack)
	switch d.Action() {
	case "reject":
		fmt.Fprintf(w, "  action:     reject (550 5.7.1 %s)\n", d.Reject)
	default:
		fmt.Fprintf(w, "  action:     %s\n", d.Action())
	}
	if p := d.SLA; p != nil {
		var parts []string
		if p.FirstResponse != (sla.Duration{}) {
			parts = append(parts, "first response "+p.FirstResponse.String())
		}
		if p.NextResponse != (sla.Duration{}) {
			parts = append(parts, "next response "+p.NextResponse.String())
		}
		if p.Resolution != (sla.Duration{}) {
			parts = append(parts, "resolution "+p.Resolution.String())
		}
		cal := "24x7"
		if p.Calendar != "" {
			cal = "calendar " + p.Calendar
		}
		parts = append(parts, cal)
		fmt.Fprintf(w, "  sla:        %s\n", strings.Join(parts, ", "))
	}
	if len(d.Topics) > 0 {
		var parts []string
		for _, t := range d.Topics {
			parts = append(parts, fmt.Sprintf("%s %.2f (%s)", t.Department, t.Confidence, strings.Join(t.Entries, ", ")))
		}
		fmt.Fprintf(w, "  about:      %s\n", strings.Join(parts, "; "))
	}
	if len(d.Matched) == 0 {
		fmt.Fprintln(w, "  matched:    no rule (routed by recipient address or default)")
		return
	}
	fmt.Fprintln(w, "  matched:")
	for _, mt := range d.Matched {
		fmt.Fprintf(w, "    - %s (line %d): %s\n", mt.Rule, mt.Line, strings.Join(mt.Why, "; "))
	}
}
