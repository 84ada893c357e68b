package rules

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const head = `calendars:
  office:
    timezone: Asia/Shanghai
    hours: {mon-fri: "09:00-12:00, 13:00-18:00"}
    holidays: [2026-10-01]
departments:
  support:
    addresses: [support, help]
    sla: {first_response: 4h, resolution: 3d, calendar: office, warn_at: 75%, priorities: {urgent: {first_response: 1h}}}
  sales: {addresses: [sales]}
  finance: {addresses: [billing, vip@acme.example], sla: {first_response: 1d}}
  hr: {addresses: [jobs]}
default_department: support
rules:
`

func gbk(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

func gb2312Word(s string) string {
	// GB2312 is the EUC-CN subset of GBK for these characters.
	return "=?GB2312?B?" + base64.StdEncoding.EncodeToString([]byte(gbk(s))) + "?="
}

// mail builds a raw message; extra holds more header lines, and a body that
// starts with "Content-Type:" brings its own MIME headers.
func mkmail(from, to, subject, body string, extra ...string) []byte {
	var b strings.Builder
	b.WriteString("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n")
	for _, e := range extra {
		b.WriteString(e + "\r\n")
	}
	if strings.HasPrefix(body, "Content-Type:") {
		b.WriteString(body)
	} else {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
	}
	return []byte(b.String())
}

func parse(t testing.TB, raw []byte, rcpt ...string) *message.Message {
	t.Helper()
	m, err := message.Parse(raw)
	if err != nil {
		t.Fatalf("message.Parse: %v", err)
	}
	m.Rcpt = rcpt
	return m
}

var (
	weekdayNoon = time.Date(2026, 11, 24, 10, 30, 0, 0, time.FixedZone("CST", 8*3600)) // Tuesday, open
	sundayNoon  = time.Date(2026, 11, 22, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	holiday     = time.Date(2026, 10, 1, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
)

const pdfPart = "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n" +
	"--XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8_AC123.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n" +
	"--XX\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"=?UTF-8?B?" + "5oiq5Zu+LnBuZw==" + "?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--XX--\r\n"

func TestConditions(t *testing.T) {
	plain := mkmail("Alice Example <alice@shop.example.com>", "support@acme.example", "Where is my order", "Hello, my order AC123 has not arrived.")
	type tc struct {
		name  string
		cond  string // the rule's if, YAML flow
		raw   []byte
		rcpt  []string
		now   time.Time
		match bool
		why   string // first reason, when match
	}
	cases := []tc{
		// subject
		{"subject contains", `{subject: {contains: ORDER}}`, plain, nil, weekdayNoon, true, `subject contains "order"`},
		{"subject contains list", `{subject: {contains: [refund, order]}}`, plain, nil, weekdayNoon, true, `subject contains "order"`},
		{"subject plain string means contains", `{subject: "my ord"}`, plain, nil, weekdayNoon, true, `subject contains "my ord"`},
		{"subject list means contains", `{subject: [nope, where]}`, plain, nil, weekdayNoon, true, `subject contains "where"`},
		{"subject contains miss", `{subject: {contains: refund}}`, plain, nil, weekdayNoon, false, ""},
		{"subject equals whole, case-insensitive", `{subject: {equals: "  where IS my order "}}`, plain, nil, weekdayNoon, true, `subject equals "where is my order"`},
		{"subject equals is not contains", `{subject: {equals: "where is my"}}`, plain, nil, weekdayNoon, false, ""},
		{"subject matches", `{subject: {matches: '^Where\b'}}`, plain, nil, weekdayNoon, true, `subject matches "^Where\\b"`},
		{"subject matches is case-sensitive", `{subject: {matches: '^where'}}`, plain, nil, weekdayNoon, false, ""},
		{"subject several ops all hold", `{subject: {contains: order, matches: 'my'}}`, plain, nil, weekdayNoon, true, `subject contains "order"`},
		{"subject several ops one fails", `{subject: {contains: order, equals: order}}`, plain, nil, weekdayNoon, false, ""},
		{"subject GB2312 encoded word", `{subject: {contains: 退款}}`,
			mkmail("a@b.example", "support@acme.example", gb2312Word("申请退款"), "hi"), nil, weekdayNoon, true, `subject contains "退款"`},
		{"subject full-width folds to ASCII", `{subject: {contains: refund}}`,
			mkmail("a@b.example", "support@acme.example", "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte("ＲＥＦＵＮＤ please"))+"?=", "hi"), nil, weekdayNoon, true, `subject contains "refund"`},
		{"pattern full-width folds too", `{subject: {contains: ＯＲＤＥＲ}}`, plain, nil, weekdayNoon, true, `subject contains "order"`},
		{"half-width katakana fold", `{subject: {contains: カタカナ}}`,
			mkmail("a@b.example", "support@acme.example", "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte("ｶﾀｶﾅ"))+"?=", "hi"), nil, weekdayNoon, true, `subject contains "カタカナ"`},
		// body
		{"body contains", `{body: {contains: ac123}}`, plain, nil, weekdayNoon, true, `body contains "ac123"`},
		{"body GBK 8bit", `{body: {contains: [发票]}}`,
			mkmail("a@b.example", "support@acme.example", "hi", "Content-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"+gbk("请帮我开发票，谢谢")+"\r\n"), nil, weekdayNoon, true, `body contains "发票"`},
		{"body HTML only", `{body: {contains: "number is 42"}}`,
			mkmail("a@b.example", "support@acme.example", "hi", "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>My <b>invoice</b> number is 42</p></body></html>\r\n"), nil, weekdayNoon, true, `body contains "number is 42"`},
		{"body HTML tags are not text", `{body: {contains: "<b>"}}`,
			mkmail("a@b.example", "support@acme.example", "hi", "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>My <b>invoice</b></p></body></html>\r\n"), nil, weekdayNoon, false, ""},
		{"body matches", `{body: {matches: '(?i)\bAC\d{3}\b'}}`, plain, nil, weekdayNoon, true, `body matches "(?i)\\bAC\\d{3}\\b"`},
		// from
		{"from equals", `{from: {equals: ALICE@shop.example.com}}`, plain, nil, weekdayNoon, true, `from equals "alice@shop.example.com"`},
		{"from equals is the address only", `{from: {equals: "Alice Example"}}`, plain, nil, weekdayNoon, false, ""},
		{"from contains display name", `{from: {contains: "alice example"}}`, plain, nil, weekdayNoon, true, `from contains "alice example"`},
		{"from domain", `{from: {domain: shop.example.com}}`, plain, nil, weekdayNoon, true, `from domain "shop.example.com"`},
		{"from domain covers subdomains", `{from: {domain: "@example.com"}}`, plain, nil, weekdayNoon, true, `from domain "example.com"`},
		{"from domain is not a suffix match", `{from: {domain: le.com}}`, plain, nil, weekdayNoon, false, ""},
		{"from domain in Unicode, sender in A-labels", `{from: {domain: 例子.中国}}`, mkmail("张三 <zhang@xn--fsqu00a.xn--fiqs8s>", "support@acme.example", "s", "b"), nil, weekdayNoon, true, `from domain "例子.中国"`},
		{"from domain in A-labels, SMTPUTF8 sender in Unicode", `{from: {domain: XN--FSQU00A.xn--fiqs8s}}`, mkmail("张三 <张三@例子.中国>", "support@acme.example", "s", "b"), nil, weekdayNoon, true, `from domain "例子.中国"`},
		{"from domain in Unicode is not another domain", `{from: {domain: 例子.中国}}`, plain, nil, weekdayNoon, false, ""},
		{"from matches", `{from: {matches: '^alice@'}}`, plain, nil, weekdayNoon, true, `from matches "^alice@"`},
		{"from encoded Chinese name", `{from: {contains: 王磊}}`,
			mkmail("=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte("王磊"))+"?= <wl@163.com>", "support@acme.example", "hi", "x"), nil, weekdayNoon, true, `from contains "王磊"`},
		// to
		{"to header", `{to: {equals: support@acme.example}}`, plain, nil, weekdayNoon, true, `to equals "support@acme.example"`},
		{"to envelope", `{to: {equals: billing@acme.example}}`, plain, []string{"billing@acme.example"}, weekdayNoon, true, `to equals "billing@acme.example"`},
		{"to cc", `{to: {contains: boss}}`, mkmail("a@b.example", "x@acme.example", "s", "b", "Cc: The Boss <boss@acme.example>"), nil, weekdayNoon, true, `to contains "boss"`},
		{"to ops hold on one address", `{to: {contains: boss, domain: other.example}}`, mkmail("a@b.example", "x@other.example", "s", "b", "Cc: boss@acme.example"), nil, weekdayNoon, false, ""},
		{"to plus address contains", `{to: {matches: '^support\+'}}`, plain, []string{"support+42@acme.example"}, weekdayNoon, true, `to matches "^support\\+"`},
		// header
		{"header equals", `{header: {name: x-spam-flag, equals: "yes"}}`, mkmail("a@b.example", "c@d.example", "s", "b", "X-Spam-Flag: YES"), nil, weekdayNoon, true, `header X-Spam-Flag equals "yes"`},
		{"header contains any value", `{header: {name: Received, contains: evil}}`, mkmail("a@b.example", "c@d.example", "s", "b", "Received: from good", "Received: from evil.example"), nil, weekdayNoon, true, `header Received contains "evil"`},
		{"header matches", `{header: {name: X-Priority, matches: '^[12]'}}`, mkmail("a@b.example", "c@d.example", "s", "b", "X-Priority: 1 (Highest)"), nil, weekdayNoon, true, `header X-Priority matches "^[12]"`},
		{"header present", `{header: {name: List-Id}}`, mkmail("a@b.example", "c@d.example", "s", "b", "List-Id: <x.lists.example>"), nil, weekdayNoon, true, `header List-Id is present`},
		{"header absent", `{header: {name: List-Id}}`, plain, nil, weekdayNoon, false, ""},
		{"header absent equals", `{header: {name: X-Spam-Flag, equals: "NO"}}`, plain, nil, weekdayNoon, false, ""},
		// attachments
		{"attachment Chinese name", `{attachment: {name: 发票}}`, mkmail("a@b.example", "c@d.example", "s", pdfPart), nil, weekdayNoon, true, `attachment name contains "发票"`},
		{"attachment encoded-word name", `{attachment: {name: {equals: 截图.png}}}`, mkmail("a@b.example", "c@d.example", "s", pdfPart), nil, weekdayNoon, true, `attachment name equals "截图.png"`},
		{"attachment type", `{attachment: {type: {equals: application/pdf}}}`, mkmail("a@b.example", "c@d.example", "s", pdfPart), nil, weekdayNoon, true, `attachment type equals "application/pdf"`},
		{"attachment name and type on one attachment", `{attachment: {name: {matches: '\.png$'}, type: pdf}}`, mkmail("a@b.example", "c@d.example", "s", pdfPart), nil, weekdayNoon, false, ""},
		{"attachment name and type", `{attachment: {name: {matches: '\.pdf$'}, type: [pdf]}}`, mkmail("a@b.example", "c@d.example", "s", pdfPart), nil, weekdayNoon, true, `attachment name matches "\\.pdf$"`},
		{"attachment true", `{attachment: true}`, mkmail("a@b.example", "c@d.example", "s", pdfPart), nil, weekdayNoon, true, `has attachments`},
		{"attachment true without", `{attachment: true}`, plain, nil, weekdayNoon, false, ""},
		{"attachment false", `{attachment: false}`, plain, nil, weekdayNoon, true, `has no attachments`},
		// lang
		{"lang zh", `{lang: zh}`, mkmail("a@b.example", "c@d.example", "退款", "我的退款什么时候到账？"), nil, weekdayNoon, true, `lang is zh`},
		{"lang en", `{lang: [en]}`, plain, nil, weekdayNoon, true, `lang is en`},
		{"lang zh on English", `{lang: zh}`, plain, nil, weekdayNoon, false, ""},
		// time
		{"in hours", `{time: {in_hours: office}}`, plain, nil, weekdayNoon, true, `time in_hours office`},
		{"in hours on Sunday", `{time: {in_hours: office}}`, plain, nil, sundayNoon, false, ""},
		{"outside hours on a holiday", `{time: {outside_hours: office}}`, plain, nil, holiday, true, `time outside_hours office`},
		{"outside hours at lunch", `{time: {outside_hours: office}}`, plain, nil, time.Date(2026, 11, 24, 4, 30, 0, 0, time.UTC), true, `time outside_hours office`},
		// combinators
		{"all keys of a map", `{subject: order, from: {domain: example.com}}`, plain, nil, weekdayNoon, true, `subject contains "order"`},
		{"all keys of a map, one fails", `{subject: order, from: {domain: other.example}}`, plain, nil, weekdayNoon, false, ""},
		{"any", `{any: [{subject: refund}, {body: arrived}]}`, plain, nil, weekdayNoon, true, `body contains "arrived"`},
		{"any none", `{any: [{subject: refund}, {body: refund}]}`, plain, nil, weekdayNoon, false, ""},
		{"all", `{all: [{subject: order}, {body: arrived}]}`, plain, nil, weekdayNoon, true, `subject contains "order"`},
		{"all one fails", `{all: [{subject: order}, {body: refund}]}`, plain, nil, weekdayNoon, false, ""},
		{"not", `{not: {subject: refund}}`, plain, nil, weekdayNoon, true, `not (subject contains "refund")`},
		{"not fails", `{not: {subject: order}}`, plain, nil, weekdayNoon, false, ""},
		{"nested", `{any: [{all: [{lang: zh}, {subject: x}]}, {not: {any: [{subject: refund}, {from: {domain: spam.example}}]}}]}`, plain, nil, weekdayNoon, true, `not (any(subject contains "refund"; from domain "spam.example"))`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := head + "  - name: r\n    if: " + c.cond + "\n    then: {tags: [hit]}\n"
			r, err := Parse("t.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			d := r.Evaluate(parse(t, c.raw, c.rcpt...), c.now)
			if got := len(d.Matched) == 1; got != c.match {
				t.Fatalf("matched = %v, want %v (%+v)", got, c.match, d)
			}
			if c.match {
				if d.Matched[0].Rule != "r" || d.Matched[0].Line != len(strings.Split(head, "\n")) || len(d.Matched[0].Why) == 0 || d.Matched[0].Why[0] != c.why {
					t.Errorf("match = %+v, want why[0] %s", d.Matched[0], c.why)
				}
				if !slices.Equal(d.Tags, []string{"hit"}) {
					t.Errorf("tags = %v", d.Tags)
				}
			} else if len(d.Tags) != 0 || d.Tags == nil {
				t.Errorf("tags = %#v, want empty non-nil", d.Tags)
			}
		})
	}
}

func TestActionsAndPrecedence(t *testing.T) {
	refund := mkmail("Bob <bob@x.example>", "sales@acme.example", "URGENT refund", "please refund my order")
	type want struct {
		dept, prio, ack, reject string
		tags                    []string
		discard                 bool
		matched                 []string
	}
	cases := []struct {
		name  string
		rules string
		raw   []byte
		rcpt  []string
		want  want
	}{
		{"no rules: recipient address", ``, refund, nil, want{dept: "sales", prio: "normal"}},
		{"envelope recipient decides over To", ``, refund, []string{"billing@acme.example"}, want{dept: "finance", prio: "normal"}},
		{"first owned envelope recipient", ``, refund, []string{"nobody@acme.example", "jobs+x@acme.example", "billing@acme.example"}, want{dept: "hr", prio: "normal"}},
		{"plus address", ``, refund, []string{"billing+refunds@acme.example"}, want{dept: "finance", prio: "normal"}},
		{"full address entry", ``, refund, []string{"VIP@acme.example"}, want{dept: "finance", prio: "normal"}},
		{"unowned envelope: default, not To", ``, refund, []string{"nobody@acme.example"}, want{dept: "support", prio: "normal"}},
		{"no recipients: default", ``, mkmail("a@b.example", "someone@else.example", "s", "b"), nil, want{dept: "support", prio: "normal"}},
		{"cc owned", ``, mkmail("a@b.example", "someone@else.example", "s", "b", "Cc: jobs@acme.example"), nil, want{dept: "hr", prio: "normal"}},
		{"first match decides", `
  - name: one
    if: {subject: refund}
    then: {department: finance, tags: [a]}
  - name: two
    if: {subject: urgent}
    then: {department: hr, priority: urgent, tags: [b]}
`, refund, nil, want{dept: "finance", prio: "normal", tags: []string{"a"}, matched: []string{"one"}}},
		{"continue: later rules add tags and raise priority; first department wins", `
  - name: tag
    if: {subject: urgent}
    then: {priority: high, tags: [urgent, a], ack: urgent-ack}
    continue: true
  - name: not matching
    if: {subject: nope}
    then: {department: hr}
  - name: low
    if: {body: refund}
    then: {priority: low, tags: [a, b], department: finance, ack: other}
    continue: true
  - name: route
    if: {subject: refund}
    then: {department: sales, priority: urgent, tags: [c]}
  - name: after the stop
    then: {tags: [never]}
`, refund, nil, want{dept: "finance", prio: "urgent", ack: "urgent-ack", tags: []string{"urgent", "a", "b", "c"}, matched: []string{"tag", "low", "route"}}},
		{"continue to the end falls back to the address", `
  - name: tag
    if: {subject: urgent}
    then: {tags: [u]}
    continue: true
`, refund, nil, want{dept: "sales", prio: "normal", tags: []string{"u"}, matched: []string{"tag"}}},
		{"reject", `
  - name: block
    if: {from: {domain: x.example}}
    then: {reject: "We do not accept mail from you"}
`, refund, nil, want{dept: "sales", prio: "normal", reject: "We do not accept mail from you", matched: []string{"block"}}},
		{"discard then reject: first wins", `
  - name: drop
    if: {subject: refund}
    then: {discard: true}
    continue: true
  - name: block
    then: {reject: "no"}
`, refund, nil, want{dept: "sales", prio: "normal", discard: true, matched: []string{"drop", "block"}}},
		{"ack none", `
  - name: quiet
    if: {from: {contains: bob}}
    then: {ack: none, department: hr}
`, refund, nil, want{dept: "hr", prio: "normal", ack: "none", matched: []string{"quiet"}}},
		{"catch-all at the end", `
  - name: refunds
    if: {subject: nope}
    then: {department: finance}
  - name: everything else
    then: {department: hr}
`, refund, nil, want{dept: "hr", prio: "normal", matched: []string{"everything else"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := head + c.rules
			if c.rules == "" {
				src = strings.TrimSuffix(head, "rules:\n")
			}
			r, err := Parse("t.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			d := r.Evaluate(parse(t, c.raw, c.rcpt...), weekdayNoon)
			var names []string
			for _, m := range d.Matched {
				names = append(names, m.Rule)
			}
			if c.want.tags == nil {
				c.want.tags = []string{}
			}
			got := want{d.Department, d.Priority, d.Ack, d.Reject, d.Tags, d.Discard, names}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestSLAOverrides(t *testing.T) {
	src := head + `
  - name: urgent
    if: {subject: urgent}
    then: {priority: urgent, sla: {resolution: 1d}}
    continue: true
  - name: vip
    if: {from: {domain: x.example}}
    then: {sla: {resolution: 2d, next_response: 2h, calendar: office, pause_when_waiting: true, warn_at: 0.5}}
`
	r, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := r.Evaluate(parse(t, mkmail("a@x.example", "support@acme.example", "urgent!", "b")), weekdayNoon)
	p := d.SLA
	if p == nil {
		t.Fatal("no SLA")
	}
	if p.FirstResponse.Business != time.Hour || p.Resolution.Days != 1 || p.NextResponse.Business != 2*time.Hour ||
		p.Calendar != "office" || !p.PauseWhenWaiting || p.WarnAt != 0.5 || p.Priorities != nil {
		t.Errorf("SLA = %+v", *p)
	}
	// A department without sla and no override: nil.
	d = r.Evaluate(parse(t, mkmail("a@y.example", "jobs@acme.example", "hello", "b")), weekdayNoon)
	if d.Department != "hr" || d.SLA != nil {
		t.Errorf("hr decision %+v", d)
	}
	d = r.Evaluate(parse(t, mkmail("a@y.example", "billing@acme.example", "hello", "b")), weekdayNoon)
	if d.SLA == nil || d.SLA.FirstResponse.Days != 1 || d.SLA.Calendar != "" {
		t.Errorf("finance SLA %+v", d.SLA)
	}
}

func TestEvaluateConcurrent(t *testing.T) {
	r := Demo()
	msgs := [][]byte{
		mkmail("a@b.example", "sales@acme.example", "refund", "where is my money back"),
		mkmail("a@b.example", "support@acme.example", "招聘", "我想投递简历"),
		mkmail("a@b.example", "help@acme.example", "hello", "my kettle is broken"),
	}
	str := func(d Decision) string { return fmt.Sprint(d.Department, d.Priority, d.Tags, d.Matched, *d.SLA) }
	want := make([]string, len(msgs))
	for i, raw := range msgs {
		want[i] = str(r.Evaluate(parse(t, raw), weekdayNoon))
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- true }()
			for i := 0; i < 200; i++ {
				k := i % len(msgs)
				m, _ := message.Parse(msgs[k])
				if got := str(r.Evaluate(m, weekdayNoon)); got != want[k] {
					t.Errorf("concurrent evaluation differs: %s vs %s", got, want[k])
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
