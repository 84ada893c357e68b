package ticket

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

func mustParse(t *testing.T, raw string) *message.Message {
	t.Helper()
	m, err := message.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSubjectAndAddressTags(t *testing.T) {
	subjects := map[string]string{
		"[SUP-1042] kettle":               "SUP-1042",
		"Re: AW: [sup-1042] kettle":       "SUP-1042",
		"回复: [SUP-7] 退款":                  "SUP-7",
		"Fwd: [ABC-1] other system's tag": "",
		"SUP-1042 without brackets":       "",
		"[SUP-] empty":                    "",
	}
	for s, want := range subjects {
		if got := SubjectTag(s, "SUP"); got != want {
			t.Errorf("SubjectTag(%q) = %q, want %q", s, got, want)
		}
	}
	addrs := map[string]string{
		"support+sup-1042@support.test": "SUP-1042",
		"support+SUP-9@support.test":    "SUP-9",
		"support+order7@support.test":   "",
		"support@support.test":          "",
		"support+sup-12x@support.test":  "",
	}
	for a, want := range addrs {
		if got := AddressTag(a, "SUP"); got != want {
			t.Errorf("AddressTag(%q) = %q, want %q", a, got, want)
		}
	}
	cleans := map[string]string{
		"Re: [SUP-1] Re: kettle": "kettle",
		"回复：退款":                  "退款",
		"AW: Fwd: RE: order 12":  "order 12",
		"Regarding my order":     "Regarding my order",
	}
	for in, want := range cleans {
		if got := CleanSubject(in); got != want {
			t.Errorf("CleanSubject(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThreadOrderAndStrangers(t *testing.T) {
	st := memStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := New(NewParams{Tag: "SUP-1000", Number: 1000, Department: "support", Priority: "normal", Customer: "Carol@Customer.example", Subject: "kettle"},
		Entry{At: now, Kind: KindCustomer, MessageID: "c1@customer.example"}, now, nil)
	other := New(NewParams{Tag: "SUP-1001", Number: 1001, Department: "sales", Priority: "normal", Customer: "dan@customer.example", Subject: "quote"},
		Entry{At: now, Kind: KindCustomer, MessageID: "d1@customer.example"}, now, nil)
	st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, tk); err != nil {
			return err
		}
		return Put(txn, nil, other)
	})
	cases := []struct {
		name, raw string
		rcpt      []string
		tag, by   string
		stranger  bool
	}{
		{"in-reply-to wins over a tag", "From: carol@customer.example\r\nIn-Reply-To: <c1@customer.example>\r\nSubject: [SUP-1001] x\r\n\r\n.", nil, "SUP-1000", "in-reply-to", false},
		{"references, any entry", "From: carol@customer.example\r\nReferences: <zz@x> <d1@customer.example> <yy@x>\r\nSubject: x\r\n\r\n.", nil, "SUP-1001", "references", false},
		{"reply address", "From: carol@customer.example\r\nSubject: new words\r\n\r\n.", []string{"support+sup-1000@support.test"}, "SUP-1000", "reply-address", false},
		{"subject tag, customer", "From: CAROL@customer.example\r\nSubject: Re: [SUP-1000] kettle\r\n\r\n.", nil, "SUP-1000", "subject-tag", false},
		{"subject tag, stranger", "From: eve@evil.example\r\nSubject: Fwd: [SUP-1000] kettle\r\n\r\n.", nil, "SUP-1000", "subject-tag", true},
		{"unknown tag", "From: carol@customer.example\r\nSubject: [SUP-4242] x\r\n\r\n.", nil, "", "", false},
		{"nothing", "From: carol@customer.example\r\nSubject: kettle again\r\n\r\n.", nil, "", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m *Match
			st.View(func(txn *store.Txn) error {
				var err error
				m, err = Thread(txn, mustParse(t, c.raw), c.rcpt, "SUP")
				return err
			})
			if c.tag == "" {
				if m != nil {
					t.Fatalf("threaded into %s by %s; want a new ticket", m.Ticket.Tag, m.By)
				}
				return
			}
			if m == nil || m.Ticket.Tag != c.tag || m.By != c.by || m.Stranger != c.stranger {
				t.Fatalf("got %+v; want %s by %s stranger=%v", m, c.tag, c.by, c.stranger)
			}
		})
	}
}

