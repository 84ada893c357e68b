package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	mlang "github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// ErrNotFound is what a TicketSource returns (or wraps) for a ticket that
// does not exist; the page is then a 404 like any bad link.
var ErrNotFound = errors.New("ticket not found")

// TicketSource gives the customer's view of one ticket. The ticket
// package implements it; the help centre only reads.
type TicketSource interface {
	// PublicTicket returns the ticket with this id, or an error wrapping
	// ErrNotFound when there is none (a nil ticket counts as none too).
	PublicTicket(ctx context.Context, id string) (*PublicTicket, error)
}

// PublicTicket is what a customer may see of a ticket: nothing of agents'
// addresses, headers, internal notes or other customers.
type PublicTicket struct {
	Tag        string // "SUP-1042"
	Subject    string
	Department string // display name
	// DepartmentID is optional: when set, Chinese pages show the built-in
	// Chinese name of a well-known department instead of an English-only
	// display name (see Options.DepartmentName).
	DepartmentID string
	Status       string         // open | answered | waiting | resolved
	Lang         mlang.Language // the customer's language
	Opened       time.Time
	// The SLA tracker's deadlines; zero: no such promise.
	FirstResponseDue, ResolutionDue time.Time
	// When they happened; zero: not yet.
	FirstResponseAt, ResolvedAt time.Time
	// Location is the SLA calendar's zone, for showing times; nil: UTC.
	Location *time.Location
	// Timeline is the public conversation, oldest first.
	Timeline []PublicEntry
	// MergedInto is the ticket this one was merged into ("" none), with
	// the link to its page when it is the same customer's (else "").
	MergedInto, MergedURL string
	// Rating is the customer's rating of the current resolution ("" none)
	// and Ratable whether they may rate or change it now.
	Rating, RatingComment string
	Ratable               bool
}

// PublicEntry is one message of the public conversation.
type PublicEntry struct {
	At   time.Time
	Who  string // "customer" | "agent"
	Text string // already stripped of quoted history; never internal notes
}

// promise is one deadline as the page shows it.
type promise struct {
	Label   string
	Due     string // "" when there is no deadline
	DueISO  string
	Outcome string // met | missed | pending | overdue | ""
	Verdict string // translated outcome
	Detail  string // "replied Monday 23 November, 15:02 (…)"
}

type timelineItem struct {
	Who, WhoClass string
	At, AtISO     string
	Paragraphs    []string
}

type statusBody struct {
	Tag, Subject, Department string
	State, StateClass        string
	StateText                string
	Opened, OpenedISO        string
	Promises                 []promise
	Timeline                 []timelineItem
	MergedInto, MergedURL    string
	Rating                   *ratingBody
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	if s.opts.Tokens == nil || s.opts.Tickets == nil {
		s.notFound(w, r)
		return
	}
	key := s.opts.ClientKey(r)
	now := s.opts.Now()
	if s.tooManyFailures(w, r, key, now) {
		return
	}
	id, ok := s.opts.Tokens.Verify(r.PathValue("token"))
	if !ok {
		s.limiter.fail(key, now)
		s.m.tokens.WithLabelValues("invalid").Inc()
		s.notFound(w, r)
		return
	}
	s.statusPage(w, r, id, http.StatusOK, nil)
}

// statusPage renders the page of ticket id with code; notice, when set,
// says why a rating was refused.
func (s *Server) statusPage(w http.ResponseWriter, r *http.Request, id string, code int, notice func(*ui) string) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	now := s.opts.Now()
	t, err := s.opts.Tickets.PublicTicket(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && t == nil) {
		// a genuine link to a ticket that is gone: not a guess, not counted
		s.m.tokens.WithLabelValues("unknown").Inc()
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.log.Error("web: ticket for status page", "ticket", id, "err", err)
		s.serverError(w, r)
		return
	}
	// without a browser preference: the language the customer wrote in
	p := s.newPageFallback(r, string(t.Lang))
	p.NoIndex = true
	b := s.statusBody(t, p.UI, now)
	b.Rating = s.ratingSection(t, p.UI, r, p)
	if notice != nil && b.Rating != nil {
		b.Rating.Notice, b.Rating.NoticeBad = notice(p.UI), true
	}
	p.Body = b
	p.Title = p.UI.StatusTitle
	if t.Tag != "" {
		p.Title += " " + t.Tag
	}
	s.render(w, r, code, "status", pageStatus, p)
}

