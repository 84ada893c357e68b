package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

const goodRules = `departments:
  support: {addresses: [support], mailbox: support-team@agents.example}
  finance: {addresses: [billing], mailbox: finance@agents.example}
default_department: support
rules:
  - name: refunds
    if: {subject: {contains: [refund, 退款]}}
    then: {department: finance, tags: [refund]}
  - name: spam
    if: {header: {name: X-Spam-Flag, equals: "YES"}}
    then: {discard: true}
  - name: blocked
    if: {from: {domain: blocked.example}}
    then: {reject: "go away"}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mail(from, to, subject string, extra ...string) string {
	h := "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n"
	for _, e := range extra {
		h += e + "\r\n"
	}
	return h + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello.\r\n"
}

func TestRulesCheckOK(t *testing.T) {
	p := writeFile(t, "rules.yaml", goodRules)
	code, out, errs := runCmd(t, "rules", "check", p)
	if code != 0 || errs != "" {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	if strings.TrimSpace(out) != "ok: 2 departments, 3 rules" {
		t.Fatalf("stdout %q", out)
	}
}

func TestRulesCheckErrors(t *testing.T) {
	bad := `departments:
  support: {addresses: [support]}
default_department: suport
rules:
  - name: a
    if: {subject: {matches: "(["}}
    then: {priority: asap}
`
	p := writeFile(t, "bad.yaml", bad)
	code, out, errs := runCmd(t, "rules", "check", p)
	if code != 1 || out != "" {
		t.Fatalf("code %d, stdout %q", code, out)
	}
	want := []string{
		p + `:3:21: unknown department "suport" (did you mean "support"?)`,
		p + `:6:29: rule "a": if: subject matches: bad regular expression: error parsing regexp: missing closing ]: ` + "`[`",
		p + `:7:22: rule "a": then: unknown priority "asap" (want low, normal, high, urgent)`,
	}
	got := strings.Split(strings.TrimSpace(errs), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stderr:\n%s\nwant:\n%s", errs, strings.Join(want, "\n"))
	}
}

func TestRulesCheckMissingFile(t *testing.T) {
	code, _, errs := runCmd(t, "rules", "check", filepath.Join(t.TempDir(), "nope.yaml"))
	if code != 1 || !strings.Contains(errs, "nope.yaml") {
		t.Fatalf("code %d stderr %q", code, errs)
	}
	if code, _, _ := runCmd(t, "rules", "check"); code != 2 {
		t.Fatalf("no file: code %d", code)
	}
}

// rules check --json reports each file: its size when it compiles, else
// every problem with its line and column; the exit status is as without.
func TestRulesCheckJSON(t *testing.T) {
	good := writeFile(t, "rules.yaml", goodRules)
	bad := writeFile(t, "bad.yaml", "departments:\n  support: {addresses: [support]}\ndefault_department: suport\nrules: []\n")
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	code, out, errs := runCmd(t, "rules", "check", "--json", good, bad, missing)
	if code != 1 || errs != "" {
		t.Fatalf("exit %d, stderr %q; want 1 and nothing on stderr", code, errs)
	}
	var got []struct {
		File        string `json:"file"`
		OK          bool   `json:"ok"`
		Departments int    `json:"departments"`
		Rules       int    `json:"rules"`
		Problems    []struct {
			File      string `json:"file"`
			Line, Col int
			Message   string `json:"message"`
		} `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	if len(got) != 3 {
		t.Fatalf("%d results, want 3:\n%s", len(got), out)
	}
	if g := got[0]; g.File != good || !g.OK || g.Departments != 2 || g.Rules != 3 || len(g.Problems) != 0 {
		t.Errorf("good file: %+v", g)
	}
	if g := got[1]; g.OK || len(g.Problems) != 1 || g.Problems[0].File != bad || g.Problems[0].Line != 3 || g.Problems[0].Col != 21 ||
		g.Problems[0].Message != `unknown department "suport" (did you mean "support"?)` {
		t.Errorf("bad file: %+v", g)
	}
	if g := got[2]; g.OK || len(g.Problems) != 1 || g.Problems[0].Line != 0 || !strings.Contains(g.Problems[0].Message, "nope.yaml") {
		t.Errorf("missing file: %+v", g)
	}
	if code, out, _ := runCmd(t, "rules", "check", "--json", good); code != 0 || !strings.Contains(out, `"ok": true`) {
		t.Errorf("one good file: exit %d, stdout %q", code, out)
	}
}

