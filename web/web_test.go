package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/faq"

	mlang "github.com/frontdesk-mail/frontdesk/message"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens.Sign("t1")
	for _, target := range []string{
		"/", "/faq", "/faq/", "/faq/kettle-not-heating", "/faq/no-such-entry", "/faq/a/b", "/faq/search?q=kettle",
		"/faq/search?q=zzqx", "/faq/search?q=kettle&format=json", "/t/" + tok, "/t/nope.nope", "/t/", "/t/a/b",
		"/static/style.css", "/static/icon.svg", "/static/nope.css",
	} {
		r := e.get(t, target)
		if r.code >= 500 {
			t.Errorf("%s: %d", target, r.code)
		}
		want := map[string]string{
			"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
		}
		for k, v := range want {
			if got := r.h.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", target, k, got, v)
			}
		}
		if strings.HasPrefix(r.h.Get("Content-Type"), "text/html") {
			// no scripts, no inline styles, no external assets
			for _, bad := range []string{"<script", "style=", "javascript:", "http://", "https://", " on"} {
				if bad == " on" {
					if regexp.MustCompile(`\s on[a-z]+=`).MatchString(r.body) {
						t.Errorf("%s: inline event handler", target)
					}
					continue
				}
				if strings.Contains(r.body, bad) {
					t.Errorf("%s: page contains %q", target, bad)
				}
			}
		}
	}
}

func TestRoutesAndStatusCodes(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		target string
		code   int
		loc    string
	}{
		{"/", 302, "/faq/"},
		{"/?lang=zh", 302, "/faq/?lang=zh"},
		{"/?lang=<x>", 302, "/faq/"},
		{"/faq", 302, "/faq/"},
		{"/faq/", 200, ""},
		{"/faq/kettle-not-heating", 200, ""},
		{"/faq/search", 200, ""},
		{"/faq/nope", 404, ""},
		{"/faq/a/b", 404, ""},
		{"/t/", 404, ""},
		{"/static/style.css", 200, ""},
	}
	for _, c := range cases {
		r := e.get(t, c.target)
		if r.code != c.code {
			t.Errorf("%s: %d, want %d", c.target, r.code, c.code)
		}
		if c.loc != "" && r.h.Get("Location") != c.loc {
			t.Errorf("%s: Location %q, want %q", c.target, r.h.Get("Location"), c.loc)
		}
	}
	// POST is not ours to answer
	if r := e.do(t, httptest.NewRequest("POST", "/faq/", nil)); r.code != http.StatusMethodNotAllowed {
		t.Errorf("POST /faq/: %d", r.code)
	}
	// HEAD works and has no body
	if r := e.do(t, httptest.NewRequest("HEAD", "/faq/", nil)); r.code != 200 || r.body != "" {
		t.Errorf("HEAD /faq/: %d %q", r.code, clip(r.body))
	}
}

func TestIndexGroupsByDepartment(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/")
	mustContain(t, r.body,
		`<html lang="en">`, `<form class="search" method="get" action="/faq/search" role="search">`,
		`<label for="q">Search the help centre</label>`, `id="q" name="q" type="search"`,
		`<h3 id="h-dept-support">Customer Support</h3>`, `<h3 id="h-dept-finance">Billing</h3>`,
		`<a href="/faq/kettle-not-heating">Smart kettle doesn&#39;t heat or doesn&#39;t switch on</a>`,
		`href="mailto:support@support.localhost"`, `Write to Customer Support`,
		`<link rel="stylesheet" href="/static/style.css?v=`,
	)
	// every entry is listed once
	for _, en := range faq.Demo().Entries() {
		if n := strings.Count(r.body, `href="/faq/`+en.ID+`"`); n != 1 {
			t.Errorf("entry %s listed %d times", en.ID, n)
		}
	}
	// headings in order: one h1, then h2/h3
	if strings.Count(r.body, "<h1") != 1 {
		t.Errorf("want exactly one h1")
	}
}

func TestEntryPage(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/kettle-not-heating")
	mustContain(t, r.body, "<h1>Smart kettle doesn&#39;t heat or doesn&#39;t switch on</h1>",
		`href="/faq/#dept-support">Customer Support</a>`, "Related questions",
		`href="mailto:support@support.localhost?subject=Smart%20kettle%20doesn%27t%20heat`)
	mustNotContain(t, r.body, `href="/faq/kettle-not-heating"`) // not related to itself
	if r.h.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("Cache-Control %q", r.h.Get("Cache-Control"))
	}
	z := e.get(t, "/faq/kettle-not-heating?lang=zh")
	mustContain(t, z.body, `<html lang="zh-CN">`, "客户服务部", "相关问题", `href="/faq/?lang=zh"`, `<input type="hidden" name="lang" value="zh">`)
}

