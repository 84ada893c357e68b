package intake

import (
	"context"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// twoDepts routes everything to support; finance promises a day.
type twoDepts struct{}

func (twoDepts) Route(*message.Message, time.Time) Decision {
	return Decision{Department: "support", Priority: "normal", SLA: &rules.Policy{Policy: sla.Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}}}}
}
func (twoDepts) Department(key string) (Department, bool) {
	switch key {
	case "support", "finance":
		return Department{Key: key, Name: key, Mailbox: key + "@agents.test", Addresses: []string{key},
			Agents: []string{"agent@agents.test", key + "-agent@agents.test"}}, true
	}
	return Department{}, false
}
func (r twoDepts) Departments() []Department {
	a, _ := r.Department("support")
	b, _ := r.Department("finance")
	return []Department{a, b}
}
func (twoDepts) Calendar(string) (*sla.Calendar, bool) { return nil, true }
func (twoDepts) Policy(dept, _ string) ticket.Policy {
	if dept == "finance" {
		return ticket.Policy{FirstResponse: sla.Duration{Business: 24 * time.Hour}}
	}
	return ticket.Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}}
}

type recorder struct {
	got     []learn.Example
	changed int
}

func (r *recorder) Record(txn *store.Txn, ex *learn.Example) error {
	r.got = append(r.got, *ex)
	return learn.Put(txn, ex)
}
func (r *recorder) Changed() { r.changed++ }

type links struct{}

func (links) Link(id string, lang message.Language) (string, string, bool) {
	if id != "refund-status" {
		return "", "", false
	}
	if lang == "zh" {
		return "退款进度", "http://help.test/faq/refund-status?lang=zh", true
	}
	return "Where is my refund?", "http://help.test/faq/refund-status", true
}
func (links) Linked(text string) []string {
	if strings.Contains(text, "http://help.test/faq/invoice-copy") {
		return []string{"invoice-copy"}
	}
	return nil
}

func newMoveIntake(t *testing.T) (*Intake, *store.Store, *recorder, time.Time) {
	in, st := newIntake(t, Decision{})
	in.Router = twoDepts{}
	rec := &recorder{}
	in.Learner, in.Links = rec, links{}
	arrived := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := arrived
	in.Now = func() time.Time { return now }
	if _, err := in.Accept(context.Background(), env, []byte("From: a@customer.test\r\nSubject: charged twice\r\n\r\nMy card was charged twice for order 55.\r\n")); err != nil {
		t.Fatal(err)
	}
	now = arrived.Add(2 * time.Hour)
	return in, st, rec, arrived
}

func agentMail(body string) []byte {
	return []byte("From: agent@agents.test\r\nSubject: Re: [SUP-1001] charged twice\r\n\r\n" + body)
}

var agentEnv = &Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1001@support.test"}, Auth: "agent@agents.test"}

func TestMoveByMail(t *testing.T) {
	in, st, rec, arrived := newMoveIntake(t)
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#move finance\r\nbilling question\r\n")); err != nil {
		t.Fatal(err)
	}
	tk, err := getTicket(st, "SUP-1001")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Department != "finance" {
		t.Fatalf("department %q after #move finance", tk.Department)
	}
	if d := tk.Deadline("first_response"); d == nil || !d.Due.Equal(arrived.Add(24*time.Hour)) {
		t.Fatalf("first response %+v, want finance's day from the arrival", d)
	}
	var moved bool
	for _, e := range tk.Timeline {
		moved = moved || (e.Kind == ticket.KindSystem && e.From == "agent@agents.test" && strings.Contains(e.Text, "moved from support to finance"))
	}
	if !moved {
		t.Fatalf("timeline does not say who moved it: %+v", tk.Timeline)
	}
	items, _ := queue.List(st)
	var copies int
	for _, it := range items {
		if it.Kind == "relay" && it.Mailbox == "finance" && it.To[0] == "finance@agents.test" {
			copies++
		}
		if it.Kind == "reply" {
			t.Fatalf("#move sent the customer %v", it.To)
		}
	}
	if copies != 1 {
		t.Fatalf("%d copies relayed to finance, want 1", copies)
	}
	if len(rec.got) != 1 || rec.got[0].Department != "finance" || rec.got[0].Customer != "a@customer.test" ||
		!strings.Contains(rec.got[0].Text, "charged twice") || rec.changed != 1 {
		t.Fatalf("learned %+v (changed %d)", rec.got, rec.changed)
	}
	stored, err := learn.List(st)
	if err != nil || len(stored) != 1 || stored[0].Source != learn.SourceMove {
		t.Fatalf("stored examples %+v, %v", stored, err)
	}
}

