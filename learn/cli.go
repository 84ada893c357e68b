package learn

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Env is what the learn command needs of the binary: the store, catalog
// and departments of a config (cfgPath "" for the defaults).
type Env struct {
	Open func(cfgPath string, use StoreUse) (*Target, error)
	Now  func() time.Time
}

// StoreUse says what a subcommand needs of the config's store.
type StoreUse int

const (
	// StoreExisting (list, forget): the store a server has written; a
	// data dir without one is an error, never a new empty store (a
	// wrong working directory or -c would otherwise list nothing and
	// leave a stray store behind), as for the other admin commands.
	StoreExisting StoreUse = iota
	// StoreCreate (import): made when the data dir has none, so that a
	// team imports its history before the first serve.
	StoreCreate
	// StoreNone (import --dry-run): nothing is opened or created; the
	// dry run needs only the catalog and departments, so it also works
	// beside a running server.
	StoreNone
)

// Target is one config's learning: its store (closed by Close; nil for
// StoreNone, and for StoreExisting when a running server holds it and
// Server answers instead), the FAQ catalog in force, its departments and
// the help centre's public URL.
type Target struct {
	Store *store.Store
	// Server is the running server's admin API, for list, forget and
	// import while that server holds the store (Badger's directory
	// lock); nil when Store is open. What it returns is what List, Forget
	// and Import on the store would, and a forget or an import through it
	// is in the server's ranking when it returns.
	Server      Server
	Catalog     *faq.Catalog
	Departments []string
	PublicURL   string
	// Starter says whether the config's server uses the starter examples
	// and why (StarterFor; learn list --starter prints it); "" when not
	// known.
	Starter string
	// LearningOff: the config's learn.enabled is false, so the server
	// keeps what is imported but neither ranks nor routes with it.
	LearningOff bool
	Close       func() error
}

// Server is a running server's admin API as list, forget and import use
// it.
type Server interface {
	LearnList(ctx context.Context) ([]Example, error)
	// LearnForget is Forget on the server's store; an unknown id is an
	// error wrapping ErrNoExample, and nothing is forgotten then.
	LearnForget(ctx context.Context, ids []string, all bool) (int, error)
	// LearnImport is Import on the server's store, its progress lines
	// written to progress as they come.
	LearnImport(ctx context.Context, exs []Example, progress io.Writer) (ImportSummary, error)
}

func (t *Target) list(ctx context.Context) ([]Example, error) {
	if t.Server != nil {
		return t.Server.LearnList(ctx)
	}
	return List(t.Store)
}

// forget forgets as Forget does; whether nothing was forgotten on an
// error is known of the store's transaction and of an unknown id, not of
// a server that did not answer or failed after its commit.
func (t *Target) forget(ctx context.Context, ids []string, all bool) (n int, nothing bool, err error) {
	if t.Server != nil {
		n, err = t.Server.LearnForget(ctx, ids, all)
		return n, errors.Is(err, ErrNoExample), err
	}
	n, err = Forget(ctx, t.Store, ids, all)
	return n, true, err
}

func (t *Target) importExamples(ctx context.Context, exs []Example, progress io.Writer) (ImportSummary, error) {
	if t.Server != nil {
		return t.Server.LearnImport(ctx, exs, progress)
	}
	return Import(ctx, t.Store, exs, progress)
}

const usage = `usage: frontdesk learn list [-c CONFIG] [--json] [--starter]
       frontdesk learn forget [-c CONFIG] [--json] ID...|--all
       frontdesk learn import [-c CONFIG] [--dry-run] [--json] LABELS.yaml
       frontdesk learn import [-c CONFIG] [--dry-run] [--json] --maildir DIR [--map FOLDER=DEPARTMENT]...`

// flagOf is the one subcommand a flag belongs to (-c and --json are
// every subcommand's).
var flagOf = map[string]string{"all": "forget", "dry-run": "import", "maildir": "import", "map": "import", "starter": "list"}

type mapFlag map[string]string

func (m mapFlag) String() string { return fmt.Sprint(map[string]string(m)) }
func (m mapFlag) Set(v string) error {
	f, d, ok := strings.Cut(v, "=")
	if !ok || f == "" || d == "" {
		return fmt.Errorf("want FOLDER=DEPARTMENT, got %q", v)
	}
	m[f] = d
	return nil
}

