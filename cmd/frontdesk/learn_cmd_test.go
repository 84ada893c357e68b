package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/learn"
)

func learnConfig(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "frontdesk.yaml")
	if err := os.WriteFile(cfg, []byte("domains: [support.test]\ndata_dir: "+filepath.Join(dir, "data")+"\nhttp: {public_url: 'http://help.test'}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, dir
}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errb.String())
	}
	return out.String()
}

func TestLearnImportListForget(t *testing.T) {
	labels := filepath.Join("..", "..", "..", "shared", "eval", "public", "labels.yaml")
	if _, err := os.Stat(labels); err != nil {
		t.Skipf("evaluation data not found: %v", err)
	}
	cfg, _ := learnConfig(t)
	var sum learn.ImportSummary
	if err := json.Unmarshal([]byte(runOK(t, "learn", "import", "-c", cfg, "--dry-run", "--json", labels)), &sum); err != nil || !sum.DryRun || sum.Examples != 50 {
		t.Fatalf("dry run: %+v %v", sum, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfg), "data")); err == nil {
		t.Fatalf("the dry run made a data dir")
	}
	var exs []learn.Example
	if out := runOK(t, "learn", "import", "-c", cfg, labels); !strings.Contains(out, "imported 50 example(s)") {
		t.Fatalf("import: %s", out)
	}
	json.Unmarshal([]byte(runOK(t, "learn", "list", "-c", cfg, "--json")), &exs)
	if len(exs) != 50 || exs[0].Source != learn.SourceImport || exs[0].Department == "" {
		t.Fatalf("list: %d %+v", len(exs), exs[0])
	}
	// faq suggest and rules test -c read them (and still answer)
	mail := filepath.Join(filepath.Dir(labels), "003-refund-still-waiting.eml")
	if out := runOK(t, "faq", "suggest", "-c", cfg, "--json", mail); !strings.Contains(out, "refund") {
		t.Fatalf("faq suggest: %s", out)
	}
	runOK(t, "rules", "test", "-c", cfg, mail)
	if out := runOK(t, "learn", "forget", "-c", cfg, exs[0].ID); !strings.Contains(out, "forgot 1") {
		t.Fatalf("forget: %s", out)
	}
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"learn", "forget", "-c", cfg, exs[0].ID}, new(bytes.Buffer), &errb); code != 1 || !strings.Contains(errb.String(), "no such learned example") {
		t.Fatalf("forgetting it again: %d %s", code, errb.String())
	}
	if out := runOK(t, "learn", "forget", "-c", cfg, "--all"); !strings.Contains(out, "forgot 49") {
		t.Fatalf("forget --all: %s", out)
	}
}

