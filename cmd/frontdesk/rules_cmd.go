package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

const rulesUsage = `usage:
  frontdesk rules check [--json] FILE...
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
	asJSON := false
	for _, a := range args {
		switch a {
		case "-h", "--help":
			fmt.Fprint(stdout, rulesUsage)
			return 0
		case "-json", "--json":
			asJSON = true
		default:
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		fmt.Fprint(stderr, "frontdesk rules check: no file given\n"+rulesUsage)
		return 2
	}
	code, all := 0, []gateway.RulesCheck{}
	for _, f := range files {
		c := gateway.CheckRules(f)
		if !c.OK {
			code = 1
		}
		if !asJSON {
			c.WriteText(stdout, stderr, len(files) > 1)
		}
		all = append(all, c)
	}
	if asJSON {
		writeJSON(stdout, all)
	}
	return code
}

// fileOpts are the flags of the commands that show what serve would do
// with a config's files (rules test, faq suggest, sla due).
type fileOpts struct {
	config, rules, faq string
	json               bool
	rcpt               []string
	now                time.Time
	files              []string
}

// parse parses the flags shared by rules test and faq suggest (fs has
// the command's own), before, between and after the files; either -c or
// other (the command's file flag) may be given.
func (o *fileOpts) parse(fs *flag.FlagSet, args []string, other, noFile string) error {
	fs.SetOutput(io.Discard) // the caller prints the error and the usage
	fs.StringVar(&o.config, "c", "", "config file")
	fs.StringVar(&o.config, "config", "", "config file")
	fs.BoolVar(&o.json, "json", false, "one JSON object per message")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	o.files = files
	if o.config != "" && (o.rules != "" || o.faq != "") {
		return fmt.Errorf("give either -c or %s, not both", other)
	}
	if len(o.files) == 0 {
		return errors.New(noFile)
	}
	return nil
}

// parseTestArgs parses rules test's flags.
func parseTestArgs(args []string) (fileOpts, error) {
	var o fileOpts
	fs := flag.NewFlagSet("rules test", flag.ContinueOnError)
	fs.StringVar(&o.rules, "r", "", "rules file")
	fs.StringVar(&o.rules, "rules", "", "rules file")
	fs.Func("rcpt", "envelope recipient (repeatable)", func(v string) error { a, err := gateway.ParseRcpt(v); o.rcpt = append(o.rcpt, a); return err })
	fs.Func("now", "evaluate as of this RFC 3339 time", func(v string) (err error) { o.now, err = gateway.ParseNow(v); return err })
	return o, o.parse(fs, args, "-r", "no message given")
}

// load loads what serve would use (gateway.LoadFilesFrom) with -c, -r, -f.
func (o *fileOpts) load(learned bool) (*gateway.Files, string, error) {
	return gateway.LoadFilesFrom(o.config, o.rules, o.faq, learned)
}

func rulesTest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseTestArgs(args)
	if err != nil {
		return usageError(stdout, stderr, "rules test", err, rulesUsage)
	}
	files, file, err := o.load(true)
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
		tr := files.Trace(f, raw, m, now)
		if o.json {
			enc.Encode(tr)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		tr.WriteText(stdout, files.Rules)
	}
	return code
}
