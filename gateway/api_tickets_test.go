package gateway

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
	"github.com/frontdesk-mail/frontdesk/web"
)

// resolveAPI is the ticket API over a store holding one open ticket per
// customer in customers (tag SUP-1001, SUP-1002, … in that order, the
// customer's first mail <mN@customer.test>), with the gateway's
// resolution notices built from templates.
type resolveAPI struct {
	st      *store.Store
	handler http.Handler
	reg     *prometheus.Registry
	builder customerNotices
}

func newResolveAPI(t *testing.T, templates *ack.Templates, customers ...ticket.Ticket) resolveAPI {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Default()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := prometheus.NewRegistry()
	r, err := newRouter(cfg, reg, log)
	if err != nil {
		t.Fatal(err)
	}
	tm := ticket.NewMetrics(reg, st)
	tm.SetDepartments([]string{"support"})
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	in := intake.New(intake.Options{Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil), Router: r,
		Hostname: cfg.Hostname, Metrics: intake.NewMetrics(reg, tm), Log: log})
	in.Now = func() time.Time { return now }
	notices := customerNotices{templates: func() *ack.Templates { return templates }, router: r,
		tokens: web.NewTokens([]byte("0123456789abcdef0123")), publicURL: "https://help.example", hostname: cfg.Hostname,
		domain: cfg.Domains[0], ours: ours(cfg)}
	in.ResolveNotice = notices.resolved
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		for i, c := range customers {
			tk := c
			tk.Tag, tk.Number = "SUP-"+strconv.Itoa(1001+i), uint64(1001+i)
			tk.Department, tk.Priority, tk.Status = "support", "normal", ticket.Open
			tk.Created, tk.Updated = now.Add(-time.Hour), now.Add(-time.Hour)
			mid := "m" + strconv.Itoa(i+1) + "@customer.test"
			tk.MessageIDs = []string{mid}
			tk.Timeline = []ticket.Entry{{At: tk.Created, Kind: ticket.KindCustomer, MessageID: mid, From: tk.Customer, Subject: tk.Subject}}
			if err := ticket.Put(txn, nil, &tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	ticketAPI(mux, "secret-token", st, in, func() []string { return departmentKeys(r.current()) })
	return resolveAPI{st: st, handler: mux, reg: reg, builder: notices}
}

// resolve POSTs the API's resolve and returns the status code.
func (a resolveAPI) resolve(t *testing.T, tag, query string) int {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/tickets/"+tag+"/resolve"+query, nil)
	req.Header.Set("Authorization", "Bearer secret-token")
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec.Code
}

// notices are the queued resolution notices of tag, parsed.
func (a resolveAPI) notices(t *testing.T, tag string) []*message.Message {
	t.Helper()
	items, err := queue.List(a.st)
	if err != nil {
		t.Fatal(err)
	}
	var out []*message.Message
	for _, it := range items {
		if it.Ticket != tag {
			continue
		}
		if it.Kind != queue.Resolved || it.Target != queue.Outbound {
			t.Errorf("%s: queued %s/%s, want only outbound/resolved", tag, it.Target, it.Kind)
			continue
		}
		var raw []byte
		if err := a.st.View(func(txn *store.Txn) error { raw, err = txn.GetRaw(it.BodyID); return err }); err != nil {
			t.Fatal(err)
		}
		m, err := message.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if len(it.To) != 1 || it.To[0] != m.To[0].Address {
			t.Errorf("%s: queued to %v, mail to %v", tag, it.To, m.To)
		}
		out = append(out, m)
	}
	return out
}

// counter is the value of a counter's series for department.
func (a resolveAPI) counter(t *testing.T, name, department string) float64 {
	t.Helper()
	mfs, err := a.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "department" && l.GetValue() == department {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no %s{department=%q}", name, department)
	return 0
}

func (a resolveAPI) ticket(t *testing.T, tag string) *ticket.Ticket {
	t.Helper()
	var tk *ticket.Ticket
	if err := a.st.View(func(txn *store.Txn) (err error) { tk, err = ticket.Get(txn, tag); return err }); err != nil {
		t.Fatal(err)
	}
	return tk
}

// Resolving through the API mails the customer once, in their language,
// threaded to their mail, with the one-click rating links of the
// ticket's status page; ?notify=false and a second resolve mail nobody.
func TestAPIResolveNotifiesCustomer(t *testing.T) {
	builtin, err := ack.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a := newResolveAPI(t, builtin,
		ticket.Ticket{Customer: "bob@example.com", CustomerName: "Bob Smith", Subject: "Kettle broken"},
		ticket.Ticket{Customer: "li.wei@example.cn", CustomerName: "李伟", Subject: "水壶坏了", Lang: message.Chinese},
		ticket.Ticket{Customer: "ann@example.com", Subject: "quiet please"},
		ticket.Ticket{Customer: "no-reply@shop.example", Subject: "Your order"},
	)

	if code := a.resolve(t, "SUP-1001", ""); code != http.StatusOK {
		t.Fatalf("resolve: %d", code)
	}
	ms := a.notices(t, "SUP-1001")
	if len(ms) != 1 {
		t.Fatalf("%d notices after resolving SUP-1001, want 1", len(ms))
	}
	m := ms[0]
	if m.To[0].Address != "bob@example.com" || m.Subject != "[SUP-1001] Re: Kettle broken" ||
		!slices.Equal(m.InReplyTo, []string{"m1@customer.test"}) {
		t.Errorf("notice: to %v, subject %q, in-reply-to %v", m.To, m.Subject, m.InReplyTo)
	}
	for _, want := range []string{"Dear Bob Smith,", "Your request SUP-1001 (\"Kettle broken\") has been resolved.",
		"Good: https://help.example/t/", "?rate=good", "Bad:  https://help.example/t/", "?rate=bad"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("English notice lacks %q:\n%s", want, m.Text)
		}
	}
	tk := a.ticket(t, "SUP-1001")
	if tk.Status != ticket.Resolved || !slices.Contains(tk.MessageIDs, m.MessageID) {
		t.Errorf("ticket %s, message ids %v lack the notice's %s", tk.Status, tk.MessageIDs, m.MessageID)
	}

	// Resolved already: 200, the ticket as it is, no second notice.
	if code := a.resolve(t, "SUP-1001", ""); code != http.StatusOK {
		t.Fatalf("second resolve: %d", code)
	}
	if n := len(a.notices(t, "SUP-1001")); n != 1 {
		t.Errorf("%d notices after resolving twice, want 1", n)
	}

	if code := a.resolve(t, "SUP-1002", ""); code != http.StatusOK {
		t.Fatalf("resolve zh: %d", code)
	}
	if ms := a.notices(t, "SUP-1002"); len(ms) != 1 {
		t.Errorf("%d Chinese notices, want 1", len(ms))
	} else {
		for _, want := range []string{"您的请求 SUP-1002（“水壶坏了”）已处理完毕。", "满意：https://help.example/t/", "lang=zh&rate=good", "lang=zh&rate=bad"} {
			if !strings.Contains(ms[0].Text, want) {
				t.Errorf("Chinese notice lacks %q:\n%s", want, ms[0].Text)
			}
		}
	}

	// A bad notify is refused before anything changes; notify=false
	// resolves without mail.
	if code := a.resolve(t, "SUP-1003", "?notify=maybe"); code != http.StatusBadRequest {
		t.Errorf("notify=maybe: %d, want 400", code)
	}
	if tk := a.ticket(t, "SUP-1003"); tk.Status == ticket.Resolved {
		t.Error("notify=maybe resolved the ticket")
	}
	if code := a.resolve(t, "SUP-1003", "?notify=false"); code != http.StatusOK {
		t.Fatalf("notify=false: %d", code)
	}
	if tk := a.ticket(t, "SUP-1003"); tk.Status != ticket.Resolved {
		t.Errorf("notify=false: ticket %s", tk.Status)
	}
	if n := len(a.notices(t, "SUP-1003")); n != 0 {
		t.Errorf("notify=false queued %d notices", n)
	}

	// An address nobody reads gets nothing; the timeline says why.
	if code := a.resolve(t, "SUP-1004", ""); code != http.StatusOK {
		t.Fatalf("resolve robot: %d", code)
	}
	if n := len(a.notices(t, "SUP-1004")); n != 0 {
		t.Errorf("robot customer got %d notices", n)
	}
	tk = a.ticket(t, "SUP-1004")
	if last := tk.Timeline[len(tk.Timeline)-1]; last.Text != "resolution notice not sent: robot_sender" {
		t.Errorf("robot customer's timeline ends with %q", last.Text)
	}

	if got := a.counter(t, "frontdesk_tickets_resolve_notices_total", "support"); got != 2 {
		t.Errorf("frontdesk_tickets_resolve_notices_total{department=support} = %v, want 2", got)
	}
}

// The notice's wording is the admin's when templates_dir has resolved.*.
func TestAPIResolveNoticeTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "resolved.en.txt"),
		[]byte("Subject: Done: {{.TicketTag}}\nAll fixed. Rate us: {{.RateGoodURL}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tm, err := ack.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := newResolveAPI(t, tm, ticket.Ticket{Customer: "bob@example.com", Subject: "Kettle broken"})
	if code := a.resolve(t, "SUP-1001", "?notify=true"); code != http.StatusOK {
		t.Fatalf("resolve: %d", code)
	}
	ms := a.notices(t, "SUP-1001")
	if len(ms) != 1 || ms[0].Subject != "Done: SUP-1001" || !strings.Contains(ms[0].Text, "All fixed. Rate us: https://help.example/t/") {
		t.Fatalf("notices: %+v", ms)
	}
}

