package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// documentedCommand is one command line of the docs: the command, its
// subcommand ("" when it has none) and the flags written beside it.
type documentedCommand struct {
	where, cmd, sub string
	flags           []string
}

var (
	codeSpan   = regexp.MustCompile("`([^`]+)`")
	flagName   = regexp.MustCompile(`(?:^|[\s\[|(])(--?[a-z][a-z-]*)`)
	subcommand = regexp.MustCompile(`^[a-z]+(\\?\|[a-z]+)*$`)
)

// parseCommands reads the command lines in text: every code span that
// begins with "frontdesk " or, after one, with a subcommand of the same
// command (`tickets show TAG`), as the README's table writes them.
func parseCommands(where, text string) []documentedCommand {
	var out []documentedCommand
	last := ""
	for _, m := range codeSpan.FindAllStringSubmatch(text, -1) {
		words := strings.Fields(m[1])
		switch {
		case len(words) > 1 && words[0] == "frontdesk":
			words = words[1:]
			last = words[0]
		case last != "" && len(words) > 1 && words[0] == last:
		default:
			continue
		}
		c := documentedCommand{where: where, cmd: words[0]}
		rest := words[1:]
		if len(rest) > 0 && subcommand.MatchString(rest[0]) {
			c.sub, rest = rest[0], rest[1:]
		}
		for _, f := range flagName.FindAllStringSubmatch(strings.Join(rest, " "), -1) {
			c.flags = append(c.flags, strings.TrimLeft(f[1], "-"))
		}
		out = append(out, c)
	}
	return out
}

// docCommands returns the command lines of the README's Commands table
// and of docs/design.md's "The binary" section.
func docCommands(t *testing.T) []documentedCommand {
	t.Helper()
	section := func(file, heading string) string {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i := strings.Index(s, "\n"+heading+"\n")
		if i < 0 {
			t.Fatalf("%s has no %q section", file, heading)
		}
		s = s[i+len(heading)+2:]
		if j := strings.Index(s, "\n#"); j >= 0 {
			s = s[:j]
		}
		return s
	}
	var out []documentedCommand
	for _, line := range strings.Split(section("../../README.md", "## Commands"), "\n") {
		if strings.HasPrefix(line, "| `") {
			cell := strings.SplitN(line, " | ", 2)[0]
			out = append(out, parseCommands("README.md", cell)...)
		}
	}
	for _, line := range strings.Split(section("../../docs/design.md", "## The binary"), "\n") {
		if strings.HasPrefix(line, "- `frontdesk ") {
			out = append(out, parseCommands("docs/design.md", strings.SplitN(line, " — ", 2)[0])...)
		}
	}
	return out
}

func TestParseCommands(t *testing.T) {
	got := parseCommands("x", "`frontdesk tickets list [--status S] [--owner ADDRESS\\|none] [--json]`, `tickets show TAG [--json]`, "+
		"`frontdesk queue retry ID...\\|--all`, `frontdesk learn list\\|forget\\|import [-c CONFIG] ...`, `frontdesk rules check FILE`, `--json`")
	want := []string{"tickets list status,owner,json", "tickets show json", "queue retry all", "learn list\\|forget\\|import c", "rules check "}
	if len(got) != len(want) {
		t.Fatalf("parseCommands found %d commands, want %d: %+v", len(got), len(want), got)
	}
	for i, c := range got {
		if s := c.cmd + " " + c.sub + " " + strings.Join(c.flags, ","); s != want[i] {
			t.Errorf("command %d: %q, want %q", i, s, want[i])
		}
	}
}

