package intake

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// suppressFrom is an Acker that suppresses the acknowledgement for one
// sender with a fixed reason and acknowledges everybody else.
type suppressFrom struct{ sender, reason string }

func (a suppressFrom) Prepare(_ *message.Message, env *Envelope) AckPlan {
	if env.MailFrom == a.sender {
		return AckPlan{Suppressed: a.reason}
	}
	return AckPlan{}
}

func (a suppressFrom) Ack(t *ticket.Ticket, _ Department, _ *message.Message, _ AckPlan, _ string, _ time.Time) ([]byte, string, error) {
	return []byte("From: support@support.test\r\nTo: " + t.Customer + "\r\nSubject: [" + t.Tag + "] received\r\n\r\nThanks.\r\n"), "", nil
}

// metricsIntake is newIntake with metrics on a private registry.
func metricsIntake(t *testing.T, reg *prometheus.Registry, m **Metrics, d Decision) (*Intake, *store.Store) {
	t.Helper()
	in, st := newIntake(t, d)
	if *m == nil {
		tm := ticket.NewMetrics(reg, st)
		tm.SetDepartments([]string{"support", "sales"})
		*m = NewMetrics(reg, tm)
	}
	in.m = *m
	return in, st
}

// TestMessagesTotalByResult: after one message of each outcome, every
// (result, reason) series has exactly its count, bytes count the accepted
// message as received, and nothing else moved.
func TestMessagesTotalByResult(t *testing.T) {
	reg := prometheus.NewRegistry()
	var m *Metrics
	ctx := context.Background()
	const body = "From: c@customer.test\r\nSubject: kettle\r\n\r\nbroken\r\n"
	accept, _ := metricsIntake(t, reg, &m, Decision{Department: "sales", Priority: "high"})
	if _, err := accept.Accept(ctx, env, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if _, err := accept.Accept(ctx, env, []byte("\x00\x01garbage without headers")); err != nil {
		t.Fatal(err)
	}
	reject, _ := metricsIntake(t, reg, &m, Decision{Department: "support", Reject: "no"})
	if _, err := reject.Accept(ctx, env, []byte(body)); err == nil {
		t.Fatal("rejected message accepted")
	}
	if _, err := reject.Accept(ctx, env, []byte("\r\n")); err == nil {
		t.Fatal("empty message accepted")
	}
	discard, _ := metricsIntake(t, reg, &m, Decision{Department: "support", Discard: true})
	if _, err := discard.Accept(ctx, env, []byte(body)); err != nil {
		t.Fatal(err)
	}
	broken, st := metricsIntake(t, reg, &m, Decision{Department: "support"})
	st.Close()
	if _, err := broken.Accept(ctx, env, []byte(body)); !IsTemporary(err) {
		t.Fatalf("closed store: %v", err)
	}

	want := `
# HELP frontdesk_messages_total Messages that reached the end of DATA, by result (accepted, discarded, rejected, tempfail) and reason.
# TYPE frontdesk_messages_total counter
frontdesk_messages_total{reason="agent",result="accepted"} 0
frontdesk_messages_total{reason="agent_target",result="rejected"} 0
frontdesk_messages_total{reason="auth_tempfail",result="rejected"} 0
frontdesk_messages_total{reason="empty",result="rejected"} 1
frontdesk_messages_total{reason="ok",result="accepted"} 1
frontdesk_messages_total{reason="rule",result="discarded"} 1
frontdesk_messages_total{reason="rule",result="rejected"} 1
frontdesk_messages_total{reason="store",result="tempfail"} 1
frontdesk_messages_total{reason="unparseable",result="accepted"} 1
# HELP frontdesk_message_bytes_total Bytes of accepted messages.
# TYPE frontdesk_message_bytes_total counter
frontdesk_message_bytes_total ` + strconv.Itoa(len(body)+len("\x00\x01garbage without headers")) + `
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "frontdesk_messages_total", "frontdesk_message_bytes_total"); err != nil {
		t.Error(err)
	}
	// Two tickets opened in sales (the unparseable mail opens one too);
	// rejected, discarded and failed mail opens none.
	if got := metrictest.Sample(t, reg, "frontdesk_tickets_opened_total", "department", "sales", "priority", "high"); got != 2 {
		t.Errorf("tickets opened in sales: %v, want 2", got)
	}
	if got := metrictest.Sample(t, reg, "frontdesk_tickets_opened_total", "department", "support", "priority", "normal"); got != 0 {
		t.Errorf("tickets opened in support: %v, want 0", got)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}

// TestAcksTotal: one acknowledgement sent, one suppressed by the Acker's
// reason; follow-ups in the same ticket are not acknowledged again.
func TestAcksTotal(t *testing.T) {
	reg := prometheus.NewRegistry()
	var m *Metrics
	in, _ := metricsIntake(t, reg, &m, Decision{Department: "support", Priority: "normal"})
	in.Acker = suppressFrom{sender: "news@customer.test", reason: "precedence"}
	ctx := context.Background()
	send := func(from, raw string) {
		t.Helper()
		e := *env
		e.MailFrom = from
		if _, err := in.Accept(ctx, &e, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	send("c@customer.test", "From: c@customer.test\r\nSubject: kettle\r\nMessage-ID: <k1@customer.test>\r\n\r\nbroken\r\n")
	send("c@customer.test", "From: c@customer.test\r\nSubject: Re: kettle\r\nIn-Reply-To: <k1@customer.test>\r\n\r\nstill broken\r\n")
	send("news@customer.test", "From: news@customer.test\r\nPrecedence: bulk\r\nSubject: newsletter\r\n\r\nnews\r\n")
	if got := testutil.ToFloat64(m.acks.WithLabelValues("sent", "ok")); got != 1 {
		t.Errorf("acks sent: %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.acks.WithLabelValues("suppressed", "precedence")); got != 1 {
		t.Errorf("acks suppressed (precedence): %v, want 1", got)
	}
	// Every suppression reason, "sent" and "failed" exist from the start;
	// nothing else.
	if n := testutil.CollectAndCount(m.acks); n != len(SuppressReasons)+2 {
		t.Errorf("%d acks series, want %d", n, len(SuppressReasons)+2)
	}
}

// failingAcker cannot build any acknowledgement.
type failingAcker struct{}

func (failingAcker) Prepare(*message.Message, *Envelope) AckPlan { return AckPlan{} }
func (failingAcker) Ack(*ticket.Ticket, Department, *message.Message, AckPlan, string, time.Time) ([]byte, string, error) {
	return nil, "", errors.New(`template: ack.en.txt:3:7: executing "ack.en.txt": error calling describe`)
}

// An acknowledgement that cannot be built costs the customer's mail
// nothing: it is accepted, its ticket opened and its relay queued, and the
// failure is counted and logged with the ticket.
func TestAckThatCannotBeBuiltDoesNotRefuseTheMail(t *testing.T) {
	reg := prometheus.NewRegistry()
	var m *Metrics
	in, st := metricsIntake(t, reg, &m, Decision{Department: "support", Priority: "normal"})
	in.Acker = failingAcker{}
	var logs strings.Builder
	in.Log = slog.New(slog.NewTextHandler(&logs, nil))
	if _, err := in.Accept(context.Background(), env, []byte("From: a@customer.test\r\nSubject: kettle\r\n\r\nbroken\r\n")); err != nil {
		t.Fatalf("Accept: %v, want the mail accepted", err)
	}
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Kind != "relay" || items[0].Ticket != "SUP-1001" {
		t.Errorf("queue: %+v, want the relay of SUP-1001 only", items)
	}
	if got := testutil.ToFloat64(m.acks.WithLabelValues("failed", "build_error")); got != 1 {
		t.Errorf("acks failed/build_error: %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.acks.WithLabelValues("sent", "ok")); got != 0 {
		t.Errorf("acks sent: %v, want 0", got)
	}
	if !strings.Contains(logs.String(), `msg="acknowledgement not sent"`) || !strings.Contains(logs.String(), "ticket=SUP-1001") ||
		!strings.Contains(logs.String(), "error calling describe") {
		t.Errorf("log lacks the failure with its ticket and cause:\n%s", logs.String())
	}
}

// TestAgentReplyMetrics: an aligned agent's reply with #resolve counts as
// an accepted agent message, meets the first response (histogram and
// met_total) and resolves the ticket.
func TestAgentReplyMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	var m *Metrics
	in, _ := metricsIntake(t, reg, &m, Decision{Department: "support", Priority: "normal",
		SLA: &rules.Policy{Policy: sla.Policy{FirstResponse: sla.Duration{Business: time.Hour}}}})
	ctx := context.Background()
	if _, err := in.Accept(ctx, env, []byte("From: c@customer.test\r\nSubject: help\r\n\r\nplease\r\n")); err != nil {
		t.Fatal(err)
	}
	agent := &Envelope{MailFrom: "agent@agents.test", Rcpt: []string{"support+sup-1001@support.test"}, Aligned: func(string) bool { return true }}
	if _, err := in.Accept(ctx, agent, []byte("From: agent@agents.test\r\nSubject: Re: [SUP-1001] help\r\n\r\nDescale it.\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Accept(ctx, agent, []byte("From: agent@agents.test\r\nSubject: Re: [SUP-1001] help\r\n\r\n#resolve\r\nGlad it works.\r\n")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"frontdesk_messages_total", []string{"result", "accepted", "reason", "agent"}, 2},
		{"frontdesk_messages_total", []string{"result", "accepted", "reason", "ok"}, 1},
		{"frontdesk_tickets_opened_total", []string{"department", "support", "priority", "normal"}, 1},
		{"frontdesk_tickets_resolved_total", []string{"department", "support", "priority", "normal"}, 1},
		{"frontdesk_sla_met_total", []string{"department", "support", "kind", "first_response"}, 1},
		{"frontdesk_sla_breaches_total", []string{"department", "support", "kind", "first_response"}, 0},
		{"frontdesk_sla_first_response_seconds", []string{"department", "support"}, 1}, // observations
		{"frontdesk_sla_first_response_seconds", []string{"department", "sales"}, 0},
		{"frontdesk_sla_resolution_seconds", []string{"department", "support"}, 1},
	} {
		if got := metrictest.Sample(t, reg, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}

// TestResolvedCountedOncePerResolution: an agent's #resolve on a ticket
// resolved already (a last word to the customer, or a held #resolve
// reply released after another agent resolved it) is no new resolution:
// frontdesk_tickets_resolved_total and the resolution-time histogram
// count the ticket once; before, each such reply counted it again.
func TestResolvedCountedOncePerResolution(t *testing.T) {
	reg := prometheus.NewRegistry()
	var m *Metrics
	in, st := metricsIntake(t, reg, &m, Decision{Department: "support", Priority: "normal"})
	in.Router = twoDepts{}
	in.CollisionWindow = 10 * time.Minute
	ctx := context.Background()
	if _, err := in.Accept(ctx, env, []byte("From: c@customer.test\r\nSubject: help\r\n\r\nplease\r\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#resolve\nDescale it."); err != nil {
		t.Fatal(err)
	}
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#resolve\nOne more tip: use vinegar."); err != nil {
		t.Fatal(err)
	}
	if n, err := byMail(t, in, st, "support-agent@agents.test", "SUP-1001", "#resolve\nAll sorted."); err != nil || len(n) != 1 {
		t.Fatalf("the held reply: %v %q", err, n)
	}
	if _, err := byMail(t, in, st, "support-agent@agents.test", "SUP-1001", "#send"); err != nil {
		t.Fatal(err)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Resolved || replies(t, st) != 3 {
		t.Fatalf("status %s, %d replies", tk.Status, replies(t, st))
	}
	for _, c := range []struct {
		name   string
		labels []string
	}{
		{"frontdesk_tickets_resolved_total", []string{"department", "support", "priority", "normal"}},
		{"frontdesk_sla_resolution_seconds", []string{"department", "support"}},
	} {
		if got := metrictest.Sample(t, reg, c.name, c.labels...); got != 1 {
			t.Errorf("%s%v = %v, want 1", c.name, c.labels, got)
		}
	}
}

// TestCorrectionPairsExistAtZero: every ordered pair of distinct
// departments has its frontdesk_triage_corrections_total series at 0 from
// SetDepartments on, so the first #move of a pair is a step Prometheus's
// increase() sees (a series born at 1 is not); a reload that adds a
// department adds its pairs, one that drops a department drops them.
func TestCorrectionPairsExistAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, nil)
	pairs := func() map[string]float64 {
		t.Helper()
		return metrictest.Series(t, reg, "frontdesk_triage_corrections_total", "from", "to")
	}
	check := func(when string, want map[string]float64) {
		t.Helper()
		got := pairs()
		if len(got) != len(want) {
			t.Errorf("%s: series %v, want %v", when, got, want)
			return
		}
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				t.Errorf("%s: %s = %v (present %v), want %v", when, k, g, ok, v)
			}
		}
	}
	m.SetDepartments([]string{"support", "finance"})
	check("at start", map[string]float64{"support>finance": 0, "finance>support": 0})

	in, _, _, _ := newMoveIntake(t)
	in.m = m
	if _, err := in.Accept(context.Background(), agentEnv, agentMail("#move finance\r\n")); err != nil {
		t.Fatal(err)
	}
	check("after #move finance", map[string]float64{"support>finance": 1, "finance>support": 0})

	m.SetDepartments([]string{"support", "finance", "IT"})
	check("after a reload adding IT", map[string]float64{"support>finance": 1, "finance>support": 0,
		"support>IT": 0, "IT>support": 0, "finance>IT": 0, "IT>finance": 0})
	m.SetDepartments([]string{"support", "IT"})
	check("after a reload dropping finance", map[string]float64{"support>IT": 0, "IT>support": 0})
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}
