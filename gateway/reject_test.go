package gateway

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// A rule's reject, returned by intake as a RejectedError, is answered by
// the SMTP server (which does not import intake) with 550 5.7.1 and the
// rule's text at the end of DATA.
func TestGatewayRuleRejectAnswers550(t *testing.T) {
	g := startGatewayIn(t, t.TempDir(), `departments:
  support:
    addresses: [support]
    mailbox: support-team@agents.test
default_department: support
rules:
  - name: blocked sender
    if: {from: {domain: blocked.example}}
    then: {reject: "We do not accept mail from this sender"}
`, "")
	msg := "From: x@blocked.example\r\nTo: support@support.test\r\nSubject: hi\r\n\r\nHello.\r\n"
	err := smtp.SendMail(g.SMTPAddr().String(), nil, "x@blocked.example", []string{"support@support.test"}, []byte(msg))
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 550 || te.Msg != "5.7.1 We do not accept mail from this sender" {
		t.Fatalf("rule reject answered %v; want 550 5.7.1 with the rule's text", err)
	}
}

// An empty message (zero bytes, or one blank line) is refused at the end of
// DATA with 554 5.6.0 and opens no ticket, with net/smtp and with swaks;
// it is counted as messages_total{result="rejected",reason="empty"} and
// smtp_refusals_total{reason="empty"}. A header with an empty body is
// still a message.
func TestGatewayEmptyMessageAnswers554(t *testing.T) {
	g := startGateway(t, "support")
	addr := g.SMTPAddr().String()
	for _, data := range []string{"", "\r\n"} {
		err := smtp.SendMail(addr, nil, "carol@customer.test", []string{"support@support.test"}, []byte(data))
		var te *textproto.Error
		if !errors.As(err, &te) || te.Code != 554 || !strings.HasPrefix(te.Msg, "5.6.0 Empty message") {
			t.Errorf("DATA of %q answered %v; want 554 5.6.0 Empty message", data, err)
		}
	}
	// swaks sends its --data as given, here one blank line; exit code 26
	// is a refusal at the end of data.
	out, err := testenv.Swaks(t, "--server", addr, "--from", "carol@customer.test", "--to", "support@support.test", "--data", `\n`)
	if testenv.ExitCode(err) != 26 || !strings.Contains(out, "554 5.6.0 Empty message") {
		t.Errorf("swaks: exit %d; want 26 with 554 5.6.0\n%s", testenv.ExitCode(err), out)
	}
	if got := metrictest.Sample(t, g.reg, "frontdesk_messages_total", "result", "rejected", "reason", "empty"); got != 3 {
		t.Errorf("messages_total{rejected,empty} = %v, want 3", got)
	}
	if got := metrictest.Sample(t, g.reg, "frontdesk_smtp_refusals_total", "reason", "empty"); got != 3 {
		t.Errorf("smtp_refusals_total{empty} = %v, want 3", got)
	}
	if got := metrictest.Sample(t, g.reg, "frontdesk_tickets_opened_total", "department", "support", "priority", "normal"); got != 0 {
		t.Errorf("%v tickets opened by empty messages", got)
	}
	if err := smtp.SendMail(addr, nil, "carol@customer.test", []string{"support@support.test"}, []byte("Subject: no body\r\n\r\n")); err != nil {
		t.Errorf("a header with an empty body: %v", err)
	}
}
