package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// lifecycleRules: two agents in support, a short pending_close.
var lifecycleRules = strings.Replace(strings.Replace(testRules, "agents: [alice@agents.test]", "agents: [alice@agents.test, bob@agents.test]", 1),
	"sla: {first_response: 4h, resolution: 3d}", "sla: {first_response: 4h, resolution: 3d, pending_close: 2d}", 1)

type lcTicket struct {
	Tag        string   `json:"tag"`
	Status     string   `json:"status"`
	Owner      string   `json:"owner"`
	MergedInto string   `json:"merged_into"`
	MergedFrom []string `json:"merged_from"`
	Held       []struct {
		From string `json:"from"`
	} `json:"held"`
	Rating *struct {
		Value   string `json:"value"`
		Comment string `json:"comment"`
	} `json:"rating"`
	Timeline []struct {
		Kind string `json:"kind"`
		From string `json:"from"`
		Text string `json:"text"`
	} `json:"timeline"`
}

func (g *gateway) show(t *testing.T, tag string) lcTicket {
	t.Helper()
	out, err := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, "--json", tag).Output()
	if err != nil {
		t.Fatalf("tickets show %s: %v\n%s", tag, err, out)
	}
	var tk lcTicket
	if err := json.Unmarshal(out, &tk); err != nil {
		t.Fatalf("tickets show --json: %v\n%s", err, out)
	}
	return tk
}

// startLifecycleGateway runs a gateway with submission for alice and bob
// and lifecycleRules; it returns the gateway and a function that sends
// an agent's mail to a ticket over authenticated submission.
func startLifecycleGateway(t *testing.T) (*gateway, func(who, tag, body string)) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	sub := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	g := startGatewayWith(t, fmt.Sprintf("submission:\n  listen: %s\n  users_file: agents.passwd\n  allow_insecure_auth: true\ntickets: {collision_window: 10m}\n", sub),
		map[string]string{"agents.passwd": "alice@agents.test:" + string(hash) + "\nbob@agents.test:" + string(hash) + "\n"})
	g.stop()
	writeFile(t, filepath.Join(g.dir, "rules.yaml"), lifecycleRules)
	g.start()
	agent := func(who, tag, body string) {
		t.Helper()
		testenv.SwaksOK(t, "--server", sub, "--auth", "PLAIN", "--auth-user", who, "--auth-password", "s3cret",
			"--from", who, "--to", "support+"+strings.ToLower(tag)+"@support.localhost", "--header", "From: "+who,
			"--header", "Subject: Re: ["+tag+"] kettle", "--body", body)
	}
	return g, agent
}

// mailsWith returns the mails in dir that contain s.
func mailsWith(t *testing.T, dir, s string) [][]byte {
	var out [][]byte
	for _, m := range waitMaildir(t, dir, 0, time.Second) {
		if bytes.Contains(m, []byte(s)) {
			out = append(out, m)
		}
	}
	return out
}

func waitMailWith(t *testing.T, dir, s string, n int) [][]byte {
	t.Helper()
	var got [][]byte
	waitFor(t, fmt.Sprintf("%d mail(s) with %q in %s", n, s, filepath.Base(dir)), func() bool {
		got = mailsWith(t, dir, s)
		return len(got) >= n
	})
	return got
}

