package intake

import (
	"context"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// New fills in the defaults Options documents, and keeps what is set.
func TestNewDefaults(t *testing.T) {
	in := New(Options{Hostname: "mx.test"})
	if in.Domain != "mx.test" || in.TagPrefix != "SUP" || in.ReopenWindow != 30*24*time.Hour || in.Log == nil || in.Now == nil || in.cpu == nil {
		t.Errorf("defaults: Domain %q, TagPrefix %q, ReopenWindow %v, Log %v, Now set %v, cpu set %v; want mx.test, SUP, 720h, a logger, a clock, a bound",
			in.Domain, in.TagPrefix, in.ReopenWindow, in.Log, in.Now != nil, in.cpu != nil)
	}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	m := &Metrics{}
	in = New(Options{Hostname: "mx.test", Domain: "support.test", TagPrefix: "HELP", ReopenWindow: time.Hour,
		Now: func() time.Time { return at }, Metrics: m})
	if in.Domain != "support.test" || in.TagPrefix != "HELP" || in.ReopenWindow != time.Hour || !in.Now().Equal(at) || in.m != m {
		t.Errorf("set options not kept: Domain %q, TagPrefix %q, ReopenWindow %v, Now %v, metrics kept %v",
			in.Domain, in.TagPrefix, in.ReopenWindow, in.Now(), in.m == m)
	}
}

// A negative ReopenWindow (tickets.reopen_window: 0s) reopens nothing: a
// follow-up to a resolved ticket opens a new one that links it.
func TestNegativeReopenWindow(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	in := New(Options{Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil), Router: fixed{Decision{Department: "support", Priority: "normal"}},
		Hostname: "mx.test", Domain: "support.test", Numbers: &counter{n: 1000}, ReopenWindow: -1, Now: func() time.Time { return now }})
	if _, err := in.Accept(context.Background(), env, []byte("From: c@customer.test\r\nSubject: kettle\r\nMessage-ID: <m1@customer.test>\r\n\r\nbroken\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Resolve(context.Background(), "SUP-1001", "test", false); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	if _, err := in.Accept(context.Background(), env, []byte("From: c@customer.test\r\nSubject: Re: kettle\r\nIn-Reply-To: <m1@customer.test>\r\nMessage-ID: <m2@customer.test>\r\n\r\nagain\r\n")); err != nil {
		t.Fatal(err)
	}
	ts, _ := ticket.List(st, "", "")
	if len(ts) != 2 || ts[0].Tag != "SUP-1002" || ts[0].LinkedFrom != "SUP-1001" || ts[1].Status != ticket.Resolved {
		t.Fatalf("a minute after the resolve: %+v; want a new SUP-1002 linking the resolved SUP-1001", ts)
	}
}
