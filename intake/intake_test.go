package intake

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

type fixed struct{ d Decision }

func (f fixed) Route(*message.Message, time.Time) Decision { return f.d }
func (f fixed) Department(key string) (Department, bool) {
	return Department{Key: key, Name: "Dept " + key, Mailbox: key + "@agents.test", Addresses: []string{key}, Agents: []string{"agent@agents.test"}}, true
}
func (f fixed) Departments() []Department {
	d, _ := f.Department(f.d.Department)
	return []Department{d}
}
func (f fixed) Calendar(string) (*sla.Calendar, bool) { return nil, true }

type counter struct{ n uint64 }

func (c *counter) Next() (uint64, error) { c.n++; return c.n, nil }

func newIntake(t *testing.T, d Decision) (*Intake, *store.Store) {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	q := queue.New(st, queue.Config{}, nil, nil, nil)
	in := New(Options{Store: st, Queue: q, Router: fixed{d}, Hostname: "mx.test", Numbers: &counter{n: 1000}, Domain: "support.test"})
	return in, st
}

var env = &Envelope{MailFrom: "a@customer.test", Rcpt: []string{"support@support.test"}, RemoteAddr: "127.0.0.1:5555", Helo: "client.test"}

func TestAcceptCommitsMessageAndQueueItemTogether(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "sales", Priority: "high", Tags: []string{"quote"}, Matched: []rules.Match{{Rule: "quotes"}}})
	id, err := in.Accept(context.Background(), env, []byte("Subject: quote please\r\nMessage-ID: <m1@customer.test>\r\n\r\n30 kettles\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	var rec *store.Message
	var raw []byte
	st.View(func(txn *store.Txn) error {
		rec, _ = txn.GetMessage(id)
		raw, _ = txn.GetRaw(id)
		return nil
	})
	if rec == nil || rec.Department != "sales" || rec.MessageID != "m1@customer.test" || rec.Disposition != "relay" {
		t.Fatalf("record: %+v", rec)
	}
	if !strings.HasPrefix(string(raw), "Received: from client.test (127.0.0.1:5555)\r\n\tby mx.test (Frontdesk) with ESMTP id "+id) {
		t.Errorf("raw does not start with our Received header:\n%s", raw)
	}
	items, _ := queue.List(st)
	if len(items) != 1 {
		t.Fatalf("%d queue items, want 1", len(items))
	}
	it := items[0]
	if it.BodyID != id || it.Mailbox != "sales" || it.To[0] != "sales@agents.test" || it.From != "a@customer.test" {
		t.Errorf("queue item: %+v", it)
	}
	hdrs := map[string]string{}
	for _, h := range it.Headers {
		hdrs[h.Name] = h.Value
	}
	if hdrs["X-Frontdesk-Priority"] != "high" || hdrs["X-Frontdesk-Tags"] != "quote" || hdrs["X-Frontdesk-Rule"] != "quotes" {
		t.Errorf("decision headers: %v", hdrs)
	}
}

func TestRejectStoresNothing(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Reject: "no thanks"})
	_, err := in.Accept(context.Background(), env, []byte("Subject: x\r\n\r\ny\r\n"))
	var rej *RejectedError
	if !errors.As(err, &rej) || rej.Text != "no thanks" {
		t.Fatalf("err = %v; want RejectedError", err)
	}
	n := 0
	st.View(func(txn *store.Txn) error {
		return txn.Iterate(nil, nil, false, func([]byte, []byte) error { n++; return nil })
	})
	if n != 0 {
		t.Errorf("%d keys stored for a rejected message", n)
	}
}