func TestLanguageNegotiation(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		query, accept, want string
	}{
		{"", "", "en"},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"},
		{"", "zh-TW", "zh-CN"},
		{"", "zh-Hant-HK", "zh-CN"},
		// Cantonese (yue), Mandarin (cmn) and the other Chinese languages
		// a browser may name read Chinese, not English
		{"", "yue-Hant-HK,yue;q=0.9,en;q=0.5", "zh-CN"},
		{"", "yue", "zh-CN"},
		{"", "cmn-Hans-CN", "zh-CN"},
		{"", "nan-TW, en;q=0.3", "zh-CN"},
		{"lang=yue", "en", "zh-CN"},
		{"lang=zh-yue", "en", "zh-CN"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "fr-FR, en;q=0.5, zh;q=0.8", "zh-CN"},
		{"", "fr-FR, zh;q=0.5, en;q=0.8", "en"},
		{"", "de, ja", "en"},
		{"", "zh;q=0, en", "en"},
		{"", "*", "en"},
		{"", "%%%garbage;;;q=x", "en"},
		{"", strings.Repeat("zh-CN,", 2000), "zh-CN"},
		{"lang=zh", "en", "zh-CN"},
		{"lang=zh-TW", "en", "zh-CN"},
		{"lang=en", "zh-CN", "en"},
		{"lang=xx", "zh-CN", "zh-CN"},
		{"lang=%3Cscript%3E", "", "en"},
	}
	for _, c := range cases {
		target := "/faq/"
		if c.query != "" {
			target += "?" + c.query
		}
		r := e.get(t, target, "Accept-Language", c.accept)
		if !strings.Contains(r.body, `<html lang="`+c.want+`">`) {
			t.Errorf("%q + Accept-Language %q: want lang %s; got %s", c.query, clip(c.accept), c.want, regexp.MustCompile(`<html lang="[^"]*">`).FindString(r.body))
		}
		if r.h.Get("Content-Language") != c.want {
			t.Errorf("%q + %q: Content-Language %q", c.query, clip(c.accept), r.h.Get("Content-Language"))
		}
	}
	// negotiated pages vary by Accept-Language; explicit ones carry lang on
	r := e.get(t, "/faq/", "Accept-Language", "zh")
	if !strings.Contains(r.h.Get("Vary"), "Accept-Language") {
		t.Errorf("Vary %q", r.h.Get("Vary"))
	}
	mustContain(t, r.body, "有什么可以帮您？", `href="/faq/?lang=en" hreflang="en" lang="en"`, ">English</a>")
	mustNotContain(t, r.body, `name="lang"`)
	r = e.get(t, "/faq/?lang=zh", "Accept-Language", "en")
	mustContain(t, r.body, `<a href="/faq/kettle-not-heating?lang=zh">电水壶不加热 / 按了没反应</a>`, `<input type="hidden" name="lang" value="zh">`)
}

// TestSearchInGB18030: a query sent in GBK/GB18030 (a form on a GBK page,
// a hand-made link) is read as Chinese, as an undeclared mail body is,
// not as replacement characters that match nothing.
func TestSearchInGB18030(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/search?q=%CD%CB%BF%EE") // 退款
	first := regexp.MustCompile(`class="result-title" href="/faq/([^"?]+)`).FindStringSubmatch(r.body)
	if r.code != 200 || first == nil || first[1] != "refund-timing" {
		t.Errorf("GB18030 退款: %d, first result %v, want refund-timing", r.code, first)
	}
	mustContain(t, r.body, `value="退款"`)
}

func TestSwitchLinkKeepsTheQuery(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/search?q=kettle+%3Cb%3E", "Accept-Language", "en")
	mustContain(t, r.body, `href="/faq/search?lang=zh&amp;q=kettle&#43;%3Cb%3E"`, ">中文</a>")
	r = e.get(t, "/faq/search?q=kettle&lang=zh")
	mustContain(t, r.body, `href="/faq/search?lang=en&amp;q=kettle"`)
}