// The auto-close notice shares the builder and its rules: the customer in
// their language, nothing to an erased customer or a robot's address.
func TestAutoCloseNoticeSkipsUnanswerable(t *testing.T) {
	builtin, err := ack.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a := newResolveAPI(t, builtin,
		ticket.Ticket{Customer: "li.wei@example.cn", Subject: "水壶坏了", Lang: message.Chinese},
		ticket.Ticket{Customer: "MAILER-DAEMON@example.com", Subject: "Undelivered"},
		ticket.Ticket{Customer: "gone@example.com", Subject: "erase me"},
	)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a.autoClose(t, now, func(txn *store.Txn, tk *ticket.Ticket) (*ticket.Ticket, error) {
		if tk.Tag != "SUP-1003" {
			return tk, nil
		}
		if err := ticket.Erase(txn, tk, now); err != nil {
			return nil, err
		}
		return ticket.Get(txn, tk.Tag)
	}, "SUP-1001", "SUP-1002", "SUP-1003")
	items, err := queue.List(a.st)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Ticket != "SUP-1001" || items[0].Kind != queue.AutoClose || items[0].To[0] != "li.wei@example.cn" {
		t.Fatalf("queued %+v, want one autoclose notice to li.wei", items)
	}
	var raw []byte
	a.st.View(func(txn *store.Txn) error { raw, err = txn.GetRaw(items[0].BodyID); return err })
	if m, err := message.Parse(raw); err != nil || !strings.Contains(m.Text, "暂时关闭了该工单") || !strings.Contains(m.Text, "lang=zh&rate=good") {
		t.Errorf("Chinese auto-close notice: %v\n%s", err, raw)
	}
	if tl := a.ticket(t, "SUP-1002").Timeline; tl[len(tl)-1].Text != "auto-close notice not sent: robot_sender" {
		t.Errorf("robot's timeline ends with %q", tl[len(tl)-1].Text)
	}
	for _, e := range a.ticket(t, "SUP-1003").Timeline {
		if strings.Contains(e.Text, "notice") {
			t.Errorf("erased customer's timeline mentions a notice: %q", e.Text)
		}
	}
}

