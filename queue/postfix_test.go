package queue

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// TestSMTPTargetOnPostfix delivers on one kept connection to a real
// Postfix that refuses some recipients (550 and 450) and a sender, with
// and without PIPELINING: each refusal fails its item for good or for
// now, naming the stage, and the connection goes on to the next item
// (RSET), so that one smtpd session carries all of them.
func TestSMTPTargetOnPostfix(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		name := "pipelining"
		if !pipelining {
			name = "without pipelining"
		}
		t.Run(name, func(t *testing.T) {
			sink := testenv.StartSMTPSink(t)
			main := []string{
				"smtpd_recipient_restrictions = check_recipient_access inline:{{perm@bench.example=550 5.1.1 no such user},{temp@bench.example=450 4.2.1 try later}}, permit_mynetworks, reject_unauth_destination",
				"smtpd_sender_restrictions = check_sender_access inline:{{refused@x.test=553 5.7.1 sender refused}}",
				"smtpd_delay_reject = no", // the sender is refused at MAIL
				"smtpd_data_restrictions = reject_unauth_pipelining",
				"smtputf8_enable = yes",
			}
			if !pipelining {
				main = append(main, "smtpd_discard_ehlo_keywords = pipelining")
			}
			pf := testenv.StartPostfix(t, testenv.PostfixConfig{Relayhost: sink.Addr, Main: main})
			target := &SMTP{Network: "tcp", Addr: pf.Addr, Helo: "mx.test", Timeout: 10 * time.Second, MaxIdle: 1}
			body := []byte("Subject: x\r\n\r\nbody\r\n")
			for i, c := range []struct {
				from string
				to   []string
				want string // "" delivered, else "perm: " or "temp: " and what the error names
			}{
				{"a@x.test", []string{"ok1@bench.example", "ok2@bench.example"}, ""},
				{"a@x.test", []string{"ok1@bench.example", "perm@bench.example"}, "perm: rcpt to perm@bench.example: SMTP error 550"},
				{"a@x.test", []string{"temp@bench.example", "ok1@bench.example"}, "temp: rcpt to temp@bench.example: SMTP error 450"},
				{"a@x.test", []string{"perm@bench.example"}, "perm: rcpt to perm@bench.example: SMTP error 550"},
				{"refused@x.test", []string{"ok1@bench.example"}, "perm: mail from: SMTP error 553"},
				{"a@x.test", []string{"temp@bench.example"}, "temp: rcpt to temp@bench.example: SMTP error 450"},
				{"张三@例子.test", []string{"ok1@bench.example"}, ""}, // SMTPUTF8
				{"a@x.test", []string{"ok3@bench.example"}, ""},
			} {
				err := target.Deliver(context.Background(), &Item{ID: "q", From: c.from, To: c.to}, body)
				if c.want == "" {
					if err != nil {
						t.Errorf("item %d: %v", i+1, err)
					}
					continue
				}
				kind, what, _ := strings.Cut(c.want, ": ")
				if err == nil || !strings.Contains(err.Error(), what) {
					t.Errorf("item %d: err = %v; want one naming %q", i+1, err, what)
				}
				if perm := errors.As(err, new(*PermanentError)); perm != (kind == "perm") {
					t.Errorf("item %d: permanent = %v; want %s: %v", i+1, perm, kind, err)
				}
			}
			target.Close() // QUIT: smtpd logs the session's counts
			session := regexp.MustCompile(`disconnect from \S+ (ehlo=.*)`)
			var sessions []string
			for deadline := time.Now().Add(20 * time.Second); ; {
				sessions = sessions[:0]
				for _, m := range session.FindAllStringSubmatch(pf.Maillog(), -1) {
					sessions = append(sessions, m[1])
				}
				if len(sessions) > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			// Eight transactions on one connection, a RSET after each of
			// the five refused ones.
			if len(sessions) != 1 || !strings.Contains(sessions[0], "mail=7/8") || !strings.Contains(sessions[0], "rset=5") || !strings.Contains(sessions[0], "quit=1") {
				t.Errorf("smtpd sessions %q; want one with mail=7/8, rset=5, quit=1\nmaillog:\n%s", sessions, pf.Maillog())
			}
			if pipelining && !strings.Contains(sessions[0], "data=3/6") {
				t.Errorf("smtpd session %q: want data=3/6 (DATA pipelined after each single refused recipient)", sessions[0])
			}
			if strings.Contains(pf.Maillog(), "improper command pipelining") {
				t.Errorf("Postfix saw improper pipelining:\n%s", pf.Maillog())
			}
			pf.WaitQueueEmpty(t, 30*time.Second)
		})
	}
}
