package gateway

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/mail"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// Trace is what serve would do with one mail, for `rules test`: the
// decision, the rules that made it and why, and the FAQ links of its
// acknowledgement. Its JSON is `rules test --json`, one object per mail.
type Trace struct {
	File       string       `json:"file"`
	Department string       `json:"department"`
	Priority   string       `json:"priority"`
	Tags       []string     `json:"tags"`
	Matched    []TraceMatch `json:"matched"`
	Action     string       `json:"action"`
	Ack        string       `json:"ack"`
	Reject     string       `json:"reject"`
	// RejectCode is the SMTP reply code and enhanced code of a refusal
	// ("550 5.7.1" for a rule's reject, "554 5.6.0" for an empty message).
	RejectCode string `json:"reject_code,omitempty"`
	// Refused says serve refuses the mail before routing it (an empty
	// message): no department, rule or acknowledgement applies.
	Refused bool         `json:"refused,omitempty"`
	FAQ     []string     `json:"faq"`
	About   []TraceTopic `json:"about,omitempty"`
	// ByAddress says the recipient address (or the default department)
	// decided the department, and why the content did not; absent when
	// a rule did (rules.Decision.ByAddress).
	ByAddress string    `json:"by_address,omitempty"`
	SLA       *TraceSLA `json:"sla,omitempty"`
	// AckSuppressed says why no acknowledgement (and so no FAQ link)
	// would go out: the action, "ack: none", or the RFC 3834 reason.
	AckSuppressed string `json:"ack_suppressed,omitempty"`
	Error         string `json:"error,omitempty"`

	Decision rules.Decision `json:"-"`
}

// TraceMatch is one rule that matched, at its line, and why.
type TraceMatch struct {
	Rule string   `json:"rule"`
	Line int      `json:"line"`
	Why  []string `json:"why"`
}

// TraceTopic is what the classifier made of the mail, when an "about"
// condition asked it.
type TraceTopic struct {
	Department string   `json:"department"`
	Confidence float64  `json:"confidence"`
	FAQ        []string `json:"faq"`
	// PreSale: asked before buying, the product's support entries counted
	// for sales (faq.Topic.PreSale).
	PreSale bool `json:"pre_sale,omitempty"`
	// Learned is the part of Confidence learned examples give.
	Learned float64 `json:"learned,omitempty"`
}

// TraceSLA is the decision's SLA policy, durations as the rules file
// writes them.
type TraceSLA struct {
	FirstResponse string  `json:"first_response,omitempty"`
	NextResponse  string  `json:"next_response,omitempty"`
	Resolution    string  `json:"resolution,omitempty"`
	Calendar      string  `json:"calendar,omitempty"`
	WarnAt        float64 `json:"warn_at,omitempty"`
}

// ParseRcpt is an envelope recipient given to `rules test --rcpt`: an
// address local@domain (angle brackets allowed), nothing else.
func ParseRcpt(v string) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" {
		return "", errors.New("not a mail address: want local@domain, e.g. support@example.com")
	}
	return a.Address, nil
}

// ParseNow is the evaluation time given to `rules test --now`.
func ParseNow(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, errors.New("want RFC 3339, e.g. 2026-12-07T10:00:00Z")
	}
	return t, nil
}

// FailedTrace is the trace of a file that could not be read.
func FailedTrace(file string, err error) Trace {
	return Trace{File: file, Tags: []string{}, Matched: []TraceMatch{}, FAQ: []string{}, Error: err.Error()}
}

// Trace routes m (parsed from raw) as serve would at now and says what
// would follow. There is no envelope: the From address stands for the
// sender. A mail serve refuses before routing it (intake.Refusal: an
// empty message) is traced as that refusal, with no department.
func (f *Files) Trace(file string, raw []byte, m *message.Message, now time.Time) Trace {
	if r := intake.Refusal(raw); r != nil {
		return Trace{File: file, Tags: []string{}, Matched: []TraceMatch{}, FAQ: []string{}, Action: "reject",
			Reject: r.Text, RejectCode: rejectCode(r), Refused: true, AckSuppressed: "reject"}
	}
	d := f.Rules.EvaluateWith(m, now, f.FAQ)
	out := Trace{
		File: file, Department: d.Department, Priority: d.Priority,
		Tags: append([]string{}, d.Tags...), Matched: []TraceMatch{}, Action: d.Action(),
		Ack: d.Ack, Reject: d.Reject, ByAddress: d.ByAddress, Decision: d,
	}
	if d.Reject != "" {
		out.RejectCode = rejectCode(&intake.RejectedError{Text: d.Reject})
	}
	out.FAQ, out.AckSuppressed = f.AckLinks(m, m.From.Address, d)
	for _, mt := range d.Matched {
		out.Matched = append(out.Matched, TraceMatch{Rule: mt.Rule, Line: mt.Line, Why: append([]string{}, mt.Why...)})
	}
	for _, t := range d.Topics {
		out.About = append(out.About, TraceTopic{Department: t.Department, Confidence: math.Round(t.Confidence*1000) / 1000, FAQ: append([]string{}, t.Entries...),
			Learned: math.Round(t.Learned*1000) / 1000, PreSale: t.PreSale})
	}
	if p := d.SLA; p != nil {
		s := &TraceSLA{Calendar: p.Calendar, WarnAt: p.WarnAt}
		if p.FirstResponse != (sla.Duration{}) {
			s.FirstResponse = p.FirstResponse.String()
		}
		if p.NextResponse != (sla.Duration{}) {
			s.NextResponse = p.NextResponse.String()
		}
		if p.Resolution != (sla.Duration{}) {
			s.Resolution = p.Resolution.String()
		}
		out.SLA = s
	}
	return out
}