func TestLearnImportMaildir(t *testing.T) {
	cfg, dir := learnConfig(t)
	arch := filepath.Join(dir, "archive")
	write := func(folder, name, body string) {
		p := filepath.Join(arch, folder, "cur")
		os.MkdirAll(p, 0o700)
		if err := os.WriteFile(filepath.Join(p, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(".billing", "1", "From: c@customer.test\r\nMessage-ID: <c1@customer.test>\r\nSubject: charged twice\r\n\r\nMy card was charged twice.\r\n")
	write(".billing", "2", "From: agent@acme.test\r\nMessage-ID: <a1@acme.test>\r\nIn-Reply-To: <c1@customer.test>\r\nSubject: Re: charged twice\r\n\r\nSorry! See http://help.test/faq/refund-timing\r\n")
	write("misc", "3", "From: d@customer.test\r\nMessage-ID: <d1@customer.test>\r\nSubject: hello\r\n\r\nhi\r\n")
	write("misc", "4", "From: agent@acme.test\r\nMessage-ID: <a2@acme.test>\r\nIn-Reply-To: <d1@customer.test>\r\n\r\nhello\r\n")
	write("misc", "5", "From: e@customer.test\r\nMessage-ID: <e1@customer.test>\r\nSubject: unanswered\r\n\r\nanyone?\r\n")
	var sum learn.ImportSummary
	if err := json.Unmarshal([]byte(runOK(t, "learn", "import", "-c", cfg, "--json", "--maildir", arch, "--map", "billing=finance")), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Examples != 1 || sum.Departments["finance"] != 1 || sum.WithFAQ != 1 || len(sum.Skipped) != 1 || !strings.Contains(sum.Skipped[0], "misc") {
		t.Fatalf("%+v", sum)
	}
	var exs []learn.Example
	json.Unmarshal([]byte(runOK(t, "learn", "list", "-c", cfg, "--json")), &exs)
	if len(exs) != 1 || exs[0].Customer != "c@customer.test" || exs[0].Entries[0] != "refund-timing" || !strings.Contains(exs[0].Text, "charged twice") {
		t.Fatalf("%+v", exs)
	}
}

// TestLearnNeedsAServersStore: learn list and forget on a data dir that
// holds no store are refused as queue and tickets refuse them, and leave
// nothing behind; an import --dry-run opens no store at all. Before, each
// made a new empty store there (list then printed "0 example(s)"), so a
// wrong working directory or -c looked like a server that had learned
// nothing, and left a stray data dir.
func TestLearnNeedsAServersStore(t *testing.T) {
	for _, args := range [][]string{{"list"}, {"list", "--json"}, {"forget", "--all"}, {"forget", "0123"}} {
		cfg, dir := learnConfig(t)
		var out, errb bytes.Buffer
		code := run(context.Background(), append(append([]string{"learn"}, args...), "-c", cfg), &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), "no data dir") {
			t.Errorf("learn %v without a store: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
		if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
			t.Errorf("learn %v made a data dir", args)
		}
	}
	cfg, dir := learnConfig(t)
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, department: finance}\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("Subject: charged twice\r\n\r\nMy card was charged twice.\r\n"), 0o600)
	if out := runOK(t, "learn", "import", "-c", cfg, "--dry-run", labels); !strings.Contains(out, "would import 1 example(s)") {
		t.Fatalf("dry run: %s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Errorf("import --dry-run made a data dir")
	}
	// A refused import makes none (before, it made the store first).
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("- {file: a.eml, department: nosuch}\n"), 0o600)
	if code := run(context.Background(), []string{"learn", "import", "-c", cfg, bad}, new(bytes.Buffer), new(bytes.Buffer)); code != 1 {
		t.Errorf("import of a bad file: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Errorf("a refused import made a data dir")
	}
	// A real import makes the store (history imported before the first serve).
	runOK(t, "learn", "import", "-c", cfg, labels)
	if out := runOK(t, "learn", "list", "-c", cfg); !strings.Contains(out, "1 example(s)") {
		t.Errorf("list after the import: %s", out)
	}
}

// TestLearnWithoutConfig: without -c, `learn import` puts the examples in
// the embedded defaults' data dir (./frontdesk-data), which serve without
// -c ranks and routes with, and `faq suggest` and `rules test` without -c
// then use them too, as the issue's "learn import LABELS.yaml, then faq
// suggest" shows. Before, they used the examples only with -c, so the
// import seemed to change nothing.
func TestLearnWithoutConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	mail := filepath.Join(dir, "rebate.eml")
	os.WriteFile(mail, []byte("From: carol@customer.example\r\nTo: support@support.localhost\r\nSubject: trade-in rebate not received\r\n"+
		"Content-Type: text/plain; charset=UTF-8\r\n\r\nI traded in my old washing machine when I bought the new one and the 300 yuan trade-in rebate never arrived. Where is it?\r\n"), 0o600)
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: rebate.eml, lang: en, department: finance, faq: [refund-timing]}\n"), 0o600)
	type suggestion struct {
		FAQ []struct{ ID string } `json:"faq"`
	}
	suggest := func() []string {
		var s suggestion
		if out := runOK(t, "faq", "suggest", "--json", mail); json.Unmarshal([]byte(out), &s) != nil {
			t.Fatalf("faq suggest --json: %s", out)
		}
		var ids []string
		for _, f := range s.FAQ {
			ids = append(ids, f.ID)
		}
		return ids
	}
	var before struct{ Department string }
	json.Unmarshal([]byte(runOK(t, "rules", "test", "--json", mail)), &before)
	if ids := suggest(); len(ids) > 0 && ids[0] == "refund-timing" || before.Department == "finance" {
		t.Fatalf("the catalog alone already links refund-timing first (%v) or routes to finance (%s): the mail shows nothing", ids, before.Department)
	}
	runOK(t, "learn", "import", labels)
	if _, err := os.Stat(filepath.Join(dir, "frontdesk-data", "store")); err != nil {
		t.Fatalf("learn import without -c: %v", err)
	}
	if ids := suggest(); len(ids) == 0 || ids[0] != "refund-timing" {
		t.Errorf("faq suggest without -c after the import: %v, want refund-timing first", ids)
	}
	var after struct{ Department string }
	if out := runOK(t, "rules", "test", "--json", mail); json.Unmarshal([]byte(out), &after) != nil || after.Department != "finance" {
		t.Errorf("rules test without -c after the import: %s", out)
	}
}

// TestLearnImportTwice: importing the same labels again stores nothing new
// and says so; before, every run added a copy of each example, and the
// copies took a mail's nearest-neighbour votes.
func TestLearnImportTwice(t *testing.T) {
	cfg, dir := learnConfig(t)
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("From: a@customer.test\r\nSubject: charged twice\r\n\r\nMy card was charged twice.\r\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "b.eml"), []byte("From: b@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n"), 0o600)
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, department: finance}\n"), 0o600)
	runOK(t, "learn", "import", "-c", cfg, labels)
	os.WriteFile(labels, []byte("- {file: a.eml, department: finance}\n- {file: b.eml, department: support}\n"), 0o600)
	var sum learn.ImportSummary
	if out := runOK(t, "learn", "import", "-c", cfg, "--json", labels); json.Unmarshal([]byte(out), &sum) != nil || sum.Examples != 1 || sum.AlreadyImported != 1 {
		t.Errorf("the second import: %s", out)
	}
	if out := runOK(t, "learn", "import", "-c", cfg, labels); !strings.Contains(out, "imported 0 example(s)") || !strings.Contains(out, "2 imported before") {
		t.Errorf("the third import: %s", out)
	}
	if out := runOK(t, "learn", "list", "-c", cfg); !strings.Contains(out, "2 example(s)") {
		t.Errorf("list: %s", out)
	}
}

// TestLearnFlagsOfAnotherSubcommand: a flag of another learn subcommand is
// refused (exit 2) and nothing is done. Before, `learn forget --all
// --dry-run` forgot every example: --dry-run, an import flag, was taken
// and ignored.
func TestLearnFlagsOfAnotherSubcommand(t *testing.T) {
	cfg, dir := learnConfig(t)
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("From: a@customer.test\r\nSubject: charged twice\r\n\r\nMy card was charged twice.\r\n"), 0o600)
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, department: finance}\n"), 0o600)
	runOK(t, "learn", "import", "-c", cfg, labels)
	for _, args := range [][]string{
		{"forget", "--all", "--dry-run"},
		{"list", "--all"},
		{"list", "--maildir", dir},
		{"import", "--all", labels},
		{"forget", "--all", "--starter"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append(append([]string{"learn"}, args...), "-c", cfg), &out, &errb); code != 2 || !strings.Contains(errb.String(), " only") {
			t.Errorf("learn %v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
	}
	if out := runOK(t, "learn", "list", "-c", cfg); !strings.Contains(out, "1 example(s)") {
		t.Errorf("after the refused commands: %s", out)
	}
}

// TestLearnBesideRunningServer: while a running server holds the store
// (Badger's directory lock), `learn list` and `learn forget` go through
// its admin API, as `queue` and `tickets` do, and print what they print
// on the stopped store, byte for byte, errors included; before, both
// were refused with "stop it first". An import still is (the lock is
// held: what answered was the API).
func TestLearnBesideRunningServer(t *testing.T) {
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "frontdesk.yaml")
	writeAt(t, cfg, "domains: [support.test]\ndata_dir: data\n")
	writeAt(t, filepath.Join(dir, "a.eml"), "From: a@customer.test\r\nSubject: charged twice\r\n\r\nMy card was charged twice.\r\n")
	writeAt(t, filepath.Join(dir, "b.eml"), "From: b@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n")
	labels := filepath.Join(dir, "labels.yaml")
	writeAt(t, labels, "- {file: a.eml, department: finance}\n- {file: b.eml, department: support, faq: [order-tracking]}\n")
	runOK(t, "learn", "import", "-c", cfg, labels)
	cmds := [][]string{{"list"}, {"list", "--json"}, {"forget", "0123abc"}, {"forget", "--json", "0123abc"}}
	type result struct {
		code     int
		out, err string
	}
	runAll := func() []result {
		var rs []result
		for _, c := range cmds {
			code, out, errs := runCmd(t, append(append([]string{"learn"}, c...), "-c", cfg)...)
			rs = append(rs, result{code, out, errs})
		}
		return rs
	}
	stopped := runAll()
	var exs []learn.Example
	if err := json.Unmarshal([]byte(stopped[1].out), &exs); err != nil || len(exs) != 2 {
		t.Fatalf("list --json on the stopped store: %v\n%s", err, stopped[1].out)
	}

	addr := runningServer(t, dataDir, "tok")
	writeAt(t, filepath.Join(dataDir, "api.token"), "tok\n")
	writeAt(t, cfg, "domains: [support.test]\ndata_dir: data\nhttp: {listen: \""+addr+"\"}\n")
	if _, err := os.Stat(filepath.Join(dataDir, "store")); err != nil {
		t.Fatalf("the test needs the server's store on disk: %v", err)
	}
	for i, r := range runAll() {
		if r != stopped[i] {
			t.Errorf("learn %v beside the running server:\n%+v\non the stopped store:\n%+v", cmds[i], r, stopped[i])
		}
	}
	if stopped[2].code != 1 || !strings.Contains(stopped[2].err, "no such learned example: 0123abc (nothing was forgotten)") {
		t.Errorf("forget of an unknown id: %+v", stopped[2])
	}
	if out := runOK(t, "learn", "forget", "-c", cfg, exs[0].ID); out != "forgot 1 example(s)\n" {
		t.Errorf("forget ID beside the running server: %q", out)
	}
	if out := runOK(t, "learn", "list", "-c", cfg); !strings.Contains(out, exs[1].ID) || strings.Contains(out, exs[0].ID) || !strings.HasSuffix(out, "1 example(s)\n") {
		t.Errorf("list after forget: %s", out)
	}
	if out := runOK(t, "learn", "forget", "-c", cfg, "--all", "--json"); out != "{\n  \"forgotten\": 1\n}\n" {
		t.Errorf("forget --all --json beside the running server: %q", out)
	}
	if out := runOK(t, "learn", "list", "-c", cfg, "--json"); out != "[]\n" {
		t.Errorf("list --json after forget --all: %q", out)
	}

	// learn import beside the running server (POST /api/learn) says what
	// it says on a stopped store in the same state (empty here: a new
	// data dir, which the import makes): first the examples, then, the
	// same file again, all of them already imported; a file with a
	// problem stores nothing, and a dry run needs no store.
	writeAt(t, filepath.Join(dir, "bad.yaml"), "- {file: a.eml, department: finance}\n- {file: b.eml, department: nowhere}\n")
	imports := [][]string{{labels}, {labels}, {"--json", labels}, {"--dry-run", labels}, {filepath.Join(dir, "bad.yaml")}}
	importAll := func(cfg string) []result {
		var rs []result
		for _, c := range imports {
			code, out, errs := runCmd(t, append([]string{"learn", "import", "-c", cfg}, c...)...)
			rs = append(rs, result{code, out, errs})
		}
		return rs
	}
	stoppedCfg := filepath.Join(dir, "stopped.yaml")
	writeAt(t, stoppedCfg, "domains: [support.test]\ndata_dir: data2\n")
	want := importAll(stoppedCfg)
	if want[0].code != 0 || want[0].err != "learn import: 2/2 stored\n" || !strings.HasPrefix(want[0].out, "imported 2 example(s)") {
		t.Fatalf("import on the stopped store: %+v", want[0])
	}
	if !strings.Contains(want[1].out, "imported 0 example(s)") || !strings.Contains(want[1].out, "2 imported before") || !strings.Contains(want[2].out, `"already_imported": 2`) {
		t.Fatalf("import again on the stopped store: %+v %+v", want[1], want[2])
	}
	if want[4].code != 1 || !strings.Contains(want[4].err, "bad.yaml:2:") || !strings.Contains(want[4].err, "nothing was imported") {
		t.Fatalf("import of a bad file: %+v", want[4])
	}
	for i, r := range importAll(cfg) {
		if r != want[i] {
			t.Errorf("learn import %v beside the running server:\n%+v\non the stopped store:\n%+v", imports[i], r, want[i])
		}
	}
	var after []learn.Example
	if err := json.Unmarshal([]byte(runOK(t, "learn", "list", "-c", cfg, "--json")), &after); err != nil || len(after) != 2 || after[0].Source != learn.SourceImport || after[0].Department != "finance" {
		t.Errorf("the running server's examples after the imports: %+v %v", after, err)
	}
}