// TestOwnerCollisionAndMerge: agents over submission take and assign a
// ticket (the relayed copies name the owner), two agents answer within
// the collision window (the second is held, #send releases it exactly
// once), and #merge folds a duplicate into the original, where its
// follow-ups thread.
func TestOwnerCollisionAndMerge(t *testing.T) {
	g, agent := startLifecycleGateway(t)
	customer := func(subject, mid, body string, hdr ...string) {
		args := []string{"--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
			"--header", "From: Carol <carol@customer.example>", "--header", "Subject: " + subject, "--header", "Message-Id: <" + mid + ">", "--body", body}
		for _, h := range hdr {
			args = append(args, "--header", h)
		}
		testenv.SwaksOK(t, args...)
	}
	customer("kettle will not heat", "c1@customer.example", "My kettle is cold.")
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)

	// Ownership: #take, a refused #assign, a good #assign.
	agent("bob@agents.test", "SUP-1000", "#take")
	waitFor(t, "bob owns SUP-1000", func() bool { return g.show(t, "SUP-1000").Owner == "bob@agents.test" })
	agent("alice@agents.test", "SUP-1000", "#assign mallory@elsewhere.example")
	refused := waitMailWith(t, g.maildir("notices"), "mallory@elsewhere.example cannot have SUP-1000", 1)[0]
	if !bytes.Contains(refused, []byte("To: <alice@agents.test>")) {
		t.Errorf("the refusal did not go to the agent who asked:\n%s", refused)
	}
	if o := g.show(t, "SUP-1000").Owner; o != "bob@agents.test" {
		t.Fatalf("a refused #assign changed the owner to %q", o)
	}
	agent("bob@agents.test", "SUP-1000", "#assign alice@agents.test\nAlice knows kettles.")
	waitFor(t, "alice owns SUP-1000", func() bool { return g.show(t, "SUP-1000").Owner == "alice@agents.test" })
	out, err := exec.Command(binary, "tickets", "list", "-c", g.cfgPath, "--owner", "alice@agents.test").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "SUP-1000") || !strings.Contains(string(out), "alice@agents.test") {
		t.Errorf("tickets list --owner alice: %v\n%s", err, out)
	}
	out, _ = exec.Command(binary, "tickets", "list", "-c", g.cfgPath, "--owner", "bob@agents.test").CombinedOutput()
	if strings.Contains(string(out), "SUP-1000") {
		t.Errorf("tickets list --owner bob lists alice's ticket:\n%s", out)
	}
	// The API filters by owner itself (tickets list filters its answer again).
	for owner, want := range map[string]int{"alice@agents.test": 1, "ALICE@agents.test": 1, "bob@agents.test": 0, "none": 0, "": 1} {
		var ts []lcTicket
		g.api(t, "/api/tickets?owner="+url.QueryEscape(owner), &ts)
		if len(ts) != want || (want == 1 && ts[0].Owner != "alice@agents.test") {
			t.Errorf("GET /api/tickets?owner=%s: %+v, want %d ticket(s)", owner, ts, want)
		}
	}
	// A customer's own X-Frontdesk-Owner never reaches the agents.
	customer("Re: [SUP-1000] kettle will not heat", "c2@customer.example", "Any news?", "In-Reply-To: <c1@customer.example>",
		"X-Frontdesk-Owner: mallory@elsewhere.example")
	relayed := waitMailWith(t, g.maildir("support"), "Any news?", 1)[0]
	if !bytes.Contains(relayed, []byte("X-Frontdesk-Owner: alice@agents.test")) || bytes.Contains(relayed, []byte("mallory")) {
		t.Errorf("relayed copy lacks the owner header or keeps the customer's:\n%s", relayed)
	}

	// Collision: alice answers, bob answers a minute later: bob's is held.
	agent("alice@agents.test", "SUP-1000", "Please descale it.")
	waitMailWith(t, g.outbox(), "Please descale it.", 1)
	agent("bob@agents.test", "SUP-1000", "Try another socket.")
	notice := waitMailWith(t, g.maildir("notices"), "Try another socket.", 1)[0]
	for _, want := range []string{"To: <bob@agents.test>", "> Please descale it.", "#send", "#drop", "Reply-To: support+sup-1000@support.localhost"} {
		if !bytes.Contains(notice, []byte(want)) {
			t.Errorf("held-reply notice lacks %q:\n%s", want, notice)
		}
	}
	if tk := g.show(t, "SUP-1000"); len(tk.Held) != 1 || tk.Held[0].From != "bob@agents.test" {
		t.Fatalf("held replies: %+v", tk.Held)
	}
	if n := len(mailsWith(t, g.outbox(), "Try another socket.")); n != 0 {
		t.Fatalf("the held reply reached the customer (%d mails)", n)
	}
	agent("bob@agents.test", "SUP-1000", "#send\n\n> Your reply to SUP-1000 was NOT sent")
	waitMailWith(t, g.outbox(), "Try another socket.", 1)
	agent("bob@agents.test", "SUP-1000", "#send") // nothing left to send
	waitMailWith(t, g.maildir("notices"), "no held reply on SUP-1000 to send", 1)
	g.waitQueueEmpty(t)
	if n := len(mailsWith(t, g.outbox(), "Try another socket.")); n != 1 {
		t.Errorf("#send delivered the held reply %d times, want exactly once", n)
	}
	if tk := g.show(t, "SUP-1000"); len(tk.Held) != 0 {
		t.Errorf("held after #send: %+v", tk.Held)
	}
	// Alice answers within the window of bob's released reply: held; she
	// drops it, and nothing reaches the customer.
	agent("alice@agents.test", "SUP-1000", "Also check the fuse.")
	waitMailWith(t, g.maildir("notices"), "> Also check the fuse.", 1)
	agent("alice@agents.test", "SUP-1000", "#drop")
	waitFor(t, "the dropped reply in the timeline", func() bool {
		return strings.Contains(fmt.Sprint(g.show(t, "SUP-1000").Timeline), "dropped by its agent, not sent")
	})
	g.waitQueueEmpty(t)
	if n := len(mailsWith(t, g.outbox(), "Also check the fuse.")); n != 0 {
		t.Errorf("a dropped reply reached the customer (%d mails)", n)
	}
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, `frontdesk_replies_held_total{department="support",outcome="held"} 2`) ||
		!strings.Contains(m, `frontdesk_replies_held_total{department="support",outcome="sent"} 1`) ||
		!strings.Contains(m, `frontdesk_replies_held_total{department="support",outcome="dropped"} 1`) {
		t.Errorf("held replies not counted:\n%s", grepLines(m, "replies_held"))
	}
	show, _ := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, "SUP-1000").CombinedOutput()
	for _, want := range []string{"owner:      alice@agents.test", "held ", "held: another agent had just replied"} {
		if !strings.Contains(string(show), want) {
			t.Errorf("tickets show lacks %q:\n%s", want, show)
		}
	}

	// Merge: a duplicate ticket is folded into SUP-1000.
	customer("kettle broken (again)", "d1@customer.example", "Sorry, writing again: the kettle.")
	waitFor(t, "SUP-1001", func() bool { return len(g.tickets(t)) == 2 })
	ack1001 := waitMailWith(t, g.outbox(), "SUP-1001", 1)[0]
	agent("alice@agents.test", "SUP-1001", "#merge SUP-1001")
	waitMailWith(t, g.maildir("notices"), "cannot merge SUP-1001 into itself", 1)
	agent("alice@agents.test", "SUP-1001", "#merge SUP-4711")
	waitMailWith(t, g.maildir("notices"), "There is no ticket SUP-4711.", 1)
	agent("alice@agents.test", "SUP-1001", "#merge SUP-1000")
	waitFor(t, "SUP-1001 merged", func() bool { return g.show(t, "SUP-1001").MergedInto == "SUP-1000" })
	if tk := g.show(t, "SUP-1000"); len(tk.MergedFrom) != 1 || !strings.Contains(fmt.Sprint(tk.Timeline), "Sorry, writing again") {
		t.Errorf("survivor after the merge: %+v", tk)
	}
	customer("Re: kettle broken (again)", "d2@customer.example", "Follow-up to the duplicate.", "In-Reply-To: <d1@customer.example>")
	customer("Re: [SUP-1001] kettle broken (again)", "d3@customer.example", "By the old tag.")
	waitFor(t, "follow-ups in the survivor", func() bool {
		s := fmt.Sprint(g.show(t, "SUP-1000").Timeline)
		return strings.Contains(s, "Follow-up to the duplicate.") && strings.Contains(s, "By the old tag.")
	})
	if s := fmt.Sprint(g.show(t, "SUP-1001").Timeline); strings.Contains(s, "Follow-up to the duplicate.") {
		t.Errorf("a follow-up joined the merged ticket: %s", s)
	}
	if ts := g.tickets(t); len(ts) != 2 {
		t.Errorf("follow-ups to the merged ticket opened new tickets: %d tickets", len(ts))
	}
	link := regexp.MustCompile(`http://[^\s]+/t/[A-Za-z0-9._~-]+`).Find(ack1001)
	page := httpGet(t, string(link))
	if !strings.Contains(page, "merged into another one") || !strings.Contains(page, "SUP-1000") {
		t.Errorf("status page of the merged ticket does not say where it went:\n%s", page)
	}
	for tag, want := range map[string]string{"SUP-1001": "merged into: SUP-1000", "SUP-1000": "merged from: SUP-1001"} {
		if show, _ := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, tag).CombinedOutput(); !strings.Contains(string(show), want) {
			t.Errorf("tickets show %s lacks %q:\n%s", tag, want, show)
		}
	}
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, `frontdesk_tickets_merged_total{department="support"} 1`) {
		t.Errorf("the merge not counted:\n%s", grepLines(m, "merged"))
	}
}

