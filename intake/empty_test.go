package intake

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
	"github.com/frontdesk-mail/frontdesk/queue"
)

// A message with nothing in it (no bytes, or only blank lines) is refused
// with 554 5.6.0 before anything is stored, and counted as
// messages_total{result="rejected",reason="empty"}; a header without a
// body, or a body without a header, is a message and is accepted.
func TestEmptyMessageIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		empty      bool
	}{
		{"no bytes", "", true},
		{"one blank line", "\r\n", true},
		{"blank lines and spaces", "\r\n\r\n \t\r\n", true},
		{"bare LF", "\n", true},
		{"header, empty body", "Subject: hi\r\n\r\n", false},
		{"header, no separator", "Subject: hi\r\n", false},
		{"body only", "\r\nhello\r\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			var m *Metrics
			in, st := metricsIntake(t, reg, &m, Decision{Department: "support"})
			id, err := in.Accept(context.Background(), env, []byte(tc.data))
			var rej *RejectedError
			if !tc.empty {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.As(err, &rej) || id != "" {
				t.Fatalf("Accept = %q, %v; want a RejectedError", id, err)
			}
			code, enhanced, reason := rej.RejectionStatus()
			if code != 554 || enhanced != [3]int{5, 6, 0} || reason != "empty" || rej.Rejection() == "" {
				t.Errorf("refused with %d %v %q %q; want 554 5.6.0, reason empty and a sentence", code, enhanced, reason, rej.Rejection())
			}
			if s := st.Stats(); s.Updates != 0 {
				t.Errorf("%d store updates for a refused message; want none", s.Updates)
			}
			if items, _ := queue.List(st); len(items) != 0 {
				t.Errorf("%d queue items", len(items))
			}
			if got := metrictest.Sample(t, reg, "frontdesk_messages_total", "result", "rejected", "reason", "empty"); got != 1 {
				t.Errorf("messages_total{rejected,empty} = %v, want 1", got)
			}
		})
	}
}

// A rule's rejection keeps its 550 5.7.1 and reason "rule".
func TestRuleRejectionStatus(t *testing.T) {
	code, enhanced, reason := (&RejectedError{Text: "no"}).RejectionStatus()
	if code != 550 || enhanced != [3]int{5, 7, 1} || reason != "rule" {
		t.Errorf("rule rejection: %d %v %q", code, enhanced, reason)
	}
}