// rejectCode is r's SMTP reply code and enhanced code, "550 5.7.1".
func rejectCode(r *intake.RejectedError) string {
	code, e, _ := r.RejectionStatus()
	return fmt.Sprintf("%d %d.%d.%d", code, e[0], e[1], e[2])
}

// WriteText writes the trace as `rules test` prints it, with r's
// department names.
func (t Trace) WriteText(w io.Writer, r *rules.Rules) {
	d := t.Decision
	fmt.Fprintln(w, t.File)
	if t.Refused {
		fmt.Fprintf(w, "  action:     reject (%s %s)\n", t.RejectCode, t.Reject)
		fmt.Fprintln(w, "  refused before routing: no department, no rule, no acknowledgement")
		return
	}
	name := ""
	if dep, ok := r.Department(d.Department); ok && dep.Name != dep.Key {
		name = " (" + dep.Name + ")"
	}
	fmt.Fprintf(w, "  department: %s%s\n", d.Department, name)
	fmt.Fprintf(w, "  priority:   %s\n", d.Priority)
	tags := "-"
	if len(d.Tags) > 0 {
		tags = strings.Join(d.Tags, ", ")
	}
	fmt.Fprintf(w, "  tags:       %s\n", tags)
	ack := d.Ack
	if ack == "" {
		ack = "default template"
	}
	fmt.Fprintf(w, "  ack:        %s\n", ack)
	switch d.Action() {
	case "reject":
		fmt.Fprintf(w, "  action:     reject (%s %s)\n", t.RejectCode, d.Reject)
	default:
		fmt.Fprintf(w, "  action:     %s\n", d.Action())
	}
	if p := d.SLA; p != nil {
		var parts []string
		if p.FirstResponse != (sla.Duration{}) {
			parts = append(parts, "first response "+p.FirstResponse.String())
		}
		if p.NextResponse != (sla.Duration{}) {
			parts = append(parts, "next response "+p.NextResponse.String())
		}
		if p.Resolution != (sla.Duration{}) {
			parts = append(parts, "resolution "+p.Resolution.String())
		}
		cal := "24x7"
		if p.Calendar != "" {
			cal = "calendar " + p.Calendar
		}
		parts = append(parts, cal)
		fmt.Fprintf(w, "  sla:        %s\n", strings.Join(parts, ", "))
	}
	if len(d.Topics) > 0 {
		var parts []string
		for _, t := range d.Topics {
			part := fmt.Sprintf("%s %.2f", t.Department, t.Confidence)
			basis := strings.TrimPrefix(strings.TrimPrefix(rules.TopicBasis(t, "; "), "; "), "FAQ topics ")
			if t.PreSale {
				basis += "; asked before buying"
			}
			if basis = strings.TrimPrefix(basis, "; "); basis != "" {
				part += " (" + basis + ")"
			}
			parts = append(parts, part)
		}
		fmt.Fprintf(w, "  about:      %s\n", strings.Join(parts, "; "))
	}
	if d.ByAddress != "" {
		fmt.Fprintf(w, "  routed by:  %s\n", d.ByAddress)
	}
	if len(d.Matched) == 0 {
		fmt.Fprintln(w, "  matched:    no rule (routed by recipient address or default)")
	} else {
		fmt.Fprintln(w, "  matched:")
	}
	for _, mt := range d.Matched {
		fmt.Fprintf(w, "    - %s (line %d): %s\n", mt.Rule, mt.Line, strings.Join(mt.Why, "; "))
	}
	switch {
	case len(t.FAQ) > 0:
		fmt.Fprintf(w, "  faq:        %s\n", strings.Join(t.FAQ, ", "))
	case t.AckSuppressed != "" && t.Action == "relay" && t.Ack != "none":
		fmt.Fprintf(w, "  faq:        - (no acknowledgement: %s)\n", t.AckSuppressed)
	default:
		fmt.Fprintf(w, "  faq:        -\n")
	}
}