func TestUITranslated(t *testing.T) {
	en, zh := reflect.ValueOf(*uiEN), reflect.ValueOf(*uiZH)
	for i := 0; i < en.NumField(); i++ {
		f := en.Type().Field(i)
		switch f.Type.Kind() {
		case reflect.String:
			a, b := en.Field(i).String(), zh.Field(i).String()
			if a == "" || b == "" {
				t.Errorf("ui.%s: empty (en %q, zh %q)", f.Name, a, b)
			}
			if a == b && !strings.Contains(f.Name, "Lang") {
				t.Errorf("ui.%s is not translated: %q", f.Name, a)
			}
			if strings.HasSuffix(f.Name, "Fmt") || strings.HasPrefix(f.Name, "stat") || strings.HasSuffix(f.Name, "fmt") {
				if strings.Count(a, "%") != strings.Count(b, "%") {
					t.Errorf("ui.%s: verbs differ: %q vs %q", f.Name, a, b)
				}
			}
		case reflect.Map:
			a, b := en.Field(i), zh.Field(i)
			for _, k := range a.MapKeys() {
				if v := b.MapIndex(k); !v.IsValid() || v.String() == "" || v.String() == a.MapIndex(k).String() {
					t.Errorf("ui.%s[%s] is not translated", f.Name, k)
				}
			}
		}
	}
	// no English UI words on a Chinese page (content aside)
	e := newEnv(t, nil)
	for _, target := range []string{"/faq/?lang=zh", "/faq/search?lang=zh&q=退货", "/faq/search?lang=zh&q=zzqx", "/faq/nope?lang=zh", "/t/" + e.tokens.Sign("t2") + "?lang=zh"} {
		r := e.get(t, target)
		for _, s := range []string{"Search", "Help Centre", "Write to", "Skip", "Related", "answers", "Status", "promise", "First reply"} {
			if strings.Contains(stripTags(r.body), s) {
				t.Errorf("%s: English %q on a Chinese page", target, s)
			}
		}
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return tagRE.ReplaceAllString(s, " ") }

func TestSearchHighlightsTheMatchedWords(t *testing.T) {
	e := newEnv(t, nil)
	cases := []struct {
		q, lang, first, mark string
	}{
		{"my kettle will not heat", "en", "kettle-not-heating", "<mark>kettle</mark>"},
		{"warrenty", "en", "warranty-policy", "<mark>Warranty</mark>"},               // typo corrected
		{"ｋｅｔｔｌｅ", "en", "kettle-not-heating", "<mark>kettle</mark>"},                // full-width
		{"how do i get my money back", "en", "refund-timing", "<mark>refund</mark>"}, // colloquial
		{"水壶不加热", "zh", "kettle-not-heating", "<mark>"},
		{"電熱水壺不熱", "zh", "kettle-not-heating", "<mark>电水壶不</mark>"}, // Traditional
		{"退貨", "zh", "returns-7-day", "<mark>退货</mark>"},
	}
	for _, c := range cases {
		r := e.get(t, "/faq/search?q="+url.QueryEscape(c.q)+"&lang="+c.lang)
		if r.code != 200 {
			t.Errorf("%q: %d", c.q, r.code)
			continue
		}
		first := regexp.MustCompile(`class="result-title" href="/faq/([^"?]+)`).FindStringSubmatch(r.body)
		if first == nil || first[1] != c.first {
			t.Errorf("%q: first result %v, want %s", c.q, first, c.first)
		}
		if !strings.Contains(strings.ToLower(r.body), strings.ToLower(c.mark)) {
			t.Errorf("%q: no %s in\n%s", c.q, c.mark, clip(r.body))
		}
		// the order on the page is faq's Search order: one ranking
		var want []string
		for _, h := range faq.Demo().Search(c.q, mlang.Language(c.lang), 10) {
			want = append(want, h.ID)
		}
		var got []string
		for _, m := range regexp.MustCompile(`class="result-title" href="/faq/([^"?]+)`).FindAllStringSubmatch(r.body, -1) {
			got = append(got, m[1])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: page order %v, Search order %v", c.q, got, want)
		}
	}
}

func TestNoResultOffersMailToTheRightDepartment(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/search?q=zzqx+blorf")
	if r.code != 200 {
		t.Fatalf("%d", r.code)
	}
	mustContain(t, r.body, "No answers found", "We found no answers for “<strong>zzqx blorf</strong>”",
		`href="mailto:support@support.localhost?subject=zzqx%20blorf"`, "Write to Customer Support")
	z := e.get(t, "/faq/search?q=zzqx&lang=zh")
	mustContain(t, z.body, "没有找到答案", "写信给客户服务部")
	// with results, the contact is the top result's department
	r = e.get(t, "/faq/search?q=invoice")
	mustContain(t, r.body, `href="mailto:finance@support.localhost?subject=invoice"`, "Write to Billing")
	// no address configured: no link, still a page
	e2 := newEnv(t, func(o *Options) { o.SupportAddress = nil })
	r = e2.get(t, "/faq/search?q=zzqx")
	mustContain(t, r.body, "No answers found")
	mustNotContain(t, r.body, "mailto:")
}

func TestHostileQueryIsEscaped(t *testing.T) {
	e := newEnv(t, nil)
	for _, q := range []string{
		`<script>alert(1)</script>`,
		`"><img src=x onerror=alert(1)>`,
		`kettle <b>bold</b> "quote' & ampersand`,
		"kettle\x00\x1b[31m\u202e",
		`javascript:alert(1)`,
		strings.Repeat("kettle ", 5000),
	} {
		for _, lang := range []string{"en", "zh"} {
			r := e.get(t, "/faq/search?lang="+lang+"&q="+url.QueryEscape(q))
			if r.code != 200 {
				t.Errorf("%q: %d", q, r.code)
			}
			mustNotContain(t, r.body, "<script", "<img src=x", "<b>", "\x00", "\x1b", `href="javascript:`)
			if len(r.body) > 200_000 {
				t.Errorf("%q: %d bytes", clip(q), len(r.body))
			}
		}
	}
	r := e.get(t, "/faq/search?q="+url.QueryEscape(`kettle <b>x</b>`))
	mustContain(t, r.body, `value="kettle &lt;b&gt;x&lt;/b&gt;"`, "&lt;b&gt;x&lt;/b&gt;")
	// mailto subject is percent-encoded, not raw
	r = e.get(t, "/faq/search?q="+url.QueryEscape(`zzqx "><x>&cc=evil@example.com`))
	if m := regexp.MustCompile(`href="mailto:[a-z]+@support\.localhost\?subject=zzqx%20%22%3E%3Cx%3E%26cc%3Devil%40example\.com"`).FindString(r.body); m == "" {
		t.Errorf("mailto: subject not encoded:\n%s", clip(r.body))
	}
}

const hostileFAQ = `
- id: hostile
  departments: [support]
  en:
    title: "<script>alert('title')</script> kettle & <b>bold</b>"
    keywords: ["<img src=x onerror=alert(1)>", kettle]
    answer: "Press the <button onclick=alert(1)> kettle button. </p><script>alert(2)</script> & done"
  zh:
    title: "<script>alert('标题')</script> 电水壶"
    keywords: [电水壶]
    answer: "<iframe src=//evil> 电水壶 </textarea>"
- id: other
  departments: ["<dept>"]
  en: {title: "Other", keywords: [x], answer: "y"}
`

func TestHostileFAQTextIsEscaped(t *testing.T) {
	cat, err := faq.Parse("hostile.yaml", []byte(hostileFAQ))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *Options) {
		o.FAQ = func() *faq.Catalog { return cat }
		o.DepartmentName = func(d string, _ mlang.Language) string { return d + "<i>" }
	})
	for _, target := range []string{"/faq/", "/faq/hostile", "/faq/search?q=kettle", "/faq/search?q=button", "/faq/?lang=zh", "/faq/hostile?lang=zh", "/faq/search?q=电水壶&lang=zh", "/faq/other"} {
		r := e.get(t, target)
		if r.code != 200 {
			t.Errorf("%s: %d", target, r.code)
		}
		mustNotContain(t, r.body, "<script", "<img src=x", "<b>", "<button onclick", "<iframe", "</textarea>", "<i>", "<dept>", "</p><")
	}
	r := e.get(t, "/faq/search?q=kettle")
	mustContain(t, r.body, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; <mark>kettle</mark> &amp; &lt;b&gt;bold&lt;/b&gt;")
	j := e.get(t, "/faq/search?q=kettle&format=json")
	mustNotContain(t, j.body, "<script")
}

