package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// grepTree returns the files under dir whose raw bytes contain token.
func grepTree(t *testing.T, dir, token string) []string {
	t.Helper()
	var hits []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, []byte(token)) {
				hits = append(hits, path)
			}
		}
		return nil
	})
	return hits
}

func frontdeskJSON(t *testing.T, out any, args ...string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("frontdesk %s: %v\n%s%s", strings.Join(args, " "), err, b, stderr.String())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("frontdesk %s: %v\n%s", strings.Join(args, " "), err, b)
	}
}

// A customer's token, written in their mail, is nowhere under data_dir
// after `customers erase` on the running server and the server's next
// start; another customer's mail is still there and the gateway still
// delivers; `retention run` works through the API and on the stopped
// data dir.
func TestCustomerEraseAndRetentionRun(t *testing.T) {
	g := startGateway(t, "outbound: {target: maildir}\n")
	data := filepath.Join(g.dir, "data")
	const token = "ZEBRA-7731-ERASE"
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "ann@customer.example", "--to", "support@support.localhost",
		"--header", "From: Ann <ann@customer.example>", "--header", "Subject: kettle "+token, "--body", strings.Repeat("My kettle "+token+" does not heat. ", 60))
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "bob@customer.example", "--to", "support@support.localhost",
		"--header", "From: Bob <bob@customer.example>", "--header", "Subject: toaster", "--body", "BOBS-TOASTER burns everything.")
	waitMaildir(t, g.maildir("support"), 2, 20*time.Second)
	waitMaildir(t, g.outbox(), 2, 20*time.Second)
	if len(grepTree(t, data, token)) == 0 {
		t.Fatal("the token is not on disk: the test proves nothing")
	}
	// Ann's status page, linked from her acknowledgement, until the erasure.
	status := statusLinkRE.FindString(hcMail(t, g.outbox(), token))
	statusCode := func() int {
		resp, err := http.Get(status)
		must(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	if status == "" || statusCode() != 200 {
		t.Fatalf("ann's status page %q does not answer 200", status)
	}

	var ex map[string]any
	frontdeskJSON(t, &ex, "customers", "export", "-c", g.cfgPath, "-o", filepath.Join(g.dir, "export"), "--json", "ANN@customer.example")
	mbox, _ := os.ReadFile(filepath.Join(g.dir, "export", "mail.mbox"))
	if ex["tickets"].(float64) != 1 || !bytes.Contains(mbox, []byte(token)) || bytes.Contains(mbox, []byte("BOBS-TOASTER")) {
		t.Fatalf("export: %v\n%s", ex, mbox)
	}

	var dry, rep struct {
		DryRun       bool `json:"dry_run"`
		PurgePending bool `json:"purge_pending"`
		Audit        struct {
			Tickets, Mail int
			By            string
		} `json:"audit"`
	}
	// The API answers only with the token (api.token): without it, or
	// with a wrong one, nothing is exported, erased or run.
	for _, c := range []struct{ method, path, auth string }{
		{"POST", "/api/customers/ann@customer.example/erase", ""},
		{"POST", "/api/customers/ann@customer.example/erase", "Bearer wrong"},
		{"GET", "/api/customers/ann@customer.example/export", ""},
		{"POST", "/api/retention/run", ""},
	} {
		req, _ := http.NewRequest(c.method, "http://"+g.HTTP+c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s with %q: %d, want 401", c.method, c.path, c.auth, resp.StatusCode)
		}
	}
	if len(grepTree(t, data, token)) == 0 {
		t.Fatal("an unauthenticated request erased the customer")
	}
	frontdeskJSON(t, &dry, "customers", "erase", "--dry-run", "--json", "-c", g.cfgPath, "ann@customer.example")
	frontdeskJSON(t, &rep, "customers", "erase", "--json", "--by", "dpo", "-c", g.cfgPath, "ann@customer.example")
	if !dry.DryRun || rep.Audit.Tickets != 1 || rep.Audit.Mail < 2 || rep.PurgePending || !strings.HasPrefix(rep.Audit.By, "dpo") {
		t.Fatalf("erase: dry %+v, erase %+v", dry, rep)
	}
	if code := statusCode(); code != 404 {
		t.Errorf("the erased customer's status page answers %d, want 404", code)
	}
	var ret struct {
		DryRun bool `json:"dry_run"`
		Usage  struct {
			Mail int64 `json:"mail_bytes"`
		} `json:"usage"`
	}
	frontdeskJSON(t, &ret, "retention", "run", "--json", "-c", g.cfgPath)
	if ret.Usage.Mail == 0 {
		t.Errorf("retention run through the API: %+v", ret)
	}
	// The gateway still takes and delivers mail.
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol <carol@customer.example>", "--header", "Subject: fridge", "--body", "CAROLS-FRIDGE is warm.")
	relayed := waitMaildir(t, g.maildir("support"), 2, 20*time.Second) // Ann's copy is gone, Carol's came
	if !bytes.Contains(bytes.Join(relayed, nil), []byte("CAROLS-FRIDGE")) {
		t.Fatal("carol's mail was not delivered after the erasure")
	}
	// Erased through the running server's API: gone from every file at
	// once, while the server runs.
	if hits := grepTree(t, data, token); len(hits) > 0 {
		t.Errorf("while the server runs, the erased customer's token is still in %v", hits)
	}
	// And after a restart.
	g.stop()
	g.start()
	g.stop()
	if hits := grepTree(t, data, token); len(hits) > 0 {
		t.Errorf("the erased customer's token is still in %v", hits)
	}
	if hits := grepTree(t, data, "ann@customer.example"); len(hits) > 0 {
		t.Errorf("the erased customer's address is still in %v", hits)
	}
	if len(grepTree(t, data, "BOBS-TOASTER")) == 0 {
		t.Error("bob's mail is gone too")
	}
	// Stopped: retention and store check work on the data dir.
	frontdeskJSON(t, &ret, "retention", "run", "--dry-run", "--json", "-c", g.cfgPath)
	if !ret.DryRun {
		t.Errorf("retention run --dry-run: %+v", ret)
	}
	if out, err := exec.Command(binary, "store", "check", "--json", "-c", g.cfgPath).CombinedOutput(); err != nil || !strings.Contains(string(out), `"ok": true`) {
		t.Fatalf("store check after erasure: %v\n%s", err, out)
	}
	// Stopped: bob's data exported and erased on the data dir itself; the
	// others' mail stays and the next start takes and delivers mail.
	frontdeskJSON(t, &ex, "customers", "export", "-c", g.cfgPath, "-o", filepath.Join(g.dir, "export-bob"), "--json", "bob@customer.example")
	if mbox, _ := os.ReadFile(filepath.Join(g.dir, "export-bob", "mail.mbox")); ex["tickets"].(float64) != 1 || !bytes.Contains(mbox, []byte("BOBS-TOASTER")) {
		t.Fatalf("export of a stopped data dir: %v\n%s", ex, mbox)
	}
	frontdeskJSON(t, &rep, "customers", "erase", "--json", "-c", g.cfgPath, "bob@customer.example")
	if rep.Audit.Tickets != 1 || rep.PurgePending {
		t.Errorf("erase on a stopped data dir: %+v", rep)
	}
	if hits := grepTree(t, data, "BOBS-TOASTER"); len(hits) > 0 {
		t.Errorf("erased on the stopped data dir, bob's words are still in %v", hits)
	}
	if len(grepTree(t, data, "CAROLS-FRIDGE")) == 0 {
		t.Error("carol's mail went with bob's")
	}
	g.start()
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "dave@customer.example", "--to", "support@support.localhost",
		"--header", "From: Dave <dave@customer.example>", "--header", "Subject: oven", "--body", "DAVES-OVEN is cold.")
	waitFor(t, "dave's mail to be delivered", func() bool {
		return bytes.Contains(bytes.Join(waitMaildir(t, g.maildir("support"), 0, time.Second), nil), []byte("DAVES-OVEN"))
	})
	g.stop()
	frontdeskJSON(t, &ret, "retention", "run", "--json", "-c", g.cfgPath)
	if out, err := exec.Command(binary, "store", "check", "--json", "-c", g.cfgPath).CombinedOutput(); err != nil || !strings.Contains(string(out), `"ok": true`) {
		t.Fatalf("store check at the end: %v\n%s", err, out)
	}
}

