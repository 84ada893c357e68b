package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	mlang "github.com/frontdesk-mail/frontdesk/message"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// fakeTickets is a TicketSource over a map; an id in fail errors.
type fakeTickets struct {
	mu      sync.Mutex
	tickets map[string]*PublicTicket
	fail    map[string]bool
}

func (f *fakeTickets) PublicTicket(_ context.Context, id string) (*PublicTicket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail[id] {
		return nil, errors.New("store on fire")
	}
	t, ok := f.tickets[id]
	if !ok {
		return nil, ErrNotFound
	}
	c := *t
	return &c, nil
}

func (f *fakeTickets) set(id string, t *PublicTicket) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tickets[id] = t
}

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// demoTickets: two customers' tickets, one answered late, one open.
func demoTickets() *fakeTickets {
	opened := time.Date(2026, 11, 23, 9, 30, 0, 0, shanghai)
	return &fakeTickets{tickets: map[string]*PublicTicket{
		"t1": {
			Tag: "SUP-1042", Subject: "My kettle will not heat", Department: "Customer Support", Status: "answered", Lang: "en",
			Opened: opened, FirstResponseDue: opened.Add(4 * time.Hour), ResolutionDue: time.Date(2026, 11, 26, 18, 0, 0, 0, shanghai),
			FirstResponseAt: opened.Add(2*time.Hour + 15*time.Minute), Location: shanghai,
			Timeline: []PublicEntry{
				{At: opened, Who: "customer", Text: "Hello,\nmy KT-17 kettle stopped heating today. The light comes on but the water stays cold.\n\nAlice"},
				{At: opened.Add(2*time.Hour + 15*time.Minute), Who: "agent", Text: "Dear Alice,\nsorry to hear that. Please hold the power button for 10 seconds to reset the kettle. If it still does not heat, reply and we will arrange an exchange.\n\nBob, Customer Support"},
			},
		},
		"t2": {
			Tag: "SUP-1043", Subject: "电水壶不加热 Bob's secret order 12345", Department: "客户服务部", Status: "open", Lang: "zh",
			Opened: opened, FirstResponseDue: opened.Add(4 * time.Hour), ResolutionDue: time.Date(2026, 11, 26, 18, 0, 0, 0, shanghai),
			Location: shanghai,
			Timeline: []PublicEntry{{At: opened, Who: "customer", Text: "你好，我的电水壶不加热了。订单号 12345。"}},
		},
	}, fail: map[string]bool{}}
}

type testEnv struct {
	s       *Server
	reg     *prometheus.Registry
	tickets *fakeTickets
	tokens  *Tokens
	logs    *testenv.SyncBuffer
	now     time.Time
	nowMu   sync.Mutex
}

func (e *testEnv) clock() time.Time {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	return e.now
}

func (e *testEnv) advance(d time.Duration) {
	e.nowMu.Lock()
	defer e.nowMu.Unlock()
	e.now = e.now.Add(d)
}

// newEnv is a help centre over the demo FAQ and demoTickets; edit opts
// before New with the callback.
func newEnv(t testing.TB, edit func(*Options)) *testEnv {
	t.Helper()
	e := &testEnv{reg: prometheus.NewRegistry(), tickets: demoTickets(), logs: &testenv.SyncBuffer{},
		tokens: NewTokens(bytes.Repeat([]byte{7}, 32)),
		now:    time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)}
	opts := Options{
		FAQ:       faq.Demo,
		PublicURL: "http://help.test",
		SupportAddress: func(dept string) string {
			if dept == "" {
				dept = "support"
			}
			return dept + "@support.localhost"
		},
		DepartmentName: func(dept string, lang mlang.Language) string {
			return map[string]string{"support": "Customer Support", "sales": "Sales", "finance": "Billing", "hr": "Human Resources", "pr": "Press Office"}[dept]
		},
		Tickets:    e.tickets,
		Tokens:     e.tokens,
		Logger:     slog.New(slog.NewTextHandler(e.logs, nil)),
		Registerer: e.reg,
		Now:        e.clock,
		Brand:      "Acme Appliances",
	}
	if edit != nil {
		edit(&opts)
	}
	e.s = New(opts)
	return e
}

type response struct {
	code int
	h    http.Header
	body string
}

// get serves one GET through a mux with the help centre registered, as the
// lead's server does.
func (e *testEnv) get(t testing.TB, target string, hdr ...string) response {
	t.Helper()
	return e.do(t, httptest.NewRequest("GET", target, nil), hdr...)
}

func (e *testEnv) do(t testing.TB, r *http.Request, hdr ...string) response {
	t.Helper()
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	mux := http.NewServeMux()
	e.s.Register(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return response{code: w.Code, h: w.Result().Header, body: string(b)}
}

func mustContain(t testing.TB, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q:\n%s", s, clip(body))
		}
	}
}

func mustNotContain(t testing.TB, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("body contains %q:\n%s", s, clip(body))
		}
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