func TestHostileTicketTextIsEscaped(t *testing.T) {
	e := newEnv(t, nil)
	e.tickets.set("evil", &PublicTicket{
		Tag: "SUP-<b>1</b>", Subject: `<script>alert("s")</script>`, Department: `<img src=x onerror=alert(1)>`,
		Status: `"><script>x</script>`, Lang: "en", Opened: e.now,
		Timeline: []PublicEntry{
			{At: e.now, Who: "customer", Text: "</li><script>alert(3)</script>\n<a href=javascript:alert(1)>x</a>"},
			{At: e.now, Who: "<agent>", Text: "<style>body{display:none}</style>"},
		},
	})
	r := e.get(t, "/t/"+e.tokens.Sign("evil"))
	if r.code != 200 {
		t.Fatalf("%d", r.code)
	}
	mustNotContain(t, r.body, "<script", "<img src=x", "<b>1", "<style", "<a href=javascript", "</li><")
	mustContain(t, r.body, "&lt;script&gt;alert(&#34;s&#34;)&lt;/script&gt;", "&lt;a href=javascript:alert(1)&gt;")
}

func TestStatusPage(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/t/"+e.tokens.Sign("t1"), "Accept-Language", "en-US")
	if r.code != 200 {
		t.Fatalf("%d\n%s", r.code, r.body)
	}
	mustContain(t, r.body, "SUP-1042", "<h1>My kettle will not heat</h1>", "Customer Support", "Answered",
		"First reply", `by <time datetime="2026-11-23T05:30:00Z">Monday 23 November, 13:30 (China Standard Time)</time>`,
		`<span class="pill">Kept</span> replied Monday 23 November, 11:45 (China Standard Time)`,
		"Resolution", "Thursday 26 November, 18:00 (China Standard Time)", `<span class="pill">On track</span>`,
		"my KT-17 kettle stopped heating today", "<strong>You</strong>", "<strong>Customer Support</strong>",
		`<meta name="robots" content="noindex, nofollow">`)
	mustNotContain(t, r.body, "SUP-1043", "secret", "12345") // the other customer's ticket
	if r.h.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.h.Get("Cache-Control"))
	}
	// the open Chinese ticket, past its first-response deadline
	e.advance(48 * time.Hour)
	z := e.get(t, "/t/"+e.tokens.Sign("t2"), "Accept-Language", "zh-CN")
	mustContain(t, z.body, `<html lang="zh-CN">`, "SUP-1043", "处理中", "首次回复", "11月23日（周一）13:30", `<span class="pill">已逾期</span>`, "<strong>您</strong>")
	mustNotContain(t, z.body, "SUP-1042", "Alice")
	// no Accept-Language at all: the ticket's language
	z = e.get(t, "/t/"+e.tokens.Sign("t2"))
	mustContain(t, z.body, `<html lang="zh-CN">`)
	// a late first reply is "not met"
	tk, _ := e.tickets.PublicTicket(t.Context(), "t1")
	tk.FirstResponseAt = tk.FirstResponseDue.Add(time.Minute)
	tk.ResolvedAt, tk.Status = tk.ResolutionDue.Add(-time.Hour), "resolved"
	e.tickets.set("t1", tk)
	r = e.get(t, "/t/"+e.tokens.Sign("t1"), "Accept-Language", "en")
	mustContain(t, r.body, `<div class="promise missed">`, `<span class="pill">Late</span>`, `<div class="promise met">`, "Resolved", "resolved Thursday 26 November, 17:00")
	// a department id gives Chinese pages the Chinese name
	e.tickets.set("t4", &PublicTicket{Tag: "SUP-10", Subject: "x", Department: "Billing", DepartmentID: "finance", Status: "open", Opened: e.now,
		Timeline: []PublicEntry{{At: e.now, Who: "agent", Text: "hi"}}})
	z = e.get(t, "/t/"+e.tokens.Sign("t4")+"?lang=zh")
	mustContain(t, z.body, "<dd>财务部</dd>", "<strong>财务部</strong>")
	mustContain(t, e.get(t, "/t/"+e.tokens.Sign("t4")+"?lang=en").body, "<dd>Billing</dd>")
	// no deadlines at all
	e.tickets.set("t3", &PublicTicket{Tag: "SUP-9", Subject: "hi", Status: "waiting", Opened: e.now})
	r = e.get(t, "/t/"+e.tokens.Sign("t3"), "Accept-Language", "en")
	mustContain(t, r.body, "No fixed deadline", "Waiting for you", "No messages yet.")
}

