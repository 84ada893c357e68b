package gateway

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"testing"
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