func TestMoveToAnUnknownDepartmentListsTheValidOnes(t *testing.T) {
	in, st, rec, _ := newMoveIntake(t)
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#move billing\r\n")); err != nil {
		t.Fatal(err)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if tk.Department != "support" {
		t.Fatalf("moved to %q", tk.Department)
	}
	body := noticeBody(t, st)
	if !strings.Contains(body, `no department "billing"`) || !strings.Contains(body, "finance, support") {
		t.Fatalf("notice %q", body)
	}
	if len(rec.got) != 0 {
		t.Fatalf("learned from a refused move: %+v", rec.got)
	}
}

// TestMoveWithoutADepartmentListsTheValidOnes: #move with no argument, or
// with more than one, is refused with a notice that names the departments,
// as the refusal of an unknown one does; before, it only said that one
// was needed.
func TestMoveWithoutADepartmentListsTheValidOnes(t *testing.T) {
	for _, cmd := range []string{"#move", "#move finance support"} {
		in, st, rec, _ := newMoveIntake(t)
		if _, err := in.Accept(context.Background(), agentEnv, agentMail(cmd+"\r\nplease\r\n")); err != nil {
			t.Fatal(err)
		}
		if tk, _ := getTicket(st, "SUP-1001"); tk.Department != "support" {
			t.Fatalf("%s: moved to %q", cmd, tk.Department)
		}
		body := noticeBody(t, st)
		if !strings.Contains(body, "#move needs one department") || !strings.Contains(body, "The departments are: finance, support.") {
			t.Errorf("%s: notice %q", cmd, body)
		}
		if len(rec.got) != 0 {
			t.Errorf("%s: learned from a refused move: %+v", cmd, rec.got)
		}
	}
}

func TestFAQReplyCarriesTheLinks(t *testing.T) {
	in, st, rec, _ := newMoveIntake(t)
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#faq refund-status\r\n#resolve\r\nHere is how refunds go. See also http://help.test/faq/invoice-copy\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := queuedBody(t, st, "reply")
	if !strings.Contains(reply, "Where is my refund?\r\n  http://help.test/faq/refund-status") || strings.Contains(reply, "#faq") || strings.Contains(reply, "#resolve") {
		t.Fatalf("reply:\n%s", reply)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if tk.Status != ticket.Resolved {
		t.Fatalf("status %s after #faq then #resolve", tk.Status)
	}
	if len(rec.got) != 1 || strings.Join(rec.got[0].Entries, ",") != "refund-status,invoice-copy" || rec.got[0].Department != "" {
		t.Fatalf("learned %+v", rec.got)
	}
}

func TestFAQReplyWithAnUnknownIDIsNotSent(t *testing.T) {
	in, st, rec, _ := newMoveIntake(t)
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#faq refund-status refnud-time\r\nsee these\r\n")); err != nil {
		t.Fatal(err)
	}
	items, _ := queue.List(st)
	for _, it := range items {
		if it.Kind == "reply" {
			t.Fatalf("a reply went to %v", it.To)
		}
	}
	if body := noticeBody(t, st); !strings.Contains(body, `no entry "refnud-time"`) || strings.Contains(body, `"refund-status"`) {
		t.Fatalf("notice %q", body)
	}
	if len(rec.got) != 0 {
		t.Fatalf("learned %+v", rec.got)
	}
}

// TestUnknownCommandIsNotSent: a misspelt or unknown command on the
// first line (#reslove, #frobnicate) is refused with a notice that names
// it and lists the commands, as an unknown #faq id or #move department
// is; nothing goes to the customer and the ticket is not changed. Before,
// the customer got the mail with the #reslove line in it (audit 2 item 5).
func TestUnknownCommandIsNotSent(t *testing.T) {
	for _, cmd := range []string{"#reslove", "#frobnicate", "＃Reslove"} {
		in, st, _, _ := newMoveIntake(t)
		if _, err := in.Accept(context.Background(), agentEnv, agentMail(cmd+"\r\nThanks, all fixed.\r\n")); err != nil {
			t.Fatal(err)
		}
		items, _ := queue.List(st)
		for _, it := range items {
			if it.Kind == "reply" {
				t.Fatalf("%s: a reply went to %v", cmd, it.To)
			}
		}
		head, qp, _ := strings.Cut(noticeBody(t, st), "\r\n\r\n")
		text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(qp)))
		if err != nil {
			t.Fatal(err)
		}
		body := head + "\n\n" + string(text)
		name := strings.ToLower(strings.Replace(strings.Replace(cmd, "＃", "#", 1), "R", "r", 1))
		for _, want := range []string{"Not done: " + name, name + " is no command", "#resolve, #wait, #note, #faq ID…, #take", "nothing was sent to the customer"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: notice lacks %q: %q", cmd, want, body)
			}
		}
		if tk, _ := getTicket(st, "SUP-1001"); tk.Status == ticket.Resolved || tk.Status == ticket.Answered {
			t.Errorf("%s: ticket %s", cmd, tk.Status)
		}
	}
}

