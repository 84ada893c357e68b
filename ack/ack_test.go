package ack

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/message"

	"github.com/jhillyerd/enmime/v2"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

var due = time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)

func parse(t testing.TB, raw string) *message.Message {
	t.Helper()
	m, err := message.Parse([]byte(strings.ReplaceAll(raw, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const enMail = `From: "Bob Smith" <bob@example.com>
To: support@acme.example
Subject: RE: Re: My kettle does not heat
Message-ID: <c2@example.com>
References: <c0@example.com> <c1@example.com>
Date: Mon, 23 Nov 2026 09:00:00 +0000

Hello, my kettle (model K-2) stopped heating yesterday. What can I do?
`

const zhMail = `From: =?utf-8?b?5p2O5Lyf?= <li.wei@example.cn>
To: support@acme.example
Subject: =?utf-8?b?5oiR55qE6K6i5Y2V6L+Y5rKh5pyJ5Yiw?=
Message-ID: <z1@example.cn>
Date: Mon, 23 Nov 2026 09:00:00 +0800
Content-Type: text/plain; charset=utf-8

你好，我的订单还没有到，已经等了两个星期了，请帮忙查一下物流。
`

func input(t testing.TB, raw string) Input {
	return Input{
		Department:        "support",
		DepartmentName:    "Customer Support",
		DepartmentAddress: "support@acme.example",
		Original:          parse(t, raw),
		TicketTag:         "SUP-1042",
		Due:               due,
		FAQ: []Link{
			{Title: "How to descale your kettle", URL: "https://help.acme.example/faq/descale"},
			{Title: "Warranty & repairs", URL: "https://help.acme.example/faq/warranty?x=1&y=2"},
		},
		StatusURL: "https://help.acme.example/t/abc.def",
		Hostname:  "mx.acme.example",
		Date:      time.Date(2026, 11, 23, 17, 0, 0, 0, shanghai),
	}
}

func builtins(t testing.TB) *Templates {
	t.Helper()
	tm, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func build(t testing.TB, tm *Templates, in Input) (*enmime.Envelope, []byte) {
	t.Helper()
	raw, err := Build(tm, in)
	if err != nil {
		t.Fatal(err)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("our own acknowledgement does not parse: %v\n%s", err, raw)
	}
	for _, e := range env.Errors {
		t.Errorf("enmime finds a problem in our acknowledgement: %v", e)
	}
	return env, raw
}

func TestBuildEnglish(t *testing.T) {
	env, raw := build(t, builtins(t), input(t, enMail))
	for h, want := range map[string]string{
		"From":                     `"Customer Support" <support@acme.example>`,
		"To":                       `"Bob Smith" <bob@example.com>`,
		"Subject":                  "[SUP-1042] Re: My kettle does not heat",
		"In-Reply-To":              "<c2@example.com>",
		"References":               "<c0@example.com> <c1@example.com> <c2@example.com>",
		"Auto-Submitted":           "auto-replied",
		"X-Auto-Response-Suppress": "All",
		"Content-Language":         "en",
		"Date":                     "Mon, 23 Nov 2026 17:00:00 +0800",
	} {
		if got := env.GetHeader(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	id := env.GetHeader("Message-ID")
	if !strings.HasPrefix(id, "<ack.") || !strings.HasSuffix(id, "@mx.acme.example>") {
		t.Errorf("Message-ID %q is not <ack.RANDOM@hostname>", id)
	}
	if !strings.HasPrefix(env.Root.ContentType, "multipart/alternative") {
		t.Errorf("root is %s, want multipart/alternative", env.Root.ContentType)
	}
	for _, want := range []string{
		"Dear Bob Smith,",
		"ticket SUP-1042",
		"We will reply by Tuesday 24 November, 10:00 (China Standard Time).",
		"How to descale your kettle\r\n    https://help.acme.example/faq/descale",
		"https://help.acme.example/t/abc.def",
	} {
		if !strings.Contains(env.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, env.Text)
		}
	}
	for _, want := range []string{
		`<a href="https://help.acme.example/faq/warranty?x=1&amp;y=2">Warranty &amp; repairs</a>`,
		`<a href="https://help.acme.example/t/abc.def">`,
		`<strong>Tuesday 24 November, 10:00 (China Standard Time)</strong>`,
		`<html lang="en">`,
	} {
		if !strings.Contains(env.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, env.HTML)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("bare LF in the message")
	}
}

func TestBuildChinese(t *testing.T) {
	in := input(t, zhMail)
	in.FAQ = []Link{{Title: "如何查询订单物流", URL: "https://help.acme.example/faq/tracking"}}
	env, raw := build(t, builtins(t), in)
	if got, want := env.GetHeader("Subject"), "[SUP-1042] Re: 我的订单还没有到"; got != want {
		t.Errorf("Subject %q, want %q", got, want)
	}
	if env.GetHeader("Content-Language") != "zh" {
		t.Errorf("Content-Language %q", env.GetHeader("Content-Language"))
	}
	// Non-ASCII headers travel RFC 2047-encoded; the raw bytes are ASCII.
	head := raw[:bytes.Index(raw, []byte("\r\n\r\n"))]
	for _, c := range head {
		if c >= 0x80 {
			t.Fatalf("raw 8-bit byte in the header:\n%s", head)
		}
	}
	for _, want := range []string{
		"李伟，您好！",
		"工单编号为 SUP-1042",
		"我们将在 11月24日（周二）10:00 前回复您。",
		"如何查询订单物流\r\n    https://help.acme.example/faq/tracking",
	} {
		if !strings.Contains(env.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, env.Text)
		}
	}
	if !strings.Contains(env.HTML, `<html lang="zh">`) || !strings.Contains(env.HTML, "如何查询订单物流</a>") {
		t.Errorf("HTML part is not the Chinese one:\n%s", env.HTML)
	}
}

func TestBuildNoLinksNoDeadlineNoName(t *testing.T) {
	in := input(t, "From: x9f3k@example.com\nSubject: hi\nMessage-ID: <n@example.com>\n\nHello there\n")
	in.FAQ, in.StatusURL, in.Due = nil, "", time.Time{}
	env, _ := build(t, builtins(t), in)
	if strings.Contains(env.Text, "articles") || strings.Contains(env.HTML, "<ul>") || strings.Contains(env.HTML, "<a ") {
		t.Errorf("a links section without links:\n%s\n%s", env.Text, env.HTML)
	}
	if strings.Contains(env.Text, "follow your ticket") {
		t.Error("a status section without a status link")
	}
	if !strings.Contains(env.Text, "Dear customer,") || !strings.Contains(env.Text, "We will reply as soon as we can.") {
		t.Errorf("fallback wording missing:\n%s", env.Text)
	}
	in.DepartmentName = ""
	env, _ = build(t, builtins(t), in)
	if !strings.Contains(env.Text, "Thank you for writing to our support team.") || env.GetHeader("From") != "<support@acme.example>" {
		t.Errorf("no department name: From %q, text:\n%s", env.GetHeader("From"), env.Text)
	}
	if strings.Contains(env.Text, "\r\n\r\n\r\n") {
		t.Errorf("empty sections left blank lines:\n%q", env.Text)
	}
}

func TestCustomerName(t *testing.T) {
	for _, tc := range []struct {
		addr  mail.Address
		lang  string
		name  string
		greet string
	}{
		{mail.Address{Name: "Li Wei", Address: "x@y"}, "en", "Li Wei", "Dear Li Wei,"},
		{mail.Address{Address: "li.wei@example.cn"}, "en", "Li Wei", "Dear Li Wei,"},
		{mail.Address{Address: "order-4711@example.com"}, "en", "customer", "Dear customer,"},
		{mail.Address{Name: "bob@example.com", Address: "info@example.com"}, "en", "customer", "Dear customer,"},
		{mail.Address{Address: "x@example.cn"}, "zh", "客户", "您好！"},
		{mail.Address{Name: "王芳", Address: "wf@example.cn"}, "zh", "王芳", "王芳，您好！"},
		{mail.Address{Address: "tw@example.com.tw"}, "zh", "客户", "您好！"},
		{mail.Address{Address: "wei@example.cn"}, "en", "Wei", "Dear Wei,"},
	} {
		if got := customerName(tc.addr, message.Language(tc.lang)); got != tc.name {
			t.Errorf("customerName(%v) = %q, want %q", tc.addr, got, tc.name)
		}
		if got := greeting(nameOrEmpty(tc.addr), message.Language(tc.lang)); got != tc.greet {
			t.Errorf("greeting(%v) = %q, want %q", tc.addr, got, tc.greet)
		}
	}
}

func TestSubject(t *testing.T) {
	for _, tc := range []struct{ orig, lang, want string }{
		{"Kettle broken", "en", "[SUP-1042] Re: Kettle broken"},
		{"Re: Kettle broken", "en", "[SUP-1042] Re: Kettle broken"},
		{"RE: re: Re[2]: Kettle broken", "en", "[SUP-1042] Re: Kettle broken"},
		{"AW: Wasserkocher", "en", "[SUP-1042] Re: Wasserkocher"},
		{"回复：订单问题", "zh", "[SUP-1042] Re: 订单问题"},
		{"答复: Re: 订单问题", "zh", "[SUP-1042] Re: 订单问题"},
		{"Re: [SUP-1042] Re: Kettle", "en", "[SUP-1042] Re: Kettle"},
		{"[sup-1042] Kettle", "en", "[SUP-1042] Re: Kettle"},
		{"[SUP-9] Kettle", "en", "[SUP-1042] Re: [SUP-9] Kettle"},
		{"Fwd: Kettle", "en", "[SUP-1042] Re: Fwd: Kettle"},
		{"Reset password", "en", "[SUP-1042] Re: Reset password"},
		{"", "en", "[SUP-1042] Re: your message"},
		{"  ", "zh", "[SUP-1042] Re: 您的来信"},
		{"a\r\nBcc: victim@example.com", "en", "[SUP-1042] Re: a Bcc: victim@example.com"},
	} {
		if got := Subject("SUP-1042", tc.orig, message.Language(tc.lang)); got != tc.want {
			t.Errorf("Subject(%q) = %q, want %q", tc.orig, got, tc.want)
		}
	}
}

func TestBuildHeaderInjection(t *testing.T) {
	in := input(t, "From: =?utf-8?q?Eve=0D=0ABcc=3A_victim=40example.com?= <eve@example.com>\n"+
		"Subject: =?utf-8?q?hi=0D=0ABcc=3A_victim=40example.com?=\nMessage-ID: <e@example.com>\n\nhello\n")
	env, raw := build(t, builtins(t), in)
	if env.GetHeader("Bcc") != "" || bytes.Contains(raw, []byte("\r\nBcc:")) {
		t.Fatalf("a sender's encoded CRLF added a header:\n%s", raw)
	}
}

func TestBuildThreadingLimits(t *testing.T) {
	raw := "From: a@example.com\nSubject: s\nMessage-ID: <last@example.com>\nReferences:"
	for i := range 40 {
		raw += " <r" + string(rune('a'+i%26)) + strings.Repeat("x", i) + "@example.com>"
	}
	raw += " <bad id@x>\n\nbody\n"
	in := input(t, raw)
	env, _ := build(t, builtins(t), in)
	refs := strings.Fields(env.GetHeader("References"))
	if len(refs) != compose.MaxReferences || refs[0] != "<ra@example.com>" || refs[len(refs)-1] != "<last@example.com>" {
		t.Errorf("References %v: want %d ids, the root first and the parent last", refs, compose.MaxReferences)
	}
	// No Message-ID: no threading headers rather than broken ones.
	in = input(t, "From: a@example.com\nSubject: s\n\nbody\n")
	env, _ = build(t, builtins(t), in)
	if env.GetHeader("In-Reply-To") != "" || env.GetHeader("References") != "" {
		t.Error("threading headers without a Message-ID to point at")
	}
}

func TestBuildErrors(t *testing.T) {
	tm := builtins(t)
	in := input(t, "Subject: no sender\n\nbody\n")
	if _, err := Build(tm, in); err != ErrNoRecipient {
		t.Errorf("no From: err = %v, want ErrNoRecipient", err)
	}
	in = input(t, enMail)
	in.Template = "missing"
	if _, err := Build(tm, in); err == nil || !strings.Contains(err.Error(), `"missing"`) {
		t.Errorf("unknown template: err = %v", err)
	}
	in = input(t, enMail)
	in.Original = nil
	if _, err := Build(tm, in); err == nil {
		t.Error("nil original accepted")
	}
	in = input(t, enMail)
	in.MessageID = "fixed@mx.acme.example"
	to := mail.Address{Name: "Reply Here", Address: "reply@example.com"}
	in.To = &to
	env, _ := build(t, tm, in)
	if env.GetHeader("Message-ID") != "<fixed@mx.acme.example>" || env.GetHeader("To") != `"Reply Here" <reply@example.com>` {
		t.Errorf("overrides ignored: %q %q", env.GetHeader("Message-ID"), env.GetHeader("To"))
	}
}

func TestLanguageFallback(t *testing.T) {
	in := input(t, enMail)
	in.Lang = "fr" // no French templates: English rather than nothing
	env, _ := build(t, builtins(t), in)
	if env.GetHeader("Content-Language") != "en" || !strings.Contains(env.Text, "We will reply by") {
		t.Errorf("fallback to English failed: %s", env.GetHeader("Content-Language"))
	}
}

func BenchmarkBuild(b *testing.B) {
	tm := builtins(b)
	for _, c := range []struct{ name, raw string }{{"en", enMail}, {"zh", zhMail}} {
		in := input(b, c.raw)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(tm, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