// TestDocumentedCommandsExist fails when the README's Commands table or
// docs/design.md names a command or subcommand that `frontdesk help`
// does not list, or a flag that the command's -h does not show.
func TestDocumentedCommandsExist(t *testing.T) {
	cmds := docCommands(t)
	if len(cmds) < 15 {
		t.Fatalf("found only %d documented commands; the docs' layout changed under the parser", len(cmds))
	}
	var help bytes.Buffer
	if code := run(context.Background(), []string{"help"}, &help, &help); code != 0 {
		t.Fatalf("frontdesk help: exit %d", code)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(help.String(), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(line, "  ") || line[2] == ' ' || !subcommand.MatchString(f[0]) { // a command, not a description's continuation
			continue
		}
		listed[f[0]] = true
		if len(f) > 1 && subcommand.MatchString(f[1]) {
			for _, sub := range strings.Split(f[1], "|") {
				listed[f[0]+" "+sub] = true
			}
		}
	}
	checked := 0
	for _, c := range cmds {
		checked++
		for _, sub := range strings.Split(strings.ReplaceAll(c.sub, `\|`, "|"), "|") {
			name := strings.TrimSpace(c.cmd + " " + sub)
			if !listed[name] {
				t.Errorf("%s documents `frontdesk %s`, which `frontdesk help` does not list", c.where, name)
				continue
			}
			args := strings.Fields(name)
			var out bytes.Buffer
			run(context.Background(), append(args, "-h"), &out, &out)
			for _, f := range c.flags {
				if !regexp.MustCompile(`(^|[\s\[|])--?` + regexp.QuoteMeta(f) + `\b`).MatchString(out.String()) {
					t.Errorf("%s documents `frontdesk %s` with -%s, which `frontdesk %s -h` does not show:\n%s", c.where, name, f, name, out.String())
				}
			}
		}
	}
	// And the other way: what help lists, the docs describe.
	documented := map[string]bool{}
	for _, c := range cmds {
		for _, sub := range strings.Split(strings.ReplaceAll(c.sub, `\|`, "|"), "|") {
			documented[strings.TrimSpace(c.cmd+" "+sub)] = true
		}
	}
	for name := range listed {
		if f := strings.Fields(name); len(f) == 2 || !listedWithSub(listed, name) {
			if !documented[name] {
				t.Errorf("`frontdesk help` lists `%s`, which neither the README's Commands table nor docs/design.md describes", name)
			}
		}
	}
	t.Logf("%d documented command lines checked against frontdesk help and -h", checked)
}

// TestUsageExitStatus holds every command to one convention: -h or --help
// (of a command or of a subcommand) prints the usage and exits 0; a
// mistake on the command line exits 2 and says what is wrong, before any
// store or file is opened.
func TestUsageExitStatus(t *testing.T) {
	cases := []struct {
		args string
		code int
		say  string // in stderr (stdout for help)
	}{
		{"--help", 0, "commands:"},
		{"bogus", 2, `unknown command "bogus"`},
		{"serve --help", 0, "-c"},
		{"serve -x", 2, "-x"},
		{"serve frontdesk.yaml", 2, `unexpected argument "frontdesk.yaml"`},
		{"rules --help", 0, "rules test"},
		{"rules test --help", 0, "rules test"},
		{"rules test", 2, "no message given"},
		{"rules bogus", 2, `unknown subcommand "bogus"`},
		{"faq suggest -h", 0, "faq suggest"},
		{"faq suggest --bogus x.eml", 2, "-bogus"},
		{"sla --help", 0, "sla due"},
		{"sla due --help", 0, "-calendar"},
		{"sla due --calendar office", 2, "--calendar, --start and --duration are required"},
		{"queue --help", 0, "queue list"},
		{"queue list --help", 0, "-json"},
		{"queue retry", 2, "give queue ids or --all"},
		{"queue delete", 2, "give queue ids"},
		{"--help", 0, "\n  queue delete [-c CONFIG] [--json] ID...\n"}, // as the README: delete takes ids only
		{"queue --help", 0, "queue retry [-c CONFIG] [--json] ID...|--all | queue delete [-c CONFIG] [--json] ID...\n"},
		{"queue delete --all", 2, "frontdesk queue delete: --all is for queue retry only"},
		{"queue delete 0123 --all", 2, "frontdesk queue delete: --all is for queue retry only"},
		{"queue list --all", 2, "frontdesk queue list: --all is for queue retry only"},
		{"queue bogus", 2, `unknown subcommand "bogus"`},
		{"tickets --help", 0, "tickets list"},
		{"tickets show", 2, "give one ticket tag"},
		{"tickets list --status bogus", 2, "--status"},
		{"store --help", 0, "store copy"},
		{"store check --help", 0, "-repair"},
		{"store copy --from x", 2, "--from and --to are both required"},
		{"store check --to x", 2, "--from and --to are for store copy only"},
		{"store check extra", 2, `unexpected argument "extra"`},
		{"store bogus", 2, `unknown subcommand "bogus"`},
		{"retention --help", 0, "retention run"},
		{"retention run --help", 0, "-dry-run"},
		{"retention run extra", 2, `unexpected argument "extra"`},
		{"customers --help", 0, "customers erase"},
		{"customers erase", 2, "give one customer address"},
		{"customers export a@b.example c@d.example", 2, "give one customer address"},
		{"learn --help", 0, "learn import"},
		{"learn list --help", 0, "learn list"},
		{"learn forget", 2, "give example ids or --all"},
		{"learn import", 2, "give one LABELS.yaml or --maildir DIR"},
		{"learn import --map a=support x.yaml", 2, "--map is for --maildir only"},
		{"learn import --map nodept --maildir x", 2, `frontdesk learn import: invalid value "nodept" for flag -map`},
		{"learn list --bogus", 2, "frontdesk learn list: flag provided but not defined: -bogus"},
		{"learn list extra", 2, `unexpected argument "extra"`},
		{"version --help", 0, "-json"},
		{"version extra", 2, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), strings.Fields(c.args), &out, &errb)
		if code != c.code {
			t.Errorf("frontdesk %s: exit %d, want %d\nstdout: %s\nstderr: %s", c.args, code, c.code, out.String(), errb.String())
			continue
		}
		if !strings.Contains(out.String()+errb.String(), c.say) {
			t.Errorf("frontdesk %s: output does not say %q\nstdout: %s\nstderr: %s", c.args, c.say, out.String(), errb.String())
		}
		if c.code == 2 && strings.TrimSpace(errb.String()) == "" {
			t.Errorf("frontdesk %s: exit 2 with nothing on stderr", c.args)
		}
	}
}