func TestLearningOffRecordsNothing(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	in.Learner = nil
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#move finance\r\n")); err != nil {
		t.Fatal(err)
	}
	if exs, err := learn.List(st); err != nil || len(exs) != 0 {
		t.Fatalf("examples %+v, %v", exs, err)
	}
}

func getTicket(st *store.Store, tag string) (*ticket.Ticket, error) {
	var tk *ticket.Ticket
	err := st.View(func(txn *store.Txn) error {
		var err error
		tk, err = ticket.Get(txn, tag)
		return err
	})
	return tk, err
}

func queuedBody(t *testing.T, st *store.Store, kind queue.Kind) string {
	t.Helper()
	items, _ := queue.List(st)
	for _, it := range items {
		if it.Kind != kind {
			continue
		}
		var raw []byte
		if err := st.View(func(txn *store.Txn) error {
			var err error
			raw, err = txn.GetRaw(it.BodyID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	t.Fatalf("no %s queued", kind)
	return ""
}

func noticeBody(t *testing.T, st *store.Store) string { return queuedBody(t, st, "notice") }

func TestCorrectionAndLinkPrecisionMetrics(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	in.m = NewMetrics(prometheus.NewRegistry(), nil)
	// the acknowledgement had linked refund-status and order-tracking
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		tk, err := ticket.Get(txn, "SUP-1001")
		if err != nil {
			return err
		}
		old := tk.Clone()
		tk.AckLinks = []string{"refund-status", "order-tracking"}
		return ticket.Put(txn, old, tk)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#faq refund-status\r\nhere\r\n")); err != nil {
		t.Fatal(err)
	}
	if s, n := testutil.ToFloat64(in.m.ackLinks.WithLabelValues("sent")), testutil.ToFloat64(in.m.ackLinks.WithLabelValues("not_sent")); s != 1 || n != 1 {
		t.Fatalf("ack links judged sent %v, not_sent %v; want 1, 1", s, n)
	}
	// judged once: a second reply with links counts nothing more
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#faq refund-status\r\nagain\r\n")); err != nil {
		t.Fatal(err)
	}
	if s := testutil.ToFloat64(in.m.ackLinks.WithLabelValues("sent")); s != 1 {
		t.Fatalf("judged twice: %v", s)
	}
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#move finance\r\n")); err != nil {
		t.Fatal(err)
	}
	if c := testutil.ToFloat64(in.m.corrections.WithLabelValues("support", "finance")); c != 1 {
		t.Fatalf("corrections{support→finance} = %v", c)
	}
}

// itDepts is twoDepts with a third department whose key is written in
// capitals in the rules file, as IT or HR are.
type itDepts struct{ twoDepts }

func (r itDepts) Department(key string) (Department, bool) {
	if key == "IT" {
		return Department{Key: "IT", Name: "IT", Mailbox: "it@agents.test", Addresses: []string{"it"}, Agents: []string{"agent@agents.test"}}, true
	}
	return r.twoDepts.Department(key)
}
func (r itDepts) Departments() []Department {
	d, _ := r.Department("IT")
	return append(r.twoDepts.Departments(), d)
}

// TestMoveToADepartmentKeyInCapitals: #move reads its argument in any
// case, so a department whose key has capitals (IT, HR) is reachable;
// before, "#move IT" looked for "it" and was refused with a list naming
// IT, a department no spelling could reach.
func TestMoveToADepartmentKeyInCapitals(t *testing.T) {
	for _, arg := range []string{"IT", "it", "It"} {
		in, st, _, _ := newMoveIntake(t)
		in.Router = itDepts{}
		if _, err := in.Accept(context.Background(), agentEnv, agentMail("#move "+arg+"\r\n")); err != nil {
			t.Fatal(err)
		}
		if tk, _ := getTicket(st, "SUP-1001"); tk.Department != "IT" {
			t.Errorf("#move %s: department %q, want IT", arg, tk.Department)
		}
	}
}

// TestQuotedHelpCentreLinkIsNotLearned: a help-centre link in the history
// an agent's reply quotes (the customer's own mail, an earlier answer) is
// not the agent linking that entry; only the reply's own words teach.
// Before, the quoted customer's link was learned as the agent's answer.
func TestQuotedHelpCentreLinkIsNotLearned(t *testing.T) {
	for name, body := range map[string]string{
		"> quote":       "We will look into it.\r\n\r\nOn Mon, a wrote:\r\n> I read http://help.test/faq/invoice-copy but it did not help.\r\n",
		"Outlook quote": "We will look into it.\r\n\r\n-----Original Message-----\r\nFrom: a@customer.test\r\nI read http://help.test/faq/invoice-copy\r\n",
	} {
		in, _, rec, _ := newMoveIntake(t)
		if _, err := in.Accept(context.Background(), agentEnv, agentMail(body)); err != nil {
			t.Fatal(err)
		}
		if len(rec.got) != 0 {
			t.Errorf("%s: learned from the quoted history: %+v", name, rec.got)
		}
	}
	// The same link in the agent's own words still teaches.
	in, _, rec, _ := newMoveIntake(t)
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("See http://help.test/faq/invoice-copy\r\n\r\nOn Mon, a wrote:\r\n> charged twice\r\n")); err != nil {
		t.Fatal(err)
	}
	if len(rec.got) != 1 || strings.Join(rec.got[0].Entries, ",") != "invoice-copy" {
		t.Errorf("the agent's own link: learned %+v", rec.got)
	}
}

