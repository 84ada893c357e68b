package ticket

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

func lcTicket(tag, customer string, now time.Time) *Ticket {
	return New(NewParams{Tag: tag, Department: "support", Priority: "normal", Customer: customer, Subject: "kettle",
		Policy: Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}, Resolution: sla.Duration{Days: 3}}},
		Entry{At: now, Kind: KindCustomer, From: customer, MessageID: tag + "@c", Text: "help"}, now, nil)
}

func TestOwnerIsTheFirstAgentToAnswerUntilTakenOrAssigned(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-1", "c@x", now)
	tk.AddNote(Entry{At: now, Kind: KindNote, From: "bob@a"}, now)
	if tk.Owner != "" {
		t.Fatalf("a note made %q the owner", tk.Owner)
	}
	tk.AddAgentReply(Entry{At: now, Kind: KindAgent, From: "Alice@A"}, now)
	tk.AddAgentReply(Entry{At: now, Kind: KindAgent, From: "bob@a"}, now)
	if tk.Owner != "alice@a" {
		t.Fatalf("owner %q, want the first agent who answered", tk.Owner)
	}
	tk.SetOwner("bob@a", "bob@a", now)
	tk.SetOwner("carol@a", "bob@a", now)
	if tk.Owner != "carol@a" {
		t.Fatalf("owner %q after #assign", tk.Owner)
	}
	last := tk.Timeline[len(tk.Timeline)-1]
	if last.Kind != KindSystem || last.Text != "owner: carol@a (assigned by bob@a)" {
		t.Errorf("timeline entry of the assignment: %+v", last)
	}
}

func TestCollisionWindow(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-1", "c@x", now)
	tk.AddAgentReply(Entry{At: now, Kind: KindAgent, From: "alice@a", Text: "descale it"}, now)
	for _, c := range []struct {
		name   string
		agent  string
		after  time.Duration
		window time.Duration
		want   bool
	}{
		{"another agent inside the window", "bob@a", 9 * time.Minute, 10 * time.Minute, true},
		{"another agent at the window's end", "bob@a", 10 * time.Minute, 10 * time.Minute, false},
		{"the same agent", "ALICE@a", time.Minute, 10 * time.Minute, false},
		{"window off", "bob@a", time.Minute, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := tk.Collision(c.agent, now.Add(c.after), c.window)
			if (e != nil) != c.want {
				t.Fatalf("collision = %+v, want %v", e, c.want)
			}
			if e != nil && e.Text != "descale it" {
				t.Errorf("collision quotes %q", e.Text)
			}
		})
	}
}

func TestHeldRepliesTakeDropAndExpire(t *testing.T) {
	st := memStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-2", "c@x", now)
	tk.Hold(Held{ReplyID: "r1", From: "bob@a", At: now, Text: "first try"})
	tk.Hold(Held{ReplyID: "r2", From: "bob@a", At: now.Add(time.Minute), Text: "second try"})
	tk.Hold(Held{ReplyID: "r3", From: "dan@a", At: now.Add(2 * time.Minute), Text: "dan's"})
	if h, ok := tk.TakeHeld("BOB@a", ""); !ok || h.ReplyID != "r2" {
		t.Fatalf("TakeHeld = %+v %v, want bob's latest", h, ok)
	}
	if _, ok := tk.TakeHeld("eve@a", ""); ok {
		t.Fatal("TakeHeld found a reply of an agent who has none")
	}
	if err := st.Update(context.Background(), func(txn *store.Txn) error { return Put(txn, nil, tk) }); err != nil {
		t.Fatal(err)
	}
	var events []string
	s := NewScanner(st, nil, nil)
	s.OnEvent = func(_ *Ticket, kind, what string) {
		if kind == "held" {
			events = append(events, kind+" "+what)
		}
	}
	s.Now = func() time.Time { return now.Add(HeldExpiry + time.Minute) }
	if _, err := s.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got *Ticket
	st.View(func(txn *store.Txn) error { got, _ = Get(txn, "SUP-2"); return nil })
	if len(got.Held) != 1 || got.Held[0].ReplyID != "r3" {
		t.Fatalf("held after a day and a minute: %+v, want dan's only", got.Held)
	}
	if !strings.Contains(got.Timeline[len(got.Timeline)-1].Text, "expired unsent") || !strings.Contains(got.Timeline[len(got.Timeline)-1].Text, "first try") {
		t.Errorf("expiry not in the timeline: %+v", got.Timeline[len(got.Timeline)-1])
	}
	if len(events) != 1 || events[0] != "held expire" {
		t.Errorf("events %v", events)
	}
	// A scan two days late expires both of dan's replies at once: an
	// event (frontdesk_replies_held_total{outcome="expired"}) for each.
	got.Hold(Held{ReplyID: "r4", From: "dan@a", At: now.Add(3 * time.Minute), Text: "dan's again"})
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		old, err := Get(txn, "SUP-2")
		if err != nil {
			return err
		}
		return Put(txn, old, got)
	}); err != nil {
		t.Fatal(err)
	}
	events = nil
	s.Now = func() time.Time { return now.Add(2 * HeldExpiry) }
	if _, err := s.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.View(func(txn *store.Txn) error { got, _ = Get(txn, "SUP-2"); return nil })
	if len(got.Held) != 0 || len(events) != 2 {
		t.Errorf("two days late: held %+v, events %v; want none held and 2 events", got.Held, events)
	}
}

