package learn

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/store"
)

// `learn import` of a labels file with `faq: []` stores a no-link
// example; `learn list` says "no link" of it (and --json "no_link":
// true), of it only; `learn forget ID` forgets it.
func TestListSaysNoLinkAndForgetForgetsIt(t *testing.T) {
	st := memStore(t)
	env := Env{
		Open: func(string, StoreUse) (*Target, error) {
			return &Target{Store: st, Catalog: faq.Demo(), Departments: []string{"support", "sales"}, Close: func() error { return nil }}, nil
		},
		Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) },
	}
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := Main(context.Background(), env, args, &out, &errb); code != 0 {
			t.Fatalf("learn %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
		}
		return out.String()
	}
	dir := t.TempDir()
	for name, mail := range map[string]string{
		"thanks.eml": "From: a@customer.test\r\nSubject: thank you\r\n\r\nThe installer was wonderful, thank you!\r\n",
		"order.eml":  "From: b@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(mail), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: thanks.eml, lang: en, department: support, faq: []}\n- {file: order.eml, lang: en, department: support, faq: [order-tracking]}\n"), 0o644)
	if out := run("import", labels); !strings.Contains(out, "imported 2 example(s): 2 with a department, 1 with FAQ entries, 1 with no link") {
		t.Errorf("import said %q", out)
	}
	text := run("list")
	var thanksID string
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.Contains(line, "thank you"):
			thanksID = strings.Fields(line)[0]
			if !strings.Contains(line, "support no link") {
				t.Errorf("list: %q does not say no link", line)
			}
		case strings.Contains(line, "where is my order") && strings.Contains(line, "no link"):
			t.Errorf("list: %q says no link", line)
		}
	}
	if thanksID == "" {
		t.Fatalf("list:\n%s", text)
	}
	var listed []map[string]any
	if err := json.Unmarshal([]byte(run("list", "--json")), &listed); err != nil || len(listed) != 2 {
		t.Fatalf("list --json: %v %+v", err, listed)
	}
	for _, ex := range listed {
		if want := ex["id"] == thanksID; (ex["no_link"] == true) != want {
			t.Errorf("list --json: %v, want no_link %v", ex, want)
		}
	}
	if out := run("forget", thanksID); out != "forgot 1 example(s)\n" {
		t.Errorf("forget said %q", out)
	}
	if exs, _ := List(st); len(exs) != 1 || exs[0].NoLink || exs[0].Subject != "where is my order" {
		t.Errorf("after forget: %+v", exs)
	}
}

// TestForgetStarterIsRefusedClearly: `learn forget` given what lists the
// starter examples (--starter) is told that the flag is list's, not that
// it lacks ids; given a starter example's id (as `learn list --starter`
// prints it), it is told that the starter examples are built in, not "no
// such learned example"; either way nothing is forgotten, even beside a
// stored id. Before, the first said "give example ids or --all (not
// both)" and the second "no such learned example".
func TestForgetStarterIsRefusedClearly(t *testing.T) {
	st := memStore(t)
	opened := 0
	env := Env{
		Open: func(string, StoreUse) (*Target, error) {
			opened++
			return &Target{Store: st, Catalog: faq.Demo(), Departments: []string{"support", "sales"}, Close: func() error { return nil }}, nil
		},
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("From: a@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n"), 0o600)
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, lang: en, department: support}\n"), 0o600)
	if code := Main(context.Background(), env, []string{"import", labels}, new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("import: exit %d", code)
	}
	stored, err := List(st)
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored: %v %v", stored, err)
	}
	starter, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"forget", "--starter"}, 2, "--starter is for learn list only"},
		{[]string{"forget", "--starter", stored[0].ID}, 2, "--starter is for learn list only"},
		{[]string{"forget", "--dry-run"}, 2, "--dry-run is for learn import only"},
		{[]string{"forget", starter[0].ID}, 1, starter[0].ID + " is a built-in starter example, not a stored one"},
		{[]string{"forget", stored[0].ID, starter[1].ID}, 1, starter[1].ID + " is a built-in starter example"},
		{[]string{"forget", "--json", starter[0].ID}, 1, "(nothing was forgotten)"},
		{[]string{"nosuch", "--starter"}, 2, `unknown subcommand "nosuch"`},
	} {
		opened = 0
		var out, errb bytes.Buffer
		code := Main(context.Background(), env, tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) || out.Len() != 0 || opened != 0 {
			t.Errorf("learn %v: exit %d (want %d), store opened %d times\nstdout: %s\nstderr: %s(want %q)", tc.args, code, tc.code, opened, out.String(), errb.String(), tc.want)
		}
	}
	if exs, err := List(st); err != nil || len(exs) != 1 {
		t.Errorf("after the refused forgets: %v %v", exs, err)
	}
}

