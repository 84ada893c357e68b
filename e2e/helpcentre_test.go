package e2e

import (
	"bytes"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jhillyerd/enmime/v2"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// hcMail polls a Maildir until a message containing want (in its raw form
// or its decoded text) is there, and returns the decoded text.
func hcMail(t *testing.T, dir, want string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, raw := range waitMaildir(t, dir, 0, time.Second) {
			env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
			if err != nil {
				continue
			}
			text := env.GetHeader("Subject") + "\n" + env.Text
			if strings.Contains(text, want) || bytes.Contains(raw, []byte(want)) {
				return text
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail with %q in %s", want, dir)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var statusLinkRE = regexp.MustCompile(`https?://[^\s<>"]+/t/[A-Za-z0-9_~-]+\.[A-Za-z0-9_-]+(\?lang=zh)?`)

// TestHelpCentreStatusPageFromAcknowledgement is the customer's path through
// the real binary: a mail sent with swaks is acknowledged into the outbox;
// the acknowledgement's /t/ link opens in Chromium and shows the ticket's
// tag, status and promised first-reply time; after an agent replies (from
// the MX, SPF-authenticated) the same link shows the reply, the kept
// promise and the new status, and after #resolve the ticket as resolved.
// The FAQ search works on the same listener. Screenshots are artefacts.
func TestHelpCentreStatusPageFromAcknowledgement(t *testing.T) {
	ctx := testenv.Browser(t)
	g := startGateway(t, "")
	dir := testenv.ArtifactDir(t)
	outbox := filepath.Join(g.dir, "data", "outbox")
	swaks := func(args ...string) {
		testenv.SwaksOK(t, append([]string{"--server", g.SMTP}, args...)...)
	}
	// the link in mail is built on http.public_url, which without a
	// setting is the HTTP listener; open keeps working if a test sets one
	open := func(link string) string {
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		u.Scheme, u.Host = "http", g.HTTP
		return u.String()
	}

	// 1. An English customer writes; the acknowledgement carries the link.
	swaks("--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol Chen <carol@customer.example>", "--header", "Subject: My kettle will not heat",
		"--body", "Hello,\nmy kettle stopped heating this morning. What can I do?\n\nCarol")
	ack := hcMail(t, outbox, "/t/")
	link := statusLinkRE.FindString(ack)
	if link == "" || !strings.HasPrefix(link, "http://"+g.HTTP+"/t/") || strings.Contains(link, "lang=zh") {
		t.Fatalf("no English status link on public_url in the acknowledgement:\n%s", ack)
	}
	tag := regexp.MustCompile(`SUP-\d+`).FindString(ack)
	if tag == "" {
		t.Fatalf("no ticket tag in the acknowledgement:\n%s", ack)
	}

	testenv.Do(t, ctx, "open the status link", chromedp.Navigate(open(link)), chromedp.WaitVisible(chromedp.CSS(".promises")))
	page := testenv.Text(t, ctx, "main")
	for _, want := range []string{tag, "My kettle will not heat", "Customer Support", "Open", "First reply", "On track", "stopped heating this morning"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q:\n%s", want, page)
		}
	}
	due := regexp.MustCompile(`by ([A-Z][a-z]+day \d+ [A-Z][a-z]+, \d\d:\d\d)`).FindStringSubmatch(testenv.Text(t, ctx, ".promise"))
	if due == nil {
		t.Errorf("no first-reply deadline on the page:\n%s", page)
	} else if !strings.Contains(ack, due[1]) {
		t.Errorf("the page promises %q, the acknowledgement does not say so:\n%s", due[1], ack)
	}
	testenv.Screenshot(t, ctx, dir, "01-status-open")

	// 2. The agent answers from the MX: the page shows the reply and the
	// kept promise.
	relayed := string(waitMaildir(t, g.maildir("support"), 1, 20*time.Second)[0])
	replyTo := regexp.MustCompile(`(?m)^Reply-To: (\S+@support\.localhost)`).FindStringSubmatch(relayed)
	if replyTo == nil {
		t.Fatalf("relayed copy has no ticket Reply-To:\n%s", relayed)
	}
	swaks("--from", "alice@agents.test", "--to", replyTo[1], "--header", "From: Alice <alice@agents.test>",
		"--header", "Subject: Re: ["+tag+"] My kettle will not heat",
		"--body", "Dear Carol,\nplease hold the power button for 10 seconds to reset the kettle.\n\nAlice, Customer Support")
	hcMail(t, outbox, "power button for 10 seconds")
	testenv.Do(t, ctx, "reload after the reply", chromedp.Navigate(open(link)), chromedp.WaitVisible(chromedp.CSS(".timeline li.from-agent")))
	page = testenv.Text(t, ctx, "main")
	for _, want := range []string{"Answered", "Kept", "power button for 10 seconds"} {
		if !strings.Contains(page, want) {
			t.Errorf("status page after the reply lacks %q:\n%s", want, page)
		}
	}
	html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	for _, leak := range []string{"alice@agents.test", "agents.test", "support-team@", "Received:", "Authentication-Results"} {
		if strings.Contains(html, leak) {
			t.Errorf("status page shows %q", leak)
		}
	}
	testenv.Screenshot(t, ctx, dir, "02-status-answered")

	// 3. #resolve: resolved, the resolution promise kept.
	swaks("--from", "alice@agents.test", "--to", replyTo[1], "--header", "From: alice@agents.test",
		"--header", "Subject: Re: ["+tag+"] My kettle will not heat", "--body", "#resolve\nGlad it works again.")
	deadline := time.Now().Add(20 * time.Second)
	for {
		testenv.Do(t, ctx, "reload after #resolve", chromedp.Navigate(open(link)), chromedp.WaitVisible(chromedp.CSS(".promises")))
		if page = testenv.Text(t, ctx, "main"); strings.Contains(page, "Resolved") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(page, "Resolved") || strings.Contains(page, "#resolve") {
		t.Errorf("status page after #resolve:\n%s", page)
	}
	testenv.Screenshot(t, ctx, dir, "03-status-resolved")

	// 4. A Chinese customer gets a Chinese link and a Chinese page.
	swaks("--from", "wang@customer.example", "--to", "support@support.localhost",
		"--header", "Subject: 电水壶不加热", "--header", "Content-Type: text/plain; charset=utf-8",
		"--body", "你好，我的电水壶今天突然不加热了，请问怎么办？\n\n王先生")
	zhAck := hcMail(t, outbox, "?lang=zh")
	zhLink := statusLinkRE.FindString(zhAck)
	if !strings.HasSuffix(zhLink, "?lang=zh") {
		t.Fatalf("no Chinese status link:\n%s", zhAck)
	}
	testenv.Do(t, ctx, "open the Chinese status link", chromedp.Navigate(open(zhLink)), chromedp.WaitVisible(chromedp.CSS("html[lang='zh-CN'] .promises")))
	page = testenv.Text(t, ctx, "main")
	for _, want := range []string{"电水壶不加热", "处理中", "首次回复", "按计划进行"} {
		if !strings.Contains(page, want) {
			t.Errorf("Chinese status page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "Carol") || strings.Contains(page, tag+" ") {
		t.Errorf("the other customer's ticket shows:\n%s", page)
	}
	testenv.Screenshot(t, ctx, dir, "04-status-zh")

	// 5. A tampered link is a plain 404; the FAQ search answers on the same
	// listener.
	i := strings.LastIndexByte(link, '.')
	testenv.Do(t, ctx, "tampered link", chromedp.Navigate(open(link[:i-1]+"9"+link[i:])), chromedp.WaitVisible(chromedp.CSS(".message")))
	if p := testenv.Text(t, ctx, "main"); strings.Contains(p, "SUP-") || !strings.Contains(p, "Page not found") {
		t.Errorf("tampered link: %q", p)
	}
	testenv.Do(t, ctx, "FAQ search",
		chromedp.Navigate("http://"+g.HTTP+"/"), chromedp.WaitVisible(chromedp.CSS("input#q")),
		chromedp.SendKeys(chromedp.CSS("input#q"), "kettle does not heat\r"), chromedp.WaitVisible(chromedp.CSS("ol.results")),
		chromedp.Click(chromedp.CSS("ol.results li:first-child a.result-title")), chromedp.WaitVisible(chromedp.CSS("article.entry h1")))
	if h1 := testenv.Text(t, ctx, "article.entry h1"); !strings.Contains(strings.ToLower(h1), "kettle") {
		t.Errorf("first FAQ result for a kettle question: %q", h1)
	}
	testenv.Screenshot(t, ctx, dir, "05-faq-entry")
	// the request log never holds a status token
	if tok := link[strings.Index(link, "/t/")+3:]; strings.Contains(g.stderr.String(), tok) {
		t.Errorf("a status token is in the server log")
	}
}