func TestBadTokensAre404WithoutData(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.TokenBurst = 1000 })
	good := e.tokens.Sign("t1")
	other := NewTokens([]byte("another key, another gateway...")).Sign("t1")
	i := strings.LastIndexByte(good, '.')
	flip := func(s string, at int) string {
		b := []byte(s)
		if b[at] == 'A' {
			b[at] = 'B'
		} else {
			b[at] = 'A'
		}
		return string(b)
	}
	bad := []string{
		"t1", "t1.", ".x", good[:len(good)-1], good + "A", flip(good, len(good)-1), flip(good, i+1),
		"t2" + good[i:], // t1's MAC on t2's id
		other, "~dDE" + good[i:], strings.Repeat("a", 5000), "t1." + strings.Repeat("A", 24),
		url.PathEscape("../../etc/passwd"), "%00", url.PathEscape("<script>") + good[i:],
	}
	notFound := e.get(t, "/faq/nope")
	for _, tok := range bad {
		r := e.get(t, "/t/"+tok)
		if r.code != 404 {
			t.Errorf("token %q: %d", clip(tok), r.code)
		}
		mustNotContain(t, r.body, "kettle will not heat", "SUP-104", "Alice", "电水壶")
		if r.h.Get("Content-Type") != notFound.h.Get("Content-Type") || !strings.Contains(r.body, "<h1>Page not found</h1>") {
			t.Errorf("token %q: not the plain not-found page", clip(tok))
		}
	}
	// a genuine link to a ticket that is gone
	if r := e.get(t, "/t/"+e.tokens.Sign("deleted")); r.code != 404 {
		t.Errorf("deleted ticket: %d", r.code)
	}
	// the store failing is a 500 without data
	e.tickets.fail["t1"] = true
	r := e.get(t, "/t/"+good)
	if r.code != 500 {
		t.Errorf("store error: %d", r.code)
	}
	mustNotContain(t, r.body, "store on fire", "kettle will not heat")
	// ... and a 503 with Retry-After while the store cannot reach its
	// database: the same page, which says to try again in a moment.
	eu := newEnv(t, func(o *Options) {
		o.Unavailable = func(context.Context) error { return errors.New("database: refused") }
	})
	eu.tickets.fail["t1"] = true
	if r := eu.get(t, "/t/"+good); r.code != http.StatusServiceUnavailable || r.h.Get("Retry-After") == "" || !strings.Contains(r.body, "try again") {
		t.Errorf("store error with the database unreachable: %d, Retry-After %q", r.code, r.h.Get("Retry-After"))
	} else {
		mustNotContain(t, r.body, "store on fire", "kettle will not heat", "database: refused")
	}
	if got := testutil.ToFloat64(e.s.m.tokens.WithLabelValues("invalid")); got != float64(len(bad)) {
		t.Errorf("invalid rejections %v, want %d", got, len(bad))
	}
	// no Tokens or Tickets configured: every status link is a 404
	e2 := newEnv(t, func(o *Options) { o.Tickets = nil })
	if r := e2.get(t, "/t/"+good); r.code != 404 {
		t.Errorf("no ticket source: %d", r.code)
	}
}