func (s *Server) statusBody(t *PublicTicket, u *ui, now time.Time) statusBody {
	loc := t.Location
	if loc == nil {
		loc = time.UTC
	}
	when := func(x time.Time) string { return sla.Describe(x.In(loc), string(u.Lang)) }
	state := strings.ToLower(strings.TrimSpace(t.Status))
	dept := t.Department
	if t.DepartmentID != "" {
		if n := s.deptName(t.DepartmentID, u); n != "" && (dept == "" || !hasHan(dept) && u.Lang == mlang.Chinese) {
			dept = n
		}
	}
	b := statusBody{
		Tag: t.Tag, Subject: t.Subject, Department: dept, MergedInto: t.MergedInto, MergedURL: t.MergedURL,
		State: u.State(state), StateClass: "state-" + classSafe(state), StateText: u.StateText(state),
	}
	if !t.Opened.IsZero() {
		b.Opened, b.OpenedISO = when(t.Opened), t.Opened.UTC().Format(time.RFC3339)
	}
	// A resolved ticket's clocks stopped when it was resolved: a promise
	// not kept by then is judged at that time, not at now.
	resolved := t.ResolvedAt
	stopped := state == "resolved" && !resolved.IsZero()
	mk := func(label string, due, done time.Time, doneText func(string) string) promise {
		p := promise{Label: label}
		if due.IsZero() {
			p.Due = u.NoPromise
			if !done.IsZero() {
				p.Detail = doneText(when(done))
			}
			return p
		}
		p.Due, p.DueISO = when(due), due.UTC().Format(time.RFC3339)
		switch {
		case !done.IsZero() && !done.After(due):
			p.Outcome, p.Verdict = "met", u.OutcomeMet
		case !done.IsZero():
			p.Outcome, p.Verdict = "missed", u.OutcomeMissed
		case stopped && resolved.After(due):
			// resolved late, never answered: it was late, it is not now
			p.Outcome, p.Verdict = "missed", u.OutcomeMissed
		case stopped:
			// resolved (through the API, merged) before it was due:
			// nothing was owed any more
			p.Outcome, p.Verdict, p.Detail = "stopped", u.OutcomeStopped, u.Resolved(when(resolved))
		case now.After(due):
			p.Outcome, p.Verdict, p.Detail = "overdue", u.OutcomeLate, u.LateApology
		default:
			p.Outcome, p.Verdict = "pending", u.OutcomePending
		}
		if !done.IsZero() {
			p.Detail = doneText(when(done))
		}
		return p
	}
	b.Promises = []promise{
		mk(u.FirstResponse, t.FirstResponseDue, t.FirstResponseAt, u.Answered),
		mk(u.Resolution, t.ResolutionDue, t.ResolvedAt, u.Resolved),
	}
	for _, e := range t.Timeline {
		it := timelineItem{At: when(e.At), AtISO: e.At.UTC().Format(time.RFC3339), Paragraphs: paragraphs(e.Text)}
		if e.Who == "customer" {
			it.Who, it.WhoClass = u.WhoCustomer, "from-customer"
		} else {
			it.Who, it.WhoClass = dept, "from-agent"
			if it.Who == "" {
				it.Who = u.HelpCentre
			}
		}
		b.Timeline = append(b.Timeline, it)
	}
	return b
}

// classSafe keeps a CSS class name to [a-z-].
func classSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r == '-' {
			return r
		}
		return -1
	}, s)
}

// tooManyFailures answers 429 to a client whose bad status links have
// blocked it for now (status pages and the rating button alike), and
// reports whether it did.
func (s *Server) tooManyFailures(w http.ResponseWriter, r *http.Request, key string, now time.Time) bool {
	if !s.limiter.blocked(key, now) {
		return false
	}
	s.m.tokens.WithLabelValues("rate_limited").Inc()
	w.Header().Set("Retry-After", strconv.Itoa(int(s.limiter.retryAfter().Seconds()+0.5)))
	p := s.newPage(r)
	p.Title, p.NoIndex = p.UI.TooManyTitle, true
	p.Body = message{p.UI.TooManyTitle, p.UI.TooManyText}
	s.render(w, r, http.StatusTooManyRequests, "message", pageRateLimited, p)
	return true
}
