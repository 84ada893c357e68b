package retention

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// A merged ticket's conversation is its survivor's: its mail counts from
// the survivor's resolution, and the merged ticket is removed with the
// survivor, never while the survivor is open (audit 4: retention.mail 1d
// removed the first mail of a customer whose ticket SUP-1000 had been
// merged into the still open SUP-1001, and resolved_tickets removed
// SUP-1000 itself, the merge counting as its resolution). A chain of
// merges (SUP-3 into SUP-2, then SUP-2 into SUP-1) follows to its end.
func TestMergedTicketsFollowTheirSurvivor(t *testing.T) {
	onEachBackend(t, func(t *testing.T, backend string, st *store.Store) {
		ctx := context.Background()
		day := 24 * time.Hour
		mk := func(tag string) *ticket.Ticket {
			return ticket.New(ticket.NewParams{Tag: tag, Customer: "c@example.com", Subject: "s"}, ticket.Entry{At: t0, Kind: ticket.KindCustomer}, t0, nil)
		}
		s1, s2, s3 := mk("SUP-1"), mk("SUP-2"), mk("SUP-3")
		if err := s3.MergeInto(s2, "agent@example.com", t0.Add(day)); err != nil {
			t.Fatal(err)
		}
		if err := s2.MergeInto(s1, "agent@example.com", t0.Add(2*day)); err != nil {
			t.Fatal(err)
		}
		put := func(tks ...*ticket.Ticket) {
			t.Helper()
			err := st.Update(ctx, func(txn *store.Txn) error {
				for _, tk := range tks {
					old, err := ticket.Get(txn, tk.Tag)
					if ticket.IsNotFound(err) {
						old = nil
					} else if err != nil {
						return err
					}
					if err := ticket.Put(txn, old, tk); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		put(s1, s2, s3)
		m1 := received(t, st, t0, "SUP-1", "survivor's mail")
		m2 := received(t, st, t0, "SUP-2", "merged mail")
		m3 := received(t, st, t0, "SUP-3", "mail merged twice")
		p := Policy{Mail: 30 * day, ResolvedTickets: 60 * day}
		run := func(at time.Time) *Report {
			t.Helper()
			rep, err := Run(ctx, st, p, Options{Now: at})
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		has := func(tag string) bool {
			t.Helper()
			err := st.View(func(txn *store.Txn) error { _, err := ticket.Get(txn, tag); return err })
			if err != nil && !ticket.IsNotFound(err) {
				t.Fatal(err)
			}
			return err == nil
		}
		check := func(when string, wantMail, wantTickets bool) {
			t.Helper()
			for _, id := range []string{m1, m2, m3} {
				if exists(st, id) != wantMail {
					t.Errorf("%s: mail %s kept %v, want %v", when, id, !wantMail, wantMail)
				}
			}
			for _, tag := range []string{"SUP-1", "SUP-2", "SUP-3"} {
				if has(tag) != wantTickets {
					t.Errorf("%s: ticket %s kept %v, want %v", when, tag, !wantTickets, wantTickets)
				}
			}
		}

		// A year on, the survivor is still open: everything stays.
		rep := run(t0.Add(400 * day))
		if rep.MailRemoved != 0 || rep.TicketsRemoved != 0 {
			t.Errorf("survivor open: %d mail and %d tickets removed, want none", rep.MailRemoved, rep.TicketsRemoved)
		}
		// What a run counts on disk is data_dir's: on PostgreSQL the
		// report says the data is in the database (audit 4: it
		// printed "on disk: mail 0 bytes, store 0 bytes").
		if rep.InDatabase != (backend == "postgres") {
			t.Errorf("report in_database = %v on %s", rep.InDatabase, backend)
		}
		check("survivor open", true, true)

		// Resolved at day 400: the mail goes 30 days later, all of it;
		// the tickets 60 days later, all three.
		s1.Resolve(t0.Add(400*day), "agent@example.com")
		put(s1)
		run(t0.Add(420 * day))
		check("20 days after the survivor's resolution", true, true)
		if rep := run(t0.Add(431 * day)); rep.MailRemoved != 3 || rep.TicketsRemoved != 0 {
			t.Errorf("31 days after: %d mail and %d tickets removed, want 3 and 0", rep.MailRemoved, rep.TicketsRemoved)
		}
		check("31 days after the survivor's resolution", false, true)
		if rep := run(t0.Add(461 * day)); rep.TicketsRemoved != 3 {
			t.Errorf("61 days after: %d tickets removed, want 3", rep.TicketsRemoved)
		}
		check("61 days after the survivor's resolution", false, false)
	})
}

// A ticket reopened after a run judged its mail expired and before the run
// removed it keeps its mail: the removal looks at the ticket again in its
// own transaction (audit 4: the mail of a ticket the customer reopened
// during a run was removed although open tickets keep theirs).
func TestReopenedDuringARunKeepsItsMail(t *testing.T) {
	onEachBackend(t, func(t *testing.T, backend string, st *store.Store) {
		ctx := context.Background()
		day := 24 * time.Hour
		putTicket(t, st, "SUP-1", t0.Add(day))
		putTicket(t, st, "SUP-2", t0.Add(day))
		m1 := received(t, st, t0, "SUP-1", "the reopened ticket's mail")
		m2 := received(t, st, t0, "SUP-2", "the other ticket's mail")
		reopen := func() error {
			return st.Update(ctx, func(txn *store.Txn) error {
				tk, err := ticket.Get(txn, "SUP-1")
				if err != nil {
					return err
				}
				old := tk.Clone()
				tk.AddCustomer(ticket.Entry{At: t0.Add(40 * day), Kind: ticket.KindCustomer, Text: "it broke again"}, t0.Add(40*day), nil)
				return ticket.Put(txn, old, tk)
			})
		}
		rep, err := Run(ctx, st, Policy{Mail: 30 * day}, Options{Now: t0.Add(40 * day), Progress: func(s string) {
			if strings.HasPrefix(s, "mail: 2 expired") { // judged, not yet removed
				if err := reopen(); err != nil {
					t.Error(err)
				}
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if !exists(st, m1) {
			t.Error("the mail of the ticket reopened during the run was removed")
		}
		if exists(st, m2) {
			t.Error("the other resolved ticket's mail was kept")
		}
		if rep.MailRemoved != 1 {
			t.Errorf("report: %d mail removed, want 1", rep.MailRemoved)
		}
	})
}
