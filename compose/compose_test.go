package compose

import (
	"bytes"
	"errors"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"

	"github.com/jhillyerd/enmime/v2"
)

var shanghai = time.FixedZone("CST", 8*3600)

var now = time.Date(2026, 11, 23, 17, 0, 0, 0, shanghai)

// parsed is a composed mail read back by both readers a recipient might
// use: net/mail for the header fields, enmime for the MIME structure.
type parsed struct {
	hdr  mail.Header
	env  *enmime.Envelope
	raw  []byte
	body string // enmime's text part
}

func read(t *testing.T, raw []byte) parsed {
	t.Helper()
	for i, l := range bytes.Split(raw, []byte("\r\n")) {
		if len(l) > 998 {
			t.Errorf("line %d is %d bytes long", i+1, len(l))
		}
		if bytes.IndexByte(l, '\n') >= 0 {
			t.Errorf("bare LF in line %d", i+1)
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail: %v\n%s", err, raw)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("enmime: %v\n%s", err, raw)
	}
	for _, e := range env.Errors {
		t.Errorf("enmime finds a problem: %v\n%s", e, raw)
	}
	return parsed{hdr: m.Header, env: env, raw: raw, body: env.Text}
}

func TestMailBytes(t *testing.T) {
	long := make([]string, 30)
	for i := range long {
		long[i] = "m" + strings.Repeat("x", i) + "@example.com"
	}
	base := func() Mail {
		return Mail{From: mail.Address{Name: "Customer Support", Address: "support@acme.example"},
			To: []mail.Address{{Name: "Bob Smith", Address: "bob@example.com"}}, Subject: "Hello",
			MessageID: "x.1@mx.acme.example", Date: now, Text: []byte("Hello Bob\n")}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Mail)
		check func(t *testing.T, p parsed)
	}{
		{"plain ASCII", func(*Mail) {}, func(t *testing.T, p parsed) {
			want := map[string]string{"From": `"Customer Support" <support@acme.example>`, "To": `"Bob Smith" <bob@example.com>`,
				"Subject": "Hello", "Message-Id": "<x.1@mx.acme.example>", "Date": "Mon, 23 Nov 2026 17:00:00 +0800", "Mime-Version": "1.0"}
			for k, v := range want {
				if got := p.hdr.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			for _, k := range []string{"Auto-Submitted", "In-Reply-To", "References", "Reply-To", "Content-Language"} {
				if v := p.hdr.Get(k); v != "" {
					t.Errorf("%s: %q on a mail that has none", k, v)
				}
			}
			if p.body != "Hello Bob\r\n" && p.body != "Hello Bob\n" {
				t.Errorf("body %q", p.body)
			}
			if !strings.HasPrefix(p.env.Root.ContentType, "text/plain") {
				t.Errorf("content type %s", p.env.Root.ContentType)
			}
		}},
		{"RFC 2047 subject and names", func(m *Mail) {
			m.Subject = "[SUP-1042] Re: 我的订单还没有到，已经等了两个星期了，请帮忙查一下物流，谢谢您的耐心"
			m.To[0].Name = "李伟"
			m.From.Name = "客服团队"
		}, func(t *testing.T, p parsed) {
			if got := p.env.GetHeader("Subject"); got != "[SUP-1042] Re: 我的订单还没有到，已经等了两个星期了，请帮忙查一下物流，谢谢您的耐心" {
				t.Errorf("enmime subject %q", got)
			}
			if raw := p.hdr.Get("Subject"); !strings.Contains(raw, "=?utf-8?") {
				t.Errorf("subject not RFC 2047: %q", raw)
			}
			to, err := p.hdr.AddressList("To")
			if err != nil || to[0].Name != "李伟" || to[0].Address != "bob@example.com" {
				t.Errorf("To %v %v", to, err)
			}
			from, err := p.hdr.AddressList("From")
			if err != nil || from[0].Name != "客服团队" {
				t.Errorf("From %v %v", from, err)
			}
			if bytes.Contains(p.raw[:bytes.Index(p.raw, []byte("\r\n\r\n"))], []byte("我")) {
				t.Error("raw UTF-8 in the header")
			}
		}},
		{"header injection in subject and name", func(m *Mail) {
			m.Subject = "hi\r\nBcc: victim@example.org"
			m.To[0].Name = "Eve\nX-Evil: 1"
		}, func(t *testing.T, p parsed) {
			if p.hdr.Get("Bcc") != "" || p.hdr.Get("X-Evil") != "" {
				t.Errorf("header injected:\n%s", p.raw)
			}
			if got := p.hdr.Get("Subject"); got != "hi Bcc: victim@example.org" {
				t.Errorf("subject %q", got)
			}
		}},
		{"threading", func(m *Mail) {
			m.InReplyTo = "c2@example.com"
			m.References = []string{"c0@example.com", "bad id@example.com", "c1@example.com", "c2@example.com"}
		}, func(t *testing.T, p parsed) {
			if got := p.hdr.Get("In-Reply-To"); got != "<c2@example.com>" {
				t.Errorf("In-Reply-To %q", got)
			}
			if got := p.hdr.Get("References"); got != "<c0@example.com> <c1@example.com> <c2@example.com>" {
				t.Errorf("References %q", got)
			}
		}},
		{"long References keep the root and fold", func(m *Mail) {
			m.InReplyTo = "parent@example.com"
			m.References = long
		}, func(t *testing.T, p parsed) {
			ids := strings.Fields(p.hdr.Get("References"))
			if len(ids) != MaxReferences || ids[0] != "<"+long[0]+">" || ids[len(ids)-1] != "<parent@example.com>" || ids[len(ids)-2] != "<"+long[29]+">" {
				t.Errorf("References: %d ids %v", len(ids), ids)
			}
			if !bytes.Contains(p.raw, []byte("\r\n <")) {
				t.Error("a long References is not folded")
			}
		}},
		{"an invalid parent is no threading", func(m *Mail) { m.InReplyTo = "<evil>\r\nX: y" }, func(t *testing.T, p parsed) {
			if p.hdr.Get("In-Reply-To") != "" || p.hdr.Get("X") != "" {
				t.Errorf("In-Reply-To %q", p.hdr.Get("In-Reply-To"))
			}
		}},
		{"auto-replied", func(m *Mail) { m.AutoSubmitted = AutoReplied; m.Lang = "zh" }, func(t *testing.T, p parsed) {
			if p.hdr.Get("Auto-Submitted") != "auto-replied" || p.hdr.Get("X-Auto-Response-Suppress") != "All" || p.hdr.Get("Content-Language") != "zh" {
				t.Errorf("headers %v", p.hdr)
			}
		}},
		{"auto-generated with extra headers", func(m *Mail) {
			m.AutoSubmitted = AutoGenerated
			m.ReplyTo = "support+SUP-1042@acme.example"
			m.Headers = []Header{{"X-Frontdesk-Ticket", "SUP-1042"}}
		}, func(t *testing.T, p parsed) {
			if p.hdr.Get("Auto-Submitted") != "auto-generated" || p.hdr.Get("X-Frontdesk-Ticket") != "SUP-1042" || p.hdr.Get("Reply-To") != "support+SUP-1042@acme.example" {
				t.Errorf("headers %v", p.hdr)
			}
		}},
		{"text and HTML", func(m *Mail) { m.HTML = []byte("<p>Hello <b>Bob</b></p>\n") }, func(t *testing.T, p parsed) {
			if !strings.HasPrefix(p.env.Root.ContentType, "multipart/alternative") || !strings.Contains(p.env.HTML, "<b>Bob</b>") || !strings.Contains(p.env.Text, "Hello Bob") {
				t.Errorf("alternative: %s / %q / %q", p.env.Root.ContentType, p.env.Text, p.env.HTML)
			}
		}},
		{"an entity kept as it came", func(m *Mail) {
			m.Text = nil
			m.Entity = &Entity{Header: []Header{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=gbk"}, {"Content-Transfer-Encoding", "base64"}},
				Body: []byte("xOO6ww==\r\n")}
		}, func(t *testing.T, p parsed) {
			if p.env.Text != "你好" {
				t.Errorf("entity body %q", p.env.Text)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.edit(&m)
			raw, err := m.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, read(t, raw))
		})
	}
}

func TestMailBytesRefuses(t *testing.T) {
	for name, edit := range map[string]func(*Mail){
		"no recipient":  func(m *Mail) { m.To = nil },
		"bad recipient": func(m *Mail) { m.To = []mail.Address{{Address: "bob"}} },
		"bad from":      func(m *Mail) { m.From.Address = "x@y>\r\nBcc: z" },
		"no message id": func(m *Mail) { m.MessageID = "" },
		"no body":       func(m *Mail) { m.Text = nil },
		"bad reply-to":  func(m *Mail) { m.ReplyTo = "a b@c" },
	} {
		m := Mail{From: mail.Address{Address: "a@b.example"}, To: []mail.Address{{Address: "c@d.example"}}, MessageID: "x@y", Text: []byte("x")}
		edit(&m)
		if raw, err := m.Bytes(); err == nil {
			t.Errorf("%s: composed\n%s", name, raw)
		}
	}
}

func event(kind sla.Kind, lang string) SLAEvent {
	return SLAEvent{To: "support-lead@acme.example", Lang: message.Language(lang), TicketTag: "SUP-1042", Department: "support", Customer: "li.wei@example.cn",
		Subject: "我的订单还没有到", Priority: "high", Status: "open", Kind: kind, Due: time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai), Now: now}
}

func TestWarningAndEscalation(t *testing.T) {
	c := Composer{Templates: builtins(t), Hostname: "mx.acme.example"}
	for _, tc := range []struct {
		name        string
		build       func(SLAEvent) ([]byte, string, error)
		kind        sla.Kind
		lang        string
		subject     string
		body, event string
	}{
		{"warning en", c.Warning, sla.FirstResponse, "en", "[SUP-1042] SLA warning: first response due Tuesday 24 November, 10:00 (CST)",
			"Ticket SUP-1042 (support) from li.wei@example.cn is at risk: its first response is due 2026-11-24T10:00:00+08:00.", "first_response warn"},
		{"escalation en", c.Escalation, sla.Resolution, "", "[SUP-1042] SLA breached: resolution was due Tuesday 24 November, 10:00 (CST)",
			"breached its resolution deadline at 2026-11-24T10:00:00+08:00.", "resolution breach"},
		{"warning zh", c.Warning, sla.NextResponse, "zh", "[SUP-1042] SLA 预警：后续回复期限为 11月24日（周二）10:00（CST）",
			"工单 SUP-1042（support，客户 li.wei@example.cn）有超时风险", "next_response warn"},
		{"escalation zh", c.Escalation, sla.FirstResponse, "zh", "[SUP-1042] SLA 已超时：首次回复期限为 11月24日（周二）10:00（CST）",
			"已超过首次回复期限", "first_response breach"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, mid, err := tc.build(event(tc.kind, tc.lang))
			if err != nil {
				t.Fatal(err)
			}
			p := read(t, raw)
			if got := p.env.GetHeader("Subject"); got != tc.subject {
				t.Errorf("subject\n  %q\nwant\n  %q", got, tc.subject)
			}
			if !strings.Contains(p.body, tc.body) || !strings.Contains(p.body, "我的订单还没有到") || strings.HasPrefix(p.body, "Subject:") {
				t.Errorf("body %q lacks %q", p.body, tc.body)
			}
			for k, v := range map[string]string{"Auto-Submitted": "auto-generated", "X-Frontdesk-Ticket": "SUP-1042", "X-Frontdesk-Sla-Event": tc.event,
				"To": "<support-lead@acme.example>", "From": `"Frontdesk" <frontdesk@mx.acme.example>`, "Message-Id": "<" + mid + ">"} {
				if got := p.hdr.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if !strings.HasPrefix(mid, "sla.") || !strings.HasSuffix(mid, "@mx.acme.example") {
				t.Errorf("Message-ID %q", mid)
			}
		})
	}
}

// An admin's warning and escalation replace the built-in ones, per
// department first, with the same naming as ack and autoclose.
func TestSLATemplateOverride(t *testing.T) {
	dir := writeTemplates(t, map[string]string{
		"warning.en.txt":            "Subject: Hurry {{.TicketTag}}\n\n{{.Deadline}} of {{.TicketTag}} is close.\n",
		"warning.finance.en.txt":    "Billing: {{.TicketTag}} {{.DeadlineKind}} by {{.Due}}\n",
		"escalation.zh.txt":         "Subject: 超时 {{.TicketTag}}\n{{.Deadline}}\n",
		"escalation.finance.zh.txt": "Subject: 财务超时 {{.TicketTag}}\n{{.Deadline}}\n",
	})
	tm, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := Composer{Templates: tm, Hostname: "mx.acme.example"}
	for _, tc := range []struct {
		name          string
		build         func(SLAEvent) ([]byte, string, error)
		dept, lang    string
		subject, body string
	}{
		{"all departments", c.Warning, "support", "en", "Hurry SUP-1042", "first response of SUP-1042 is close."},
		// No subject line: the default subject is none at all, so the
		// template's first line is the body and the subject is empty.
		{"per department, no subject line", c.Warning, "finance", "en", "", "Billing: SUP-1042 first_response by Tuesday"},
		{"zh override", c.Escalation, "support", "zh", "超时 SUP-1042", "首次回复"},
		{"zh per department", c.Escalation, "finance", "zh", "财务超时 SUP-1042", "首次回复"},
		{"zh warning falls to the built-in", c.Warning, "finance", "zh", "[SUP-1042] SLA 预警：首次回复期限为 11月24日（周二）10:00（CST）", "有超时风险"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := event(sla.FirstResponse, tc.lang)
			e.Department = tc.dept
			raw, _, err := tc.build(e)
			if err != nil {
				t.Fatal(err)
			}
			p := read(t, raw)
			if got := p.env.GetHeader("Subject"); got != tc.subject {
				t.Errorf("subject %q, want %q", got, tc.subject)
			}
			if !strings.Contains(p.body, tc.body) {
				t.Errorf("body %q lacks %q", p.body, tc.body)
			}
		})
	}
}

