package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"frontdesk/faq"
	"frontdesk/reload"
	"frontdesk/store"
	"frontdesk/ticket"
	"frontdesk/web"
)

// faqSource is the FAQ catalog in force: the embedded demo, or the
// configured file watched and hot-reloaded like the rules.
type faqSource struct {
	static *faq.Catalog
	w      *reload.Watcher[faq.Catalog]
}

func newFAQSource(path string, reg prometheus.Registerer, log *slog.Logger) (*faqSource, error) {
	if path == "" {
		return &faqSource{static: faq.Demo()}, nil
	}
	reloads := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "faq", Name: "reloads_total",
		Help: "FAQ catalog reloads by result (success, failure); a failure keeps the catalog in force."}, []string{"result"})
	reloads.WithLabelValues("success")
	reloads.WithLabelValues("failure")
	reg.MustRegister(reloads)
	w, err := reload.New(path, faq.Load, reload.Options{Logger: log.With("what", "faq"), OnResult: func(ok bool, _ error) {
		if ok {
			reloads.WithLabelValues("success").Inc()
		} else {
			reloads.WithLabelValues("failure").Inc()
		}
	}})
	if err != nil {
		return nil, err
	}
	return &faqSource{w: w}, nil
}

func (f *faqSource) Current() *faq.Catalog {
	if f.w != nil {
		return f.w.Current()
	}
	return f.static
}

func (f *faqSource) Run(ctx context.Context) {
	if f.w != nil {
		f.w.Run(ctx)
	}
}

// publicTickets shows customers their tickets on the status page.
type publicTickets struct {
	st     *store.Store
	router *router
}

func (p publicTickets) PublicTicket(ctx context.Context, id string) (*web.PublicTicket, error) {
	var t *ticket.Ticket
	err := p.st.View(func(txn *store.Txn) error {
		var e error
		t, e = ticket.Get(txn, id)
		return e
	})
	if ticket.IsNotFound(err) {
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
		case "first_response":
			pt.FirstResponseDue, pt.FirstResponseAt = d.Due, d.MetAt
		case "resolution":
			pt.ResolutionDue = d.Due
		}
	}
	for _, e := range t.Timeline {
		switch e.Kind {
		case ticket.KindCustomer:
			pt.Timeline = append(pt.Timeline, web.PublicEntry{At: e.At, Who: "customer", Text: e.Text})
		case ticket.KindAgent:
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