func TestDiscardIsStoredButNotRelayed(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Discard: true})
	id, err := in.Accept(context.Background(), env, []byte("Subject: spam\r\n\r\ny\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	var rec *store.Message
	st.View(func(txn *store.Txn) error { rec, _ = txn.GetMessage(id); return nil })
	if rec == nil || rec.Disposition != "discard" {
		t.Fatalf("record: %+v", rec)
	}
	if items, _ := queue.List(st); len(items) != 0 {
		t.Errorf("discarded message queued: %+v", items)
	}
}

func TestUnparseableIsAcceptedAndRelayed(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support"})
	id, err := in.Accept(context.Background(), env, []byte("\x00\x01garbage without headers"))
	if err != nil {
		t.Fatal(err)
	}
	if items, _ := queue.List(st); len(items) != 1 || items[0].BodyID != id {
		t.Errorf("unparseable message not relayed: %+v", items)
	}
}

func TestStoreFailureIsTemporary(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support"})
	st.Close()
	_, err := in.Accept(context.Background(), env, []byte("Subject: x\r\n\r\ny\r\n"))
	if !IsTemporary(err) {
		t.Fatalf("err = %v; want a temporary StoreError", err)
	}
}

func TestReopenWindow(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	in.Now = func() time.Time { return now }
	in.ReopenWindow = 30 * 24 * time.Hour
	accept := func(raw string) {
		t.Helper()
		if _, err := in.Accept(context.Background(), env, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	accept("From: c@customer.test\r\nSubject: kettle\r\nMessage-ID: <m1@customer.test>\r\n\r\nbroken\r\n")
	if _, err := in.Resolve(context.Background(), "SUP-1001", "test", false); err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * 24 * time.Hour) // within the window: reopens
	accept("From: c@customer.test\r\nSubject: Re: kettle\r\nIn-Reply-To: <m1@customer.test>\r\nMessage-ID: <m2@customer.test>\r\n\r\nagain\r\n")
	ts, _ := ticket.List(st, "", "")
	if len(ts) != 1 || ts[0].Status != ticket.Open {
		t.Fatalf("within the window: %d tickets, status %s", len(ts), ts[0].Status)
	}
	in.Resolve(context.Background(), "SUP-1001", "test", false)
	now = now.Add(31 * 24 * time.Hour) // past the window: a new ticket that links the old one
	accept("From: c@customer.test\r\nSubject: Re: kettle\r\nIn-Reply-To: <m2@customer.test>\r\nMessage-ID: <m3@customer.test>\r\n\r\nonce more\r\n")
	ts, _ = ticket.List(st, "", "")
	if len(ts) != 2 || ts[0].Tag != "SUP-1002" || ts[0].LinkedFrom != "SUP-1001" || ts[1].Status != ticket.Resolved {
		t.Fatalf("past the window: %+v", ts)
	}
}

func TestAgentReplyFromMXNeedsAlignment(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	if _, err := in.Accept(context.Background(), env, []byte("From: c@customer.test\r\nSubject: help\r\n\r\nplease\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := []byte("From: agent@agents.test\r\nSubject: Re: [SUP-1001] help\r\n\r\n#resolve\r\ndone\r\n")
	agentEnv := func(aligned bool) *Envelope {
		return &Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1001@support.test"},
			Aligned: func(string) bool { return aligned }}
	}
	// Not aligned: treated as anyone else, the ticket stays open.
	if _, err := in.Accept(context.Background(), agentEnv(false), reply); err != nil {
		t.Fatal(err)
	}
	ts, _ := ticket.List(st, "", "")
	if ts[0].Status == ticket.Resolved {
		t.Fatal("an unauthenticated 'agent' resolved the ticket")
	}
	// Aligned: the reply goes to the customer and #resolve resolves.
	if _, err := in.Accept(context.Background(), agentEnv(true), reply); err != nil {
		t.Fatal(err)
	}
	ts, _ = ticket.List(st, "", "")
	if ts[0].Status != ticket.Resolved {
		t.Fatalf("status %s after an aligned agent's #resolve", ts[0].Status)
	}
	if n := len(in.cpu); n != 0 {
		t.Errorf("%d turns still taken after agents' replies", n)
	}
	items, _ := queue.List(st)
	var replies int
	for _, it := range items {
		if it.Kind == "reply" && it.To[0] == "c@customer.test" && it.Target == "outbound" {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("%d replies queued to the customer, want 1", replies)
	}
}

// TestAgentReplyWhenAuthIsUnknown: an agent's reply over the MX whose
// domain's SPF/DKIM could not be looked up (DNS trouble) is deferred with
// 451 4.7.0, not filed as a participant's with its command lost; once the
// lookups answer and pass, it is the agent's.
func TestAgentReplyWhenAuthIsUnknown(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	if _, err := in.Accept(context.Background(), env, []byte("From: c@customer.test\r\nSubject: help\r\n\r\nplease\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := []byte("From: agent@agents.test\r\nSubject: Re: [SUP-1001] help\r\n\r\n#resolve\r\ndone\r\n")
	unknown := &Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1001@support.test"},
		Aligned: func(string) bool { return false }, AlignedUnknown: func(string) bool { return true }}
	_, err := in.Accept(context.Background(), unknown, reply)
	var rej *RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("an agent's reply with its authentication unknown: %v, want a refusal", err)
	}
	if code, enh, reason := rej.RejectionStatus(); code != 451 || enh != [3]int{4, 7, 0} || reason != "auth_tempfail" {
		t.Errorf("refused %d %v %s, want 451 4.7.0 auth_tempfail", code, enh, reason)
	}
	ts, _ := ticket.List(st, "", "")
	if len(ts) != 1 || ts[0].Status == ticket.Resolved || len(ts[0].Timeline) != 1 {
		t.Fatalf("the deferred reply changed the ticket: %+v", ts)
	}
	// A customer's mail in the same DNS trouble is filed as ever.
	cust := &Envelope{MailFrom: "d@customer.test", Rcpt: []string{"support+sup-1001@support.test"},
		Aligned: func(string) bool { return false }, AlignedUnknown: func(string) bool { return true }}
	if _, err := in.Accept(context.Background(), cust, []byte("From: d@customer.test\r\nSubject: Re: [SUP-1001] help\r\n\r\nme too\r\n")); err != nil {
		t.Errorf("a customer's mail with authentication unknown: %v", err)
	}
	// The retry, with DNS back, is the agent's.
	ok := &Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1001@support.test"}, Aligned: func(string) bool { return true }}
	if _, err := in.Accept(context.Background(), ok, reply); err != nil {
		t.Fatal(err)
	}
	if ts, _ = ticket.List(st, "", ""); ts[0].Status != ticket.Resolved {
		t.Errorf("status %s after the retried #resolve", ts[0].Status)
	}
}

// At most cap(cpu) messages are between their parse and their trim at
// once, and a turn is given back exactly once, however often its done
// function is called.
func TestWorkIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := &Intake{cpu: make(chan struct{}, 2)}
		d1, d2 := in.work(), in.work()
		var started atomic.Bool
		go func() {
			done := in.work()
			started.Store(true)
			done()
		}()
		synctest.Wait()
		if started.Load() {
			t.Fatal("a third message began while two were being worked on")
		}
		d1()
		d1()
		synctest.Wait()
		if !started.Load() {
			t.Fatal("the third message did not begin after one finished")
		}
		if len(in.cpu) != 1 {
			t.Fatalf("%d turns taken, want 1 (the second message's)", len(in.cpu))
		}
		d2()
	})
}

// Every way out of Accept gives its turn back: otherwise the intake stops
// after GOMAXPROCS such messages.
func TestAcceptGivesBackItsTurn(t *testing.T) {
	for name, d := range map[string]Decision{
		"relay":   {Department: "sales"},
		"reject":  {Department: "sales", Reject: "No thanks"},
		"discard": {Department: "sales", Discard: true},
	} {
		in, _ := newIntake(t, d)
		for i := range 2*cap(in.cpu) + 1 {
			msg := fmt.Sprintf("Subject: hello %d\r\nMessage-ID: <m%d@customer.test>\r\n\r\nhi\r\n", i, i)
			in.Accept(context.Background(), env, []byte(msg))
		}
		if n := len(in.cpu); n != 0 {
			t.Errorf("%s: %d turns still taken after Accept returned", name, n)
		}
	}
}

// The acknowledgement cap counts one sender's acknowledgements of the last
// hour, whatever the case of the address, and lets an hour-old one go.
func TestAckRateLimitCountsTheLastHour(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support"})
	in.AckRate = 2
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	limited := func(addr string, at time.Time) bool {
		t.Helper()
		var got bool
		err := st.Update(context.Background(), func(txn *store.Txn) error {
			var err error
			got, err = in.rateLimited(txn, addr, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	steps := []struct {
		addr  string
		after time.Duration
		want  bool
	}{
		{"ann@customer.test", 0, false},
		{"Ann@Customer.test", time.Minute, false},
		{"ann@customer.test", 2 * time.Minute, true},  // two in the last hour
		{"bob@customer.test", 2 * time.Minute, false}, // another sender
		{"ann@customer.test", 59 * time.Minute, true},
		{"ann@customer.test", 60 * time.Minute, false},               // the first is an hour old
		{"ann@customer.test", 60*time.Minute + 30*time.Second, true}, // 0:01 and 1:00 count
	}
	for _, s := range steps {
		if got := limited(s.addr, t0.Add(s.after)); got != s.want {
			t.Errorf("%s at +%v: limited %v, want %v", s.addr, s.after, got, s.want)
		}
	}
	// A record with a stamp that does not parse counts what does.
	key := []byte(store.PrefixMisc + "ackrate/cy@customer.test")
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		return txn.SetTTL(key, []byte(fmt.Sprintf("junk %d", t0.Unix())), time.Hour)
	}); err != nil {
		t.Fatal(err)
	}
	if limited("cy@customer.test", t0.Add(time.Minute)) {
		t.Error("one good stamp and junk: limited at the first acknowledgement after it")
	}
	if !limited("cy@customer.test", t0.Add(2*time.Minute)) {
		t.Error("two good stamps: not limited")
	}
}

// An agent's answer to one customer's mail, sent to another ticket's reply
// address, reaches neither: the address would hand it to the wrong
// customer.
func TestAgentReplyToTheWrongTicketIsRefused(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	for i, c := range []string{"a", "b"} {
		raw := fmt.Sprintf("From: %s@customer.test\r\nSubject: help %d\r\nMessage-ID: <%s1@customer.test>\r\n\r\nplease\r\n", c, i, c)
		if _, err := in.Accept(context.Background(), &Envelope{MailFrom: c + "@customer.test", Rcpt: []string{"support@support.test"}}, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	agent := &Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1002@support.test"}, Aligned: func(string) bool { return true }}
	// Answers a's mail (SUP-1001), addressed to SUP-1002 (b's).
	_, err := in.Accept(context.Background(), agent, []byte("From: agent@agents.test\r\nSubject: Re: help\r\nIn-Reply-To: <a1@customer.test>\r\n\r\nyour account number is 42\r\n"))
	var rej *RejectedError
	if !errors.As(err, &rej) || !strings.Contains(rej.Text, "ticket SUP-1001") {
		t.Fatalf("err = %v; want the reply refused naming SUP-1001", err)
	}
	items, _ := queue.List(st)
	for _, it := range items {
		if it.Kind == "reply" {
			t.Fatalf("a reply was queued to %v", it.To)
		}
	}
	// Answering b's own mail at b's address goes through.
	if _, err := in.Accept(context.Background(), agent, []byte("From: agent@agents.test\r\nSubject: Re: help\r\nIn-Reply-To: <b1@customer.test>\r\n\r\nhello b\r\n")); err != nil {
		t.Fatal(err)
	}
	items, _ = queue.List(st)
	n := 0
	for _, it := range items {
		if it.Kind == "reply" && it.To[0] == "b@customer.test" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d replies to b queued, want 1", n)
	}
}

// A ticket remembers the script its customer writes Chinese in, so that
// later mail to them (the notices) is written in it too.
func TestTicketKeepsTheCustomersScript(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	for _, raw := range []string{
		"From: mei@customer.test\r\nSubject: =?UTF-8?B?54ax5rC05aO65aOe5LqG?=\r\nContent-Type: text/plain; charset=utf-8\r\nMessage-ID: <t1@customer.test>\r\n\r\n我的熱水壺開不了機，指示燈不亮。\r\n",
		"From: li@customer.test\r\nSubject: kettle\r\nContent-Type: text/plain; charset=utf-8\r\nMessage-ID: <s1@customer.test>\r\n\r\n我的电水壶开不了机，指示灯不亮。\r\n",
	} {
		if _, err := in.Accept(context.Background(), env, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	ts, err := ticket.List(st, "", "")
	if err != nil || len(ts) != 2 {
		t.Fatalf("tickets: %d, %v", len(ts), err)
	}
	for _, tk := range ts {
		if want := tk.Customer == "mei@customer.test"; tk.Traditional != want || tk.Lang != message.Chinese {
			t.Errorf("%s (%s): lang %s, traditional %v, want zh %v", tk.Tag, tk.Customer, tk.Lang, tk.Traditional, want)
		}
	}
}

// TestSubmissionRefusalSaysWhy: an authenticated agent's mail that is not
// taken as a reply is refused (550 5.7.1, as before) with the sentence
// that names what is wrong; before, a From header other than the login
// was told to write to a ticket's reply address, which it had done.
func TestSubmissionRefusalSaysWhy(t *testing.T) {
	for _, c := range []struct {
		name, auth, rcpt, from string
		want                   string
	}{
		{"no ticket address", "agent@agents.test", "support@support.test", "agent@agents.test",
			"Agents write to a ticket's reply address (for example support+sup-1042@support.test)"},
		{"From another agent", "agent@agents.test", "support+sup-1001@support.test", "support-agent@agents.test",
			"The From address must be the authenticated agent's, agent@agents.test, not support-agent@agents.test"},
		{"From a stranger", "agent@agents.test", "support+sup-1001@support.test", "mallory@elsewhere.test",
			"The From address must be the authenticated agent's, agent@agents.test, not mallory@elsewhere.test"},
		{"no From", "agent@agents.test", "support+sup-1001@support.test", "",
			"The message has no From address; it must be the authenticated agent's, agent@agents.test"},
		{"login of no department", "intern@agents.test", "support+sup-1001@support.test", "intern@agents.test",
			"intern@agents.test is not an agent of any department, so it cannot answer tickets"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, st, _, _ := newMoveIntake(t)
			raw := "Subject: Re: [SUP-1001] charged twice\r\n\r\nRefunded.\r\n"
			if c.from != "" {
				raw = "From: " + c.from + "\r\n" + raw
			}
			_, err := in.Accept(context.Background(), &Envelope{MailFrom: c.auth, Rcpt: []string{c.rcpt}, Auth: c.auth}, []byte(raw))
			var rej *RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("err = %v; want a refusal", err)
			}
			if code, enh, _ := rej.RejectionStatus(); code != 550 || enh != [3]int{5, 7, 1} || rej.Text != c.want {
				t.Errorf("refusal %d %v %q; want 550 5.7.1 %q", code, enh, rej.Text, c.want)
			}
			if items, _ := queue.List(st); len(items) != 1 || items[0].Kind != "relay" {
				t.Errorf("queue %+v; want only the customer's relay", items)
			}
		})
	}
}

// TestRelayedCopyCarriesEveryHeader: X-Frontdesk-Owner, -Tags and -Rule
// are on every relayed copy, as the README lists them, so that agents'
// filters can rely on them: "none" for a ticket nobody owns, empty when
// no rule tagged or matched the mail. Before, they were left out when
// empty (audit 2 item 7).
func TestRelayedCopyCarriesEveryHeader(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	if _, err := in.Accept(context.Background(), env, []byte("From: a@customer.test\r\nSubject: hello\r\nX-Frontdesk-Owner: mallory@x.test\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	items, _ := queue.List(st)
	var relay *queue.Item
	for _, it := range items {
		if it.Kind == queue.Relay {
			relay = it
		}
	}
	if relay == nil {
		t.Fatalf("no relay queued: %+v", items)
	}
	hdrs := map[string]string{}
	for _, h := range relay.Headers {
		hdrs[h.Name] = h.Value
	}
	for name, want := range map[string]string{"X-Frontdesk-Owner": "none", "X-Frontdesk-Tags": "", "X-Frontdesk-Rule": ""} {
		if got, ok := hdrs[name]; !ok || got != want {
			t.Errorf("%s = %q (present %v), want %q", name, got, ok, want)
		}
	}
	if !slices.Contains(relay.DropHeaders, "X-Frontdesk-*") {
		t.Errorf("the customer's X-Frontdesk-* fields are not dropped: %v", relay.DropHeaders)
	}
}
