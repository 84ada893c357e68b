package smtpd

import (
	"context"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/message"
)

// A non-ASCII address in MAIL FROM or RCPT TO is refused with 553 5.6.7
// unless MAIL FROM carried the SMTPUTF8 parameter (RFC 6531 §3.4); with it
// the same addresses are accepted and the envelope says UTF8.
func TestNonASCIIAddressNeedsSMTPUTF8(t *testing.T) {
	const body = "DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n"
	for _, tc := range []struct {
		name, mail, rcpt string
		want             string // the reply that must be among the session's
		filed            int
	}{
		{"sender without SMTPUTF8", "MAIL FROM:<josé@customer.example>", "RCPT TO:<support@support.test>",
			"553 5.6.7 Non-ASCII addresses not permitted for that sender without SMTPUTF8", 0},
		{"sender with a non-ASCII domain", "MAIL FROM:<a@例子.中国>", "RCPT TO:<support@support.test>",
			"553 5.6.7 Non-ASCII addresses not permitted for that sender", 0},
		{"recipient without SMTPUTF8", "MAIL FROM:<a@customer.example>", "RCPT TO:<josé@support.test>",
			"553 5.6.7 Non-ASCII addresses not permitted for that recipient without SMTPUTF8", 0},
		{"sender with SMTPUTF8", "MAIL FROM:<josé@customer.example> SMTPUTF8", "RCPT TO:<support@support.test>",
			"250 2.0.0 OK: queued", 1},
		{"recipient with SMTPUTF8", "MAIL FROM:<a@customer.example> SMTPUTF8", "RCPT TO:<josé@support.test>",
			"250 2.0.0 OK: queued", 1},
		{"ASCII without SMTPUTF8", "MAIL FROM:<a@customer.example>", "RCPT TO:<support@support.test>",
			"250 2.0.0 OK: queued", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			var env *message.Envelope
			acc := acceptFunc(func(e *message.Envelope, data []byte) (string, error) {
				env = e
				return rec.Accept(context.Background(), e, data)
			})
			s, addr := startRaw(t, Config{}, acc)
			lines := rawSession(t, addr, "EHLO client.test\r\n"+tc.mail+"\r\n"+tc.rcpt+"\r\n"+body)
			waitFor(t, "the server to close the session", func() bool { return s.openConns() == 0 })
			found := false
			for _, l := range lines {
				found = found || strings.HasPrefix(l, tc.want)
			}
			if !found || rec.count() != tc.filed {
				t.Fatalf("%d filed; want %d and a reply %q\nreplies: %q", rec.count(), tc.filed, tc.want, lines)
			}
			if tc.filed == 1 && env.UTF8 != strings.Contains(tc.mail, "SMTPUTF8") {
				t.Errorf("envelope UTF8 = %v for %q", env.UTF8, tc.mail)
			}
		})
	}
}

// The same with swaks, a real client that writes what it is given: an
// internationalized sender without SMTPUTF8 is refused at MAIL FROM
// (swaks exit code 23) with 553 5.6.7.
func TestNonASCIISenderSwaks(t *testing.T) {
	rec := &recorder{}
	_, addr := startRaw(t, Config{}, rec)
	out, err := testenv.Swaks(t, "--server", addr, "--from", "josé@customer.example", "--to", "support@support.test", "--body", "hello")
	if testenv.ExitCode(err) != 23 || !strings.Contains(out, "553 5.6.7 Non-ASCII addresses not permitted for that sender") {
		t.Fatalf("swaks exit %d; want 23 (MAIL refused) with 553 5.6.7\n%s", testenv.ExitCode(err), out)
	}
	if rec.count() != 0 {
		t.Errorf("%d messages filed", rec.count())
	}
}
