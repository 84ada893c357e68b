package queue

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
)

// TestAttemptsAfterDeferThenDeliver: 451s then a success give one deferred
// attempt per 451 the upstream answered and one delivered attempt, one latency observation for the
// item's kind, and an empty queue (depth zero, oldest age zero).
func TestAttemptsAfterDeferThenDeliver(t *testing.T) {
	u, addr := startUpstream(t)
	u.fail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	st := newStore(t)
	targets := map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr, Helo: "mx.test"}}
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, st, targets)
	q := New(st, Config{MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, GiveUpAfter: time.Hour}, targets, m, nil)

	it := enqueue(t, st, time.Now().Add(-3*time.Second), "Subject: hi\r\n\r\nbody\r\n")
	// Before any attempt: one ready item, three seconds old.
	if got := metrictest.Sample(t, reg, "frontdesk_queue_items", "state", "ready"); got != 1 {
		t.Errorf("ready items before delivery: %v, want 1", got)
	}
	if age := metrictest.Sample(t, reg, "frontdesk_queue_oldest_item_age_seconds"); age < 3 || age > 60 {
		t.Errorf("oldest age %v, want about 3 s", age)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	q.Kick()
	waitState(t, st, it.ID, StateDeferred)
	if got := metrictest.Sample(t, reg, "frontdesk_queue_items", "state", "deferred"); got != 1 {
		t.Errorf("deferred items: %v, want 1", got)
	}
	// The backoff is short: under load the queue may try again before
	// the upstream is mended. Every attempt it refused counts.
	u.mu.Lock()
	u.fail = nil
	deferred := u.failed
	u.mu.Unlock()
	<-u.received
	waitState(t, st, it.ID, "gone")

	want := fmt.Sprintf(`
# HELP frontdesk_queue_delivery_attempts_total Delivery attempts by target and result (delivered, deferred, failed).
# TYPE frontdesk_queue_delivery_attempts_total counter
frontdesk_queue_delivery_attempts_total{result="deferred",target="smtp"} %d
frontdesk_queue_delivery_attempts_total{result="delivered",target="smtp"} 1
frontdesk_queue_delivery_attempts_total{result="failed",target="smtp"} 0
# HELP frontdesk_queue_items Queue items by state and target.
# TYPE frontdesk_queue_items gauge
frontdesk_queue_items{state="deferred",target="smtp"} 0
frontdesk_queue_items{state="failed",target="smtp"} 0
frontdesk_queue_items{state="ready",target="smtp"} 0
# HELP frontdesk_queue_oldest_item_age_seconds Age of the oldest item not yet delivered (0 when empty).
# TYPE frontdesk_queue_oldest_item_age_seconds gauge
frontdesk_queue_oldest_item_age_seconds 0
`, deferred)
	// The attempt is counted after the item is deleted; wait for it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := testutil.GatherAndCompare(reg, strings.NewReader(want),
			"frontdesk_queue_delivery_attempts_total", "frontdesk_queue_items", "frontdesk_queue_oldest_item_age_seconds")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := testutil.CollectAndCount(m.latency); n != 5 {
		t.Errorf("%d latency histograms, want one per kind of mail (5), created at start", n)
	}
	if got := metrictest.Sample(t, reg, "frontdesk_queue_delivery_latency_seconds", "kind", "relay"); got != 1 {
		t.Errorf("latency observations for relay: %v, want 1", got)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}

// TestAttemptsAfterPermanentFailure: a 550 is one failed attempt, the item
// stays as failed, and no latency is observed.
func TestAttemptsAfterPermanentFailure(t *testing.T) {
	u, addr := startUpstream(t)
	u.fail = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	st := newStore(t)
	targets := map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr, Helo: "mx.test"}}
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, st, targets)
	q := New(st, Config{MinBackoff: time.Hour, MaxBackoff: time.Hour, GiveUpAfter: time.Hour}, targets, m, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	it := enqueue(t, st, time.Now(), "Subject: hi\r\n\r\nbody\r\n")
	q.Kick()
	waitState(t, st, it.ID, StateFailed)
	cancel()
	<-done
	for result, want := range map[string]float64{"delivered": 0, "deferred": 0, "failed": 1} {
		if got := testutil.ToFloat64(m.attempts.WithLabelValues("smtp", result)); got != want {
			t.Errorf("attempts %s: %v, want %v", result, got, want)
		}
	}
	if got := metrictest.Sample(t, reg, "frontdesk_queue_items", "state", "failed"); got != 1 {
		t.Errorf("failed items: %v, want 1", got)
	}
	if got := metrictest.Sample(t, reg, "frontdesk_queue_delivery_latency_seconds", "kind", "relay"); got != 0 {
		t.Errorf("latency observations after a failure: %v, want 0", got)
	}
}
