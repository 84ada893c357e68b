package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testenv"
)

// chromiumPath is Debian's Chromium; the test never fetches a browser.
const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium for the test (skipped without one,
// failed when FRONTDESK_INTEGRATION=require) and returns a tab's context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		testenv.Integration(t, "Chromium", "chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); acancel() })
	// the first Run starts the browser; it must not carry a timeout
	if err := chromedp.Do(ctx); err != nil {
		if testenv.Required() {
			t.Fatalf("start Chromium: %v", err)
		}
		t.Skipf("cannot start Chromium: %v", err)
	}
	return ctx
}

// artifactDir is $FRONTDESK_ARTIFACTS/<test>, else a temporary directory.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FRONTDESK_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot saves a full-page PNG screenshot and logs its path.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

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
	ctx := newBrowser(t)
	e := newEnv(t, nil)
	mux := http.NewServeMux()
	e.s.Register(mux)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	dir := artifactDir(t)
	start := time.Now()

	// the index, in English from the browser's Accept-Language
	step(t, ctx, "open /faq/", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("form.search input#q")))
	if got := location(t, ctx); got != ts.URL+"/faq/" {
		t.Errorf("/ went to %s", got)
	}
	if h1 := text(t, ctx, "h1"); h1 != "How can we help?" {
		t.Errorf("index h1 %q", h1)
	}
	// our stylesheet applied despite the CSP (no inline styles needed)
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.hero')).backgroundImage`))
	if err != nil || !strings.Contains(bg, "gradient") {
		t.Errorf("stylesheet not applied: %q %v", bg, err)
	}
	shot(t, ctx, dir, "01-faq-index-en")

	// type a question as a customer would, and press Enter
	step(t, ctx, "search in English",
		chromedp.Click(chromedp.CSS("input#q")),
		chromedp.SendKeys(chromedp.CSS("input#q"), "my kettle wont heat up\r"),
		chromedp.WaitVisible(chromedp.CSS("ol.results")))
	if u := location(t, ctx); !strings.Contains(u, "/faq/search?q=my+kettle") {
		t.Errorf("search URL %s", u)
	}
	first := text(t, ctx, "ol.results li:first-child a.result-title")
	if !strings.Contains(first, "kettle") {
		t.Errorf("first result %q", first)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('ol.results mark')].map(m => m.textContent.toLowerCase())`))
	if err != nil || len(marks) == 0 || !contains(marks, "kettle") {
		t.Errorf("highlighted words %v %v", marks, err)
	}
	shot(t, ctx, dir, "02-search-en")

	// follow the first result
	step(t, ctx, "open first result",
		chromedp.Click(chromedp.CSS("ol.results li:first-child a.result-title")),
		chromedp.WaitVisible(chromedp.CSS("article.entry h1")))
	if h1 := text(t, ctx, "article.entry h1"); h1 != first {
		t.Errorf("entry h1 %q, want %q", h1, first)
	}
	shot(t, ctx, dir, "03-entry-en")

	// switch to Chinese
	step(t, ctx, "switch to Chinese",
		chromedp.Click(chromedp.CSS("nav.langs a")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] article.entry h1")))
	if h1 := text(t, ctx, "article.entry h1"); !hasHan(h1) {
		t.Errorf("Chinese entry h1 %q", h1)
	}
	if u := location(t, ctx); !strings.Contains(u, "lang=zh") {
		t.Errorf("switch URL %s", u)
	}
	shot(t, ctx, dir, "04-entry-zh")

	// back to the index, search in Traditional Chinese
	step(t, ctx, "Chinese index",
		chromedp.Click(chromedp.CSS("a.brand")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] section.hero")))
	if h1 := text(t, ctx, "h1"); h1 != "有什么可以帮您？" {
		t.Errorf("Chinese index h1 %q", h1)
	}
	shot(t, ctx, dir, "05-faq-index-zh")
	step(t, ctx, "search in Traditional Chinese",
		chromedp.SendKeys(chromedp.CSS("input#q"), "電熱水壺不熱怎麼辦"),
		chromedp.Submit(chromedp.CSS("input#q")),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] ol.results")))
	if first := text(t, ctx, "ol.results li:first-child a.result-title"); !strings.Contains(first, "电水壶") {
		t.Errorf("Traditional search: first result %q", first)
	}
	marks, _ = chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('ol.results mark')].map(m => m.textContent)`))
	if len(marks) == 0 {
		t.Errorf("Traditional search: nothing highlighted")
	}
	shot(t, ctx, dir, "06-search-zh-traditional")

	// Simplified, typed into the results page's own box
	step(t, ctx, "search in Simplified Chinese",
		clearInput("input#q"),
		chromedp.SendKeys(chromedp.CSS("input#q"), "我想退货\r"),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] ol.results")))
	if first := text(t, ctx, "ol.results li:first-child a.result-title"); !strings.Contains(first, "退货") {
		t.Errorf("Simplified search: first result %q", first)
	}

	// nothing found: say so, offer to write
	step(t, ctx, "search with no answer",
		clearInput("input#q"),
		chromedp.SendKeys(chromedp.CSS("input#q"), "量子纠缠传送门\r"),
		chromedp.WaitVisible(chromedp.CSS(".noresults")))
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(".noresults a.button"), "href"))
	if err != nil || !strings.HasPrefix(href.Value, "mailto:support@support.localhost?subject=") {
		t.Errorf("no-result mailto %q %v", href.Value, err)
	}
	shot(t, ctx, dir, "07-no-result-zh")

	// a ticket status page, as linked from an acknowledgement
	step(t, ctx, "status page",
		chromedp.Navigate(ts.URL+"/t/"+e.tokens.Sign("t1")),
		chromedp.WaitVisible(chromedp.CSS(".promises")))
	body := text(t, ctx, "main")
	for _, want := range []string{"SUP-1042", "My kettle will not heat", "Answered", "Monday 23 November, 13:30 (China Standard Time)", "Kept", "On track", "stopped heating"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q:\n%s", want, body)
		}
	}
	shot(t, ctx, dir, "08-status-en")

	e.advance(48 * time.Hour) // past the Chinese ticket's first-response deadline
	step(t, ctx, "Chinese status page",
		chromedp.Navigate(ts.URL+"/t/"+e.tokens.Sign("t2")+"?lang=zh"),
		chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] .promises")))
	body = text(t, ctx, "main")
	for _, want := range []string{"SUP-1043", "处理中", "首次回复", "已逾期"} {
		if !strings.Contains(body, want) {
			t.Errorf("Chinese status page lacks %q:\n%s", want, body)
		}
	}
	shot(t, ctx, dir, "09-status-zh")

	// on a phone
	step(t, ctx, "phone viewport",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(ts.URL+"/t/"+e.tokens.Sign("t1")),
		chromedp.WaitVisible(chromedp.CSS(".promises")))
	shot(t, ctx, dir, "10-status-en-phone")

	// a tampered link is a plain not-found page
	tok := e.tokens.Sign("t1")
	step(t, ctx, "tampered link",
		chromedp.EmulateReset(),
		chromedp.Navigate(ts.URL+"/t/t2"+tok[strings.IndexByte(tok, '.'):]),
		chromedp.WaitVisible(chromedp.CSS(".message")))
	if body := text(t, ctx, "main"); strings.Contains(body, "SUP-") || !strings.Contains(body, "Page not found") {
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