// importEnv is an Env on st with the demo catalog and departments
// support and sales; opened counts the opens by StoreUse.
func importEnv(st *store.Store, opened map[StoreUse]int, off bool) Env {
	return Env{
		Open: func(_ string, use StoreUse) (*Target, error) {
			opened[use]++
			t := &Target{Catalog: faq.Demo(), Departments: []string{"support", "sales"}, LearningOff: off, Close: func() error { return nil }}
			if use != StoreNone {
				t.Store = st
			}
			return t, nil
		},
		Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) },
	}
}

// `learn import --maildir` lists the skipped conversations in its text
// summary too (before: only their count; the list was --json's), each
// named by its customer's first mail.
func TestImportMaildirListsSkipped(t *testing.T) {
	dir := t.TempDir()
	for rel, body := range map[string]string{
		"misc/new/5.a": "From: d@customer.test\r\nMessage-ID: <d1@customer.test>\r\nSubject: hello\r\n\r\nhi\r\n",
		"misc/new/6.a": "From: agent@acme.test\r\nMessage-ID: <a1@acme.test>\r\nIn-Reply-To: <d1@customer.test>\r\n\r\nhello\r\n",
	} {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), importEnv(memStore(t), map[StoreUse]int{}, false), []string{"import", "--maildir", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := "skipped " + filepath.Join("misc", "new", "5.a") + ": neither a department (folder misc) nor an FAQ link\n"
	if !strings.Contains(out.String(), "; 1 skipped\n"+want) {
		t.Errorf("stdout %q, want the summary and %q", out.String(), want)
	}
}

// `learn import` (and --dry-run) of a labels file with problems prints
// every problem as a bare file:line:col line, then "nothing was
// imported", and no summary of what would be imported; --json prints a
// summary that says so (ok false, no examples, the errors), exit 1.
// Before, a dry run printed "would import 1 example(s)" (--json a full
// summary) beside the error, and the first problem line was prefixed
// "frontdesk learn import: ".
func TestImportWithProblemsPrintsNoSummary(t *testing.T) {
	dir := t.TempDir()
	mail := "From: a@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n"
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte(mail), 0o600)
	labels := filepath.Join(dir, "sem.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, department: support}\n- file: a.eml\n  lang: fr\n  department: nosuch\n"), 0o600)
	for _, args := range [][]string{{"import", labels}, {"import", "--dry-run", labels}, {"import", "--json", labels}, {"import", "--dry-run", "--json", labels}} {
		st := memStore(t)
		var out, errb bytes.Buffer
		code := Main(context.Background(), importEnv(st, map[StoreUse]int{}, false), args, &out, &errb)
		lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
		want := []string{labels + ":3:9: a.eml: lang \"fr\": want en, zh or mixed", labels + ":4:15: a.eml: no department \"nosuch\" (the departments are support, sales)", "nothing was imported"}
		if code != 1 || strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("learn %v: exit %d, stderr:\n%s\nwant exit 1 and:\n%s", args, code, errb.String(), strings.Join(want, "\n"))
		}
		if args[len(args)-2] == "--json" {
			var sum ImportSummary
			if err := json.Unmarshal(out.Bytes(), &sum); err != nil || sum.OK || sum.Examples != 0 || len(sum.Errors) != 2 || !strings.HasPrefix(sum.Errors[0], labels+":3:9: ") {
				t.Errorf("learn %v: stdout %s (%v), want ok false, 0 examples, the 2 errors", args, out.String(), err)
			}
		} else if out.Len() != 0 {
			t.Errorf("learn %v: stdout %q, want nothing", args, out.String())
		}
		if exs, _ := List(st); len(exs) != 0 {
			t.Errorf("learn %v stored %d example(s)", args, len(exs))
		}
	}
}