func TestRulesTestJSON(t *testing.T) {
	rp := writeFile(t, "rules.yaml", goodRules)
	dir := t.TempDir()
	m1 := filepath.Join(dir, "1.eml")
	os.WriteFile(m1, []byte(mail("a@x.example", "support@acme.example", "Refund please")), 0o644)
	m2 := filepath.Join(dir, "2.eml")
	os.WriteFile(m2, []byte(mail("a@x.example", "billing@acme.example", "hi", "X-Spam-Flag: YES")), 0o644)
	m3 := filepath.Join(dir, "3.eml")
	os.WriteFile(m3, []byte(mail("a@blocked.example", "support@acme.example", "hi")), 0o644)
	m4 := filepath.Join(dir, "4.eml")
	os.WriteFile(m4, []byte(mail("a@x.example", "billing+x@acme.example", "hello")), 0o644)

	// Flags after the files, and -r given as -r=.
	code, out, errs := runCmd(t, "rules", "test", m1, m2, "--json", m3, "-r="+rp, m4)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("want 4 lines, got %q", out)
	}
	type dec struct {
		File       string   `json:"file"`
		Department string   `json:"department"`
		Priority   string   `json:"priority"`
		Tags       []string `json:"tags"`
		Matched    []struct {
			Rule string   `json:"rule"`
			Why  []string `json:"why"`
		} `json:"matched"`
		Action string   `json:"action"`
		Ack    *string  `json:"ack"`
		Reject *string  `json:"reject"`
		FAQ    []string `json:"faq"`
	}
	var ds []dec
	for _, l := range lines {
		var d dec
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("%v in %s", err, l)
		}
		for _, k := range []string{`"tags":[`, `"matched":[`, `"faq":[]`, `"ack":`, `"reject":`} {
			if !strings.Contains(l, k) {
				t.Errorf("line lacks %s: %s", k, l)
			}
		}
		ds = append(ds, d)
	}
	if d := ds[0]; d.File != m1 || d.Department != "finance" || d.Priority != "normal" || d.Action != "relay" ||
		len(d.Tags) != 1 || d.Tags[0] != "refund" || len(d.Matched) != 1 || d.Matched[0].Rule != "refunds" ||
		d.Matched[0].Why[0] != `subject contains "refund"` {
		t.Errorf("1: %+v", d)
	}
	if d := ds[1]; d.Action != "discard" || d.Department != "finance" {
		t.Errorf("2: %+v", d)
	}
	if d := ds[2]; d.Action != "reject" || *d.Reject != "go away" {
		t.Errorf("3: %+v", d)
	}
	if d := ds[3]; d.Department != "finance" || len(d.Matched) != 0 || d.Tags == nil {
		t.Errorf("4 (plus address): %+v", d)
	}
}