// TestLearnListStarter: `learn list --starter` shows the built-in
// examples without a store, and they are not among the stored ones.
func TestLearnListStarter(t *testing.T) {
	cfg, _ := learnConfig(t)
	var exs []learn.Example
	if err := json.Unmarshal([]byte(runOK(t, "learn", "list", "--starter", "--json", "-c", cfg)), &exs); err != nil {
		t.Fatal(err)
	}
	want, err := learn.Starter()
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != len(want) || len(exs) == 0 || exs[0].Source != learn.SourceStarter || exs[0].ID != want[0].ID {
		t.Errorf("learn list --starter --json: %d examples (want %d), first %+v", len(exs), len(want), exs[0])
	}
	if out := runOK(t, "learn", "list", "--starter", "-c", cfg); !strings.Contains(out, fmt.Sprintf("%d starter example(s), built in", len(want))) {
		t.Errorf("learn list --starter: %s", out)
	}
}

// TestLearnImportLearningOff: with learn.enabled false in the config,
// `learn import` stores and notes in one line that the examples are
// unused until learning is enabled (before: silently).
func TestLearnImportLearningOff(t *testing.T) {
	cfg, dir := learnConfig(t)
	f, _ := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("learn: {enabled: false}\n")
	f.Close()
	labels := filepath.Join(dir, "labels.yaml")
	os.WriteFile(labels, []byte("- {file: a.eml, department: finance}\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "a.eml"), []byte("Subject: charged twice\r\n\r\nMy card was charged twice.\r\n"), 0o600)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"learn", "import", "-c", cfg, labels}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "note: learn.enabled is false: the examples are kept, but not used until learning is enabled\n") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
}