// A customer who wrote Traditional characters (ticket.Traditional) gets
// the auto-close notice in them too, their own subject as they wrote it.
func TestAutoCloseNoticeInTraditional(t *testing.T) {
	builtin, err := ack.Load("")
	if err != nil {
		t.Fatal(err)
	}
	a := newResolveAPI(t, builtin,
		ticket.Ticket{Customer: "mei@example.tw", Subject: "熱水壺壞了", Lang: message.Chinese, Traditional: true},
		ticket.Ticket{Customer: "li.wei@example.cn", Subject: "水壶坏了", Lang: message.Chinese},
	)
	a.autoClose(t, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), nil, "SUP-1001", "SUP-1002")
	items, err := queue.List(a.st)
	if err != nil || len(items) != 2 {
		t.Fatalf("queued %+v (%v), want two notices", items, err)
	}
	for _, it := range items {
		var raw []byte
		a.st.View(func(txn *store.Txn) error { raw, err = txn.GetRaw(it.BodyID); return err })
		m, err := message.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		switch it.Ticket {
		case "SUP-1001":
			if !strings.Contains(m.Text, "暫時關閉了該工單") || !strings.Contains(m.Text, "熱水壺壞了") || strings.Contains(m.Text, "关闭") {
				t.Errorf("Traditional customer's notice:\n%s", m.Text)
			}
		case "SUP-1002":
			if !strings.Contains(m.Text, "暂时关闭了该工单") || strings.Contains(m.Text, "關閉") {
				t.Errorf("Simplified customer's notice:\n%s", m.Text)
			}
		}
	}
}

