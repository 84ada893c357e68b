package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/smtp"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

func TestSwaksMessageLandsInMaildir(t *testing.T) {
	g := startGateway(t, "")
	out := testenv.SwaksOK(t, "--server", g.SMTP, "--from", "alice@customer.example", "--to", "support@support.localhost",
		"--header", "Subject: my kettle is broken", "--body", "It does not heat any more.\nAlice")
	if !strings.Contains(out, "250 2.0.0 OK: queued as") {
		t.Fatalf("no 250 queued reply in swaks output:\n%s", out)
	}
	msgs := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	m := string(msgs[0])
	for _, want := range []string{"Received: from ", "by mx.support.test (Frontdesk) with ESMTP id ", "X-Frontdesk-Queue-Id: ",
		"X-Frontdesk-Department: support", "Subject: my kettle is broken", "It does not heat any more."} {
		if !strings.Contains(m, want) {
			t.Errorf("delivered message lacks %q:\n%s", want, m)
		}
	}
	// Routed by address: sales@ goes to the sales Maildir.
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "bob@customer.example", "--to", "sales@support.localhost", "--header", "Subject: quote")
	waitMaildir(t, g.maildir("sales"), 1, 20*time.Second)
}

func TestNetSMTPClientAndRules(t *testing.T) {
	g := startGateway(t, "")
	body := "From: carol@customer.example\r\nTo: help@support.localhost\r\nSubject: hello\r\nMessage-ID: <c1@customer.example>\r\n\r\nHi there.\r\n"
	if err := smtp.SendMail(g.SMTP, nil, "carol@customer.example", []string{"help@support.localhost"}, []byte(body)); err != nil {
		t.Fatalf("net/smtp SendMail: %v", err)
	}
	msgs := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	if !bytes.Contains(msgs[0], []byte("Message-ID: <c1@customer.example>")) {
		t.Errorf("headers not intact:\n%s", msgs[0])
	}
	// A rule's reject is 550 5.7.1 with the rule's text at end of DATA.
	out, err := testenv.Swaks(t, "--server", g.SMTP, "--from", "x@blocked.example", "--to", "support@support.localhost")
	if err == nil || !strings.Contains(out, "550 5.7.1 We do not accept mail from this sender") {
		t.Errorf("rule reject not answered 550 5.7.1 with its text:\n%s", out)
	}
}

func TestRelayTricksRefused(t *testing.T) {
	g := startGateway(t, "")
	c := dialSMTP(t, g.SMTP)
	if code, l := c.cmd("EHLO client.example"); code != 250 {
		t.Fatalf("EHLO: %s", l)
	}
	if code, l := c.cmd("MAIL FROM:<probe@client.example>"); code != 250 {
		t.Fatalf("MAIL: %s", l)
	}
	refused := []string{
		"<user@other.example>",
		"<user%other.example@support.localhost>",
		"<user!other.example@support.localhost>",
		"<@support.localhost:user@other.example>",
		`<"user@other.example"@support.localhost>`,
		"<user@support.localhost@other.example>",
		"<user@[127.0.0.1]>",
		"<user@other.example.>",
		"<user@support.localhost.other.example>",
		"<user@sub.support.localhost>",
		"<user@localhost>",
		"<user@SUPPORT.LOCALHOST.EVIL.EXAMPLE>",
		"<user%other.example>",
		"<other.example!user>",
	}
	for _, rcpt := range refused {
		code, line := c.cmd("RCPT TO:%s", rcpt)
		if code < 500 || code > 599 {
			t.Errorf("RCPT TO:%s answered %q; want a 5xx refusal", rcpt, line)
		} else if !strings.Contains(line, " 5.") {
			t.Errorf("RCPT TO:%s refusal has no enhanced status code: %q", rcpt, line)
		}
	}
	accepted := []string{"<support@support.localhost>", "<Support@SUPPORT.LOCALHOST>", "<sales@support.localhost.>", "<support+order123@support.localhost>", "<@other.example:help@support.localhost>", "<unknown-local@support.localhost>"}
	for _, rcpt := range accepted {
		if code, line := c.cmd("RCPT TO:%s", rcpt); code != 250 {
			t.Errorf("RCPT TO:%s answered %q; want 250", rcpt, line)
		}
	}
	c.cmd("QUIT")
}