// Main runs `frontdesk learn ARGS` and returns the exit status: 0, 1 for
// a failure, 2 for a usage error.
func Main(ctx context.Context, env Env, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	sub := args[0]
	fs := flag.NewFlagSet("learn "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // its errors are printed below, after the command's name
	// The usage below says which flags go with which subcommand; the
	// flag package's list would offer every subcommand all of them.
	fs.Usage = func() {}
	cfg := fs.String("c", "", "config file")
	asJSON := fs.Bool("json", false, "JSON output")
	all := fs.Bool("all", false, "forget: every example")
	starter := fs.Bool("starter", false, "list: the built-in starter examples instead of the stored ones")
	dry := fs.Bool("dry-run", false, "import: read and check, store nothing")
	maildir := fs.String("maildir", "", "import: an archive of answered mail (Maildir folders)")
	fmap := mapFlag{}
	fs.Var(fmap, "map", "import --maildir: FOLDER=DEPARTMENT (repeatable)")
	var pos []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage) // -h: the usage asked for
			return 0
		} else if err != nil {
			fmt.Fprintf(stderr, "frontdesk learn %s: %v\n%s\n", sub, err, usage)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	problem := ""
	known := sub == "list" || sub == "forget" || sub == "import"
	// A flag of another subcommand is refused, not ignored: `learn forget
	// --all --dry-run` would otherwise forget everything it was only to
	// show. It is what is said first: `learn forget --starter` is told
	// that --starter lists, not that it lacks ids.
	fs.Visit(func(f *flag.Flag) {
		if of, ok := flagOf[f.Name]; ok && known && of != sub && problem == "" {
			problem = fmt.Sprintf("--%s is for learn %s only", f.Name, of)
		}
	})
	switch {
	case problem != "":
	case !known:
		problem = fmt.Sprintf("unknown subcommand %q (list, forget, import)", sub)
	case sub == "forget" && (len(pos) == 0) == !*all:
		problem = "give example ids or --all (not both)"
	case sub == "import" && (len(pos) == 1) == (*maildir != ""), sub == "import" && len(pos) > 1:
		problem = "give one LABELS.yaml or --maildir DIR"
	case sub == "import" && *maildir == "" && len(fmap) > 0:
		problem = "--map is for --maildir only: a labelled set names its departments itself"
	case sub == "list" && len(pos) > 0:
		problem = fmt.Sprintf("unexpected argument %q", pos[0])
	}
	if problem != "" {
		fmt.Fprintf(stderr, "frontdesk learn %s: %s\n%s\n", sub, problem, usage)
		return 2
	}
	if sub == "forget" {
		// an id `learn list --starter` printed is not in the store: say
		// so, rather than "no such learned example"
		if id, err := starterID(pos); err != nil || id != "" {
			if err == nil {
				err = fmt.Errorf("%s is a built-in starter example, not a stored one: learn forget does not reach the starter examples (learn.starter: false leaves them all out)", id)
			}
			fmt.Fprintf(stderr, "frontdesk learn forget: %v (nothing was forgotten)\n", err)
			return 1
		}
	}
	use := StoreExisting
	if sub == "import" {
		// read and checked first, with the catalog and departments
		// only: an import refused opens (or makes) no store; the store
		// is opened (StoreCreate) once there is something to store
		use = StoreNone
	}
	if *starter {
		use = StoreNone // they are in the binary
	}
	t, err := env.Open(*cfg, use)
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk learn %s: %v\n", sub, err)
		return 1
	}
	defer t.Close()
	switch sub {
	case "list":
		list := t.list
		if *starter {
			list = func(context.Context) ([]Example, error) { return Starter() }
		}
		exs, err := list(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk learn list: %v\n", err)
			return 1
		}
		if *asJSON {
			if exs == nil {
				exs = []Example{}
			}
			enc.Encode(exs)
			return 0
		}
		writeList(stdout, exs)
		if *starter {
			use := "learn.starter says whether they are used"
			if t.Starter != "" {
				use = t.Starter
			}
			fmt.Fprintf(stdout, "%d starter example(s), built in (%s)\n", len(exs), use)
			return 0
		}
		fmt.Fprintf(stdout, "%d example(s)\n", len(exs))
		return 0
	case "forget":
		n, nothing, err := t.forget(ctx, pos, *all)
		if err != nil {
			more := ""
			if nothing {
				more = " (nothing was forgotten)"
			}
			fmt.Fprintf(stderr, "frontdesk learn forget: %v%s\n", err, more)
			return 1
		}
		if *asJSON {
			enc.Encode(map[string]int{"forgotten": n})
		} else {
			fmt.Fprintf(stdout, "forgot %d example(s)\n", n)
		}
		return 0
	}
	var exs []Example
	var skipped []string
	if *maildir != "" {
		exs, skipped, err = ReadMaildir(*maildir, fmap, t.Departments, Links{Catalog: func() *faq.Catalog { return t.Catalog }, PublicURL: t.PublicURL}, env.Now(), stderr)
	} else {
		exs, err = ReadLabels(pos[0], t.Catalog, t.Departments, env.Now())
	}
	if err != nil {
		// A file's problems are printed bare, each line starting with
		// its file:line:col; another error (the file not read) is the
		// command's.
		var list adminfile.List
		if errors.As(err, &list) {
			fmt.Fprintln(stderr, err)
		} else {
			fmt.Fprintf(stderr, "frontdesk learn import: %v\n", err)
		}
		fmt.Fprintln(stderr, "nothing was imported")
		if *asJSON {
			// no summary of what would be imported: what is wrong
			sum := summary(nil, skipped, *dry)
			sum.OK, sum.Errors = false, strings.Split(err.Error(), "\n")
			enc.Encode(sum)
		}
		return 1
	}
	sum := summary(exs, nil, *dry)
	if !*dry {
		st, err := env.Open(*cfg, StoreCreate)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk learn import: %v\n", err)
			return 1
		}
		defer st.Close()
		s, err := st.importExamples(ctx, exs, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk learn import: %v\n", err)
			return 1
		}
		sum = s
		if t.LearningOff {
			fmt.Fprintln(stderr, "note: learn.enabled is false: the examples are kept, but not used until learning is enabled")
		}
	}
	sum.Skipped = skipped
	if sum.Skipped == nil {
		sum.Skipped = []string{}
	}
	already := sum.AlreadyImported
	if *asJSON {
		enc.Encode(sum)
	} else {
		verb := "imported"
		if *dry {
			verb = "would import"
		}
		more := ""
		if already > 0 {
			more = fmt.Sprintf("; %d imported before, left as they were", already)
		}
		if sum.MarkedNoLink > 0 {
			more += fmt.Sprintf("; %d imported before, now marked no link", sum.MarkedNoLink)
		}
		fmt.Fprintf(stdout, "%s %d example(s): %d with a department, %d with FAQ entries, %d with no link; %d skipped%s\n", verb, sum.Examples, sum.WithDepartment, sum.WithFAQ, sum.WithNoLink, len(skipped), more)
		for _, s := range skipped {
			fmt.Fprintf(stdout, "skipped %s\n", s)
		}
	}
	if err != nil {
		return 1
	}
	return 0
}