func TestRulesTestDemoText(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "m.eml")
	os.WriteFile(m, []byte(mail("a@x.example", "sales@acme.example", "URGENT: my card was charged twice for one order")), 0o644)
	code, out, errs := runCmd(t, "rules", "test", "--now", "2026-11-24T10:00:00+08:00", m)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errs)
	}
	for _, want := range []string{"department: finance", "priority:   high", "tags:       urgent", "urgent mail gets high priority", `subject contains "urgent"`, "action:     relay",
		// the confidence depends on the starter examples' votes beside the catalog's
		"about:      finance ", "(payment-problems", "about finance (confidence ", "≥ 0.50; FAQ topics payment-problems"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A pre-sale question sent to support@ that matches the product's
// troubleshooting entry goes to sales, and the trace says why.
func TestRulesTestPreSale(t *testing.T) {
	m := filepath.Join(t.TempDir(), "m.eml")
	os.WriteFile(m, []byte("From: a@x.example\r\nTo: support@acme.example\r\nSubject: Robot vacuum question\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"I'm thinking of buying the robot vacuum. Does it get stuck under sofas or on cables?\r\n"), 0o644)
	code, out, errs := runCmd(t, "rules", "test", "--now", "2026-11-24T10:00:00+08:00", m)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errs)
	}
	for _, want := range []string{"department: sales", "asked before buying)", "asked before buying: product entries count for sales"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRulesTestErrors(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "departments: {}\n")
	m := writeFile(t, "m.eml", mail("a@x", "b@y", "s"))
	if code, _, errs := runCmd(t, "rules", "test", "-r", bad, m); code != 1 || !strings.Contains(errs, "bad.yaml:") {
		t.Errorf("bad rules: code %d stderr %q", code, errs)
	}
	if code, _, _ := runCmd(t, "rules", "test"); code != 2 {
		t.Errorf("no message: code %d", code)
	}
	if code, _, _ := runCmd(t, "rules", "test", "-c", "x", "-r", "y", m); code != 2 {
		t.Errorf("-c and -r: code %d", code)
	}
	if code, _, _ := runCmd(t, "rules", "test", "--bogus", m); code != 2 {
		t.Errorf("unknown flag: code %d", code)
	}
	if code, _, _ := runCmd(t, "rules", "test", filepath.Join(t.TempDir(), "missing.eml")); code != 1 {
		t.Errorf("missing message: code %d", code)
	}
}

func TestRulesTestWithConfig(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "my-rules.yaml"), []byte(goodRules), 0o644)
	cfg := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfg, []byte("rules_file: my-rules.yaml\n"), 0o644)
	m := filepath.Join(dir, "m.eml")
	os.WriteFile(m, []byte(mail("a@x.example", "support@acme.example", "退款")), 0o644)
	code, out, errs := runCmd(t, "rules", "test", "--json", "-c", cfg, m)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errs)
	}
	if !strings.Contains(out, `"department":"finance"`) || !strings.Contains(out, `"rule":"refunds"`) {
		t.Fatalf("stdout %s", out)
	}
	// The demo rules (no -c/-r) know nothing of rule "refunds".
	code, out, _ = runCmd(t, "rules", "test", "--json", m)
	if code != 0 || strings.Contains(out, `"rule":"refunds"`) {
		t.Fatalf("demo: code %d out %s", code, out)
	}
}