// An agent's reply held by collision detection and then dropped never
// went to the customer, but the gateway had composed and stored it (it
// quotes the conversation): a customer's erasure removes it too. Before,
// nothing tied the stored reply to the ticket once it was dropped, and
// the erased conversation's words stayed in the spool.
func TestEraseReachesDroppedHeldReply(t *testing.T) {
	g, agent := startLifecycleGateway(t)
	data := filepath.Join(g.dir, "data")
	const token = "HELD-REPLY-8821"
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol <carol@customer.example>", "--header", "Subject: kettle will not heat", "--body", "My kettle is cold.")
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	agent("alice@agents.test", "SUP-1000", "Please descale it.")
	waitMailWith(t, g.outbox(), "Please descale it.", 1)
	agent("bob@agents.test", "SUP-1000", "Try socket "+token+".")
	waitMailWith(t, g.maildir("notices"), token, 1)
	agent("bob@agents.test", "SUP-1000", "#drop")
	waitFor(t, "the held reply dropped", func() bool { return len(g.show(t, "SUP-1000").Held) == 0 })
	g.waitQueueEmpty(t)
	if len(grepTree(t, filepath.Join(data, "mail"), token)) == 0 {
		t.Fatal("the held reply is not in the spool: the test proves nothing")
	}
	var rep struct {
		Audit struct{ Tickets, Mail int } `json:"audit"`
	}
	frontdeskJSON(t, &rep, "customers", "erase", "--json", "-c", g.cfgPath, "carol@customer.example")
	if hits := grepTree(t, data, token); len(hits) > 0 {
		t.Errorf("after carol's erasure the dropped reply's words are still in %v (audit %+v)", hits, rep.Audit)
	}
}