// autoClose auto-closes the tickets tags in one Update, as the scanner
// does; prepare (nil: none) may change a ticket first and gives the one
// to close.
func (a resolveAPI) autoClose(t *testing.T, now time.Time, prepare func(*store.Txn, *ticket.Ticket) (*ticket.Ticket, error), tags ...string) {
	t.Helper()
	err := a.st.Update(context.Background(), func(txn *store.Txn) error {
		for _, tag := range tags {
			tk, err := ticket.Get(txn, tag)
			if err != nil {
				return err
			}
			if prepare != nil {
				if tk, err = prepare(txn, tk); err != nil {
					return err
				}
			}
			old := tk.Clone()
			if err := a.builder.autoClose(txn, tk, now); err != nil {
				return err
			}
			if err := ticket.Put(txn, old, tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// GET /api/tickets refuses a department the rules in force do not have,
// as an unknown status, with the valid ones (400), rather than answering
// an empty list that reads as an empty department; a known one matches
// in any case.
func TestTicketsAPIUnknownDepartment(t *testing.T) {
	a := newResolveAPI(t, nil, ticket.Ticket{Customer: "c@customer.test", Subject: "hi"})
	for _, c := range []struct {
		query string
		code  int
		body  string
	}{
		{"", http.StatusOK, `"SUP-1001"`},
		{"?department=support", http.StatusOK, `"SUP-1001"`},
		{"?department=Support", http.StatusOK, `"SUP-1001"`},
		{"?department=sales", http.StatusOK, "[]"},
		{"?department=nope", http.StatusBadRequest, `unknown department "nope" (valid: finance, hr, pr, sales, support)`},
		{"?status=open&department=supp", http.StatusBadRequest, `unknown department "supp"`},
	} {
		req := httptest.NewRequest("GET", "/api/tickets"+c.query, nil)
		req.Header.Set("Authorization", "Bearer secret-token")
		rec := httptest.NewRecorder()
		a.handler.ServeHTTP(rec, req)
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("GET /api/tickets%s: %d %q; want %d and %q", c.query, rec.Code, rec.Body.String(), c.code, c.body)
		}
	}
}