// TestFAQReplyInTraditionalForATraditionalCustomer: a customer who writes
// Traditional Chinese gets #faq's intro and titles in Traditional
// characters, as their acknowledgement was, the URL as it is. Before, the
// block was Simplified beside a Traditional acknowledgement.
func TestFAQReplyInTraditionalForATraditionalCustomer(t *testing.T) {
	for _, c := range []struct {
		subject, body string
		want, not     []string
	}{
		{"退款還沒收到", "我上週退貨了，退款到現在還沒收到，請問什麼時候會到帳？",
			[]string{"以下幫助中心文章可以解答您的問題", "退款進度", "http://help.test/faq/refund-status?lang=zh"}, []string{"帮助", "进度"}},
		{"退款还没到账", "我上周退货了，退款到现在还没收到，请问什么时候能到账？",
			[]string{"以下帮助中心文章可以解答您的问题", "退款进度"}, []string{"幫助", "進度"}},
	} {
		in, st := newIntake(t, Decision{})
		in.Router = twoDepts{}
		in.Learner, in.Links = &recorder{}, links{}
		if _, err := in.Accept(context.Background(), env, []byte("From: a@customer.test\r\nSubject: "+c.subject+
			"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+c.body+"\r\n")); err != nil {
			t.Fatal(err)
		}
		if _, err := in.Accept(context.Background(), agentEnv, agentMail("#faq refund-status\r\nreply\r\n")); err != nil {
			t.Fatal(err)
		}
		raw := queuedBody(t, st, "reply")
		m, _ := message.Parse([]byte(raw))
		for _, w := range c.want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: the reply lacks %q:\n%s", c.subject, w, m.Text)
			}
		}
		for _, w := range c.not {
			if strings.Contains(m.Text, w) {
				t.Errorf("%s: the reply has %q:\n%s", c.subject, w, m.Text)
			}
		}
	}
}