// ImportSummary is what `learn import` did.
type ImportSummary struct {
	DryRun         bool `json:"dry_run"`
	Examples       int  `json:"examples"`
	WithDepartment int  `json:"with_department"`
	WithFAQ        int  `json:"with_faq"`
	// WithNoLink are the no-link examples (a label's `faq: []`).
	WithNoLink  int            `json:"with_no_link"`
	Departments map[string]int `json:"departments"`
	Skipped     []string       `json:"skipped"`
	// AlreadyImported are the examples an earlier import stored the same
	// (the same words with the same department and entries): not stored
	// twice, since a duplicate would take two of a mail's nearest
	// neighbours' votes. A dry run does not look at the store.
	AlreadyImported int `json:"already_imported"`
	// MarkedNoLink are examples an earlier import stored the same but
	// for NoLink (imported before `faq: []` made no-link examples, or
	// from labels that said nothing of links), now marked no link in
	// place rather than stored twice. They are not in Examples.
	MarkedNoLink int `json:"marked_no_link"`
	// OK is false when the import was refused (nothing stored, nothing
	// would be): Errors then says why, one problem each, and the counts
	// are zero.
	OK     bool     `json:"ok"`
	Errors []string `json:"errors,omitempty"`
}

// Import stores exs in st as `learn import` does, on a stopped store or
// in a running server (POST /api/learn): those an earlier import stored
// the same are left out (AlreadyImported), the others are committed
// importBatch at a time, a progress line written to progress after each.
// The summary is of the examples stored (Skipped is the reader's, empty
// here).
func Import(ctx context.Context, st *store.Store, exs []Example, progress io.Writer) (ImportSummary, error) {
	exs, marked, already, err := newOnly(st, exs)
	if err != nil {
		return ImportSummary{}, err
	}
	if err := store1(ctx, st, append(marked, exs...), progress); err != nil {
		return ImportSummary{}, err
	}
	sum := summary(exs, nil, false)
	sum.AlreadyImported = already
	sum.MarkedNoLink = len(marked)
	return sum, nil
}