func office(t *testing.T) *sla.Calendar {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := []sla.Range{{Start: 9 * time.Hour, End: 18 * time.Hour}}
	c := &sla.Calendar{Name: "office", Location: loc}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Weekly[wd] = day
	}
	return c
}

func TestClocksAnsweredWaitingPauseReopen(t *testing.T) {
	cal := office(t)
	loc := cal.Location
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	p := Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}, NextResponse: sla.Duration{Business: 2 * time.Hour},
		Resolution: sla.Duration{Business: 8 * time.Hour}, WarnAt: 0.75, PauseWhenWaiting: true}
	// Mon 23 Nov 10:00: first response due 14:00 (warn 13:00); resolution
	// 8h: exactly the rest of Monday, so due at its end, 18:00.
	tk := New(NewParams{Tag: "SUP-1", Policy: p, Customer: "c@x"}, Entry{At: at(23, 10, 0), Kind: KindCustomer}, at(23, 10, 0), cal)
	fr, res := tk.Deadline("first_response"), tk.Deadline("resolution")
	if !fr.Due.Equal(at(23, 14, 0)) || !fr.WarnAt.Equal(at(23, 13, 0)) || !res.Due.Equal(at(23, 18, 0)) {
		t.Fatalf("deadlines: first %v (warn %v), resolution %v", fr.Due, fr.WarnAt, res.Due)
	}
	if len(dueKeys(tk)) != 4 {
		t.Errorf("index entries: %d, want warn+breach for two clocks", len(dueKeys(tk)))
	}
	// The agent answers at 11:00: first response met; status answered.
	tk.AddAgentReply(Entry{At: at(23, 11, 0), Kind: KindAgent}, at(23, 11, 0))
	if tk.Status != Answered || !tk.Deadline("first_response").MetAt.Equal(at(23, 11, 0)) {
		t.Fatalf("after reply: %s %+v", tk.Status, tk.Deadline("first_response"))
	}
	// Waiting on the customer from 12:00 pauses the resolution clock; no
	// index entry while paused.
	tk.SetWaiting(at(23, 12, 0))
	if len(dueKeys(tk)) != 0 {
		t.Errorf("a paused ticket still has index entries: %d", len(dueKeys(tk)))
	}
	// The customer answers Tue 24 Nov 10:00: 6h of resolution time were
	// left at 12:00 Monday (until 18:00), so it is now due
	// Tue 16:00; a next-response clock of 2h starts: due 12:00.
	tk.AddCustomer(Entry{At: at(24, 10, 0), Kind: KindCustomer}, at(24, 10, 0), cal)
	if tk.Status != Open {
		t.Errorf("status after the customer's answer: %s", tk.Status)
	}
	if got := tk.Deadline("resolution").Due; !got.Equal(at(24, 16, 0)) {
		t.Errorf("resumed resolution due %v, want Tue 16:00", got)
	}
	if got := tk.Deadline("next_response").Due; !got.Equal(at(24, 12, 0)) {
		t.Errorf("next response due %v, want Tue 12:00", got)
	}
	tk.Resolve(at(24, 11, 0), "alice")
	if tk.Status != Resolved || len(dueKeys(tk)) != 0 || tk.Deadline("resolution").MetAt.IsZero() {
		t.Errorf("after resolve: %s, %d index entries", tk.Status, len(dueKeys(tk)))
	}
	// A follow-up reopens it with a fresh resolution clock.
	tk.AddCustomer(Entry{At: at(25, 9, 0), Kind: KindCustomer}, at(25, 9, 0), cal)
	if tk.Status != Open || tk.Deadline("resolution").Done() {
		t.Errorf("not reopened: %s %+v", tk.Status, tk.Deadline("resolution"))
	}
	// Participants' mail changes no clock.
	before := tk.Status
	tk.AddCustomer(Entry{At: at(25, 10, 0), Kind: KindParticipant}, at(25, 10, 0), cal)
	if tk.Status != before {
		t.Errorf("a participant changed the status")
	}
}

