package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

type apiTicket struct {
	Tag       string `json:"tag"`
	Status    string `json:"status"`
	Customer  string `json:"customer"`
	Deadlines []struct {
		Kind  string    `json:"kind"`
		Due   time.Time `json:"due"`
		MetAt time.Time `json:"met_at"`
	} `json:"deadlines"`
	Timeline []struct {
		Kind string `json:"kind"`
		From string `json:"from"`
	} `json:"timeline"`
}

func (g *gateway) tickets(t *testing.T) []apiTicket {
	t.Helper()
	out, err := exec.Command(binary, "tickets", "list", "-c", g.cfgPath, "--json").Output()
	if err != nil {
		t.Fatalf("tickets list: %v\n%s", err, out)
	}
	var ts []apiTicket
	if err := json.Unmarshal(out, &ts); err != nil {
		t.Fatalf("tickets list --json: %v\n%s", err, out)
	}
	return ts
}

func (g *gateway) outbox() string { return g.dir + "/data/outbox" }

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTicketLifecycle(t *testing.T) {
	g := startGateway(t, "")
	swaks := func(args ...string) string {
		return testenv.SwaksOK(t, append([]string{"--server", g.SMTP}, args...)...)
	}
	// 1. A new customer mail opens SUP-1000, is relayed with the ticket
	// headers and is acknowledged.
	swaks("--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "Subject: kettle will not heat", "--header", "Message-Id: <c1@customer.example>",
		"--header", "From: Carol Chen <carol@customer.example>", "--body", "My kettle does not heat any more. What can I do?")
	relayed := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)[0]
	for _, want := range []string{"X-Frontdesk-Ticket: SUP-1000", "X-Frontdesk-SLA-First-Response-Due: ", "X-Frontdesk-SLA-Resolution-Due: ",
		"Reply-To: support+sup-1000@support.localhost", "X-Frontdesk-Customer-History: first contact", "Authentication-Results: mx.support.test;", "spf=pass smtp.helo="} {
		if !bytes.Contains(relayed, []byte(want)) {
			t.Errorf("relayed copy lacks %q:\n%s", want, relayed)
		}
	}
	ackMail := string(waitMaildir(t, g.outbox(), 1, 20*time.Second)[0])
	for _, want := range []string{"[SUP-1000]", "Auto-Submitted: auto-replied", "In-Reply-To: <c1@customer.example>", "/t/"} {
		if !strings.Contains(ackMail, want) {
			t.Errorf("acknowledgement lacks %q:\n%s", want, ackMail)
		}
	}
	// 2. Follow-ups thread by subject tag, by References and by the reply
	// address.
	swaks("--from", "carol@customer.example", "--to", "support@support.localhost", "--header", "Subject: Re: [SUP-1000] kettle will not heat", "--body", "by tag")
	swaks("--from", "carol@customer.example", "--to", "help@support.localhost", "--header", "Subject: more", "--header", "References: <c1@customer.example>", "--body", "by refs")
	swaks("--from", "carol@customer.example", "--to", "support+sup-1000@support.localhost", "--header", "Subject: again", "--body", "by reply address")
	waitMaildir(t, g.maildir("support"), 4, 20*time.Second)
	ts := g.tickets(t)
	if len(ts) != 1 || len(ts[0].Timeline) != 4 {
		t.Fatalf("follow-ups did not thread into one ticket: %+v", ts)
	}
	// Follow-ups are not acknowledged again.
	if n := len(waitMaildir(t, g.outbox(), 1, time.Second)); n != 1 {
		t.Errorf("outbox holds %d mails after follow-ups, want the one acknowledgement", n)
	}
	// 3. A stranger using the tag joins as a participant; nothing goes out.
	swaks("--from", "mallory@customer.example", "--to", "support+sup-1000@support.localhost", "--header", "Subject: [SUP-1000] send this to my friend", "--body", "hi")
	waitMaildir(t, g.maildir("support"), 5, 20*time.Second)
	// 4. The agent answers from the MX (SPF passes for agents.test): the
	// reply reaches the customer from the department address and stops the
	// first-response clock.
	swaks("--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost", "--header", "From: Alice <alice@agents.test>",
		"--header", "Subject: Re: [SUP-1000] kettle will not heat", "--body", "Please descale it and try again.\n\nAlice")
	var reply string
	waitFor(t, "the agent's reply in the outbox", func() bool {
		for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
			if bytes.Contains(m, []byte("descale")) {
				reply = string(m)
				return true
			}
		}
		return false
	})
	for _, want := range []string{`From: "Customer Support" <support@support.localhost>`, "<carol@customer.example>", "[SUP-1000]", "In-Reply-To: <", "Please descale it"} {
		if !strings.Contains(reply, want) {
			t.Errorf("forwarded reply lacks %q:\n%s", want, reply)
		}
	}
	if strings.Contains(reply, "alice@agents.test") {
		t.Errorf("agent's address leaked to the customer:\n%s", reply)
	}
	ts = g.tickets(t)
	if ts[0].Status != "answered" {
		t.Errorf("status after the agent's reply: %q", ts[0].Status)
	}
	for _, d := range ts[0].Deadlines {
		if d.Kind == "first_response" && d.MetAt.IsZero() {
			t.Errorf("first-response clock not stopped: %+v", d)
		}
	}
	// 5. #resolve resolves and is not forwarded as text.
	swaks("--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost", "--header", "From: alice@agents.test",
		"--header", "Subject: Re: [SUP-1000] kettle", "--body", "#resolve\nGlad it works now.")
	waitFor(t, "resolution", func() bool { return g.tickets(t)[0].Status == "resolved" })
	for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
		if bytes.Contains(m, []byte("#resolve")) {
			t.Errorf("command line forwarded to the customer:\n%s", m)
		}
	}
	// 6. Nothing went to the stranger.
	for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
		if bytes.Contains(m, []byte("mallory")) {
			t.Errorf("mail sent to a stranger:\n%s", m)
		}
	}
	// The ticket in the API.
	show, err := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, "SUP-1000").CombinedOutput()
	if err != nil || !strings.Contains(string(show), "resolved") || !strings.Contains(string(show), "participant") {
		t.Errorf("tickets show: %v\n%s", err, show)
	}
}