// newOnly is exs without those an earlier import stored the same, and
// how many those were; marked are the stored ones that exs says are
// no-link examples and that were not marked so, now marked (their ids
// kept, so that storing them replaces them).
func newOnly(st *store.Store, exs []Example) (out, marked []Example, already int, err error) {
	old, err := List(st)
	if err != nil {
		return nil, nil, 0, err
	}
	// An example as Put stores it (the customer in lower case, the text
	// cut), so that one read again is found the same.
	same := func(ex Example) string {
		return strings.Join([]string{ex.Department, strings.Join(ex.Entries, ","), strings.ToLower(ex.Customer), ex.Subject, cut(ex.Text, maxText)}, "\x00")
	}
	// the stored example of each key (-1: one of exs, stored now)
	have := map[string]int{}
	for i, ex := range old {
		if ex.Source == SourceImport || ex.Source == SourceAPI {
			have[same(ex)] = i
		}
	}
	out = exs[:0:0]
	for _, ex := range exs {
		k := same(ex)
		i, ok := have[k]
		switch {
		case !ok:
			have[k] = -1
			out = append(out, ex)
		case i >= 0 && ex.NoLink && !old[i].NoLink && len(old[i].Entries) == 0:
			o := old[i]
			o.NoLink = true
			marked = append(marked, o)
			old[i].NoLink = true // once, however often exs has it
		}
	}
	return out, marked, len(exs) - len(out) - len(marked), nil
}

func summary(exs []Example, skipped []string, dry bool) ImportSummary {
	s := ImportSummary{DryRun: dry, Examples: len(exs), Departments: map[string]int{}, Skipped: skipped, OK: true}
	if s.Skipped == nil {
		s.Skipped = []string{}
	}
	for _, ex := range exs {
		if ex.Department != "" {
			s.WithDepartment++
			s.Departments[ex.Department]++
		}
		if len(ex.Entries) > 0 {
			s.WithFAQ++
		} else if ex.NoLink {
			s.WithNoLink++
		}
	}
	return s
}

// importBatch examples go in one commit: a long import commits as it goes
// and reports progress, without one giant transaction.
const importBatch = 200

func store1(ctx context.Context, st *store.Store, exs []Example, progress io.Writer) error {
	for i := 0; i < len(exs); i += importBatch {
		batch := exs[i:min(len(exs), i+importBatch)]
		if err := st.Update(ctx, func(txn *store.Txn) error {
			for j := range batch {
				if err := Put(txn, &batch[j]); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("after %d of %d examples: %w", i, len(exs), err)
		}
		fmt.Fprintf(progress, "learn import: %d/%d stored\n", i+len(batch), len(exs))
	}
	return nil
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

var errNoThread = errors.New("no thread")

// starterID is the first of ids that names a starter example, or "".
func starterID(ids []string) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	exs, err := Starter()
	if err != nil {
		return "", err
	}
	starter := make(map[string]bool, len(exs))
	for _, ex := range exs {
		starter[ex.ID] = true
	}
	for _, id := range ids {
		if starter[id] {
			return id, nil
		}
	}
	return "", nil
}

// writeList prints examples one a line: id, date, source, what it
// teaches, subject, each column as wide as its longest value (ids and
// FAQ lists vary).
func writeList(w io.Writer, exs []Example) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, ex := range exs {
		label := ex.Department
		if len(ex.Entries) > 0 {
			label = strings.TrimPrefix(label+" faq:"+strings.Join(ex.Entries, ","), " ")
		} else if ex.NoLink {
			label = strings.TrimPrefix(label+" no link", " ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ex.ID, ex.At.Format("2006-01-02"), ex.Source, label, oneLine(ex.Subject, 60))
	}
	tw.Flush()
}