// TestFAQBlockBeforeTheQuote: #faq's links come right after the agent's
// words, before the history the reply quotes and the agent's signature;
// before, they came after a quote of any length, where customers did not
// see them. Interleaved answers keep the block at the end.
func TestFAQBlockBeforeTheQuote(t *testing.T) {
	for _, c := range []struct {
		name, body string
		order      []string // in the reply, in this order
	}{
		{"quote", "#faq refund-status\r\nSee below.\r\n\r\nOn Mon, a wrote:\r\n> charged twice\r\n", []string{"See below.", "Where is my refund?", "On Mon, a wrote:", "> charged twice"}},
		{"signature", "#faq refund-status\r\nSee below.\r\n-- \r\nAlice, Support\r\n", []string{"See below.", "Where is my refund?", "-- ", "Alice, Support"}},
		{"nothing after", "#faq refund-status\r\nSee below.\r\n", []string{"See below.", "Where is my refund?"}},
		{"interleaved", "#faq refund-status\r\n> charged twice?\r\nYes, refunded.\r\n> when?\r\nSoon.\r\n", []string{"> charged twice?", "Soon.", "Where is my refund?"}},
	} {
		in, st, _, _ := newMoveIntake(t)
		if _, err := in.Accept(context.Background(), agentEnv, agentMail(c.body)); err != nil {
			t.Fatal(err)
		}
		m, _ := message.Parse([]byte(queuedBody(t, st, "reply")))
		at := -1
		for _, w := range c.order {
			i := strings.Index(m.Text, w)
			if i <= at {
				t.Errorf("%s: %q not after the one before it in:\n%s", c.name, w, m.Text)
				break
			}
			at = i
		}
	}
}

// TestFAQAfterResolve: #faq on the line after #resolve (the other order of
// the two) gives the links too, and the customer never reads the command.
// Before, "#faq refund-status" went to the customer as a line of the reply.
func TestFAQAfterResolve(t *testing.T) {
	in, st, rec, _ := newMoveIntake(t)
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#resolve\r\n#faq refund-status\r\nDone.\r\n")); err != nil {
		t.Fatal(err)
	}
	reply := queuedBody(t, st, "reply")
	if !strings.Contains(reply, "http://help.test/faq/refund-status") || strings.Contains(reply, "#faq") || strings.Contains(reply, "#resolve") {
		t.Fatalf("reply:\n%s", reply)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Resolved {
		t.Fatalf("status %s", tk.Status)
	}
	if len(rec.got) != 1 || strings.Join(rec.got[0].Entries, ",") != "refund-status" {
		t.Fatalf("learned %+v", rec.got)
	}
}

// taggedDepts is twoDepts whose rules tag every mail and name the rule
// that did it.
type taggedDepts struct{ twoDepts }

func (r taggedDepts) Route(m *message.Message, now time.Time) Decision {
	d := r.twoDepts.Route(m, now)
	d.Tags = []string{"billing", "vip"}
	d.Matched = []rules.Match{{Rule: "charges", Line: 7}}
	return d
}

// TestMovedCopyCarriesTheFirstRelaysHeaders: the copy #move relays to the
// new department carries every X-Frontdesk field of the first relay
// (tags and rule as the rules decided on arrival, the owner, the new
// department) plus X-Frontdesk-Moved-From; before, it lacked the tags and
// the rule.
func TestMovedCopyCarriesTheFirstRelaysHeaders(t *testing.T) {
	in, st := newIntake(t, Decision{})
	in.Router = taggedDepts{}
	ctx := context.Background()
	if _, err := in.Accept(ctx, env, []byte("From: a@customer.test\r\nSubject: charged twice\r\n\r\nMy card was charged twice.\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Accept(ctx, agentEnv, agentMail("#take\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Accept(ctx, agentEnv, agentMail("#move finance\r\n")); err != nil {
		t.Fatal(err)
	}
	items, _ := queue.List(st)
	fields := func(mailbox string) map[string]string {
		t.Helper()
		for _, it := range items {
			if it.Kind == queue.Relay && it.Mailbox == mailbox {
				h := map[string]string{}
				for _, f := range it.Headers {
					if strings.HasPrefix(f.Name, "X-Frontdesk-") {
						h[f.Name] = f.Value
					}
				}
				return h
			}
		}
		t.Fatalf("no relay to %s in %+v", mailbox, items)
		return nil
	}
	first, moved := fields("support"), fields("finance")
	for name, v := range first {
		if _, ok := moved[name]; !ok {
			t.Errorf("the moved copy lacks %s (the first relay has %q)", name, v)
		}
	}
	for name, want := range map[string]string{
		"X-Frontdesk-Ticket": "SUP-1001", "X-Frontdesk-Department": "finance", "X-Frontdesk-Priority": "normal",
		"X-Frontdesk-Tags": "billing, vip", "X-Frontdesk-Rule": "charges", "X-Frontdesk-Owner": "agent@agents.test",
		"X-Frontdesk-Moved-From": "support",
	} {
		if moved[name] != want {
			t.Errorf("moved copy %s: %q, want %q", name, moved[name], want)
		}
	}
	if first["X-Frontdesk-Tags"] != "billing, vip" || first["X-Frontdesk-Rule"] != "charges" {
		t.Errorf("first relay %v", first)
	}
}
