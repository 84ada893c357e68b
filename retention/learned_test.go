package retention

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Learned examples hold a customer's words and address: retention
// removes those taught or imported longer ago than
// retention.learned_examples, and keeps every one when it is 0 (the
// default). A run through the server's Runner returns once the server's
// example index no longer uses them, as `learn forget` does; the starter
// examples, which are not stored, stay in it whatever their age (audit:
// a ticket with a #faq reply was removed by resolved_tickets and the
// example made of it stayed, with customer, subject and text).
func TestLearnedExamplesExpire(t *testing.T) {
	onEachBackend(t, func(t *testing.T, backend string, st *store.Store) {
		ctx := context.Background()
		day := 24 * time.Hour
		taught := []*learn.Example{
			{At: t0, Source: learn.SourceFAQ, Entries: []string{"refund-timing"}, Customer: "old@customer.example", Ticket: "SUP-1",
				Subject: "refund not received", Text: "I returned the kettle and the refund never arrived."},
			{At: t0.Add(10 * day), Source: learn.SourceImport, Department: "finance", Customer: "mid@customer.example",
				Subject: "invoice copy", Text: "Please send me a copy of my invoice for the fridge."},
			{At: t0.Add(40 * day), Source: learn.SourceMove, Department: "finance", Customer: "new@customer.example", Ticket: "SUP-3",
				Subject: "trade-in rebate", Text: "The trade-in rebate for my washing machine never came."},
		}
		err := st.Update(ctx, func(txn *store.Txn) error {
			for _, ex := range taught {
				if err := learn.Put(txn, ex); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A starter example older than any stored one: not stored,
		// never touched.
		starter := []learn.Example{{ID: "starter-1", At: t0.Add(-1000 * day), Department: "support",
			Subject: "toaster sparks", Text: "My toaster sparks when I switch it on."}}
		live := learn.NewLive(st, nil)
		live.UseStarter(starter)
		live.Wait = time.Hour // the first ranking waits for the first build
		cat := live.Catalog(faq.Demo)
		if n, _ := cat().Examples(); n != 4 {
			t.Fatalf("%d examples in use before the run, want 4 (3 stored, 1 starter)", n)
		}
		stored := func() []string {
			t.Helper()
			exs, err := learn.List(st)
			if err != nil {
				t.Fatal(err)
			}
			var who []string
			for _, ex := range exs {
				who = append(who, ex.Customer)
			}
			return who
		}
		all := []string{"old@customer.example", "mid@customer.example", "new@customer.example"}
		day45 := t0.Add(45 * day)

		// The default, 0: every example is kept, however old.
		rep, err := Run(ctx, st, Policy{ResolvedTickets: day}, Options{Now: day45})
		if err != nil || rep.LearnedExamplesRemoved != 0 || !slices.Equal(stored(), all) {
			t.Fatalf("learned_examples 0: %+v %v, left %v", rep, err, stored())
		}
		p := Policy{LearnedExamples: 30 * day}
		// A dry run counts the two older than 30 days, removes nothing.
		rep, err = Run(ctx, st, p, Options{Now: day45, DryRun: true})
		if err != nil || rep.LearnedExamplesRemoved != 2 || !slices.Equal(stored(), all) {
			t.Fatalf("dry run: %+v %v, left %v", rep, err, stored())
		}
		stamp, err := learn.Stamp(st)
		if err != nil {
			t.Fatal(err)
		}
		// The server's run: the two go from the store and, before
		// Run returns, from the index the server ranks with.
		reg := prometheus.NewRegistry()
		r := &Runner{St: st, Policy: p, Now: func() time.Time { return day45 }, Learned: live, Metrics: NewMetrics(reg, st)}
		rep, err = r.Run(ctx, false)
		if err != nil || rep.LearnedExamplesRemoved != 2 {
			t.Fatalf("run: %+v %v", rep, err)
		}
		if got := stored(); !slices.Equal(got, []string{"new@customer.example"}) {
			t.Errorf("left %v; want only the example taught 5 days before the run", got)
		}
		live.Wait = 0 // no waiting for a build: the run waited for it
		if n, _ := cat().Examples(); n != 2 {
			t.Errorf("after the run the server ranks with %d examples, want 2 (the new one, the starter)", n)
		}
		if v := metrictest.Sample(t, reg, "frontdesk_retention_removed_total", "what", "learned_example"); v != 2 {
			t.Errorf("frontdesk_retention_removed_total{what=learned_example} = %v, want 2", v)
		}
		// Other nodes on the store learn of the change by its mark.
		if now, err := learn.Stamp(st); err != nil || now == stamp {
			t.Errorf("the examples' change mark is %q after the run, %q before (%v): other nodes would keep ranking with the removed ones", now, stamp, err)
		}
		last, err := LastRun(st)
		if err != nil || last == nil || last.LearnedExamplesRemoved != 2 {
			t.Errorf("last run recorded %+v, %v", last, err)
		}
		// Again: nothing more is old enough.
		rep, err = Run(ctx, st, p, Options{Now: day45})
		if err != nil || rep.LearnedExamplesRemoved != 0 || len(stored()) != 1 {
			t.Errorf("second run: %+v %v, left %v", rep, err, stored())
		}
	})
}