func TestForgedAgentIsNotAnAgent(t *testing.T) {
	g := startGateway(t, "")
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "dave@customer.example", "--to", "support@support.localhost", "--header", "Subject: help", "--body", "help me")
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	// From 127.0.0.2: agents.test's SPF allows only 127.0.0.1.
	testenv.SwaksOK(t, "--server", g.SMTP, "--local-interface", "127.0.0.2", "--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost",
		"--header", "From: alice@agents.test", "--header", "Subject: [SUP-1000] forged", "--body", "#resolve\nwire money to me")
	msgs := waitMaildir(t, g.maildir("support"), 2, 20*time.Second)
	var forged []byte
	for _, m := range msgs {
		if bytes.Contains(m, []byte("wire money")) {
			forged = m
		}
	}
	if !bytes.Contains(forged, []byte("spf=fail")) {
		t.Errorf("forged mail not marked spf=fail for agents:\n%s", forged)
	}
	for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
		if bytes.Contains(m, []byte("wire money")) {
			t.Fatalf("a forged agent's mail reached the customer:\n%s", m)
		}
	}
	if ts := g.tickets(t); ts[0].Status == "resolved" {
		t.Errorf("a forged agent resolved the ticket")
	}
}

// TestEscalationOncePerDeadlineAcrossRestart: short SLAs; the warning and
// the breach each arrive exactly once, also when the server restarts
// between them.
func TestEscalationOncePerDeadlineAcrossRestart(t *testing.T) {
	g := startGateway(t, "")
	short := strings.Replace(testRules, "sla: {first_response: 4h, resolution: 3d}", "sla: {first_response: 8s, warn_at: 50%}", 1)
	writeFile(t, g.dir+"/rules.yaml", short)
	g.stop()
	g.start()
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "erin@customer.example", "--to", "support@support.localhost", "--header", "Subject: urgent", "--body", "please")
	esc := g.maildir("escalations")
	warn := waitMaildir(t, esc, 1, 20*time.Second)
	if !bytes.Contains(warn[0], []byte("SLA warning")) || !bytes.Contains(warn[0], []byte("To: <support-lead@agents.test>")) {
		t.Fatalf("first escalation mail is not the warning to the lead:\n%s", warn[0])
	}
	g.stop()
	g.start()
	all := waitMaildir(t, esc, 2, 30*time.Second)
	waitFor(t, "an empty deadline index", func() bool {
		return !strings.Contains(httpGet(t, "http://"+g.HTTP+"/metrics"), "frontdesk_sla_next_deadline_seconds ")
	})
	waitFor(t, "an empty queue", func() bool {
		out, _ := exec.Command(binary, "queue", "list", "-c", g.cfgPath).CombinedOutput()
		return strings.Contains(string(out), "queue is empty")
	})
	all = waitMaildir(t, esc, 2, time.Second)
	var warnings, breaches int
	for _, m := range all {
		switch {
		case bytes.Contains(m, []byte("SLA warning")):
			warnings++
		case bytes.Contains(m, []byte("SLA breached")):
			breaches++
		}
	}
	if warnings != 1 || breaches != 1 {
		t.Errorf("got %d warnings and %d breach mails, want 1 and 1", warnings, breaches)
	}
	if ts := g.tickets(t); len(ts) != 1 || !regexp.MustCompile(`first_response`).MatchString(fmt.Sprint(ts[0].Deadlines)) {
		t.Errorf("tickets: %+v", ts)
	}
}