// A broken override is reported at its file:line:col and the built-in
// template goes on serving, so a typo never silences escalations.
func TestBrokenOverrideKeepsBuiltin(t *testing.T) {
	dir := writeTemplates(t, map[string]string{
		"warning.en.txt":    "Subject: x\n\nTicket {{.TicketTag}\n",
		"escalation.en.txt": "Subject: y\n\n  {{.Deadlien}}\n",
		"ack.en.txt":        "Fine {{.TicketTag}}\n",
	})
	tm, err := Load(dir)
	if err == nil || tm == nil {
		t.Fatalf("Load = %v, %v; want the set and an error", tm, err)
	}
	var pe *PosError
	if !errors.As(err, &pe) {
		t.Errorf("error %v is no PosError", err)
	}
	for _, want := range []string{
		filepath.Join(dir, "warning.en.txt") + ":3:", // the parser names the line; the column is 1
		filepath.Join(dir, "escalation.en.txt") + ":3:5: at <.Deadlien>: can't evaluate field Deadlien",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error\n%v\nlacks %q", err, want)
		}
	}
	c := Composer{Templates: tm, Hostname: "mx.acme.example"}
	for _, build := range []func(SLAEvent) ([]byte, string, error){c.Warning, c.Escalation} {
		raw, _, err := build(event(sla.FirstResponse, "en"))
		if err != nil {
			t.Fatal(err)
		}
		if subj := read(t, raw).env.GetHeader("Subject"); !strings.HasPrefix(subj, "[SUP-1042] SLA ") {
			t.Errorf("broken override served: subject %q", subj)
		}
	}
	if txt, _ := tm.Source(Warning, "support", "en"); txt != "built-in:warning.en.txt" {
		t.Errorf("warning from %s", txt)
	}
	if txt, _ := tm.Source(Ack, "support", "en"); txt != filepath.Join(dir, "ack.en.txt") {
		t.Errorf("the good override was dropped with the bad: ack from %s", txt)
	}
}