func TestTriesAreRateLimitedPerClient(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.TokenBurst = 3; o.TokenRefill = time.Minute })
	from := func(addr, target string) response {
		req := httptest.NewRequest("GET", target, nil)
		req.RemoteAddr = addr
		return e.do(t, req)
	}
	good := "/t/" + e.tokens.Sign("t1")
	for i := 0; i < 3; i++ {
		if r := from("192.0.2.1:1000", "/t/guess"+string(rune('a'+i))+".AAAA"); r.code != 404 {
			t.Fatalf("try %d: %d", i, r.code)
		}
	}
	r := from("192.0.2.1:1001", "/t/guessd.AAAA")
	if r.code != http.StatusTooManyRequests {
		t.Fatalf("4th bad try: %d", r.code)
	}
	if r.h.Get("Retry-After") != "60" {
		t.Errorf("Retry-After %q", r.h.Get("Retry-After"))
	}
	mustContain(t, r.body, "Too many tries")
	// while blocked, valid links from that address wait too
	if r := from("192.0.2.1:1002", good); r.code != http.StatusTooManyRequests {
		t.Errorf("valid link while blocked: %d", r.code)
	}
	// other addresses are not affected; valid links never count
	for i := 0; i < 10; i++ {
		if r := from("192.0.2.2:1000", good); r.code != 200 {
			t.Fatalf("other client: %d", r.code)
		}
	}
	// IPv6: the /64 is one client
	for i := 0; i < 3; i++ {
		from("[2001:db8:1:2::"+string(rune('1'+i))+"]:80", "/t/x.AAAA")
	}
	if r := from("[2001:db8:1:2:ffff::9]:80", "/t/x.AAAA"); r.code != 429 {
		t.Errorf("same /64: %d", r.code)
	}
	if r := from("[2001:db8:1:3::1]:80", good); r.code != 200 {
		t.Errorf("other /64: %d", r.code)
	}
	// the bucket refills
	e.advance(time.Minute)
	if r := from("192.0.2.1:1003", good); r.code != 200 {
		t.Errorf("after refill: %d", r.code)
	}
	if got := testutil.ToFloat64(e.s.m.tokens.WithLabelValues("rate_limited")); got != 3 {
		t.Errorf("rate_limited %v", got)
	}
	if got := testutil.ToFloat64(e.s.m.views.WithLabelValues(pageRateLimited)); got != 3 {
		t.Errorf("rate_limited views %v", got)
	}
}

func TestTriesLimiterIsBounded(t *testing.T) {
	l := newTriesLimiter(time.Minute, 1, 100)
	now := time.Now()
	for i := 0; i < 1000; i++ {
		l.fail(addrKey("10.0.0."+string(rune('0'+i%10))+string(rune('0'+i/10%10))+string(rune('0'+i/100))), now)
	}
	if l.len() != 100 {
		t.Errorf("len %d, want 100", l.len())
	}
	// the most recent are kept, the oldest forgotten
	l = newTriesLimiter(time.Minute, 1, 2)
	l.fail("a", now)
	l.fail("b", now)
	l.blocked("a", now) // touch a
	l.fail("c", now)
	if !l.blocked("a", now) || l.blocked("b", now) || !l.blocked("c", now) {
		t.Errorf("LRU eviction wrong")
	}
}