// rules test shows what serve would do, RFC 3834 suppression included: an
// auto-replied mail gets no acknowledgement, so it lists no FAQ links
// (it used to list them), while the same mail written by a person does.
func TestRulesTestSuppressedAckListsNoFAQ(t *testing.T) {
	dir := t.TempDir()
	person := filepath.Join(dir, "person.eml")
	robot := filepath.Join(dir, "robot.eml")
	const subject = "my card was charged twice for one order"
	const body = "I was charged twice for one order on my credit card. Please refund the duplicate payment.\r\n"
	os.WriteFile(person, []byte(strings.Replace(mail("a@x.example", "sales@acme.example", subject), "Hello.\r\n", body, 1)), 0o644)
	os.WriteFile(robot, []byte(strings.Replace(mail("a@x.example", "sales@acme.example", subject, "Auto-Submitted: auto-replied"), "Hello.\r\n", body, 1)), 0o644)
	code, out, errs := runCmd(t, "rules", "test", "--json", "--now", "2026-11-24T10:00:00+08:00", person, robot)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines:\n%s", out)
	}
	var human, robotic struct {
		FAQ           []string `json:"faq"`
		AckSuppressed string   `json:"ack_suppressed"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &human); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &robotic); err != nil {
		t.Fatal(err)
	}
	if len(human.FAQ) == 0 || human.AckSuppressed != "" {
		t.Errorf("a person's mail lists no FAQ links: %s", lines[0])
	}
	if len(robotic.FAQ) != 0 || robotic.AckSuppressed == "" || !strings.Contains(lines[1], `"faq":[]`) {
		t.Errorf("an auto-replied mail lists FAQ links an acknowledgement would never carry: %s", lines[1])
	}
}

// TestDryRunsRefuseAnEmptyMessage: serve refuses an empty message with
// 554 5.6.0 before routing it; rules test and faq suggest say so rather
// than routing it (audit item 4).
func TestDryRunsRefuseAnEmptyMessage(t *testing.T) {
	for _, content := range []string{"", "\r\n \r\n"} {
		p := writeFile(t, "empty.eml", content)
		code, out, errs := runCmd(t, "rules", "test", "--json", p)
		if code != 0 {
			t.Fatalf("rules test --json: code %d, stderr %q", code, errs)
		}
		var tr struct {
			Department, Action, Reject, RejectCode, AckSuppressed string
			Refused                                               bool
		}
		if err := json.Unmarshal([]byte(out), &tr); err != nil {
			t.Fatalf("%v: %q", err, out)
		}
		tr.RejectCode = jsonField(t, out, "reject_code")
		tr.AckSuppressed = jsonField(t, out, "ack_suppressed")
		if tr.Action != "reject" || !tr.Refused || tr.Department != "" || tr.RejectCode != "554 5.6.0" ||
			!strings.HasPrefix(tr.Reject, "Empty message: ") || tr.AckSuppressed != "reject" {
			t.Errorf("rules test --json of %q: %s", content, out)
		}
		_, out, _ = runCmd(t, "rules", "test", p)
		if !strings.Contains(out, "action:     reject (554 5.6.0 Empty message: ") || strings.Contains(out, "department:") {
			t.Errorf("rules test of %q:\n%s", content, out)
		}
		_, out, _ = runCmd(t, "faq", "suggest", p)
		if !strings.Contains(out, "no entry linked (no acknowledgement: reject (554 5.6.0 Empty message: ") {
			t.Errorf("faq suggest of %q:\n%s", content, out)
		}
	}
}

func jsonField(t *testing.T, line, key string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("%v: %q", err, line)
	}
	s, _ := m[key].(string)
	return s
}

// TestMissingConfigFilesAtTheirKeys: a rules_file or faq_file that cannot
// be read is reported at its key's value in the config file, both of them
// (audit item 9), by rules test and faq suggest alike.
func TestMissingConfigFilesAtTheirKeys(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c7.yaml")
	os.WriteFile(cfg, []byte("rules_file: nosuch-rules.yaml\nfaq_file:   nosuch-faq.yaml\n"), 0o644)
	m := writeFile(t, "m.eml", mail("a@x.example", "support@acme.example", "hi"))
	want := cfg + ":1:13: rules_file: open " + filepath.Join(dir, "nosuch-rules.yaml") + ": no such file or directory\n" +
		cfg + ":2:13: faq_file: open " + filepath.Join(dir, "nosuch-faq.yaml") + ": no such file or directory\n"
	for _, cmd := range [][]string{{"rules", "test"}, {"faq", "suggest"}} {
		code, _, errs := runCmd(t, append(cmd, "-c", cfg, m)...)
		if code != 1 || errs != want {
			t.Errorf("%v: code %d, stderr\n%s\nwant\n%s", cmd, code, errs, want)
		}
	}
}

// TestRulesTestSaysTheAddressDecided: rules test prints why the address
// decided the department, in text and --json (audit item 17).
func TestRulesTestSaysTheAddressDecided(t *testing.T) {
	p := writeFile(t, "m.eml", mail("a@x.example", "sales@acme.example", "hi"))
	want := "the recipient address sales@acme.example (sales): the content matches no topic"
	if _, out, _ := runCmd(t, "rules", "test", p); !strings.Contains(out, "\n  routed by:  "+want+"\n") {
		t.Errorf("text:\n%s", out)
	}
	if _, out, _ := runCmd(t, "rules", "test", "--json", p); jsonField(t, out, "by_address") != want {
		t.Errorf("json: %s", out)
	}
}

// TestRulesTestBadRcptAndNow: --rcpt that is not an address and --now
// that is not RFC 3339 are usage errors that say what is wanted (audit
// item 30); before, the first was taken silently and the second printed
// Go's layout string.
func TestRulesTestBadRcptAndNow(t *testing.T) {
	p := writeFile(t, "m.eml", mail("a@x.example", "sales@acme.example", "hi"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--rcpt", "not an address"}, `frontdesk rules test: invalid value "not an address" for flag -rcpt: not a mail address: want local@domain, e.g. support@example.com` + "\n"},
		{[]string{"--now", "tomorrow"}, `frontdesk rules test: invalid value "tomorrow" for flag -now: want RFC 3339, e.g. 2026-12-07T10:00:00Z` + "\n"},
	} {
		code, out, errs := runCmd(t, append(append([]string{"rules", "test"}, c.args...), p)...)
		if code != 2 || out != "" || !strings.HasPrefix(errs, c.want) {
			t.Errorf("%v: code %d, stdout %q, stderr %q", c.args, code, out, errs)
		}
	}
	if code, out, errs := runCmd(t, "rules", "test", "--rcpt", "<billing@acme.example>", "--now", "2026-12-07T10:00:00Z", p); code != 0 || !strings.Contains(out, "department: finance") {
		t.Errorf("good flags: code %d, stderr %q\n%s", code, errs, out)
	}
}