func TestRejectUnknownRecipients(t *testing.T) {
	g := startGateway(t, "smtp:\n  reject_unknown_recipients: true\n")
	c := dialSMTP(t, g.SMTP)
	c.cmd("EHLO client.example")
	c.cmd("MAIL FROM:<probe@client.example>")
	if code, line := c.cmd("RCPT TO:<nobody@support.localhost>"); code != 550 || !strings.Contains(line, "5.1.1") {
		t.Errorf("unknown local part: %q; want 550 5.1.1", line)
	}
	if code, line := c.cmd("RCPT TO:<sales+x@support.localhost>"); code != 250 {
		t.Errorf("plus-addressed known recipient: %q; want 250", line)
	}
}

func TestOversizeRefusedWith552(t *testing.T) {
	g2 := startGateway(t, "")                        // default limit, 25 MB
	big := strings.Repeat("0123456789abcdef ", 2000) // 34 KB
	g3 := startGatewaySized(t, 16384)
	out, err := testenv.Swaks(t, "--server", g3.SMTP, "--from", "a@customer.example", "--to", "support@support.localhost", "--body", big)
	if err == nil || !strings.Contains(out, "552 5.3.4") {
		t.Fatalf("oversized message not refused with 552 5.3.4:\n%s", tail(out, 800))
	}
	// SIZE is advertised and an announced oversize is refused at MAIL.
	c := dialSMTP(t, g3.SMTP)
	if _, l := c.cmd("EHLO client.example"); !strings.Contains(l, "SIZE 16384") {
		t.Errorf("EHLO does not advertise SIZE 16384: %q", l)
	}
	if code, l := c.cmd("MAIL FROM:<a@customer.example> SIZE=99999"); code != 552 {
		t.Errorf("MAIL with SIZE over the limit: %q; want 552", l)
	}
	// A long line (16 KB, over RFC 5322's 998) is still accepted.
	long := strings.Repeat("x", 8000)
	out = testenv.SwaksOK(t, "--server", g2.SMTP, "--from", "a@customer.example", "--to", "support@support.localhost", "--body", long)
	if !strings.Contains(out, "250 2.0.0") {
		t.Errorf("8 KB line refused:\n%s", tail(out, 500))
	}
}

func startGatewaySized(t *testing.T, max int) *gateway {
	return startGateway(t, fmt.Sprintf("smtp:\n  max_message_bytes: %d\n", max))
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func TestQueueCLIListRetryDelete(t *testing.T) {
	sink := testenv.StartSMTPSink(t, testenv.SinkPermFail("RCPT"))
	g := startGateway(t, fmt.Sprintf("relay:\n  target: smtp://%s\n  min_backoff: 100ms\n  max_backoff: 1s\n", sink.Addr))
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "a@customer.example", "--to", "support@support.localhost", "--header", "Subject: perm fail")
	// The permanent failure is kept as failed, not dropped; the CLI asks
	// the running server through its API.
	var items []map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := exec.Command(binary, "queue", "list", "-c", g.cfgPath, "--json").CombinedOutput()
		if err != nil {
			t.Fatalf("queue list: %v\n%s", err, out)
		}
		items = nil
		if err := json.Unmarshal(out, &items); err != nil {
			t.Fatalf("queue list --json: %v\n%s", err, out)
		}
		if len(items) == 1 && items[0]["state"] == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failed item after 20s: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(fmt.Sprint(items[0]["last_error"]), "500") {
		t.Errorf("failed item does not say why: %v", items[0])
	}
	metrics := httpGet(t, "http://"+g.HTTP+"/metrics")
	if !strings.Contains(metrics, `frontdesk_queue_delivery_attempts_total{result="failed",target="smtp"} 1`) {
		t.Errorf("failure not counted:\n%s", grepLines(metrics, "delivery_attempts"))
	}
	if !strings.Contains(metrics, `frontdesk_queue_items{state="failed",target="smtp"} 1`) {
		t.Errorf("failed item not in queue depth:\n%s", grepLines(metrics, "frontdesk_queue_items"))
	}
	// Fix the peer, retry: delivered.
	sink.RestartWith()
	id := items[0]["id"].(string)
	if out, err := exec.Command(binary, "queue", "retry", "-c", g.cfgPath, id).CombinedOutput(); err != nil {
		t.Fatalf("queue retry: %v\n%s", err, out)
	}
	sink.WaitCount(t, 1, 20*time.Second)
	// Delete of a now-absent id is an error with a clear message.
	out, err := exec.Command(binary, "queue", "delete", "-c", g.cfgPath, id).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not found") {
		t.Errorf("delete of a delivered item: err=%v out=%s", err, out)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	out, err := exec.Command("curl", "-sf", url).Output()
	if err != nil {
		// curl may be missing; fall back to Go.
		return goGet(t, url)
	}
	return string(out)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