// apiPost POSTs path on the gateway's admin API and returns the status.
func (g *gateway) apiPost(t *testing.T, path string) int {
	t.Helper()
	token, err := os.ReadFile(filepath.Join(g.dir, "data", "api.token"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", "http://"+g.HTTP+path, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// api decodes GET path on the gateway's admin API into out.
func (g *gateway) api(t *testing.T, path string, out any) {
	t.Helper()
	token, err := os.ReadFile(filepath.Join(g.dir, "data", "api.token"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://"+g.HTTP+path, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
}

// TestAutoCloseAndRating: a ticket waiting on the customer is closed when
// the (test) clock passes pending_close; the notice carries the rating
// links; a plain GET of them records nothing; in Chromium the confirm
// button records the rating and a second confirm changes it.
func TestAutoCloseAndRating(t *testing.T) {
	clock := filepath.Join(t.TempDir(), "clock")
	writeFile(t, clock, "0s")
	t.Setenv("FRONTDESK_TEST_CLOCK_FILE", clock)
	g, agent := startLifecycleGateway(t)
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "dan@customer.example", "--to", "support@support.localhost",
		"--header", "From: Dan <dan@customer.example>", "--header", "Subject: toaster sparks", "--body", "My toaster sparks.")
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	agent("alice@agents.test", "SUP-1000", "#wait\nCould you send a photo of the plug?")
	waitFor(t, "waiting", func() bool { return g.show(t, "SUP-1000").Status == "waiting" })
	if o := g.show(t, "SUP-1000").Owner; o != "alice@agents.test" {
		t.Errorf("owner %q; want alice, the first agent whose reply went to the customer", o)
	}
	// Two working days (24x7 here) and a bit: the scanner closes it.
	writeFile(t, clock, "50h")
	waitFor(t, "auto-close", func() bool { return g.show(t, "SUP-1000").Status == "resolved" })
	notice := string(waitMailWith(t, g.outbox(), "closed it for now", 1)[0])
	if tk := g.show(t, "SUP-1000"); tk.Status != "resolved" || !strings.Contains(fmt.Sprint(tk.Timeline), "no reply from the customer") {
		t.Fatalf("after pending_close: %+v", tk)
	}
	metrics := httpGet(t, "http://"+g.HTTP+"/metrics")
	if !strings.Contains(metrics, `frontdesk_tickets_auto_closed_total{department="support"} 1`) {
		t.Errorf("auto-close not counted:\n%s", grepLines(metrics, "auto_closed"))
	}
	flat := strings.ReplaceAll(strings.ReplaceAll(notice, "=\r\n", ""), "=3D", "=")
	good := regexp.MustCompile(`http://\S+/t/\S+rate=good`).FindString(flat)
	bad := regexp.MustCompile(`http://\S+/t/\S+rate=bad`).FindString(flat)
	if good == "" || bad == "" || !strings.Contains(notice, "reply") {
		t.Fatalf("auto-close notice without rating links:\n%s", notice)
	}
	// A link scanner fetches every link: nothing is recorded.
	for _, u := range []string{good, bad} {
		if page := httpGet(t, u); !strings.Contains(page, `id="rate-confirm"`) {
			t.Errorf("rating link does not offer the confirm button:\n%s", page)
		}
	}
	if tk := g.show(t, "SUP-1000"); tk.Rating != nil {
		t.Fatalf("a GET recorded a rating: %+v", tk.Rating)
	}

	ctx := testenv.Browser(t)
	testenv.Do(t, ctx, "open the bad link", chromedp.Navigate(bad), chromedp.WaitVisible(chromedp.CSS("#rate-confirm")))
	if tk := g.show(t, "SUP-1000"); tk.Rating != nil {
		t.Fatalf("opening the link in a browser recorded a rating: %+v", tk.Rating)
	}
	testenv.Do(t, ctx, "confirm bad with a comment",
		chromedp.SendKeys(chromedp.CSS("#rate-comment"), "took too long"),
		chromedp.Click(chromedp.CSS("#rate-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#rating-notice")))
	if got := testenv.Text(t, ctx, "#rating-given strong"); got != "Bad" {
		t.Errorf("page shows rating %q", got)
	}
	if tk := g.show(t, "SUP-1000"); tk.Rating == nil || tk.Rating.Value != "bad" || tk.Rating.Comment != "took too long" {
		t.Fatalf("rating after confirm: %+v", tk.Rating)
	}
	testenv.Do(t, ctx, "change to good", chromedp.Navigate(good), chromedp.WaitVisible(chromedp.CSS("#rate-confirm")),
		chromedp.Click(chromedp.CSS("#rate-confirm")), chromedp.WaitVisible(chromedp.CSS("#rating-notice")))
	if got := testenv.Text(t, ctx, "#rating-given strong"); got != "Good" {
		t.Errorf("page shows rating %q after the change", got)
	}
	if tk := g.show(t, "SUP-1000"); tk.Rating == nil || tk.Rating.Value != "good" {
		t.Fatalf("rating after the second confirm: %+v", tk.Rating)
	}
	waitMailWith(t, g.maildir("support"), "Customer changed the rating from bad to GOOD", 1)
	show, _ := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, "SUP-1000").CombinedOutput()
	for _, want := range []string{"rating:     good", "rated bad: took too long", "changed the rating from bad to good"} {
		if !strings.Contains(string(show), want) {
			t.Errorf("tickets show lacks %q:\n%s", want, show)
		}
	}
	metrics = httpGet(t, "http://"+g.HTTP+"/metrics")
	for _, want := range []string{`frontdesk_csat_responses_total{department="support",rating="bad"} 1`,
		`frontdesk_csat_responses_total{department="support",rating="good"} 1`, `frontdesk_csat_retracted_total{department="support",rating="bad"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(metrics, "csat"))
		}
	}
	// Eight days later the rating can no longer be changed.
	writeFile(t, clock, "250h")
	waitFor(t, "the page past the rating window", func() bool { return !strings.Contains(httpGet(t, bad), `id="rate-confirm"`) })
	testenv.Do(t, ctx, "too late", chromedp.Navigate(bad), chromedp.WaitVisible(chromedp.CSS("#rating-given")))
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#rate-confirm').length`)); n != 0 {
		t.Errorf("the confirm button is still offered after 7 days")
	}
	// A POST past the week (a page left open) is refused and changes nothing.
	form := strings.SplitN(good, "?", 2)[0] + "/rate"
	resp, err := http.PostForm(form, url.Values{"rating": {"bad"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(page), "can no longer be changed") {
		t.Errorf("POST after 7 days: %s\n%s", resp.Status, page)
	}
	if tk := g.show(t, "SUP-1000"); tk.Rating == nil || tk.Rating.Value != "good" {
		t.Fatalf("rating after a refused late change: %+v", tk.Rating)
	}
	// Dan writes again (the ticket reopens) and alice resolves it again:
	// a new resolution, a new rating.
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "dan@customer.example", "--to", "support@support.localhost",
		"--header", "From: Dan <dan@customer.example>", "--header", "Subject: Re: [SUP-1000] toaster sparks", "--body", "It sparks again.")
	waitFor(t, "reopened", func() bool { return g.show(t, "SUP-1000").Status == "open" })
	agent("alice@agents.test", "SUP-1000", "#resolve\nReplaced under warranty.")
	waitFor(t, "resolved again", func() bool { return g.show(t, "SUP-1000").Status == "resolved" })
	again := string(waitMailWith(t, g.outbox(), "Replaced under warranty.", 1)[0])
	if !strings.Contains(strings.ReplaceAll(strings.ReplaceAll(again, "=\r\n", ""), "=3D", "="), "rate=bad") {
		t.Errorf("the second resolution's reply has no rating links:\n%s", again)
	}
	if tk := g.show(t, "SUP-1000"); tk.Rating == nil || tk.Rating.Value != "good" {
		t.Fatalf("the page of the new resolution lost the old rating's record: %+v", tk.Rating)
	}
	if page := httpGet(t, bad); !strings.Contains(page, `id="rate-confirm"`) {
		t.Errorf("the new resolution is not offered a rating:\n%s", page)
	}
	resp, err = http.PostForm(form, url.Values{"rating": {"bad"}, "comment": {"sparks twice"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if tk := g.show(t, "SUP-1000"); resp.StatusCode != http.StatusOK || tk.Rating == nil || tk.Rating.Value != "bad" || tk.Rating.Comment != "sparks twice" {
		t.Fatalf("rating the new resolution: %s, %+v", resp.Status, tk.Rating)
	}
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, `frontdesk_csat_responses_total{department="support",rating="bad"} 2`) ||
		!strings.Contains(m, `frontdesk_csat_retracted_total{department="support",rating="good"} 0`) {
		t.Errorf("the new resolution's rating is not a new response:\n%s", grepLines(m, "csat"))
	}
	_ = os.Remove(clock)
}

// TestAPIResolveMailsCustomer: a ticket resolved through the API (bearer
// token) gets the customer the "resolved" notice with the rating links,
// threaded to their mail; resolving it again mails nothing more, and
// ?notify=false resolves another ticket without mail. The metric counts
// the one notice.
func TestAPIResolveMailsCustomer(t *testing.T) {
	g := startGateway(t, "")
	for i, who := range []string{"erin", "fay"} {
		testenv.SwaksOK(t, "--server", g.SMTP, "--from", who+"@customer.example", "--to", "support@support.localhost",
			"--header", "From: "+who+" <"+who+"@customer.example>", "--header", "Subject: kettle "+who,
			"--header", fmt.Sprintf("Message-Id: <k%d@customer.example>", i), "--body", "It will not heat.")
	}
	waitFor(t, "two tickets", func() bool { return len(g.tickets(t)) == 2 })
	tagOf := map[string]string{}
	for _, tk := range g.tickets(t) {
		tagOf[tk.Customer] = tk.Tag
	}
	erin, fay := tagOf["erin@customer.example"], tagOf["fay@customer.example"]
	if erin == "" || fay == "" {
		t.Fatalf("tickets: %v", tagOf)
	}
	for _, tag := range []string{erin, erin} { // the second resolve changes nothing
		if code := g.apiPost(t, "/api/tickets/"+tag+"/resolve"); code != http.StatusOK {
			t.Fatalf("resolve %s: %d", tag, code)
		}
	}
	if code := g.apiPost(t, "/api/tickets/"+fay+"/resolve?notify=false"); code != http.StatusOK {
		t.Fatalf("resolve %s without notice: %d", fay, code)
	}
	for _, tag := range []string{erin, fay} {
		if st := g.show(t, tag).Status; st != "resolved" {
			t.Errorf("%s: %s", tag, st)
		}
	}
	notice := string(waitMailWith(t, g.outbox(), "has been resolved", 1)[0])
	flat := strings.ReplaceAll(strings.ReplaceAll(notice, "=\r\n", ""), "=3D", "=")
	for _, want := range []string{`To: "erin" <erin@customer.example>`, "Subject: [" + erin + "] Re: kettle erin", "In-Reply-To: <k0@customer.example>"} {
		if !strings.Contains(flat, want) {
			t.Errorf("notice lacks %q:\n%s", want, notice)
		}
	}
	good := regexp.MustCompile(`http://\S+/t/\S+rate=good`).FindString(flat)
	if good == "" || !strings.Contains(flat, "rate=bad") {
		t.Fatalf("notice without rating links:\n%s", notice)
	}
	if page := httpGet(t, good); !strings.Contains(page, `id="rate-confirm"`) {
		t.Errorf("the notice's rating link does not offer the confirm button:\n%s", page)
	}
	// Counted when queued, before each response: exactly one notice, and
	// exactly one mail in the outbox says so.
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, `frontdesk_tickets_resolve_notices_total{department="support"} 1`) {
		t.Errorf("resolution notices not counted once:\n%s", grepLines(m, "resolve_notices"))
	}
	if n := len(mailsWith(t, g.outbox(), "has been resolved")); n != 1 {
		t.Errorf("%d resolution notices in the outbox, want 1", n)
	}
}

// TestHeldExpiryAndChineseAutoClose: on the test clock, a held reply
// nobody sends expires after a day, never reaching the customer, and the
// timeline and the metric keep it; a Chinese customer's ticket waiting on
// them is auto-closed with the Chinese notice, whose rating links a plain
// GET ("a link scanner") follows without recording anything, and the
// Chinese status page says the ticket is resolved.
func TestHeldExpiryAndChineseAutoClose(t *testing.T) {
	clock := filepath.Join(t.TempDir(), "clock")
	writeFile(t, clock, "0s")
	t.Setenv("FRONTDESK_TEST_CLOCK_FILE", clock)
	g, agent := startLifecycleGateway(t)
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "li@customer.example", "--to", "support@support.localhost",
		"--header", "From: =?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte("李雷"))+"?= <li@customer.example>",
		"--header", "Subject: =?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte("水壶不加热"))+"?=",
		"--header", "Content-Type: text/plain; charset=utf-8", "--body", "你好，我的水壶不加热了，请帮忙看看。谢谢！")
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	agent("alice@agents.test", "SUP-1000", "#wait\nCould you send a photo of the plug?")
	waitFor(t, "waiting", func() bool { return g.show(t, "SUP-1000").Status == "waiting" })
	agent("bob@agents.test", "SUP-1000", "Is it plugged in?")
	waitMailWith(t, g.maildir("notices"), "> Is it plugged in?", 1)

	// A day and an hour later: bob's reply expired unsent.
	writeFile(t, clock, "25h")
	waitFor(t, "the held reply's expiry", func() bool { return len(g.show(t, "SUP-1000").Held) == 0 })
	if s := fmt.Sprint(g.show(t, "SUP-1000").Timeline); !strings.Contains(s, "expired unsent") || !strings.Contains(s, "Is it plugged in?") {
		t.Errorf("the expiry is not in the timeline: %s", s)
	}
	show, _ := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, "SUP-1000").CombinedOutput()
	if !strings.Contains(string(show), "expired unsent") {
		t.Errorf("tickets show lacks the expiry:\n%s", show)
	}
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, `frontdesk_replies_held_total{department="support",outcome="expired"} 1`) {
		t.Errorf("the expiry not counted:\n%s", grepLines(m, "replies_held"))
	}
	if tk := g.show(t, "SUP-1000"); tk.Status != "waiting" {
		t.Fatalf("status %s after a day; pending_close is two", tk.Status)
	}

	// Two days after the #wait: closed, with the Chinese notice.
	writeFile(t, clock, "49h")
	waitFor(t, "auto-close", func() bool { return g.show(t, "SUP-1000").Status == "resolved" })
	var notice *mail.Message
	var body string
	waitFor(t, "the Chinese auto-close notice", func() bool {
		for _, m := range mailsWith(t, g.outbox(), "SUP-1000") {
			if msg, err := mail.ReadMessage(bytes.NewReader(m)); err == nil {
				if b := decodedBody(t, msg); strings.Contains(b, "暂时关闭") {
					notice, body = msg, b
				}
			}
		}
		return notice != nil
	})
	if notice.Header.Get("Content-Language") != "zh" || !strings.Contains(body, "您的回复会重新打开工单") || strings.Contains(body, "closed it for now") {
		t.Errorf("auto-close notice (Content-Language %q):\n%s", notice.Header.Get("Content-Language"), body)
	}
	good := regexp.MustCompile(`http://\S+rate=good`).FindString(body)
	if good == "" || !strings.Contains(good, "lang=zh") {
		t.Fatalf("no Chinese rating link in the notice:\n%s", body)
	}
	// A scanner GETs (and HEADs) every link, the form's target too.
	for _, u := range []string{good, strings.Replace(good, "rate=good", "rate=bad", 1), strings.SplitN(good, "?", 2)[0] + "/rate?rating=good"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp2, err := http.Head(u); err == nil {
			resp2.Body.Close()
		}
		if resp.StatusCode == 200 && !strings.Contains(string(page), "已解决") {
			t.Errorf("GET %s: the Chinese status page does not say resolved:\n%s", u, page)
		}
	}
	if tk := g.show(t, "SUP-1000"); tk.Rating != nil {
		t.Fatalf("a GET recorded a rating: %+v", tk.Rating)
	}
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, `frontdesk_csat_responses_total{department="support",rating="good"} 0`) ||
		!strings.Contains(m, `frontdesk_tickets_auto_closed_total{department="support"} 1`) {
		t.Errorf("metrics after the scanner's GETs:\n%s", grepLines(m, "csat_responses")+grepLines(m, "auto_closed"))
	}
	_ = os.Remove(clock)
}