func TestSearchJSON(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/search?q=my+kettle+will+not+heat&format=json")
	if r.code != 200 || r.h.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("%d %s", r.code, r.h.Get("Content-Type"))
	}
	var got jsonResults
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	want := faq.Demo().Search("my kettle will not heat", "en", 10)
	if got.Query != "my kettle will not heat" || got.Lang != "en" || len(got.Results) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i, h := range want {
		g := got.Results[i]
		if g.ID != h.ID || g.Title != h.Title || g.URL != "http://help.test/faq/"+h.ID || len(g.Departments) == 0 {
			t.Errorf("result %d: %+v, want %+v", i, g, h)
		}
		if i > 0 && g.Score > got.Results[i-1].Score {
			t.Errorf("not in score order")
		}
	}
	r = e.get(t, "/faq/search?q=退货&format=json", "Accept-Language", "zh")
	json.Unmarshal([]byte(r.body), &got)
	if got.Lang != "zh" || len(got.Results) == 0 || got.Results[0].ID != "returns-7-day" || !strings.HasSuffix(got.Results[0].URL, "?lang=zh") || !hasHan(got.Results[0].Title) {
		t.Errorf("zh: %+v", got)
	}
	for _, q := range []string{"", "zzqx"} {
		r = e.get(t, "/faq/search?format=json&q="+q)
		if !strings.Contains(r.body, `"results": []`) {
			t.Errorf("q=%q: %s", q, r.body)
		}
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t, nil)
	// pre-initialised: every page and search label exists before traffic
	if n := testutil.CollectAndCount(e.s.m.views); n != len(pages) {
		t.Errorf("page_views_total has %d series, want %d", n, len(pages))
	}
	if n := testutil.CollectAndCount(e.s.m.searches); n != 4 {
		t.Errorf("searches_total has %d series", n)
	}
	e.get(t, "/faq/")
	e.get(t, "/faq/?lang=zh")
	e.get(t, "/faq/kettle-not-heating")
	e.get(t, "/faq/search?q=kettle")
	e.get(t, "/faq/search?q=退货&lang=zh")
	e.get(t, "/faq/search?q=zzqx&lang=zh")
	e.get(t, "/faq/search?q=zzqx&format=json")
	e.get(t, "/faq/search?q=")
	e.get(t, "/faq/nope")
	e.get(t, "/t/"+e.tokens.Sign("t1"))
	for page, want := range map[string]float64{pageIndex: 2, pageEntry: 1, pageSearch: 4, pageSearchJSON: 1, pageNotFound: 1, pageStatus: 1} {
		if got := testutil.ToFloat64(e.s.m.views.WithLabelValues(page)); got != want {
			t.Errorf("views{page=%s} = %v, want %v", page, got, want)
		}
	}
	for k, want := range map[[2]string]float64{{"hit", "en"}: 1, {"hit", "zh"}: 1, {"no_hit", "zh"}: 1, {"no_hit", "en"}: 1} {
		if got := testutil.ToFloat64(e.s.m.searches.WithLabelValues(k[0], k[1])); got != want {
			t.Errorf("searches%v = %v, want %v", k, got, want)
		}
	}
	// registered under the documented names
	names, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, mf := range names {
		seen[mf.GetName()] = true
	}
	for _, n := range []string{"frontdesk_web_page_views_total", "frontdesk_web_searches_total", "frontdesk_web_status_link_rejections_total"} {
		if !seen[n] {
			t.Errorf("%s not registered", n)
		}
	}
}

func TestRequestLogsRedactTokens(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens.Sign("t1")
	e.get(t, "/t/"+tok)
	e.get(t, "/t/"+tok+"x")
	e.get(t, "/faq/search?q=my+secret+question")
	logs := e.logs.String()
	mustContain(t, logs, "path=/t/<redacted>", "status=200", "status=404", "path=/faq/search")
	mustNotContain(t, logs, tok, "secret", "t1.")
}

func TestStaticCaching(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/static/style.css")
	if r.code != 200 || r.h.Get("Content-Type") != "text/css; charset=utf-8" || r.h.Get("ETag") == "" || r.h.Get("Cache-Control") != "public, max-age=3600" {
		t.Fatalf("%d %v", r.code, r.h)
	}
	v := e.s.static["style.css"].hash
	r2 := e.get(t, "/static/style.css?v="+v)
	if r2.h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("versioned: %q", r2.h.Get("Cache-Control"))
	}
	r3 := e.get(t, "/static/style.css", "If-None-Match", r.h.Get("ETag"))
	if r3.code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r3.code)
	}
	if r := e.get(t, "/static/icon.svg"); r.h.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("svg: %q", r.h.Get("Content-Type"))
	}
	// the page links the versioned URL
	mustContain(t, e.get(t, "/faq/").body, "/static/style.css?v="+v)
}

func TestHotReloadedCatalogShowsOnNextRequest(t *testing.T) {
	cat := faq.Demo()
	e := newEnv(t, func(o *Options) { o.FAQ = func() *faq.Catalog { return cat } })
	if r := e.get(t, "/faq/hostile"); r.code != 404 {
		t.Fatal(r.code)
	}
	var err error
	cat, err = faq.Parse("new.yaml", []byte(hostileFAQ))
	if err != nil {
		t.Fatal(err)
	}
	if r := e.get(t, "/faq/hostile"); r.code != 200 {
		t.Errorf("after reload: %d", r.code)
	}
}

