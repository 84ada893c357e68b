package web

import (
	"github.com/prometheus/client_golang/prometheus"

	mlang "github.com/frontdesk-mail/frontdesk/message"
)

// The pages counted by frontdesk_web_page_views_total.
const (
	pageIndex       = "faq_index"
	pageEntry       = "faq_entry"
	pageSearch      = "faq_search"
	pageSearchJSON  = "faq_search_json"
	pageStatus      = "ticket_status"
	pageNotFound    = "not_found"
	pageRateLimited = "rate_limited"
	pageError       = "error"
)

var pages = []string{pageIndex, pageEntry, pageSearch, pageSearchJSON, pageStatus, pageNotFound, pageRateLimited, pageError}

type metrics struct {
	views    *prometheus.CounterVec
	searches *prometheus.CounterVec
	tokens   *prometheus.CounterVec
	ratings  *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		views: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "web", Name: "page_views_total",
			Help: "Help-centre pages served, by page: " + joinPages() + ".",
		}, []string{"page"}),
		searches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "web", Name: "searches_total",
			Help: "Help-centre searches with a non-empty query, by result (hit: at least one entry; no_hit: none, what customers cannot find) and page language.",
		}, []string{"result", "lang"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "web", Name: "status_link_rejections_total",
			Help: "Status-page requests refused, by reason: invalid (bad or tampered token, 404), unknown (valid token, no such ticket, 404), rate_limited (429).",
		}, []string{"reason"}),
		ratings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "web", Name: "rating_posts_total",
			Help: "Rating confirmations posted on status pages, by result: recorded, unchanged (the rating in force sent again: a double click, a resubmitted form), refused (ticket not resolved, rating older than 7 days, no rating chosen).",
		}, []string{"result"}),
	}
	for _, r := range []string{"recorded", "unchanged", "refused"} {
		m.ratings.WithLabelValues(r)
	}
	for _, p := range pages {
		m.views.WithLabelValues(p)
	}
	for _, r := range []string{"hit", "no_hit"} {
		for _, l := range []string{string(mlang.English), string(mlang.Chinese)} {
			m.searches.WithLabelValues(r, l)
		}
	}
	for _, r := range []string{"invalid", "unknown", "rate_limited"} {
		m.tokens.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(m.views, m.searches, m.tokens, m.ratings)
	}
	return m
}

func joinPages() string {
	s := ""
	for i, p := range pages {
		if i > 0 {
			s += ", "
		}
		s += p
	}
	return s
}
