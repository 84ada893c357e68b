package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestBrowserHelpCentre walks the help centre in a real Chromium as a
// customer would: the FAQ index, an English question typed into the search
// box, the first result, the switch to Chinese, Chinese searches in
// Simplified and Traditional characters, a search with no answer, and two
// ticket status pages. Every page is saved as a PNG.
func TestBrowserHelpCentre(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	ctx := testenv.Browser(t)
	e := newEnv(t, nil)
	mux := http.NewServeMux()
	e.s.Register(mux)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	dir := testenv.ArtifactDir(t)
	start := time.Now()

	// the index, in English from the browser's Accept-Language
	testenv.Do(t, ctx, "open /faq/", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("form.search input#q")))
	if got := location(t, ctx); got != ts.URL+"/faq/" {
		t.Errorf("/ went to %s", got)
	}
	if h1 := testenv.Text(t, ctx, "h1"); h1 != "How can we help?" {
		t.Errorf("index h1 %q", h1)
	}
	// our stylesheet applied despite the CSP (no inline styles needed)
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.hero')).backgroundImage`))
	if err != nil || !strings.Contains(bg, "gradient") {
		t.Errorf("stylesheet not applied: %q %v", bg, err)
	}
	testenv.Screenshot(t, ctx, dir, "01-faq-index-en")

	// type a question as a customer would, and press Enter
	testenv.Do(t, ctx, "search in English",
		chromedp.Click(chromedp.CSS("input#q")),
		chromedp.SendKeys(chromedp.CSS("input#q"), "my kettle wont heat up\r"),
		chromedp.WaitVisible(chromedp.CSS("ol.results")))
	if u := location(t, ctx); !strings.Contains(u, "/faq/search?q=my+kettle") {
		t.Errorf("search URL %s", u)
	}
	first := testenv.Text(t, ctx, "ol.results li:first-child a.result-title")
	if !strings.Contains(first, "kettle") {
		t.Errorf("first result %q", first)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('ol.results mark')].map(m => m.textContent.toLowerCase())`))
	if err != nil || len(marks) == 0 || !contains(marks, "kettle") {
		t.Errorf("highlighted words %v %v", marks, err)
	}
	testenv.Screenshot(t, ctx, dir, "02-search-en")

	// follow the first result
	testenv.Do(t, ctx, "open first result",
		chromedp.Click(chromedp.CSS("ol.results li:first-child a.result-title")),
		chromedp.WaitVisible(chromedp.CSS("article.entry h1")))
	if h1 := testenv.Text(t, ctx, "article.entry h1"); h1 != first {
		t.Errorf("entry h1 %q, want %q", h1, first)
	}
	testenv.Screenshot(t, ctx, dir, "03-entry-en")

	// switch to Chinese
	testenv.Do(t, ctx, "switch to Chinese",
		chromedp.Click(chromedp.CSS("nav.langs a")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] article.entry h1")))
	if h1 := testenv.Text(t, ctx, "article.entry h1"); !hasHan(h1) {
		t.Errorf("Chinese entry h1 %q", h1)
	}
	if u := location(t, ctx); !strings.Contains(u, "lang=zh") {
		t.Errorf("switch URL %s", u)
	}
	testenv.Screenshot(t, ctx, dir, "04-entry-zh")

	// back to the index, search in Traditional Chinese
	testenv.Do(t, ctx, "Chinese index",
		chromedp.Click(chromedp.CSS("a.brand")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] section.hero")))
	if h1 := testenv.Text(t, ctx, "h1"); h1 != "有什么可以帮您？" {
		t.Errorf("Chinese index h1 %q", h1)
	}
	testenv.Screenshot(t, ctx, dir, "05-faq-index-zh")
	testenv.Do(t, ctx, "search in Traditional Chinese",
		chromedp.SendKeys(chromedp.CSS("input#q"), "電熱水壺不熱怎麼辦"),
		chromedp.Submit(chromedp.CSS("input#q")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] ol.results")))
	if first := testenv.Text(t, ctx, "ol.results li:first-child a.result-title"); !strings.Contains(first, "电水壶") {
		t.Errorf("Traditional search: first result %q", first)
	}
	marks, _ = chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('ol.results mark')].map(m => m.textContent)`))
	if len(marks) == 0 {
		t.Errorf("Traditional search: nothing highlighted")
	}
	testenv.Screenshot(t, ctx, dir, "06-search-zh-traditional")

	// Simplified, typed into the results page's own box
	testenv.Do(t, ctx, "search in Simplified Chinese",
		clearInput("input#q"),
		chromedp.SendKeys(chromedp.CSS("input#q"), "我想退货\r"),
		// The old results page has an ol.results too: wait for the new
		// page, whose box the server filled with the new query.
		chromedp.WaitVisible(chromedp.CSS("input#q[value='我想退货']")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] ol.results")))
	if first := testenv.Text(t, ctx, "ol.results li:first-child a.result-title"); !strings.Contains(first, "退货") {
		t.Errorf("Simplified search: first result %q", first)
	}

	// nothing found: say so, offer to write
	testenv.Do(t, ctx, "search with no answer",
		clearInput("input#q"),
		chromedp.SendKeys(chromedp.CSS("input#q"), "量子纠缠传送门\r"),
		chromedp.WaitVisible(chromedp.CSS(".noresults")))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(".noresults a.button"), "href"))
	if err != nil || !strings.HasPrefix(href.Value, "mailto:support@support.localhost?subject=") {
		t.Errorf("no-result mailto %q %v", href.Value, err)
	}
	testenv.Screenshot(t, ctx, dir, "07-no-result-zh")

	// a ticket status page, as linked from an acknowledgement
	testenv.Do(t, ctx, "status page",
		chromedp.Navigate(ts.URL+"/t/"+e.tokens.Sign("t1")),
		chromedp.WaitVisible(chromedp.CSS(".promises")))
	body := testenv.Text(t, ctx, "main")
	for _, want := range []string{"SUP-1042", "My kettle will not heat", "Answered", "Monday 23 November, 13:30 (China Standard Time)", "Kept", "On track", "stopped heating"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q:\n%s", want, body)
		}
	}
	testenv.Screenshot(t, ctx, dir, "08-status-en")

	e.advance(48 * time.Hour) // past the Chinese ticket's first-response deadline
	testenv.Do(t, ctx, "Chinese status page",
		chromedp.Navigate(ts.URL+"/t/"+e.tokens.Sign("t2")+"?lang=zh"),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] .promises")))
	body = testenv.Text(t, ctx, "main")
	for _, want := range []string{"SUP-1043", "处理中", "首次回复", "已逾期"} {
		if !strings.Contains(body, want) {
			t.Errorf("Chinese status page lacks %q:\n%s", want, body)
		}
	}
	testenv.Screenshot(t, ctx, dir, "09-status-zh")

	// on a phone
	testenv.Do(t, ctx, "phone viewport",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(ts.URL+"/t/"+e.tokens.Sign("t1")),
		chromedp.WaitVisible(chromedp.CSS(".promises")))
	testenv.Screenshot(t, ctx, dir, "10-status-en-phone")

	// a tampered link is a plain not-found page
	tok := e.tokens.Sign("t1")
	testenv.Do(t, ctx, "tampered link",
		chromedp.EmulateReset(),
		chromedp.Navigate(ts.URL+"/t/t2"+tok[strings.IndexByte(tok, '.'):]),
		chromedp.WaitVisible(chromedp.CSS(".message")))
	if body := testenv.Text(t, ctx, "main"); strings.Contains(body, "SUP-") || !strings.Contains(body, "Page not found") {
		t.Errorf("tampered link page: %q", body)
	}
	t.Logf("browser walk took %v; screenshots in %s", time.Since(start).Round(time.Millisecond), dir)
}

// clearInput empties a text field, as select-all and delete would
// (chromedp's SetValue cannot set an empty value).
func clearInput(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`(() => { const el = document.querySelector(`+strconv.Quote(sel)+`); el.value = ""; return true })()`)(ctx, t)
		return err
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