func TestAutoCloseAfterPendingClose(t *testing.T) {
	st := memStore(t)
	cal := office(t)
	// Monday 10:00 Shanghai.
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-3", "c@x", now)
	tk.AddAgentReply(Entry{At: now, Kind: KindAgent, From: "alice@a"}, now)
	tk.SetWaiting(now)
	tk.StartPendingClose(now, sla.Duration{Days: 2}, cal)
	d := tk.Deadline(DeadlinePendingClose)
	// Two working days after Monday: Wednesday 18:00 Shanghai.
	if want := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC); d == nil || !d.Due.Equal(want) {
		t.Fatalf("pending_close due %+v, want %v", d, want)
	}
	// A customer's answer stops it; the next #wait starts it again.
	c := tk.Clone()
	c.AddCustomer(Entry{At: now.Add(time.Hour), Kind: KindCustomer, From: "c@x"}, now.Add(time.Hour), cal)
	if c.Deadline(DeadlinePendingClose) != nil {
		t.Fatal("a customer's answer did not stop the auto-close clock")
	}
	if tk.Deadline(DeadlinePendingClose) == nil {
		t.Fatal("Clone shares deadlines")
	}
	tk2 := lcTicket("SUP-4", "c@x", now)
	tk2.StartPendingClose(now, sla.Duration{}, nil) // not waiting: nothing
	if tk2.Deadline(DeadlinePendingClose) != nil {
		t.Fatal("an open ticket got an auto-close clock")
	}
	tk2.SetWaiting(now)
	tk2.StartPendingClose(now, sla.Duration{}, nil)
	if d := tk2.Deadline(DeadlinePendingClose); d == nil || !d.Due.Equal(now.Add(7*24*time.Hour)) {
		t.Fatalf("default pending_close (7 days, 24x7): %+v", d)
	}
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, tk); err != nil {
			return err
		}
		return Put(txn, nil, tk2)
	}); err != nil {
		t.Fatal(err)
	}
	var closed []string
	s := NewScanner(st, nil, nil)
	s.AutoClose = func(txn *store.Txn, t *Ticket, now time.Time) error { closed = append(closed, t.Tag); return nil }
	for _, step := range []struct {
		at   time.Time
		want int
	}{{time.Date(2026, 11, 25, 9, 59, 0, 0, time.UTC), 0}, {time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), 1}, {time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), 1}} {
		s.Now = func() time.Time { return step.at }
		if _, err := s.Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(closed) != step.want {
			t.Fatalf("at %v: closed %v, want %d", step.at, closed, step.want)
		}
	}
	var got *Ticket
	st.View(func(txn *store.Txn) error { got, _ = Get(txn, "SUP-3"); return nil })
	if got.Status != Resolved || !got.ResolvedAt.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) ||
		!strings.HasPrefix(got.Timeline[len(got.Timeline)-1].Text, "resolved: no reply from the customer since") {
		t.Fatalf("auto-closed ticket: status %s at %v, last %+v", got.Status, got.ResolvedAt, got.Timeline[len(got.Timeline)-1])
	}
}

