package intake

import (
	"bytes"
	"context"
	"errors"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/ticket"

	"github.com/jhillyerd/enmime/v2"
)

// An agent's reply goes to the customer through the composer: the
// department's From, the ticket's reply address, the tag in an RFC 2047
// subject, threading to the customer's last mail, no Auto-Submitted (a
// person wrote it), and the body either rebuilt (a command line removed)
// or the agent's MIME entity as it came.
func TestComposeReply(t *testing.T) {
	agentMail := "From: alice@agents.test\r\nTo: support+sup-1042@acme.example\r\nSubject: Re: 水壶不加热\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\nxOO6ww==\r\n"
	msg, err := message.Parse([]byte(agentMail))
	if err != nil {
		t.Fatal(err)
	}
	tk := &ticket.Ticket{Tag: "SUP-1042", Customer: "li.wei@example.cn", CustomerName: "李伟",
		MessageIDs: []string{"c1@example.cn", "c2@example.cn"},
		Timeline:   []ticket.Entry{{Kind: ticket.KindCustomer, MessageID: "c2@example.cn"}}}
	dept := Department{Key: "support", Name: "客服团队", Addresses: []string{"support"}}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var signed int
	in := &Intake{Options: Options{Hostname: "mx.acme.example", Domain: "acme.example", TagPrefix: "SUP",
		Sign: func(b []byte) ([]byte, error) { signed++; return append([]byte("DKIM-Signature: v=1\r\n"), b...), nil }}}
	for _, tc := range []struct {
		name    string
		rebuild bool
		text    string
		want    string
	}{
		{"agent's entity kept", false, "", "你好"},
		{"rebuilt without the command line", true, "Fixed now.\n\n-- \nHow did we do?", "Fixed now.\r\n\r\n-- \r\nHow did we do?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, mid, err := in.composeReply(tk, dept, msg, []byte(agentMail), tc.rebuild, tc.text, now)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(raw, []byte("DKIM-Signature: v=1\r\n")) {
				t.Error("reply not signed")
			}
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
			if err != nil || len(env.Errors) > 0 {
				t.Fatalf("enmime: %v %v", err, env.Errors)
			}
			from, _ := m.Header.AddressList("From")
			to, _ := m.Header.AddressList("To")
			if len(from) != 1 || from[0].Name != "客服团队" || from[0].Address != "support@acme.example" || len(to) != 1 || to[0].Name != "李伟" {
				t.Errorf("From %v To %v", from, to)
			}
			for k, v := range map[string]string{"Reply-To": "support+sup-1042@acme.example", "In-Reply-To": "<c2@example.cn>",
				"References": "<c1@example.cn> <c2@example.cn>", "Message-Id": "<" + mid + ">", "X-Frontdesk-Ticket": "SUP-1042", "Auto-Submitted": ""} {
				if got := m.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if got := env.GetHeader("Subject"); got != "[SUP-1042] Re: 水壶不加热" {
				t.Errorf("subject %q", got)
			}
			if !strings.HasPrefix(mid, "reply.") || strings.TrimSpace(env.Text) != tc.want {
				t.Errorf("mid %q text %q, want %q", mid, env.Text, tc.want)
			}
		})
	}
	// A reply that cannot be composed is refused, not deferred: resending
	// would not help.
	in.Sign = func([]byte) ([]byte, error) { return nil, errors.New("no key") }
	_, _, err = in.composeReply(tk, dept, msg, []byte(agentMail), true, "x", now)
	var rej *rejectInTxn
	if !errors.As(err, &rej) || !strings.Contains(rej.text, "SUP-1042") {
		t.Errorf("unsigned reply: %v", err)
	}
}

// TestReplyReferencesTheMailItAnswers: the agent's reply forwarded to the
// customer answers the customer's latest mail (In-Reply-To), and its
// References are that mail's References plus its Message-ID (RFC 5322
// §3.6.4), so that clients threading by References attach the reply to
// the mail it answers. Audit 2 item 6 saw only the first id: the header
// is folded when long (as here), and `grep '^References'` shows its first
// line; read unfolded, the mail answered is the last id. This test keeps
// it so.
func TestReplyReferencesTheMailItAnswers(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	accept := func(e *Envelope, raw string) {
		t.Helper()
		if _, err := in.Accept(context.Background(), e, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	accept(env, "From: c@customer.test\r\nSubject: kettle\r\nMessage-ID: <0123456789abcdef.0123456789abcdef.kettle@mail.customer.test>\r\n\r\nbroken\r\n")
	accept(&Envelope{MailFrom: "c@customer.test", Rcpt: []string{"support+sup-1001@support.test"}},
		"From: c@customer.test\r\nSubject: Re: [SUP-1001] kettle\r\nMessage-Id: <20261207170414.021179@vm>\r\n\r\nstill broken\r\n")
	accept(&Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1001@support.test"}, Auth: "agent@agents.test"},
		"From: agent@agents.test\r\nSubject: Re: [SUP-1001] kettle\r\n\r\nfixed\r\n")
	raw := queuedBody(t, st, "reply")
	if !strings.Contains(raw, "kettle@mail.customer.test>\r\n <20261207170414.021179@vm>") {
		t.Errorf("References not folded before the mail answered; the test does not cover the audit's case:\n%s", raw)
	}
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	irt, refs := m.Header.Get("In-Reply-To"), strings.Fields(m.Header.Get("References"))
	if irt != "<20261207170414.021179@vm>" {
		t.Errorf("In-Reply-To %q", irt)
	}
	if len(refs) == 0 || refs[0] != "<0123456789abcdef.0123456789abcdef.kettle@mail.customer.test>" || refs[len(refs)-1] != irt {
		t.Errorf("References %q: want the thread's first mail first and the mail answered (%s) last", refs, irt)
	}
}
