package intake

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/internal/testmail"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// BenchmarkAcceptPostgres measures intake's commit path on PostgreSQL:
// Accept of a 4 KB mail (the record, the mail, a new ticket with its
// number from the store's sequence, its deadlines and the queue item, in
// one SERIALIZABLE transaction) on a private cluster with
// synchronous_commit on, by 1 and by 20 concurrent writers (SMTP sessions
// in DATA). commits/s is accepted mails per second of wall-clock time:
// with 20 writers PostgreSQL flushes the WAL once for the commits waiting
// together, so it shows what the database gives a node, where ns/op of one
// writer shows a commit's latency. Every mail is from another customer.
// failed/op is the share of commits that failed (a session's 451): a
// transaction that still meets serialization failures after the store's
// retries; retries/op is how often a commit ran again.
func BenchmarkAcceptPostgres(b *testing.B) {
	dsn := testenv.StartPostgres(b)
	if dsn == "" {
		return
	}
	if err := store.Migrate(context.Background(), dsn); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open("", store.Options{DSN: dsn})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	q := queue.New(st, queue.Config{}, nil, nil, nil)
	seq, err := st.Sequence(store.PrefixMisc+"ticket-seq", 20)
	if err != nil {
		b.Fatal(err)
	}
	in := New(Options{Store: st, Queue: q, Router: fixed{Decision{Department: "support", Priority: "normal"}}, Hostname: "mx.test",
		Numbers: seq, Domain: "support.test"})
	raw := testmail.Plain(4 << 10)
	var sender atomic.Int64
	for _, writers := range []int{1, 20} {
		b.Run(fmt.Sprintf("4k-writers-%d", writers), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			work := make(chan struct{})
			var wg sync.WaitGroup
			var failed atomic.Int64
			var lastErr atomic.Value
			for range writers {
				wg.Go(func() {
					for range work {
						n := sender.Add(1)
						from := fmt.Sprintf("c%d@customer.example", n)
						e := &Envelope{MailFrom: from, Rcpt: []string{"support@support.test"}, RemoteAddr: "127.0.0.1:5555", Helo: "client.test"}
						// A customer each, as at a help desk: one customer's
						// concurrent mails share their history's rows.
						mail := bytes.Replace(raw, []byte("alice@customer.example"), []byte(from), 1)
						if _, err := in.Accept(context.Background(), e, mail); err != nil {
							failed.Add(1) // a session would answer 451
							lastErr.Store(err)
						}
					}
				})
			}
			retries0 := st.Stats().Retries
			pg0, _ := testenv.PostgresCPU()
			self0 := processCPU()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				work <- struct{}{}
			}
			close(work)
			wg.Wait()
			elapsed := time.Since(start)
			self1 := processCPU()
			b.StopTimer()
			ok := int64(b.N) - failed.Load()
			if ok == 0 {
				b.Fatalf("no commit succeeded: %v", lastErr.Load())
			}
			if err, _ := lastErr.Load().(error); err != nil {
				b.Logf("%d of %d commits failed (451), the last: %v", failed.Load(), b.N, err)
			}
			b.ReportMetric(float64(ok)/elapsed.Seconds(), "commits/s")
			b.ReportMetric(float64(failed.Load())/float64(b.N), "failed/op")
			b.ReportMetric(float64(st.Stats().Retries-retries0)/float64(b.N), "retries/op")
			// This process's CPU (intake, the store, pgx; the benchmark's
			// own loop is a small part of it).
			b.ReportMetric(float64((self1-self0).Microseconds())/float64(b.N), "cpu-µs/op")
			// The database's CPU is the other half of a commit's cost.
			if pg1, err := testenv.PostgresCPU(); err == nil {
				b.ReportMetric(float64((pg1-pg0).Microseconds())/float64(b.N), "pg-cpu-µs/op")
			}
		})
	}
}