func TestNoticeAndRating(t *testing.T) {
	c := Composer{Hostname: "mx.acme.example"}
	raw, mid, err := c.Notice(Notice{To: "alice@acme.example", ReplyTo: "support+SUP-1042@acme.example", TicketTag: "SUP-1042", Owner: "bob@acme.example",
		Subject: "Held: bob@acme.example has just answered", Text: "Your reply was NOT sent.\n> 你好\n", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	p := read(t, raw)
	for k, v := range map[string]string{"Subject": "[SUP-1042] Held: bob@acme.example has just answered", "Auto-Submitted": "auto-generated",
		"Reply-To": "support+SUP-1042@acme.example", "X-Frontdesk-Owner": "bob@acme.example", "Message-Id": "<" + mid + ">"} {
		if got := p.hdr.Get(k); got != v {
			t.Errorf("notice %s = %q, want %q", k, got, v)
		}
	}
	if !strings.Contains(p.body, "> 你好") {
		t.Errorf("notice body %q", p.body)
	}

	raw, _, err = c.Rating(Rating{To: "support@agents.example", TicketTag: "SUP-1042", Customer: "li.wei@example.cn", Subject: "订单",
		Value: "bad", Previous: "GOOD", Comment: "太慢了", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	p = read(t, raw)
	if got := p.hdr.Get("Subject"); got != "[SUP-1042] Customer changed the rating from GOOD to BAD" || p.hdr.Get("X-Frontdesk-Rating") != "bad" {
		t.Errorf("rating headers %v", p.hdr)
	}
	if !strings.Contains(p.body, "li.wei@example.cn (订单) changed the rating from GOOD to BAD.") || !strings.Contains(p.body, "太慢了") {
		t.Errorf("rating body %q", p.body)
	}
}

func TestToCustomerSigns(t *testing.T) {
	m := &Mail{From: mail.Address{Address: "a@b.example"}, To: []mail.Address{{Address: "c@d.example"}}, MessageID: "x@y", Text: []byte("x")}
	c := Composer{Sign: func(b []byte) ([]byte, error) { return append([]byte("DKIM-Signature: test\r\n"), b...), nil }}
	raw, err := c.ToCustomer(m)
	if err != nil || !bytes.HasPrefix(raw, []byte("DKIM-Signature: test\r\nFrom:")) {
		t.Errorf("ToCustomer: %v\n%s", err, raw)
	}
	raw, err = c.ToAgents(m)
	if err != nil || bytes.Contains(raw, []byte("DKIM")) {
		t.Errorf("ToAgents signed: %v\n%s", err, raw)
	}
	c.Sign = func([]byte) ([]byte, error) { return nil, errors.New("no key") }
	if _, err := c.ToCustomer(m); err == nil {
		t.Error("a signing failure went unreported")
	}
}
