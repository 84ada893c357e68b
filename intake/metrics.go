package intake

import (
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Metrics counts messages by result; ticket events go to Tickets.
type Metrics struct {
	messages *prometheus.CounterVec
	bytes    prometheus.Counter
	acks     *prometheus.CounterVec
	Tickets  *ticket.Metrics
	// corrections: #move, by from and to department (triage accuracy);
	// ackLinks: each link an acknowledgement carried, judged by the first
	// agent reply that sends FAQ links: sent or not_sent (link precision).
	corrections *prometheus.CounterVec
	ackLinks    *prometheus.CounterVec

	mu    sync.Mutex
	depts []string // the departments whose correction pairs exist
}

// SuppressReasons are the reasons an acknowledgement is not sent (a fixed
// set: metric labels): the ack package's, and a rule's "ack: none".
var SuppressReasons = append(slices.Clone(ack.Reasons), "template_none")

// NewMetrics registers intake metrics on reg.
func NewMetrics(reg prometheus.Registerer, tm *ticket.Metrics) *Metrics {
	m := &Metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Name: "messages_total",
			Help: "Messages that reached the end of DATA, by result (accepted, discarded, rejected, tempfail) and reason.",
		}, []string{"result", "reason"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "frontdesk", Name: "message_bytes_total", Help: "Bytes of accepted messages.",
		}),
		acks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "acks", Name: "total",
			Help: "Acknowledgements by result (sent, suppressed, failed) and reason (ok, why it was suppressed, or build_error).",
		}, []string{"result", "reason"}),
		Tickets: tm,
		corrections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "triage", Name: "corrections_total",
			Help: "Tickets agents moved to another department (#move), by from and to department.",
		}, []string{"from", "to"}),
		ackLinks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "faq", Name: "ack_links_judged_total",
			Help: "FAQ links of acknowledgements, judged when an agent first answers the ticket with FAQ links: sent (the agent sent it too) or not_sent.",
		}, []string{"result"}),
	}
	for _, rr := range [][2]string{{"accepted", "ok"}, {"accepted", "unparseable"}, {"accepted", "agent"}, {"discarded", "rule"},
		{"rejected", "rule"}, {"rejected", "agent_target"}, {"rejected", "empty"}, {"rejected", "auth_tempfail"}, {"tempfail", "store"}} {
		m.messages.WithLabelValues(rr[0], rr[1])
	}
	m.acks.WithLabelValues("sent", "ok")
	m.acks.WithLabelValues("failed", "build_error")
	for _, r := range SuppressReasons {
		m.acks.WithLabelValues("suppressed", r)
	}
	m.ackLinks.WithLabelValues("sent")
	m.ackLinks.WithLabelValues("not_sent")
	reg.MustRegister(m.messages, m.bytes, m.acks, m.corrections, m.ackLinks)
	return m
}

// SetDepartments creates the correction series of every ordered pair of
// distinct departments at zero, so that increase() counts the first #move
// of a pair too, and removes the pairs of departments a reload dropped.
// The gateway calls it at start and after each rules reload, beside
// ticket.Metrics.SetDepartments.
func (m *Metrics) SetDepartments(depts []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keep := map[string]bool{}
	for _, d := range depts {
		keep[d] = true
	}
	for _, from := range m.depts {
		for _, to := range m.depts {
			if from != to && (!keep[from] || !keep[to]) {
				m.corrections.DeleteLabelValues(from, to)
			}
		}
	}
	for _, from := range depts {
		for _, to := range depts {
			if from != to {
				m.corrections.WithLabelValues(from, to)
			}
		}
	}
	m.depts = slices.Clone(depts)
}

func (in *Intake) count(result, reason string) {
	if in.m != nil {
		in.m.messages.WithLabelValues(result, reason).Inc()
	}
}

// observeTicket records ticket events after a commit.
func (in *Intake) observeTicket(out outcome) {
	if in.m == nil {
		return
	}
	t := out.ticket
	if in.m.Tickets != nil {
		if out.opened {
			in.m.Tickets.Opened(t)
		}
		if out.agent == "" && (out.opened || out.ticket != nil) {
			in.m.Tickets.Message(t)
		}
		if out.agent == "reply" {
			cal, _ := in.Router.Calendar(t.Policy.Calendar)
			if t.FirstResponseAt.Equal(t.Updated) {
				in.m.Tickets.FirstResponse(t, cal.Between(t.Created, t.FirstResponseAt))
			}
			for _, d := range t.Deadlines {
				if (d.Kind == sla.FirstResponse || d.Kind == sla.NextResponse) && d.MetAt.Equal(t.Updated) {
					in.m.Tickets.Met(t, d.Kind)
				}
			}
		}
		if out.agent == "held" {
			in.m.Tickets.HeldReply(t.Department, "held")
		}
		if out.resolved {
			cal, _ := in.Router.Calendar(t.Policy.Calendar)
			in.m.Tickets.Resolved(t, cal.Between(t.Created, t.ResolvedAt))
		}
	}
	if out.opened && in.Acker != nil {
		if out.ackErr != nil {
			in.m.acks.WithLabelValues("failed", "build_error").Inc()
		} else if out.suppressed != "" {
			in.m.acks.WithLabelValues("suppressed", out.suppressed).Inc()
		} else {
			in.m.acks.WithLabelValues("sent", "ok").Inc()
		}
	}
}