// listedWithSub says that help lists cmd with subcommands.
func listedWithSub(listed map[string]bool, cmd string) bool {
	for name := range listed {
		if strings.HasPrefix(name, cmd+" ") {
			return true
		}
	}
	return false
}

// tickets show lines its fields up: one space-padded column whether the
// customer gave a name or not.
// TestPrintResolvedTicketClocks: a ticket resolved before its first
// response (through the API, say) shows that clock stopped, not running.
func TestPrintResolvedTicketClocks(t *testing.T) {
	tk := &ticket.Ticket{Tag: "SUP-1000", Status: ticket.Open, Deadlines: []ticket.Deadline{{Kind: sla.FirstResponse}, {Kind: sla.Resolution}}}
	var open bytes.Buffer
	printTicket(&open, tk)
	tk.Resolve(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), "api")
	var resolved bytes.Buffer
	printTicket(&resolved, tk)
	for _, c := range []struct {
		out  string
		want []string
	}{
		{open.String(), []string{"first_response  due 0001-01-01T00:00:00Z  running", "resolution      due 0001-01-01T00:00:00Z  running"}},
		{resolved.String(), []string{"first_response  due 0001-01-01T00:00:00Z  stopped (resolved)", "resolution      due 0001-01-01T00:00:00Z  met 2026-12-07T10:00:00Z"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.out, w) {
				t.Errorf("no %q in:\n%s", w, c.out)
			}
		}
	}
}

// TestPrintMergedTicketClocks: a merged ticket's clocks say stopped
// (merged), not met at the merge (audit 2 item 12).
func TestPrintMergedTicketClocks(t *testing.T) {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	pol := ticket.Policy{FirstResponse: sla.Duration{Business: time.Hour}, Resolution: sla.Duration{Days: 3}}
	open := func(tag string) *ticket.Ticket {
		return ticket.New(ticket.NewParams{Tag: tag, Customer: "c@x.example", Policy: pol}, ticket.Entry{At: at, Kind: ticket.KindCustomer}, at, nil)
	}
	dup, survivor := open("SUP-1007"), open("SUP-1006")
	if err := dup.MergeInto(survivor, "alice@acme.example", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printTicket(&out, dup)
	for _, w := range []string{"first_response  due 2026-12-07T11:00:00Z  stopped (merged)", "resolution      due 2026-12-10T10:00:00Z  stopped (merged)"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("no %q in:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "met ") {
		t.Errorf("a merged ticket's clock says met:\n%s", out.String())
	}
}

func TestPrintTicketCustomerLine(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"", "customer:   bob@customer.example\n"},
		{"Bob", "customer:   Bob bob@customer.example\n"},
	} {
		var out bytes.Buffer
		printTicket(&out, &ticket.Ticket{Tag: "SUP-1000", CustomerName: c.name, Customer: "bob@customer.example"})
		if !strings.Contains(out.String(), "\n"+c.want) {
			t.Errorf("name %q: no line %q in:\n%s", c.name, c.want, out.String())
		}
	}
}
