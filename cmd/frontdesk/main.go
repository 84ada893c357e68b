// Command frontdesk is the Frontdesk support-mail gateway: an SMTP server for
// a support domain that files every accepted mail durably, routes it by rules,
// opens or continues a ticket, acknowledges it and relays it to the agents.
//
// Usage:
//
//	frontdesk serve [-c frontdesk.yaml]
//	frontdesk rules check FILE
//	frontdesk rules test [-c frontdesk.yaml | -r rules.yaml] [--json] MESSAGE.eml...
//	frontdesk faq suggest [-c frontdesk.yaml | -f faq.yaml] [--json] MESSAGE.eml...
//	frontdesk sla due [-c frontdesk.yaml | -r rules.yaml] --calendar NAME --start RFC3339 --duration DUR [--json]
//	frontdesk queue list|retry|delete [-c frontdesk.yaml] ...
//	frontdesk tickets list|show [-c frontdesk.yaml] ...
//	frontdesk store check [-c frontdesk.yaml] [--json] [--repair]
//	frontdesk store migrate [-c frontdesk.yaml] [--json]
//	frontdesk store copy --from DATA_DIR --to DSN [--json]
//	frontdesk version [--json]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
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
  rules check FILE                       check a rules file; file:line:col errors
  rules test [-c CONFIG|-r RULES] [--json] MESSAGE.eml...
  faq suggest [-c CONFIG|-f FAQ] [--json] MESSAGE.eml...
  sla due [-c CONFIG|-r RULES] --calendar NAME --start RFC3339 --duration DUR [--json]
  queue list|retry|delete [-c CONFIG] ...
  tickets list|show [-c CONFIG] ...
  store check [-c CONFIG] [--json] [--repair]
                                         read the whole store and its mail; repair a lost or damaged one
  store migrate [-c CONFIG] [--json]     create or upgrade the PostgreSQL schema
  store copy --from DIR --to DSN [--json] copy a stopped Badger install into an empty PostgreSQL database
  retention run [-c CONFIG] [--dry-run] [--json]
                                         remove what retention says has expired; give the disk back
  learn list [-c CONFIG] [--json]        what agents taught (#move, #faq, imports)
  learn forget [-c CONFIG] ID...|--all
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