func TestMergeFoldsTheConversationIntoTheSurvivor(t *testing.T) {
	st := memStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	survivor := lcTicket("SUP-10", "c@x", now)
	dup := lcTicket("SUP-11", "c@x", now.Add(time.Minute))
	dup.AddCustomer(Entry{At: now.Add(2 * time.Minute), Kind: KindCustomer, From: "other@y", MessageID: "o@y"}, now.Add(2*time.Minute), nil)
	if err := dup.MergeInto(dup, "alice@a", now); !errors.Is(err, ErrMerge) {
		t.Fatalf("merge into itself: %v", err)
	}
	dup.Hold(Held{ReplyID: "r1", From: "bob@a", At: now.Add(150 * time.Second), Text: "held on the duplicate"})
	clocks := slices.Clone(survivor.Deadlines)
	if err := dup.MergeInto(survivor, "alice@a", now.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// The survivor's clocks run on as they were; the merged one's stop
	// (no due key left below).
	if !reflect.DeepEqual(survivor.Deadlines, clocks) || len(clocks) == 0 {
		t.Fatalf("survivor's clocks %+v, were %+v", survivor.Deadlines, clocks)
	}
	if dup.Status != Resolved || dup.MergedInto != "SUP-10" || len(dupKeysWithoutHeld(dup)) != 0 {
		t.Fatalf("merged ticket: %+v", dup)
	}
	if len(dup.Held) != 0 || len(survivor.Held) != 1 || survivor.Held[0].ReplyID != "r1" {
		t.Fatalf("held replies: merged ticket %+v, survivor %+v; want bob's in the survivor", dup.Held, survivor.Held)
	}
	if len(survivor.Timeline) != 5 || survivor.Timeline[1].MessageID != "SUP-11@c" || survivor.Timeline[2].Kind != KindParticipant ||
		survivor.Timeline[3].Kind != KindHeld {
		t.Fatalf("survivor timeline: %+v", survivor.Timeline)
	}
	if err := dup.MergeInto(survivor, "alice@a", now); !errors.Is(err, ErrMerge) {
		t.Fatalf("merging twice: %v", err)
	}
	if _, err := dup.Rate(RatingGood, "", now.Add(4*time.Minute)); !errors.Is(err, ErrNotResolved) || dup.Rating != nil {
		t.Fatalf("rating a merged ticket (a POST without a link): %v, %+v", err, dup.Rating)
	}
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, survivor); err != nil {
			return err
		}
		return Put(txn, nil, dup)
	}); err != nil {
		t.Fatal(err)
	}
	// Later mail to the merged ticket, by any of its threading paths,
	// lands in the survivor.
	for _, raw := range []string{
		"From: c@x\r\nIn-Reply-To: <SUP-11@c>\r\nSubject: x\r\n\r\n.",
		"From: c@x\r\nSubject: Re: [SUP-11] kettle\r\n\r\n.",
	} {
		var m *Match
		st.View(func(txn *store.Txn) error {
			var err error
			m, err = Thread(txn, mustParse(t, raw), nil, "SUP")
			return err
		})
		if m == nil || m.Ticket.Tag != "SUP-10" {
			t.Errorf("%q threaded into %+v, want the survivor", raw, m)
		}
	}
	var m *Match
	st.View(func(txn *store.Txn) error {
		m, _ = Thread(txn, mustParse(t, "From: c@x\r\nSubject: y\r\n\r\n."), []string{"support+sup-11@s"}, "SUP")
		return nil
	})
	if m == nil || m.Ticket.Tag != "SUP-10" {
		t.Errorf("reply address of the merged ticket threaded into %+v", m)
	}
}

func TestMergeIntoAResolvedTicket(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	closed := lcTicket("SUP-12", "c@x", now)
	closed.Resolve(now, "alice@a")
	open := lcTicket("SUP-13", "c@x", now.Add(time.Minute))
	err := open.MergeInto(closed, "alice@a", now.Add(2*time.Minute))
	if !errors.Is(err, ErrMerge) || !strings.Contains(err.Error(), "merge SUP-12 into SUP-13 instead") {
		t.Fatalf("open into resolved: %v", err)
	}
	if open.Status == Resolved || open.MergedInto != "" || len(closed.Timeline) != 2 {
		t.Fatalf("a refused merge changed the tickets: %+v / %+v", open, closed)
	}
	// The resolved one joins the open one; two resolved ones may merge.
	if err := closed.MergeInto(open, "alice@a", now.Add(3*time.Minute)); err != nil {
		t.Fatalf("resolved into open: %v", err)
	}
	other := lcTicket("SUP-14", "c@x", now)
	other.Resolve(now, "alice@a")
	done := lcTicket("SUP-15", "c@x", now)
	done.Resolve(now, "alice@a")
	if err := other.MergeInto(done, "alice@a", now.Add(4*time.Minute)); err != nil {
		t.Fatalf("resolved into resolved: %v", err)
	}
}