// A `learn import` that is refused opens no store (a data dir without
// one is left without one); a good one opens it only to store. Before,
// the store was opened (and made) before the file was read.
func TestRefusedImportOpensNoStore(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("From: a@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n"), 0o600)
	bad, good := filepath.Join(dir, "bad.yaml"), filepath.Join(dir, "good.yaml")
	os.WriteFile(bad, []byte("- {file: a.eml, department: nosuch}\n"), 0o600)
	os.WriteFile(good, []byte("- {file: a.eml, department: support}\n"), 0o600)
	for _, tc := range []struct {
		args   []string
		code   int
		stores int // opens with StoreCreate or StoreExisting
	}{
		{[]string{"import", bad}, 1, 0},
		{[]string{"import", "--maildir", filepath.Join(dir, "a.eml")}, 1, 0},
		{[]string{"import", "--dry-run", good}, 0, 0},
		{[]string{"import", good}, 0, 1},
	} {
		opened := map[StoreUse]int{}
		var errb bytes.Buffer
		code := Main(context.Background(), importEnv(memStore(t), opened, false), tc.args, new(bytes.Buffer), &errb)
		if code != tc.code || opened[StoreCreate]+opened[StoreExisting] != tc.stores {
			t.Errorf("learn %v: exit %d (want %d), store opened %d time(s) (want %d): %s", tc.args, code, tc.code, opened[StoreCreate]+opened[StoreExisting], tc.stores, errb.String())
		}
	}
}

// `learn import` with learn.enabled false stores the examples and says,
// in one line, that they are unused until learning is enabled; with
// learning on it says nothing of it. Before, it stored silently.
func TestImportWithLearningOffSaysSo(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("From: a@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n"), 0o600)
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, department: support}\n"), 0o600)
	const note = "note: learn.enabled is false: the examples are kept, but not used until learning is enabled\n"
	for _, off := range []bool{true, false} {
		st := memStore(t)
		var out, errb bytes.Buffer
		if code := Main(context.Background(), importEnv(st, map[StoreUse]int{}, off), []string{"import", labels}, &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if got := strings.Count(errb.String(), note); got != map[bool]int{true: 1, false: 0}[off] {
			t.Errorf("learning off %v: stderr %q", off, errb.String())
		}
		if exs, _ := List(st); len(exs) != 1 {
			t.Errorf("learning off %v: stored %d example(s), want 1", off, len(exs))
		}
	}
}

// TestListColumnsAlign: `learn list` sets each column as wide as its
// longest value, so a long FAQ list does not push the subject out of
// line.
func TestListColumnsAlign(t *testing.T) {
	var b strings.Builder
	writeList(&b, []Example{
		{ID: "ex-1", Source: SourceStarter, Department: "support", Entries: []string{"kettle-not-heating", "safety-recall", "warranty-policy"}, Subject: "first subject"},
		{ID: "example-22", Source: "move", Department: "finance", Subject: "second subject"},
		{ID: "x3", Source: "faq", NoLink: true, Subject: "third subject"},
	})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	want := strings.Index(lines[0], "first subject")
	for i, subj := range []string{"first subject", "second subject", "third subject"} {
		if got := strings.Index(lines[i], subj); got != want || got < 0 {
			t.Errorf("line %d %q: subject at byte %d, want %d", i, lines[i], got, want)
		}
	}
	if !strings.Contains(lines[0], "support faq:kettle-not-heating,safety-recall,warranty-policy  first subject") {
		t.Errorf("line 0 %q: the FAQ list and the subject are not two spaces apart", lines[0])
	}
}