func TestEmptySearchAsksForWords(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get(t, "/faq/search?q=+++")
	mustContain(t, r.body, "Type a few words about your question")
	mustNotContain(t, r.body, "mailto:", "No answers found")
}

// A search written in Chinese gets the Chinese page whatever the browser
// prefers, and its links keep the language; ?lang= still decides.
func TestSearchAnswersInTheLanguageOfTheQuestion(t *testing.T) {
	e := newEnv(t, nil)
	for _, c := range []struct {
		path, accept, want string
	}{
		{"/faq/search?q=" + url.QueryEscape("水壶不加热"), "en-GB,en;q=0.9", "zh"},
		{"/faq/search?q=" + url.QueryEscape("水壶不加热"), "", "zh"},
		{"/faq/search?q=" + url.QueryEscape("水壶不加热") + "&lang=en", "zh-CN", "en"},
		{"/faq/search?q=kettle", "en-GB", "en"},
		{"/faq/search?q=kettle", "zh-CN", "zh"},
	} {
		r := e.get(t, c.path, "Accept-Language", c.accept)
		if r.code != 200 {
			t.Fatalf("%s: %d", c.path, r.code)
		}
		lang := "en"
		if strings.HasPrefix(r.h.Get("Content-Language"), "zh") {
			lang = "zh"
		}
		if lang != c.want {
			t.Errorf("%s (Accept-Language %q): page in %s, want %s", c.path, c.accept, lang, c.want)
		}
		if c.want == "zh" && strings.Contains(c.path, "q=%E6") && !strings.Contains(r.body, `href="/faq/kettle-not-heating?lang=zh"`) {
			t.Errorf("%s: the result links do not keep ?lang=zh:\n%s", c.path, clip(r.body))
		}
		r = e.get(t, c.path+"&format=json", "Accept-Language", c.accept)
		var got jsonResults
		if err := json.Unmarshal([]byte(r.body), &got); err != nil || string(got.Lang) != c.want {
			t.Errorf("%s json: lang %q (%v), want %s", c.path, got.Lang, err, c.want)
		}
	}
}

// TestStatusPageClocksStopAtResolution: a ticket resolved before its
// first reply was due (through the API, merged into another, closed by
// the customer's own words) never owed that reply: its status page says
// so, not "Overdue: sorry, we are late" once the due time has passed, in
// either language. One resolved after the due time without a reply was
// late, and says "Late", not that it still is.
func TestStatusPageClocksStopAtResolution(t *testing.T) {
	e := newEnv(t, nil)
	tk, _ := e.tickets.PublicTicket(t.Context(), "t2")
	tk.FirstResponseAt = time.Time{}
	tk.ResolvedAt, tk.Status = tk.FirstResponseDue.Add(-time.Hour), "resolved"
	e.tickets.set("t2", tk)
	e.advance(100 * time.Hour)
	for _, c := range []struct{ lang, verdict, late string }{
		{"en", `<span class="pill">Not needed</span> resolved `, "Overdue"},
		{"zh", `<span class="pill">无需回复</span> `, "已逾期"},
	} {
		r := e.get(t, "/t/"+e.tokens.Sign("t2")+"?lang="+c.lang)
		mustContain(t, r.body, `<div class="promise stopped">`, c.verdict)
		mustNotContain(t, r.body, c.late, "promise overdue", "promise pending")
	}
	// resolved after the due time, never answered: late, not overdue
	tk.ResolvedAt = tk.FirstResponseDue.Add(time.Hour)
	e.tickets.set("t2", tk)
	r := e.get(t, "/t/"+e.tokens.Sign("t2")+"?lang=en")
	mustContain(t, r.body, `<div class="promise missed">`, `<span class="pill">Late</span>`)
	mustNotContain(t, r.body, "Overdue", "we are late with this one")
}

// FuzzCleanQuery: whatever bytes a search query has, what the help centre
// ranks and shows is valid UTF-8 without control characters, at most
// maxQueryRunes long.
func FuzzCleanQuery(f *testing.F) {
	for _, s := range []string{"kettle", "退款", "\xcd\xcb\xbf\xee", "\xb0\x68\xb4\xda", "a\x00b\x1b[31m", "\xff\xfe", strings.Repeat("水", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		c := cleanQuery(q)
		if !utf8.ValidString(c) {
			t.Fatalf("cleanQuery(%q) = %q: not UTF-8", q, c)
		}
		if n := utf8.RuneCountInString(c); n > maxQueryRunes {
			t.Fatalf("cleanQuery(%q): %d runes", q, n)
		}
		for _, r := range c {
			if unicode.IsControl(r) || r == utf8.RuneError {
				t.Fatalf("cleanQuery(%q) = %q: has %U", q, c, r)
			}
		}
	})
}