func dupKeysWithoutHeld(t *Ticket) [][]byte { return dueKeys(t) }

func TestRatingOncePerResolutionChangeableForAWeek(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-20", "c@x", now)
	if _, err := tk.Rate(RatingGood, "", now); !errors.Is(err, ErrNotResolved) {
		t.Fatalf("rating an open ticket: %v", err)
	}
	tk.Resolve(now, "alice@a")
	if _, err := tk.Rate("meh", "", now); !errors.Is(err, ErrBadRating) {
		t.Fatalf("rating meh: %v", err)
	}
	if prev, err := tk.Rate(RatingBad, "slow", now.Add(time.Hour)); err != nil || prev != "" {
		t.Fatalf("first rating: %q %v", prev, err)
	}
	if prev, err := tk.Rate(RatingGood, "fixed after all", now.Add(6*24*time.Hour)); err != nil || prev != RatingBad {
		t.Fatalf("change within the week: %q %v", prev, err)
	}
	if _, err := tk.Rate(RatingBad, "", now.Add(8*24*time.Hour)); !errors.Is(err, ErrRatingClosed) {
		t.Fatalf("change after the week: %v", err)
	}
	if tk.Rating.Value != RatingGood || tk.Rating.Comment != "fixed after all" {
		t.Fatalf("rating %+v", tk.Rating)
	}
	// Reopened and resolved again: a new resolution, a new rating.
	later := now.Add(10 * 24 * time.Hour)
	tk.AddCustomer(Entry{At: later, Kind: KindCustomer, From: "c@x"}, later, nil)
	tk.Resolve(later, "alice@a")
	if prev, err := tk.Rate(RatingBad, "", later); err != nil || prev != "" {
		t.Fatalf("rating a new resolution: %q %v", prev, err)
	}
	var n int
	for _, e := range tk.Timeline {
		if e.Kind == KindRating {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d rating entries in the timeline, want 3", n)
	}
}

// TestEraseClearsTheLifecycleWords: erasing a customer's data removes the
// words the lifecycle keeps beside the timeline — held agents' replies and
// the customer's rating comment — not only the timeline's.
func TestEraseClearsTheLifecycleWords(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-30", "c@x", now)
	tk.Held = []Held{{ReplyID: "r1", MessageID: "m1@x", MsgID: "a1", From: "bob@a", Subject: "Re: kettle TOKEN", Text: "quoting TOKEN", At: now, Expires: now.Add(24 * time.Hour)}}
	tk.Resolve(now, "alice@a")
	if _, err := tk.Rate(RatingBad, "my TOKEN comment", now); err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, tk); err != nil {
			return err
		}
		return Erase(txn, tk, now.Add(time.Hour))
	})
	if err != nil {
		t.Fatal(err)
	}
	var got *Ticket
	if err := st.View(func(txn *store.Txn) error { got, err = Get(txn, "SUP-30"); return err }); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(got)
	if strings.Contains(string(b), "TOKEN") || strings.Contains(string(b), "c@x") {
		t.Errorf("erased ticket still holds the customer's words: %s", b)
	}
	if got.Rating == nil || got.Rating.Value != RatingBad || len(got.Held) != 1 {
		t.Errorf("the rating's value and the held reply's dates stay for the statistics: %+v %+v", got.Rating, got.Held)
	}
}

// TestEraseResolvesAnOpenTicket: an open ticket whose customer's data is
// erased can never be answered (no address, no thread), so it is
// resolved: it leaves the open and per-owner counts and its deadlines
// stop (no warning or escalation about an anonymous ticket). Before, it
// stayed open, answered or waiting for ever.
func TestEraseResolvesAnOpenTicket(t *testing.T) {
	st := memStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := lcTicket("SUP-31", "c@x", now)
	tk.AddAgentReply(Entry{At: now.Add(time.Minute), Kind: KindAgent, From: "alice@a", Text: "hi"}, now.Add(time.Minute))
	later := now.Add(time.Hour)
	got := putErased(t, st, tk, later)
	if got.Status != Resolved || !got.ResolvedAt.Equal(later) {
		t.Fatalf("erased open ticket: status %s, resolved %v", got.Status, got.ResolvedAt)
	}
	if last := got.Timeline[len(got.Timeline)-1]; last.Kind != KindSystem || !strings.Contains(last.Text, "erased") {
		t.Errorf("last entry %+v", last)
	}
	due := 0
	st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixDue), nil, false, func(k, _ []byte) error { due++; return nil })
	})
	if due != 0 {
		t.Errorf("%d deadline keys left for the erased ticket", due)
	}
}

