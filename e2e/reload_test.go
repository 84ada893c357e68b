package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// TestRulesHotReload replaces the rules file by rename (as editors do) with
// a broken version, then with a good one, while mail keeps flowing: the
// broken file leaves the old rules in force and is reported; the good one
// takes over; nothing is lost.
func TestRulesHotReload(t *testing.T) {
	g := startGateway(t, "")
	rulesPath := filepath.Join(g.dir, "rules.yaml")
	replace := func(content string) { replaceByRename(t, rulesPath, content) }
	waitMetric := func(line string) { g.waitMetric(t, line) }
	send := func(subject string) {
		t.Helper()
		testenv.SwaksOK(t, "--server", g.SMTP, "--from", "a@customer.example", "--to", "support@support.localhost", "--header", "Subject: "+subject)
	}

	// Every rule has its matches series from the start, at zero.
	waitMetric(`frontdesk_rules_matches_total{rule="blocked sender"} 0`)
	waitMetric(`frontdesk_rules_matches_total{rule="spam is dropped"} 0`)
	send("invoice one") // original rules: support
	replace(testRules + "  - name: [broken\n    if: {subjekt: x}\n")
	waitMetric(`frontdesk_rules_reloads_total{result="failure"} 1`)
	if !strings.Contains(g.stderr.String(), "rules.yaml:") {
		t.Errorf("reload failure not logged with file:line:col:\n%s", tail(g.stderr.String(), 2000))
	}
	send("invoice two") // still the old rules: support

	good := strings.Replace(testRules, "rules:\n", "rules:\n  - name: invoices go to sales\n    if: {subject: {contains: invoice}}\n    then: {department: sales, tags: [billing]}\n", 1)
	replace(good)
	waitMetric(`frontdesk_rules_reloads_total{result="success"} 1`)
	waitMetric(`frontdesk_rules_matches_total{rule="invoices go to sales"} 0`)
	send("invoice three") // new rules: sales

	support := waitMaildir(t, g.maildir("support"), 2, 20*time.Second)
	sales := waitMaildir(t, g.maildir("sales"), 1, 20*time.Second)
	if len(support) != 2 || len(sales) != 1 {
		t.Fatalf("support %d, sales %d; want 2 and 1", len(support), len(sales))
	}
	if !bytes.Contains(sales[0], []byte("Subject: invoice three")) || !bytes.Contains(sales[0], []byte("X-Frontdesk-Rule: invoices go to sales")) ||
		!bytes.Contains(sales[0], []byte("X-Frontdesk-Tags: billing")) {
		t.Errorf("sales copy lacks the new rule's headers:\n%s", sales[0])
	}
	waitMetric(`frontdesk_rules_matches_total{rule="invoices go to sales"} 1`)

	// A rule removed from the file loses its series; the others keep
	// their counts.
	i := strings.Index(good, "  - name: blocked sender")
	replace(good[:i])
	waitMetric(`frontdesk_rules_reloads_total{result="success"} 2`)
	m := httpGet(t, "http://"+g.HTTP+"/metrics")
	if strings.Contains(m, `rule="blocked sender"`) || !strings.Contains(m, `frontdesk_rules_matches_total{rule="invoices go to sales"} 1`) {
		t.Errorf("after removing a rule, the matches series are wrong:\n%s", grepLines(m, "frontdesk_rules_matches_total"))
	}
}

// TestTemplatesHotReload edits the acknowledgement template of a running
// gateway (replaced by rename, as editors do): the next acknowledgement
// uses the new text. A broken edit keeps the last good templates, and a
// rule that names a template that does not exist still gets its mail
// accepted and the default acknowledgement sent.
func TestTemplatesHotReload(t *testing.T) {
	g := startGatewayWith(t, "templates_dir: tpl\n", map[string]string{"tpl/ack.en.txt": "Template version one for {{.TicketTag}}.\n"})
	tplPath := filepath.Join(g.dir, "tpl", "ack.en.txt")
	replaceFile := func(path, content string) { replaceByRename(t, path, content) }
	waitMetric := func(line string) { g.waitMetric(t, line) }
	acks := 0
	sendAndAck := func(from, subject string) []byte {
		t.Helper()
		testenv.SwaksOK(t, "--server", g.SMTP, "--from", from, "--to", "support@support.localhost",
			"--header", "From: "+from, "--header", "Subject: "+subject, "--body", "My kettle is broken.")
		acks++
		got := waitMaildir(t, g.outbox(), acks, 20*time.Second)
		if len(got) != acks {
			t.Fatalf("outbox holds %d acknowledgements, want %d", len(got), acks)
		}
		for _, m := range got {
			if bytes.Contains(m, []byte("Subject: [SUP-")) && bytes.Contains(m, []byte(subject)) {
				return m
			}
		}
		t.Fatalf("no acknowledgement of %q in the outbox", subject)
		return nil
	}

	if m := sendAndAck("ann@customer.example", "kettle one"); !bytes.Contains(m, []byte("Template version one for SUP-")) {
		t.Errorf("first acknowledgement not from version one:\n%s", m)
	}
	replaceFile(tplPath, "Template version two for {{.TicketTag}}.\n")
	waitMetric(`frontdesk_templates_reloads_total{result="success"} 1`)
	if m := sendAndAck("bob@customer.example", "kettle two"); !bytes.Contains(m, []byte("Template version two for SUP-")) {
		t.Errorf("acknowledgement after the edit not from version two:\n%s", m)
	}
	replaceFile(tplPath, "Broken {{.TicketTag\n")
	waitMetric(`frontdesk_templates_reloads_total{result="failure"} 1`)
	if !strings.Contains(g.stderr.String(), "tpl/ack.en.txt:2:1: unclosed action") {
		t.Errorf("template reload failure not logged with file:line:col:\n%s", tail(g.stderr.String(), 2000))
	}
	if m := sendAndAck("cy@customer.example", "kettle three"); !bytes.Contains(m, []byte("Template version two for SUP-")) {
		t.Errorf("a broken edit did not keep version two:\n%s", m)
	}

	// A rule names a template that is not there.
	rules := strings.Replace(testRules, "rules:\n", "rules:\n  - name: thank-you notes\n    if: {subject: {contains: thanks a lot}}\n    then: {ack: thanks}\n", 1)
	replaceFile(filepath.Join(g.dir, "rules.yaml"), rules)
	waitMetric(`frontdesk_rules_reloads_total{result="success"} 1`)
	if m := sendAndAck("dee@customer.example", "thanks a lot"); !bytes.Contains(m, []byte("Template version two for SUP-")) {
		t.Errorf("a rule naming a missing template did not get the default acknowledgement:\n%s", m)
	}
	if !strings.Contains(g.stderr.String(), `acknowledgement template not found; using the default" template=thanks`) {
		t.Errorf("the missing template is not logged:\n%s", tail(g.stderr.String(), 2000))
	}
}

// replaceByRename writes content next to path and renames it over path, as
// editors and ConfigMap updates do.
func replaceByRename(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// waitMetric polls the gateway's /metrics until a line contains line.
func (g *gateway) waitMetric(t *testing.T, line string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(httpGet(t, "http://"+g.HTTP+"/metrics"), line) {
		if time.Now().After(deadline) {
			t.Fatalf("metric %q never appeared", line)
		}
		time.Sleep(20 * time.Millisecond) // polling /metrics until the deadline
	}
}