// The audit's case: a ticket answered with #faq is resolved, the test
// clock moves 72 hours, and `retention run` (through the running server)
// removes the ticket (resolved_tickets: 1d) and, learned_examples being
// 2d, the examples made of the customer's mail: `learn list` no longer
// shows the customer, subject or text, the run counts them (dry and not,
// text and JSON), and the server's very next mail of the same words is
// routed by the catalog alone, as after `learn forget`. Before, the
// ticket went and the examples stayed, with customer, subject and text.
func TestRetentionRemovesLearnedExamples(t *testing.T) {
	clock := filepath.Join(t.TempDir(), "clock")
	writeFile(t, clock, "0s")
	t.Setenv("FRONTDESK_TEST_CLOCK_FILE", clock)
	g, agent := startLearningGateway(t)
	g.stop()
	cfg, err := os.ReadFile(g.cfgPath)
	must(t, err)
	writeFile(t, g.cfgPath, string(cfg)+"retention: {resolved_tickets: 1d, learned_examples: 2d}\n")
	g.start()

	customerMail(t, g, "carol@customer.example", rebateSubject, rebateBody)
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	teachRebate(t, g, agent)
	agent("fiona@agents.test", "SUP-1000", "#resolve\nGlad it arrived.")
	waitFor(t, "SUP-1000 resolved", func() bool { return g.show(t, "SUP-1000").Status == "resolved" })
	learned := func() []learnedExample {
		var exs []learnedExample
		if err := json.Unmarshal([]byte(g.learnCLI(t, "list", "--json")), &exs); err != nil {
			t.Fatalf("learn list --json: %v", err)
		}
		return exs
	}
	waitFor(t, "the two taught examples in learn list --json", func() bool { return len(learned()) == 2 })
	for _, ex := range learned() {
		if ex.Customer != "carol@customer.example" || ex.Subject != rebateSubject || !strings.Contains(ex.Text, "washing machine") {
			t.Fatalf("example not made of carol's mail: %+v", ex)
		}
	}

	type report struct {
		DryRun                 bool `json:"dry_run"`
		TicketsRemoved         int  `json:"tickets_removed"`
		LearnedExamplesRemoved int  `json:"learned_examples_removed"`
	}
	// A day: the examples are not old enough (2d), the ticket neither (1d).
	var dry report
	frontdeskJSON(t, &dry, "retention", "run", "--dry-run", "--json", "-c", g.cfgPath)
	if !dry.DryRun || dry.TicketsRemoved != 0 || dry.LearnedExamplesRemoved != 0 {
		t.Fatalf("dry run at once: %+v", dry)
	}
	writeFile(t, clock, "72h")
	// The server reads its clock file at most every 50 ms: the dry run is
	// asked until it counts on the new time.
	waitFor(t, "the dry run 72 hours on to count the ticket and both examples", func() bool {
		frontdeskJSON(t, &dry, "retention", "run", "--dry-run", "--json", "-c", g.cfgPath)
		return dry.TicketsRemoved == 1 && dry.LearnedExamplesRemoved == 2
	})
	if n := len(learned()); n != 2 {
		t.Fatalf("the dry run removed examples: %d left", n)
	}
	out, err := exec.Command(binary, "retention", "run", "-c", g.cfgPath).Output()
	if err != nil || !strings.Contains(string(out), "removed: ") || !strings.Contains(string(out), "1 ticket(s)") || !strings.Contains(string(out), "2 learned example(s)") {
		t.Fatalf("retention run: %v\n%s", err, out)
	}
	if exs := learned(); len(exs) != 0 {
		t.Errorf("learn list --json after the run: %+v", exs)
	}
	if text := g.learnCLI(t, "list"); strings.Contains(text, "carol@customer.example") || strings.Contains(text, rebateSubject) {
		t.Errorf("learn list after the run still shows carol's example:\n%s", text)
	}
	if tks := g.tickets(t); len(tks) != 0 {
		t.Errorf("tickets after the run: %+v", tks)
	}
	// The run returned once the server ranked without the examples: the
	// same words from another customer go to support by address again.
	customerMail(t, g, "dan@customer.example", rebate2Subject, rebate2Body)
	waitFor(t, "SUP-1001", func() bool { return len(g.tickets(t)) == 1 })
	if dept := g.learnShow(t, "SUP-1001").Department; dept != "support" {
		t.Errorf("after retention removed the examples, the similar mail still went to %s, not support by its address", dept)
	}
	_ = os.Remove(clock)
}