// TestMergeMarksAnswersToAnotherCustomer: merged into another customer's
// ticket, the agents' answers to the merged ticket's customer are marked
// OtherCustomer (the survivor's status page leaves them out: they are
// written to, and often about, someone else); merged into the same
// customer's ticket, they are not.
func TestMergeMarksAnswersToAnotherCustomer(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		customer string
		want     bool
	}{{"dan@x", true}, {"EVE@x", false}} {
		survivor := lcTicket("SUP-10", "eve@x", now)
		dup := lcTicket("SUP-11", c.customer, now)
		dup.AddAgentReply(Entry{At: now.Add(time.Minute), Kind: KindAgent, From: "alice@a", Text: "Dear Dan, the refund to card 4242 is on its way."}, now.Add(time.Minute))
		if err := dup.MergeInto(survivor, "alice@a", now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		var agents int
		for _, e := range survivor.Timeline {
			if e.Kind == KindAgent {
				agents++
				if e.OtherCustomer != c.want {
					t.Errorf("merging %s's ticket into eve's: the agent's answer has OtherCustomer %v, want %v", c.customer, e.OtherCustomer, c.want)
				}
			}
		}
		if agents != 1 {
			t.Fatalf("%d agent entries in the survivor, want 1", agents)
		}
		if dup.Timeline[1].OtherCustomer {
			t.Errorf("the merged ticket's own entry was marked")
		}
	}
}

// TestMergeAndEraseStopClocksUnmet: a merge or an erasure ends a ticket
// but keeps no promise: its running clocks are stopped as "merged" or
// "erased", neither met nor breached, so SLA statistics do not count them
// as kept. Before, the resolution deadline said met at the merge or the
// erasure (audit 2 item 12). A clock met before stays met.
func TestMergeAndEraseStopClocksUnmet(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	later := now.Add(time.Hour)
	check := func(name string, tk *Ticket, why string) {
		t.Helper()
		if len(tk.Deadlines) == 0 {
			t.Fatalf("%s: no clocks: the test proves nothing", name)
		}
		for _, d := range tk.Deadlines {
			switch {
			case d.Kind == sla.FirstResponse && name == "erased after an answer":
				if !d.MetAt.Equal(now.Add(time.Minute)) || !d.StoppedAt.IsZero() {
					t.Errorf("%s: the first response met before is now %+v", name, d)
				}
			case !d.MetAt.IsZero() || !d.BreachedAt.IsZero() || !d.StoppedAt.Equal(later) || d.Stopped != why || !d.Done():
				t.Errorf("%s: %s clock %+v, want stopped %q at %v", name, d.Kind, d, why, later)
			}
		}
		if tk.Status != Resolved {
			t.Errorf("%s: status %s", name, tk.Status)
		}
	}

	survivor, dup := lcTicket("SUP-40", "c@x", now), lcTicket("SUP-41", "c@x", now)
	if err := dup.MergeInto(survivor, "alice@a", later); err != nil {
		t.Fatal(err)
	}
	check("merged", dup, StoppedMerged)
	for _, d := range survivor.Deadlines {
		if d.Done() {
			t.Errorf("the survivor's %s clock stopped: %+v", d.Kind, d)
		}
	}

	st := memStore(t)
	for _, answered := range []bool{false, true} {
		tk := lcTicket("SUP-42", "c@x", now)
		name := "erased"
		if answered {
			tk.Tag, name = "SUP-43", "erased after an answer"
			tk.AddAgentReply(Entry{At: now.Add(time.Minute), Kind: KindAgent, From: "alice@a", Text: "hi"}, now.Add(time.Minute))
		}
		got := putErased(t, st, tk, later)
		check(name, got, StoppedErased)
	}
}

// putErased stores tk, erases it at at in the same transaction, and
// returns the ticket as the store then holds it.
func putErased(t *testing.T, st *store.Store, tk *Ticket, at time.Time) *Ticket {
	t.Helper()
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, tk); err != nil {
			return err
		}
		return Erase(txn, tk, at)
	})
	if err != nil {
		t.Fatal(err)
	}
	var got *Ticket
	if err := st.View(func(txn *store.Txn) error { got, err = Get(txn, tk.Tag); return err }); err != nil {
		t.Fatal(err)
	}
	return got
}
