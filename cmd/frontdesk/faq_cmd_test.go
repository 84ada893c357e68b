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
)

func writeMail(t *testing.T, dir, name, subject, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	raw := "From: Ann <ann@example.com>\r\nTo: support@acme.example\r\nSubject: " + subject +
		"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body
	if err := os.WriteFile(p, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFAQSuggestJSON(t *testing.T) {
	dir := t.TempDir()
	refund := writeMail(t, dir, "refund.eml", "Refund", "I sent the kettle back two weeks ago. When will I get my money back?")
	thanks := writeMail(t, dir, "thanks.eml", "Thank you", "Thank you for the quick repair, all good now.\r\n\r\nThanks,\r\nAnn")
	zh := writeMail(t, dir, "zh.eml", "掃地機卡住", "我的掃地機老是卡在椅子腿中間，怎麼辦？")
	var out, errb bytes.Buffer
	// flags after the files
	code := run(context.Background(), []string{"faq", "suggest", refund, thanks, zh, "--json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got:\n%s", out.String())
	}
	var got []faqJSONLine
	for _, l := range lines {
		var v faqJSONLine
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, v)
	}
	if got[0].File != refund || got[0].Lang != "en" || len(got[0].FAQ) == 0 || got[0].FAQ[0].ID != "refund-timing" || got[0].FAQ[0].Score <= 0 {
		t.Errorf("refund: %+v", got[0])
	}
	if len(got[1].FAQ) != 0 || !strings.Contains(lines[1], `"faq":[]`) {
		t.Errorf("thanks: faq must be an empty list, got %s", lines[1])
	}
	if got[2].Lang != "zh" || len(got[2].FAQ) == 0 || got[2].FAQ[0].ID != "vacuum-stuck-errors" {
		t.Errorf("zh: %+v", got[2])
	}
	for _, g := range got {
		if len(g.FAQ) > 3 {
			t.Errorf("%s: %d links", g.File, len(g.FAQ))
		}
	}
}

func TestFAQSuggestText(t *testing.T) {
	dir := t.TempDir()
	mail := writeMail(t, dir, "m.eml", "Charged twice", "I was charged twice for order AC1. Please refund the duplicate.")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"faq", "suggest", mail}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "1. payment-problems") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestFAQSuggestCatalogFile(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "faq.yaml")
	os.WriteFile(cat, []byte("- id: opening-hours\n  en: {title: Opening hours, keywords: [opening hours, open], answer: We are open 9 to 5.}\n"), 0o644)
	mail := writeMail(t, dir, "m.eml", "Opening hours?", "When are you open?")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"faq", "suggest", "--json", "-f", cat, mail}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"id":"opening-hours"`) {
		t.Errorf("output: %s", out.String())
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("- id: a\n  en: {title: A}\n  colour: red\n- id: a\n  en: {title: B}\n"), 0o644)
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"faq", "suggest", "-f", bad, mail}, &out, &errb); code != 1 {
		t.Fatalf("bad catalog: exit %d", code)
	}
	want := []string{bad + ":3:3: unknown key \"colour\"", bad + ":4:7: duplicate id \"a\""}
	for _, w := range want {
		if !strings.Contains(errb.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errb.String())
		}
	}
}

func TestFAQSuggestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"faq"}, {"faq", "nope"}, {"faq", "suggest"}, {"faq", "suggest", "--bogus", "x.eml"},
		{"faq", "suggest", "-c", "a", "-f", "b", "x.eml"}, {"faq", "suggest", "-f"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"faq", "suggest", "missing.eml"}, &out, &errb); code != 1 {
		t.Errorf("missing file: exit %d", code)
	}
	if code := run(context.Background(), []string{"faq", "suggest", "-h"}, &out, &errb); code != 0 {
		t.Errorf("help: exit %d", code)
	}
}

func TestFAQSuggestConfig(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "faq.yaml")
	os.WriteFile(cat, []byte("- id: opening-hours\n  en: {title: Opening hours, keywords: [opening hours, open], answer: We are open 9 to 5.}\n"), 0o644)
	cfg := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfg, []byte("faq_file: faq.yaml\n"), 0o644)
	mail := writeMail(t, dir, "m.eml", "Opening hours?", "When are you open?")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"faq", "suggest", "-c", cfg, "--json", mail}, &out, &errb)
	if code != 0 {
		t.Fatalf("faq suggest -c: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"id":"opening-hours"`) {
		t.Errorf("output: %s", out.String())
	}
}

// faq suggest -c shows what serve would link, RFC 3834 suppression
// included: a list's bulk mail gets no acknowledgement, so it lists no
// entry, with the reason (it used to list the entries: the catalog only
// skips autoresponders), while the same mail from a person lists them.
func TestFAQSuggestSuppressedListsNoFAQ(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfg, []byte("data_dir: data\n"), 0o644)
	const subject = "my card was charged twice for one order"
	const body = "I was charged twice for one order on my credit card. Please refund the duplicate payment.\r\n"
	person := writeMail(t, dir, "person.eml", subject, body)
	robot := writeMail(t, dir, "robot.eml", subject+"\r\nPrecedence: bulk\r\nList-Id: <customers.lists.example.com>", body)
	code, out, errs := runCmd(t, "faq", "suggest", "-c", cfg, "--json", person, robot)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines:\n%s", out)
	}
	if strings.Contains(lines[0], `"faq":[]`) || strings.Contains(lines[0], "ack_suppressed") {
		t.Errorf("a person's mail lists no FAQ entry: %s", lines[0])
	}
	if !strings.Contains(lines[1], `"faq":[]`) || !strings.Contains(lines[1], `"ack_suppressed":"`) {
		t.Errorf("a list's bulk mail lists FAQ entries an acknowledgement would never carry: %s", lines[1])
	}
	if code, out, _ := runCmd(t, "faq", "suggest", "-c", cfg, robot); code != 0 || !strings.Contains(out, "no entry linked (no acknowledgement: ") {
		t.Errorf("text: code %d:\n%s", code, out)
	}
}

// TestDryRunsNoteAMissingDataDir: a config whose data_dir is not there (a
// typo) leaves the learned examples out, and rules test and faq suggest
// say so in a note (audit item 6); a data dir that is there, with no
// store yet, is what a new serve has and is not noted.
func TestDryRunsNoteAMissingDataDir(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "m.eml")
	os.WriteFile(m, []byte(mail("a@x.example", "support@acme.example", "kettle")), 0o644)
	os.WriteFile(filepath.Join(dir, "afile"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	for _, c := range []struct{ dataDir, note string }{
		{"nosuch", "note: learned examples not used (the data_dir of %s, %s, does not exist: no examples are there)\n"},
		{"afile", "note: learned examples not used (the data_dir of %s, %s, is not a directory: no examples are there)\n"},
		{"empty", ""},
	} {
		cfg := filepath.Join(dir, c.dataDir+".yaml")
		os.WriteFile(cfg, []byte("data_dir: "+c.dataDir+"\n"), 0o644)
		want := ""
		if c.note != "" {
			want = fmt.Sprintf(c.note, cfg, filepath.Join(dir, c.dataDir))
		}
		for _, cmd := range [][]string{{"rules", "test"}, {"faq", "suggest"}, {"rules", "test", "--json"}} {
			code, _, errs := runCmd(t, append(cmd, "-c", cfg, m)...)
			if code != 0 || errs != want {
				t.Errorf("%v with data_dir %s: code %d, stderr %q, want %q", cmd, c.dataDir, code, errs, want)
			}
		}
	}
}