func TestScannerWarnsAndBreachesOnce(t *testing.T) {
	st := memStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := New(NewParams{Tag: "SUP-5", Department: "support", Customer: "c@x",
		Policy: Policy{FirstResponse: sla.Duration{Business: time.Hour}, WarnAt: 0.5}}, Entry{At: now, Kind: KindCustomer}, now, nil)
	st.Update(context.Background(), func(txn *store.Txn) error { return Put(txn, nil, tk) })
	var events []string
	clock := now
	s := NewScanner(st, func(txn *store.Txn, t *Ticket, d *Deadline, what string, at time.Time) error {
		events = append(events, what+"@"+at.Format("15:04"))
		return nil
	}, nil)
	s.Now = func() time.Time { return clock }
	for _, step := range []struct {
		at   time.Time
		want int
	}{{now.Add(29 * time.Minute), 0}, {now.Add(30 * time.Minute), 1}, {now.Add(45 * time.Minute), 1}, {now.Add(2 * time.Hour), 2}, {now.Add(3 * time.Hour), 2}} {
		clock = step.at
		next, err := s.Scan(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != step.want {
			t.Fatalf("at %v: events %v, want %d", step.at, events, step.want)
		}
		_ = next
	}
	var got *Ticket
	st.View(func(txn *store.Txn) error { got, _ = Get(txn, "SUP-5"); return nil })
	d := got.Deadline("first_response")
	if !d.Warned || !d.BreachedAt.Equal(now.Add(time.Hour)) {
		t.Errorf("deadline after scans: %+v (breach must be the exact due instant)", d)
	}
}

func TestHistoryNewestFirstFromTheIndex(t *testing.T) {
	st := memStore(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	// Tags whose text order is not their time order (SUP-999 < SUP-1000
	// in time, > in bytes).
	for i, tag := range []string{"SUP-998", "SUP-999", "SUP-1000", "SUP-1001", "SUP-1002"} {
		at := base.Add(time.Duration(i) * time.Hour)
		tk := New(NewParams{Tag: tag, Customer: "c@x.test", Subject: tag}, Entry{At: at, Kind: KindCustomer}, at, nil)
		st.Update(context.Background(), func(txn *store.Txn) error { return Put(txn, nil, tk) })
	}
	other := New(NewParams{Tag: "SUP-5", Customer: "someone@else.test"}, Entry{At: base, Kind: KindCustomer}, base, nil)
	st.Update(context.Background(), func(txn *store.Txn) error { return Put(txn, nil, other) })
	history := func() (string, int) {
		var hist []Summary
		var n int
		if err := st.View(func(txn *store.Txn) (err error) {
			hist, n, err = History(txn, "C@x.test", "SUP-1002", 3)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, h := range hist {
			parts = append(parts, h.Tag+" "+h.Status+" "+h.Subject)
		}
		return strings.Join(parts, ", "), n
	}
	got, n := history()
	if want := "SUP-1001 open SUP-1001, SUP-1000 open SUP-1000, SUP-999 open SUP-999"; n != 4 || got != want {
		t.Errorf("History = %q (%d in all); want %q of 4", got, n, want)
	}

	// The summaries are the index's own: a change of status reaches them
	// through Put, and they need no ticket record. A key written before
	// summaries were kept (no value) is read from its ticket.
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Update(ctx, func(txn *store.Txn) error {
		tk, err := Get(txn, "SUP-1001")
		if err != nil {
			return err
		}
		old := tk.Clone()
		tk.Status = Resolved
		return Put(txn, old, tk)
	}))
	must(st.Update(ctx, func(txn *store.Txn) error { return txn.Delete(ticketKey("SUP-999")) }))
	must(st.Update(ctx, func(txn *store.Txn) error {
		return txn.Set(custKey("c@x.test", base.Add(2*time.Hour), "SUP-1000"), nil)
	}))
	got, n = history()
	if want := "SUP-1001 resolved SUP-1001, SUP-1000 open SUP-1000, SUP-999 open SUP-999"; n != 4 || got != want {
		t.Errorf("History after a resolve, a lost ticket record and an old index key = %q (%d in all); want %q of 4", got, n, want)
	}
}

// A customer who has written hundreds of times (a shop's order robot, a
// monitoring system) costs each new mail no more than a first-timer: the
// history reads the newest index keys and a count, not every ticket.
func TestHistoryCostDoesNotGrowWithTheCustomersTickets(t *testing.T) {
	st := memStore(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	open := func(customer string, n int) {
		t.Helper()
		err := st.Update(context.Background(), func(txn *store.Txn) error {
			for i := range n {
				at := base.Add(time.Duration(i) * time.Minute)
				tag := fmt.Sprintf("SUP-%d", i+1)
				if customer == "few@x.test" {
					tag = fmt.Sprintf("SUP-F%d", i+1)
				}
				tk := New(NewParams{Tag: tag, Customer: customer, Subject: "alert " + tag}, Entry{At: at, Kind: KindCustomer}, at, nil)
				if err := Put(txn, nil, tk); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	open("robot@x.test", 500)
	open("few@x.test", 4)
	history := func(customer, except string) (hist []Summary, n int, allocs float64) {
		var err error
		st.View(func(txn *store.Txn) error {
			allocs = testing.AllocsPerRun(20, func() {
				hist, n, err = History(txn, customer, except, 3)
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return hist, n, allocs
	}
	hist, n, many := history("Robot@x.test", "SUP-500")
	if n != 499 || len(hist) != 3 || hist[0].Tag != "SUP-499" || hist[2].Tag != "SUP-497" {
		t.Errorf("History of the robot = %v (%d in all); want SUP-499..497 of 499", hist, n)
	}
	if _, n, _ := history("robot@x.test", "SUP-NEW"); n != 500 {
		t.Errorf("History for a ticket not yet stored counts %d; want all 500", n)
	}
	_, n, few := history("few@x.test", "SUP-F4")
	if n != 3 {
		t.Errorf("History of a customer with 4 tickets counts %d earlier; want 3", n)
	}
	if many > 2*few {
		t.Errorf("History allocates %.0f times for a customer with 500 tickets and %.0f with 4: it walks them all", many, few)
	}
}

// A customer index from before the count was kept is counted key by key,
// and the next new ticket writes the count.
func TestTicketCountOfAnOlderIndex(t *testing.T) {
	st := memStore(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for i, tag := range []string{"SUP-1", "SUP-2", "SUP-3"} {
		at := base.Add(time.Duration(i) * time.Hour)
		tk := New(NewParams{Tag: tag, Customer: "c@x.test"}, Entry{At: at, Kind: KindCustomer}, at, nil)
		if err := st.Update(ctx, func(txn *store.Txn) error { return Put(txn, nil, tk) }); err != nil {
			t.Fatal(err)
		}
	}
	count := func() (int, error) {
		var n int
		err := st.View(func(txn *store.Txn) (err error) { _, n, err = History(txn, "c@x.test", "", 3); return err })
		return n, err
	}
	if n, err := count(); n != 3 || err != nil {
		t.Fatalf("count = %d, %v; want 3", n, err)
	}
	// As written before the count existed.
	if err := st.Update(ctx, func(txn *store.Txn) error { return txn.Delete(custCountKey("c@x.test")) }); err != nil {
		t.Fatal(err)
	}
	if n, err := count(); n != 3 || err != nil {
		t.Fatalf("count without the count key = %d, %v; want 3 from the index keys", n, err)
	}
	at := base.Add(5 * time.Hour)
	tk := New(NewParams{Tag: "SUP-4", Customer: "C@x.test"}, Entry{At: at, Kind: KindCustomer}, at, nil)
	for range 2 { // a repeated Put of the same new ticket counts it once
		if err := st.Update(ctx, func(txn *store.Txn) error { return Put(txn, nil, tk) }); err != nil {
			t.Fatal(err)
		}
	}
	st.View(func(txn *store.Txn) error {
		if b, err := txn.Get(custCountKey("c@x.test")); err != nil || string(b) != "4" {
			t.Errorf("count key after a new ticket = %q, %v; want 4", b, err)
		}
		return nil
	})
}

// A follow-up's Message-ID threads the next reply: Put indexes the IDs a
// ticket gained since old, and leaves the earlier ones indexed.
func TestPutIndexesNewMessageIDs(t *testing.T) {
	st := memStore(t)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	tk := New(NewParams{Tag: "SUP-7", Customer: "c@x.test"}, Entry{At: at, Kind: KindCustomer}, at, nil)
	tk.MessageIDs = []string{"<first@x.test>"}
	if err := st.Update(ctx, func(txn *store.Txn) error { return Put(txn, nil, tk) }); err != nil {
		t.Fatal(err)
	}
	old := tk.Clone()
	tk.MessageIDs = append(tk.MessageIDs, "<second@x.test>")
	if err := st.Update(ctx, func(txn *store.Txn) error { return Put(txn, old, tk) }); err != nil {
		t.Fatal(err)
	}
	st.View(func(txn *store.Txn) error {
		for _, id := range []string{"<first@x.test>", "<Second@x.test>"} {
			m, err := Thread(txn, &message.Message{InReplyTo: []string{id}}, nil, "SUP")
			if err != nil || m == nil || m.Ticket.Tag != "SUP-7" {
				t.Errorf("a reply to %s threads to %+v, %v; want SUP-7", id, m, err)
			}
		}
		return nil
	})
}

// Times not reached yet (resolved, met, breached, paused) are left out of
// the stored record rather than written as year 1: every ticket write
// carried some 400 bytes of them, which pushed records into Badger's value
// log. They read back as zero.
func TestTicketRecordOmitsZeroTimes(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tk := New(NewParams{Tag: "SUP-1", Customer: "c@x.test", Policy: Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}, Resolution: sla.Duration{Days: 3}}},
		Entry{At: at, Kind: KindCustomer, Text: "hello"}, at, nil)
	b, err := json.Marshal(tk)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "0001-01-01") {
		t.Errorf("the record writes zero times: %s", b)
	}
	var back Ticket
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.ResolvedAt.IsZero() || len(back.Deadlines) != len(tk.Deadlines) || !back.Deadlines[0].MetAt.IsZero() || !back.Deadlines[0].Due.Equal(tk.Deadlines[0].Due) {
		t.Errorf("round trip: %+v", back)
	}
}

// TestThreadSkipsErasedTickets: a ticket whose customer's data was
// erased is a dead, anonymous record; mail that names it (its reply
// address, its tag in the subject, a merged ticket that went into it)
// opens a new ticket. Before, a customer who wrote again after the
// erasure (replying to an old mail still in their mailbox) landed in the
// erased ticket as a stranger: no acknowledgement, the ticket not
// reopened, and every agent's answer refused ("compose: no recipient
// address").
func TestThreadSkipsErasedTickets(t *testing.T) {
	st := memStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	gone := New(NewParams{Tag: "SUP-1000", Number: 1000, Department: "support", Priority: "normal", Customer: "carol@customer.example", Subject: "kettle"},
		Entry{At: now, Kind: KindCustomer, MessageID: "c1@customer.example"}, now, nil)
	merged := New(NewParams{Tag: "SUP-1001", Number: 1001, Department: "support", Priority: "normal", Customer: "dan@customer.example", Subject: "kettle too"},
		Entry{At: now, Kind: KindCustomer, MessageID: "d1@customer.example"}, now, nil)
	merged.MergedInto = "SUP-1000"
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, gone); err != nil {
			return err
		}
		if err := Put(txn, nil, merged); err != nil {
			return err
		}
		return Erase(txn, gone, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, raw string
		rcpt      []string
	}{
		{"reply address", "From: carol@customer.example\r\nSubject: Re: kettle\r\n\r\n.", []string{"support+sup-1000@support.test"}},
		{"subject tag", "From: carol@customer.example\r\nSubject: Re: [SUP-1000] kettle\r\n\r\n.", nil},
		{"in-reply-to", "From: carol@customer.example\r\nIn-Reply-To: <c1@customer.example>\r\nSubject: x\r\n\r\n.", nil},
		{"merged into the erased one", "From: dan@customer.example\r\nIn-Reply-To: <d1@customer.example>\r\nSubject: x\r\n\r\n.", nil},
		{"merged one's reply address", "From: dan@customer.example\r\nSubject: x\r\n\r\n.", []string{"support+sup-1001@support.test"}},
	} {
		var m *Match
		st.View(func(txn *store.Txn) error {
			var err error
			m, err = Thread(txn, mustParse(t, c.raw), c.rcpt, "SUP")
			return err
		})
		if m != nil {
			t.Errorf("%s: threaded into %s (erased %v) by %s; want a new ticket", c.name, m.Ticket.Tag, m.Ticket.Erased, m.By)
		}
	}
}