// decodedBody is the text of a single-part mail, its transfer encoding
// undone.
func decodedBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	var r io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding a mail's body: %v", err)
	}
	return string(b)
}

// TestMergeKeepsAnotherCustomersAnswersOffTheStatusPage: an agent merges
// Dan's ticket into Eve's (the same problem reported twice); Eve's status
// page shows her conversation, not the agent's answer to Dan (his card
// number), which the agents still see in the survivor's timeline. Before,
// Eve's page showed it.
func TestMergeKeepsAnotherCustomersAnswersOffTheStatusPage(t *testing.T) {
	g, agent := startLifecycleGateway(t)
	for i, who := range []string{"dan", "eve"} {
		testenv.SwaksOK(t, "--server", g.SMTP, "--from", who+"@customer.example", "--to", "support@support.localhost",
			"--header", "From: "+who+"@customer.example", "--header", "Subject: kettle of "+who, "--body", "My kettle broke, says "+who+".")
		waitMaildir(t, g.maildir("support"), i+1, 20*time.Second)
	}
	agent("alice@agents.test", "SUP-1000", "Dear Dan, the refund to your card ending 4242 is on its way.")
	waitFor(t, "the answer to Dan", func() bool { return g.show(t, "SUP-1000").Status == "answered" })
	agent("alice@agents.test", "SUP-1000", "#merge SUP-1001")
	waitFor(t, "the merge", func() bool { return g.show(t, "SUP-1000").MergedInto == "SUP-1001" })
	if s := fmt.Sprint(g.show(t, "SUP-1001").Timeline); !strings.Contains(s, "4242") {
		t.Fatalf("the agents lost the answer to Dan in the survivor: %s", s)
	}
	var link string
	waitFor(t, "Eve's status link", func() bool {
		for _, m := range mailsWith(t, g.outbox(), "SUP-1001") {
			flat := strings.ReplaceAll(strings.ReplaceAll(string(m), "=\r\n", ""), "=3D", "=")
			if u := regexp.MustCompile(`http://\S+/t/SUP-1001\.[A-Za-z0-9_-]+`).FindString(flat); u != "" {
				link = u
			}
		}
		return link != ""
	})
	for _, lang := range []string{"en", "zh"} {
		page := httpGet(t, link+"?lang="+lang)
		if !strings.Contains(page, "says eve") || strings.Contains(page, "4242") || strings.Contains(page, "says dan") {
			t.Errorf("Eve's status page (%s) after the merge:\n%s", lang, page)
		}
	}
}