// processCPU is this process's CPU time so far, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestAcceptReadsAheadOnPostgres: Accept names the keys its Update reads
// whatever the mail threads to (store.UpdateReading), the customer's
// ticket count and the acknowledgement's rate record, and the customer's
// ticket index it walks (store.UpdateWalking), and the keys threading
// reads first (ticket.ThreadKeys), so that on PostgreSQL they go in the
// round trip that begins the transaction: a new customer's mail is that
// one and the writes with the COMMIT (was three, with the walk of their
// tickets; four before, with the rate record's read); their second mail
// the same two (was three with the read of the new ticket's key History
// left out, four and five before); and a third, in reply to messages
// the gateway never saw, the same two (was four with the reads of their
// Message-IDs' index keys), after the two of the View that looks for its
// thread before the commit (was three, a read each and the COMMIT).
func TestAcceptReadsAheadOnPostgres(t *testing.T) {
	dsn := testenv.StartPostgres(t)
	if dsn == "" {
		return
	}
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open("", store.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seq, err := st.Sequence(store.PrefixMisc+"ticket-seq", 20)
	if err != nil {
		t.Fatal(err)
	}
	in := New(Options{Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil), Router: fixed{Decision{Department: "support", Priority: "normal"}},
		Hostname: "mx.test", Numbers: seq, Domain: "support.test"})
	in.Acker = suppressFrom{}
	in.AckRate = 5
	from := fmt.Sprintf("ra%d@customer.example", time.Now().UnixNano())
	for i, want := range []int64{2, 2, 4} {
		e := *env
		e.MailFrom = from
		raw := fmt.Sprintf("From: %s\r\nSubject: question %d\r\nMessage-ID: <ra%d@customer.example>\r\n\r\nhi\r\n", from, i, i)
		if i == 2 {
			raw = fmt.Sprintf("From: %s\r\nSubject: Re: elsewhere\r\nMessage-ID: <ra%d@customer.example>\r\nIn-Reply-To: <unseen@elsewhere.example>\r\nReferences: <first@elsewhere.example> <unseen@elsewhere.example>\r\n\r\nhi\r\n", from, i)
		}
		t0 := st.Stats().RoundTrips
		if _, err := in.Accept(context.Background(), &e, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		if n := st.Stats().RoundTrips - t0; n != want {
			t.Errorf("mail %d: %d round trips, want %d", i+1, n, want)
		}
	}
	if got := ackItems(t, st); len(got) != 3 {
		t.Errorf("%d acknowledgements queued, want 3: %v", len(got), got)
	}
}

// TestAcceptClaimsItsItemsOnPostgres: on a shared store the items an
// accepted mail queues are leased to this node in the mail's own commit
// (queue.Claim), so that it delivers them without a transaction to lease
// each first; on Badger they are not leased.
func TestAcceptClaimsItsItemsOnPostgres(t *testing.T) {
	dsn := testenv.StartPostgres(t)
	if dsn == "" {
		return
	}
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	pg, err := store.Open("", store.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	badger, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer badger.Close()
	for _, c := range []struct {
		name  string
		st    *store.Store
		claim bool
	}{{"postgres", pg, true}, {"badger", badger, false}} {
		seq, err := c.st.Sequence(store.PrefixMisc+"ticket-seq", 20)
		if err != nil {
			t.Fatal(err)
		}
		q := queue.New(c.st, queue.Config{Holder: "node-1"}, nil, nil, nil) // not running: the items stay
		in := New(Options{Store: c.st, Queue: q, Router: fixed{Decision{Department: "support", Priority: "normal"}},
			Hostname: "mx.test", Numbers: seq, Domain: "support.test"})
		e := *env
		e.MailFrom = "claim@customer.example"
		start := time.Now()
		raw := "From: claim@customer.example\r\nSubject: the printer\r\nMessage-ID: <claim@customer.example>\r\n\r\nhi\r\n"
		if _, err := in.Accept(context.Background(), &e, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		items, err := queue.List(c.st)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			t.Fatalf("%s: nothing queued", c.name)
		}
		for _, it := range items {
			claimed := it.Holder == "node-1" && it.LeaseUntil.After(start)
			if claimed != c.claim {
				t.Errorf("%s: %s item held by %q until %v, want claimed=%v", c.name, it.Kind, it.Holder, it.LeaseUntil, c.claim)
			}
		}
	}
}
