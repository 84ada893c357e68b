// Command frontdesk is the Frontdesk support-mail gateway: an SMTP server for
// a support domain that files every accepted mail durably, routes it by rules,
// opens or continues a ticket, acknowledges it and relays it to the agents.
//
// `frontdesk help` lists the commands; README.md's Commands table and
// docs/design.md describe them (TestDocumentedCommandsExist keeps the
// three in step).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/frontdesk-mail/frontdesk/internal/termsafe"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: frontdesk <command> [arguments]

commands:
  serve [-c CONFIG]                      run the gateway (embedded defaults without -c)
  rules check [--json] FILE...           check rules files; file:line:col errors
  rules test [-c CONFIG|-r RULES] [--json] MESSAGE.eml...
  faq suggest [-c CONFIG|-f FAQ] [--json] MESSAGE.eml...
  sla due [-c CONFIG|-r RULES] --calendar NAME --start RFC3339 --duration DUR [--json]
  queue list [-c CONFIG] [--json]
  queue retry [-c CONFIG] [--json] ID...|--all
  queue delete [-c CONFIG] [--json] ID...
                                         remove the items named (no --all: retry takes it, delete does not)
  tickets list|show [-c CONFIG] [--json] ...
  store check [-c CONFIG] [--json] [--repair]
                                         read the whole store and its mail; repair a lost or damaged one
  store migrate [-c CONFIG] [--json]     create or upgrade the PostgreSQL schema
  store copy --from DIR --to DSN [--json] copy a stopped Badger install into an empty PostgreSQL database
  retention run [-c CONFIG] [--dry-run] [--json]
                                         remove what retention says has expired; give the disk back
  learn list [-c CONFIG] [--json] [--starter]
                                         what agents taught (#move, #faq, imports); --starter: the built-in starter examples
  learn forget [-c CONFIG] [--json] ID...|--all
  learn import [-c CONFIG] [--dry-run] [--json] LABELS.yaml | --maildir DIR [--map FOLDER=DEPT]...
  customers export ADDRESS [-c CONFIG] [-o DIR] [--json]
                                         one customer's mail (mbox) and tickets (JSON)
  customers erase ADDRESS [-c CONFIG] [--dry-run] [--by NAME] [--json]
                                         erase one customer's data, keep an audit record
  version [--json]                       the build: module version, VCS revision, Go toolchain
`

// run dispatches a command line; it returns the process exit code so tests
// can drive the CLI in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	stdout = termsafe.NewWriter(stdout) // subjects, names and mail text are outsiders' words
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if len(args) == 2 && (args[1] == "-h" || args[1] == "--help") && strings.Contains(usage, "\n  "+args[0]+" ") && !strings.Contains(usage, "\n  "+args[0]+" [") {
		run(ctx, args[:1], stdout, stdout) // without a subcommand, a command prints its usage
		return 0
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "rules":
		return runRules(ctx, args[1:], stdout, stderr)
	case "faq":
		return runFAQ(ctx, args[1:], stdout, stderr)
	case "sla":
		return runSLA(ctx, args[1:], stdout, stderr)
	case "queue":
		return runQueue(ctx, args[1:], stdout, stderr)
	case "tickets":
		return runTickets(ctx, args[1:], stdout, stderr)
	case "store":
		return runStore(ctx, args[1:], stdout, stderr)
	case "retention":
		return runRetention(ctx, args[1:], stdout, stderr)
	case "customers":
		return runCustomers(ctx, args[1:], stdout, stderr)
	case "learn":
		return runLearn(ctx, args[1:], stdout, stderr)
	case "version":
		return runVersion(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "frontdesk: unknown command %q\n%s", args[0], usage)
		return 2
	}
}

// flagExit is the exit status after a FlagSet failed (it printed why and
// its flags): 0 when -h asked for them, else 2, a usage error.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// usageError prints what is wrong with a command line and the usage and
// returns 2; for -h only the usage, to stdout, and 0.
func usageError(stdout, stderr io.Writer, cmd string, err error, usage string) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "frontdesk %s: %v\n%s", cmd, err, usage)
	return 2
}
