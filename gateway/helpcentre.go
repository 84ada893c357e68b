package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
	"github.com/frontdesk-mail/frontdesk/web"
)

// newFAQSource is the FAQ catalog in force: the embedded demo, or the
// configured file watched and hot-reloaded like the rules; onReload, when
// set, is called with each catalog reloaded.
func newFAQSource(path string, reg prometheus.Registerer, log *slog.Logger, onReload func(*faq.Catalog)) (*source[faq.Catalog], error) {
	return newSource("faq", path, demoFAQ, faq.Load, reg, log, onReload)
}

// starterChoice is the choice of the starter examples serve made at start
// (learn.StarterFor), which stands until it restarts. A FAQ catalog
// reloaded since that would have made the other choice is said in the
// log: the dry runs (rules test -c, faq suggest -c), which decide on the
// catalog as it is now, then differ from the running server.
type starterChoice struct {
	decided bool // learning is on and learn.starter unset: the catalog decided
	used    bool
	log     *slog.Logger
}

// reloaded implements newFAQSource's onReload.
func (c *starterChoice) reloaded(cat *faq.Catalog) {
	if !c.decided {
		return
	}
	all, err := learn.Starter()
	if err != nil {
		return
	}
	switch fits := learn.StarterFits(cat, all); {
	case c.used && !fits:
		c.log.Warn("starter examples", "use", true, "why", "chosen at start, until restart; the reloaded FAQ catalog lacks entries they name, so after a restart they are not used (learn.starter: true keeps them)")
	case !c.used && fits:
		c.log.Warn("starter examples", "use", false, "why", "chosen at start, until restart; the reloaded FAQ catalog has every entry they name, so after a restart they are used (learn.starter: false keeps them out)")
	}
}

// publicTickets shows customers their tickets on the status page.
type publicTickets struct {
	st        *store.Store
	router    *router
	tokens    *web.Tokens
	publicURL string
	now       func() time.Time
}

func (p publicTickets) PublicTicket(ctx context.Context, id string) (*web.PublicTicket, error) {
	var t *ticket.Ticket
	err := p.st.View(func(txn *store.Txn) error {
		var e error
		t, e = ticket.Get(txn, id)
		return e
	})
	if ticket.IsNotFound(err) || (err == nil && !t.Erased.IsZero()) {
		// An erased customer's status page goes with their data.
		return nil, fmt.Errorf("%s: %w", id, web.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	pt := &web.PublicTicket{Tag: t.Tag, Subject: t.Subject, Status: t.Status, Lang: t.Lang, Opened: t.Created, ResolvedAt: t.ResolvedAt}
	pt.Department, pt.DepartmentID = t.Department, t.Department
	if d, ok := p.router.Department(t.Department); ok && d.Name != "" {
		pt.Department = d.Name
	}
	if cal, ok := p.router.Calendar(t.Policy.Calendar); ok && cal != nil {
		pt.Location = cal.Location
	}
	for _, d := range t.Deadlines {
		switch d.Kind {
		case sla.FirstResponse:
			pt.FirstResponseDue, pt.FirstResponseAt = d.Due, d.MetAt
		case sla.Resolution:
			pt.ResolutionDue = d.Due
		}
	}
	if t.MergedInto != "" {
		pt.MergedInto = t.MergedInto
		var into *ticket.Ticket
		if p.st.View(func(txn *store.Txn) error { var e error; into, e = ticket.Get(txn, t.MergedInto); return e }) == nil &&
			into.Customer == t.Customer && p.tokens != nil {
			// only to the same customer's ticket: another's is not theirs to see
			pt.MergedURL = p.tokens.URL(p.publicURL, into.Tag, t.Lang)
		}
	}
	if t.Status == ticket.Resolved && t.MergedInto == "" {
		now := time.Now()
		if p.now != nil {
			now = p.now()
		}
		r := t.Rating
		current := r != nil && r.Resolution.Equal(t.ResolvedAt)
		if current {
			pt.Rating, pt.RatingComment = r.Value, r.Comment
		}
		pt.Ratable = !current || now.Sub(r.First) <= ticket.RatingWindow
	}
	for _, e := range t.Timeline {
		switch e.Kind {
		case ticket.KindCustomer:
			pt.Timeline = append(pt.Timeline, web.PublicEntry{At: e.At, Who: "customer", Text: e.Text})
		case ticket.KindAgent:
			if e.OtherCustomer {
				continue // an answer to another customer, merged in
			}
			pt.Timeline = append(pt.Timeline, web.PublicEntry{At: e.At, Who: "agent", Text: e.Text})
		}
	}
	return pt, nil
}

// dnsResolver asks one DNS server (tests point it at a local fake; ops at
// a validating resolver); empty uses the system's.
func dnsResolver(server string) *net.Resolver {
	if server == "" {
		return net.DefaultResolver
	}
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		d := net.Dialer{Timeout: 5 * time.Second}
		return d.DialContext(ctx, network, server)
	}}
}
