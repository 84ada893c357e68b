package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// learningRules: support and finance with different SLA policies (24x7,
// so the recomputed deadlines are exact sums), alice an agent of support
// only and fiona of finance only (an agent acts for the first department
// that lists them), and content routing to finance by the demo rules'
// own `about` rule and threshold: content overrides the address only
// when the gateway's understanding of the mail — the FAQ catalog plus
// what agents taught it — puts it in finance with confidence 0.5.
const learningRules = `departments:
  support:
    name: Customer Support
    addresses: [support, help]
    mailbox: support-team@agents.test
    agents: [alice@agents.test]
    sla: {first_response: 4h, resolution: 3d}
  finance:
    name: Billing
    addresses: [billing, finance]
    mailbox: finance-team@agents.test
    agents: [fiona@agents.test]
    sla: {first_response: 1h, resolution: 1d}
  sales:
    name: Sales
    addresses: [sales]
    mailbox: sales-team@agents.test
default_department: support
rules:
  - name: content says billing goes to finance
    if: {about: {department: finance, confidence: 0.5}}
    then: {department: finance}
`

// learnTicket is the part of `tickets show --json` these tests read.
type learnTicket struct {
	Tag        string    `json:"tag"`
	Department string    `json:"department"`
	Lang       string    `json:"lang"`
	Created    time.Time `json:"created"`
	Deadlines  []struct {
		Kind  string    `json:"kind"`
		Start time.Time `json:"start"`
		Due   time.Time `json:"due"`
	} `json:"deadlines"`
	Timeline []struct {
		Kind string `json:"kind"`
		From string `json:"from"`
		Text string `json:"text"`
	} `json:"timeline"`
}

func (g *gateway) learnShow(t *testing.T, tag string) learnTicket {
	t.Helper()
	out, err := exec.Command(binary, "tickets", "show", "-c", g.cfgPath, "--json", tag).Output()
	if err != nil {
		t.Fatalf("tickets show %s: %v\n%s", tag, err, out)
	}
	var tk learnTicket
	if err := json.Unmarshal(out, &tk); err != nil {
		t.Fatalf("tickets show --json: %v\n%s", err, out)
	}
	return tk
}

func (tk learnTicket) deadline(kind string) (start, due time.Time, ok bool) {
	for _, d := range tk.Deadlines {
		if d.Kind == kind {
			return d.Start, d.Due, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// startLearningGateway runs a gateway on learningRules (and the embedded
// demo FAQ catalog) with submission for alice (support) and fiona
// (finance); agent sends an agent's mail to a ticket's reply address over
// authenticated submission.
func startLearningGateway(t *testing.T) (*gateway, func(who, tag, body string)) {
	t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	sub := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	// learn.starter: false: the story is what agents teach, and the
	// built-in starter examples (every tuning set's labelled mail) already
	// answer a refund that never arrived
	g := startGatewayWith(t, fmt.Sprintf("submission:\n  listen: %s\n  users_file: agents.passwd\n  allow_insecure_auth: true\nlearn:\n  starter: false\n", sub),
		map[string]string{"agents.passwd": "alice@agents.test:" + string(hash) + "\nfiona@agents.test:" + string(hash) + "\n"})
	g.stop()
	writeFile(t, filepath.Join(g.dir, "rules.yaml"), learningRules)
	g.start()
	agent := func(who, tag, body string) {
		t.Helper()
		testenv.SwaksOK(t, "--server", sub, "--auth", "PLAIN", "--auth-user", who, "--auth-password", "s3cret",
			"--from", who, "--to", "support+"+strings.ToLower(tag)+"@support.localhost", "--header", "From: "+who,
			"--header", "Subject: Re: ["+tag+"] your mail", "--body", body)
	}
	return g, agent
}

// customerMail sends a customer's mail to support@ on the MX.
func customerMail(t *testing.T, g *gateway, from, subject, body string) {
	t.Helper()
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", from, "--to", "support@support.localhost",
		"--header", "From: "+from, "--header", "Subject: "+subject,
		"--header", "Content-Type: text/plain; charset=UTF-8", "--body", body)
}

// teachRebate is the agents' part of the learning story: alice moves
// SUP-1000 (the rebate mail) to finance, fiona answers it with #faq
// refund-timing, and the reply reaches the customer.
func teachRebate(t *testing.T, g *gateway, agent func(who, tag, body string)) {
	t.Helper()
	agent("alice@agents.test", "SUP-1000", "#move finance")
	waitFor(t, "SUP-1000 in finance", func() bool { return g.learnShow(t, "SUP-1000").Department == "finance" })
	agent("fiona@agents.test", "SUP-1000", "#faq refund-timing\nThe rebate is paid like a refund. Fiona-marker.")
	hcMail(t, g.outbox(), "Fiona-marker")
}

// The mail of the learning story: a trade-in rebate, which the demo
// catalog knows nothing specific about (it ranks support first, finance
// 0.28, and links nothing), and a similar mail from another customer.
// (The starter examples link it to refund-timing: startLearningGateway
// turns them off.)
const (
	rebateSubject  = "trade-in rebate not received"
	rebateBody     = "I traded in my old washing machine when I bought the new one and the 300 yuan trade-in rebate never arrived. Where is it?"
	rebate2Subject = "trade-in rebate not received"
	rebate2Body    = "I traded in my old fridge when I bought a new one, and the trade-in rebate never arrived. Where is it?"
)

// TestAgentMoveCommand: `#move finance` from a support agent over
// submission moves SUP-1000: the customer's mail is relayed to finance's
// Maildir, `tickets show --json` shows department finance and deadlines
// recomputed with finance's policy from the ticket's arrival, the timeline
// records who moved it; `#move marketing` gets the agent a notice listing
// the departments and changes nothing.
func TestAgentMoveCommand(t *testing.T) {
	g, agent := startLearningGateway(t)
	customerMail(t, g, "carol@customer.example", rebateSubject, rebateBody)
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	before := g.learnShow(t, "SUP-1000")
	if before.Department != "support" {
		t.Fatalf("the first mail went to %q, not support by its address (the story needs a mail content does not route)", before.Department)
	}
	if start, due, ok := before.deadline("first_response"); !ok || due.Sub(start) != 4*time.Hour {
		t.Fatalf("support's first-response deadline before the move: %+v", before.Deadlines)
	}

	// An unknown department: a notice to the agent, nothing changes.
	agent("alice@agents.test", "SUP-1000", "#move marketing")
	notice := waitMailWith(t, g.maildir("notices"), `There is no department "marketing"`, 1)[0]
	for _, want := range []string{"To: <alice@agents.test>", "The departments are: finance, sales, support."} {
		if !bytes.Contains(notice, []byte(want)) {
			t.Errorf("notice of the unknown department lacks %q:\n%s", want, notice)
		}
	}
	if tk := g.learnShow(t, "SUP-1000"); tk.Department != "support" {
		t.Fatalf("a refused #move changed the department to %q", tk.Department)
	}

	agent("alice@agents.test", "SUP-1000", "#move finance\nThis is about money, not the machine.")
	copyMail := waitMaildir(t, g.maildir("finance"), 1, 20*time.Second)[0]
	for _, want := range []string{"X-Frontdesk-Ticket: SUP-1000", "X-Frontdesk-Department: finance", "X-Frontdesk-Moved-From: support", "300 yuan trade-in rebate"} {
		if !bytes.Contains(copyMail, []byte(want)) {
			t.Errorf("finance's copy lacks %q:\n%s", want, copyMail)
		}
	}
	var tk learnTicket
	waitFor(t, "SUP-1000 in finance", func() bool { tk = g.learnShow(t, "SUP-1000"); return tk.Department == "finance" })
	for kind, want := range map[string]time.Duration{"first_response": time.Hour, "resolution": 24 * time.Hour} {
		start, due, ok := tk.deadline(kind)
		if !ok {
			t.Errorf("no %s deadline after the move: %+v", kind, tk.Deadlines)
			continue
		}
		if !start.Equal(tk.Created) {
			t.Errorf("%s counted from %v, not the ticket's arrival %v", kind, start, tk.Created)
		}
		if due.Sub(start) != want {
			t.Errorf("%s due %v after arrival, want finance's %v", kind, due.Sub(start), want)
		}
	}
	var moved bool
	for _, e := range tk.Timeline {
		if e.Kind == "system" && e.From == "alice@agents.test" && strings.Contains(e.Text, "moved from support to finance by alice@agents.test") {
			moved = true
		}
	}
	if !moved {
		t.Errorf("the timeline does not record alice's move: %+v", tk.Timeline)
	}
	// The move is the agents' business: the customer hears nothing of it.
	g.waitQueueEmpty(t)
	if m := mailsWith(t, g.outbox(), "money, not the machine"); len(m) != 0 {
		t.Errorf("the #move note reached the customer:\n%s", m[0])
	}
}

// TestAgentFAQCommand: `#faq ID` adds the entry's title and link, in the
// customer's language, to the reply the customer gets (a Chinese and an
// English customer); an unknown id sends the agent a notice and nothing to
// the customer.
func TestAgentFAQCommand(t *testing.T) {
	g, agent := startLearningGateway(t)
	customerMail(t, g, "wang@customer.example", "退款还没到账", "我上周退货了，退款到现在还没收到，请问什么时候能到账？")
	customerMail(t, g, "carol@customer.example", rebateSubject, rebateBody)
	waitFor(t, "two tickets", func() bool { return len(g.tickets(t)) == 2 })
	// Each ticket is answered by an agent of the department content or
	// address gave it (the Chinese refund question is finance's by content).
	agentOf := map[string]string{"support": "alice@agents.test", "finance": "fiona@agents.test"}
	var zhTag, enTag, zhAgent, enAgent string
	for _, tag := range []string{"SUP-1000", "SUP-1001"} {
		tk := g.learnShow(t, tag)
		if tk.Lang == "zh" {
			zhTag, zhAgent = tag, agentOf[tk.Department]
		} else {
			enTag, enAgent = tag, agentOf[tk.Department]
		}
	}
	if zhTag == "" || enTag == "" || zhAgent == "" || enAgent == "" {
		t.Fatalf("want one Chinese and one English ticket in support or finance: zh %q (%s), en %q (%s)", zhTag, zhAgent, enTag, enAgent)
	}
	t.Logf("Chinese ticket %s answered by %s, English ticket %s by %s", zhTag, zhAgent, enTag, enAgent)
	const link = "https://help.acme-appliances.example/faq/refund-timing" // the demo catalog's url

	agent(zhAgent, zhTag, "#faq refund-timing\nPlease see the article below. Reply-zh-marker.")
	zh := hcMail(t, g.outbox(), "Reply-zh-marker")
	for _, want := range []string{"以下帮助中心文章可以解答您的问题", "退款多久到账？", link, "[" + zhTag + "]"} {
		if !strings.Contains(zh, want) {
			t.Errorf("the Chinese customer's reply lacks %q:\n%s", want, zh)
		}
	}
	if strings.Contains(zh, "#faq") || strings.Contains(zh, "When will I get my refund?") {
		t.Errorf("the Chinese customer's reply carries the command or the English title:\n%s", zh)
	}

	agent(enAgent, enTag, "#faq refund-timing\nPlease see the article below. Reply-en-marker.")
	en := hcMail(t, g.outbox(), "Reply-en-marker")
	for _, want := range []string{"These articles of our help centre answer your question", "When will I get my refund?", link} {
		if !strings.Contains(en, want) {
			t.Errorf("the English customer's reply lacks %q:\n%s", want, en)
		}
	}

	// An unknown id: the agent is told, the customer gets nothing.
	agent(enAgent, enTag, "#faq refund-timing no-such-entry\nThis must not be sent. Reply-bad-marker.")
	notice := waitMailWith(t, g.maildir("notices"), "no-such-entry", 1)[0]
	for _, want := range []string{"To: <" + enAgent + ">", "Your reply was NOT sent", `the FAQ has no entry "no-such-entry"`} {
		if !bytes.Contains(notice, []byte(want)) {
			t.Errorf("notice of the unknown id lacks %q:\n%s", want, notice)
		}
	}
	g.waitQueueEmpty(t)
	if m := mailsWith(t, g.outbox(), "Reply-bad-marker"); len(m) != 0 {
		t.Errorf("a reply with an unknown #faq id reached the customer:\n%s", m[0])
	}
}

// rulesTestJSON is the part of `rules test --json` read here.
type rulesTestJSON struct {
	Department string   `json:"department"`
	FAQ        []string `json:"faq"`
	About      []struct {
		Department string  `json:"department"`
		Confidence float64 `json:"confidence"`
	} `json:"about"`
}

func (g *gateway) rulesTest(t *testing.T, eml string) (rulesTestJSON, string) {
	t.Helper()
	cmd := exec.Command(binary, "rules", "test", "-c", g.cfgPath, "--json", eml)
	cmd.Dir = g.dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rules test: %v\n%s", err, out)
	}
	var d rulesTestJSON
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("rules test --json: %v\n%s", err, out)
	}
	return d, string(out)
}

// supportMailFile writes a customer's mail to support@ as a file, for
// rules test.
func supportMailFile(t *testing.T, from, subject, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mail.eml")
	writeFile(t, path, "From: "+from+"\r\nTo: support@support.localhost\r\nSubject: "+subject+
		"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"+body+"\r\n")
	return path
}

// untaught is rules test of eml before anything is learned: support's by
// its address, with finance far from the bar (else nothing learned could
// be shown).
func (g *gateway) untaught(t *testing.T, eml string) (rulesTestJSON, string) {
	t.Helper()
	pre, out := g.rulesTest(t, eml)
	if pre.Department != "support" || pre.confidence("finance") >= 0.5 {
		t.Fatalf("before learning, the mail is already routed by content: %s", out)
	}
	return pre, out
}

func (d rulesTestJSON) confidence(dept string) float64 {
	for _, a := range d.About {
		if a.Department == dept {
			return a.Confidence
		}
	}
	return 0
}

// learnCLI runs `frontdesk learn ARGS -c CONFIG` in the gateway's
// directory (list and forget also while the server runs: through its API).
func (g *gateway) learnCLI(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append(append([]string{"learn"}, args...), "-c", g.cfgPath)...)
	cmd.Dir = g.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("learn %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

type learnedExample struct {
	ID         string   `json:"id"`
	Source     string   `json:"source"`
	Department string   `json:"department"`
	Entries    []string `json:"entries"`
	Customer   string   `json:"customer"`
	Ticket     string   `json:"ticket"`
	By         string   `json:"by"`
	Subject    string   `json:"subject"`
	Text       string   `json:"text"`
}

// TestLearnedCorrectionRoutesNextMail: after an agent moves a ticket to
// finance and finance answers it with `#faq refund-timing`, a similar
// mail from another customer to the same address is acknowledged with the
// taught entry's link and routed to finance, and the dry run on the
// stopped data dir puts it in finance first; `learn list --json` shows the
// two examples and `learn forget --all` removes them.
func TestLearnedCorrectionRoutesNextMail(t *testing.T) {
	g, agent := startLearningGateway(t)
	first := supportMailFile(t, "erin@customer.example", rebateSubject, rebateBody)
	second := supportMailFile(t, "dan@customer.example", rebate2Subject, rebate2Body)
	// Before anything is learned (the dry run asks the running server,
	// which has no examples yet: the catalog alone): the second mail is
	// support's by its address, and finance is far from the bar.
	pre, preOut := g.untaught(t, second)

	customerMail(t, g, "carol@customer.example", rebateSubject, rebateBody)
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	firstAck := hcMail(t, g.outbox(), "[SUP-1000]")
	if strings.Contains(firstAck, "/faq/refund-timing") {
		t.Fatalf("the first acknowledgement already links refund-timing (nothing would be shown to be learned):\n%s", firstAck)
	}
	teachRebate(t, g, agent)

	// Another customer, the same address, similar words.
	customerMail(t, g, "dan@customer.example", rebate2Subject, rebate2Body)
	ack := hcMail(t, g.outbox(), "[SUP-1001]")
	if !strings.Contains(ack, "https://help.acme-appliances.example/faq/refund-timing") || !strings.Contains(ack, "When will I get my refund?") {
		t.Errorf("the second customer's acknowledgement does not link the taught entry refund-timing:\n%s", ack)
	}
	var relayed []byte
	waitFor(t, "SUP-1001 relayed", func() bool {
		for _, dept := range []string{"support", "finance"} {
			if m := mailsWith(t, g.maildir(dept), "X-Frontdesk-Ticket: SUP-1001"); len(m) > 0 {
				relayed = m[0]
				return true
			}
		}
		return false
	})
	// Routed as the correction taught: the mail is to the taught one as a
	// cosine of about 0.8, and faq's Topics then gives finance at least
	// 0.8² of confidence (learnedTopics), over the rule's 0.5.
	if dept := g.learnShow(t, "SUP-1001").Department; dept != "finance" {
		t.Errorf("the second customer's similar mail went to %s, not to finance as the correction taught", dept)
	}
	if got := headerLine(relayed, "X-Frontdesk-Department"); !strings.Contains(got, "finance") {
		t.Errorf("SUP-1001 relayed with %q, want finance", got)
	}
	if len(mailsWith(t, g.maildir("finance"), "X-Frontdesk-Ticket: SUP-1001")) == 0 {
		t.Errorf("SUP-1001 is not in finance's Maildir")
	}

	g.stop()
	// What serve would do, now with the examples of the data dir.
	post, postOut := g.rulesTest(t, second)
	if post.confidence("finance") <= pre.confidence("finance") || len(post.About) == 0 || post.About[0].Department != "finance" {
		t.Errorf("learning did not make finance the second mail's first topic:\nbefore: %s\nafter:  %s", preOut, postOut)
	}
	t.Logf("finance confidence of the second mail: %.2f before learning, %.2f after (rule bar 0.50)", pre.confidence("finance"), post.confidence("finance"))
	// The taught words themselves, from anyone, are routed as taught.
	if same, out := g.rulesTest(t, first); same.Department != "finance" {
		t.Errorf("after learning, the taught mail itself is not routed to finance: %s", out)
	} else {
		t.Logf("the taught mail itself, after learning: finance %.2f", same.confidence("finance"))
	}

	var exs []learnedExample
	if err := json.Unmarshal([]byte(g.learnCLI(t, "list", "--json")), &exs); err != nil {
		t.Fatal(err)
	}
	var sawMove, sawFAQ bool
	for _, ex := range exs {
		if ex.Customer != "carol@customer.example" || ex.Ticket != "SUP-1000" || ex.Subject != rebateSubject || !strings.Contains(ex.Text, "300 yuan trade-in rebate") {
			t.Errorf("example not made of carol's words on SUP-1000: %+v", ex)
		}
		switch {
		case ex.Source == "move" && ex.Department == "finance" && ex.By == "alice@agents.test":
			sawMove = true
		case ex.Source == "faq" && len(ex.Entries) == 1 && ex.Entries[0] == "refund-timing" && ex.By == "fiona@agents.test":
			sawFAQ = true
		}
	}
	if len(exs) != 2 || !sawMove || !sawFAQ {
		t.Errorf("learn list --json: want alice's move to finance and fiona's refund-timing, got %+v", exs)
	}
	var forgot struct {
		Forgotten int `json:"forgotten"`
	}
	if out := g.learnCLI(t, "forget", "--all", "--json"); json.Unmarshal([]byte(out), &forgot) != nil || forgot.Forgotten != 2 {
		t.Errorf("learn forget --all: %s", out)
	}
	if out := strings.TrimSpace(g.learnCLI(t, "list", "--json")); out != "[]" {
		t.Errorf("learn list after forget --all: %s", out)
	}
	// Forgotten means unused: the dry run is back to the catalog alone.
	if again, out := g.rulesTest(t, second); again.confidence("finance") != pre.confidence("finance") {
		t.Errorf("after forget --all the second mail still reads as learned:\nbefore: %s\nnow:    %s", preOut, out)
	}
}

// TestLearnForgetBesideRunningServer: on the embedded defaults' store
// (Badger, whose directory lock the running server holds), after an
// agent's #move and #faq, `learn list --json` shows the two examples
// while serve runs, `learn forget ID ID` removes them through the
// server's admin API, and the server's very next mail of the same words
// is routed and acknowledged as before anything was learned. Before,
// list and forget were refused with "stop it first" while serve ran.
func TestLearnForgetBesideRunningServer(t *testing.T) {
	g, agent := startLearningGateway(t)
	second := supportMailFile(t, "dan@customer.example", rebate2Subject, rebate2Body)
	// Nothing taught yet: the dry run beside the running server is the
	// catalog alone.
	pre, _ := g.untaught(t, second)
	if out := strings.TrimSpace(g.learnCLI(t, "list", "--json")); out != "[]" {
		t.Fatalf("learn list --json beside the running server before anything was taught: %s", out)
	}

	customerMail(t, g, "carol@customer.example", rebateSubject, rebateBody)
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	teachRebate(t, g, agent)

	var exs []learnedExample
	waitFor(t, "the two taught examples in learn list --json", func() bool {
		exs = nil
		return json.Unmarshal([]byte(g.learnCLI(t, "list", "--json")), &exs) == nil && len(exs) == 2
	})
	var ids []string
	var sawMove bool
	for _, ex := range exs {
		if ex.Customer != "carol@customer.example" || ex.Ticket != "SUP-1000" {
			t.Errorf("example not made of carol's mail on SUP-1000: %+v", ex)
		}
		sawMove = sawMove || ex.Source == "move" && ex.Department == "finance" && ex.By == "alice@agents.test"
		ids = append(ids, ex.ID)
	}
	if !sawMove {
		t.Errorf("learn list --json beside the running server lacks alice's move to finance: %+v", exs)
	}
	if text := g.learnCLI(t, "list"); !strings.Contains(text, "2 example(s)") || !strings.Contains(text, ids[0]) {
		t.Errorf("learn list beside the running server:\n%s", text)
	}
	// In use: a similar mail from another customer goes to finance.
	customerMail(t, g, "dan@customer.example", rebate2Subject, rebate2Body)
	waitFor(t, "SUP-1001", func() bool { return len(g.tickets(t)) == 2 })
	if dept := g.learnShow(t, "SUP-1001").Department; dept != "finance" {
		t.Fatalf("with the examples, the similar mail went to %s, not finance (nothing to show forgotten)", dept)
	}
	if ack := hcMail(t, g.outbox(), "[SUP-1001]"); !strings.Contains(ack, "/faq/refund-timing") {
		t.Fatalf("with the examples, the similar mail's acknowledgement lacks refund-timing (nothing to show forgotten):\n%s", ack)
	}
	// The dry run beside the running server shows what it does: it
	// takes the examples from the server's API.
	if d, out := g.rulesTest(t, second); d.Department != "finance" || !slices.Contains(d.FAQ, "refund-timing") {
		t.Errorf("rules test beside the running server after the #move and #faq: %s", out)
	}

	cmd := exec.Command(binary, "learn", "forget", "-c", g.cfgPath, "no-such-id")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "no such learned example: no-such-id (nothing was forgotten)") {
		t.Errorf("learn forget of an unknown id beside the running server: %v\n%s", err, out)
	}
	if out := g.learnCLI(t, append([]string{"forget"}, ids...)...); out != "forgot 2 example(s)\n" {
		t.Errorf("learn forget ID ID beside the running server: %q", out)
	}
	if out := strings.TrimSpace(g.learnCLI(t, "list", "--json")); out != "[]" {
		t.Errorf("learn list --json after the forget: %s", out)
	}
	// The forget returned once the server ranked without the examples:
	// the next mail of the same words, from a third customer, is routed
	// and acknowledged by the catalog alone again.
	customerMail(t, g, "erin@customer.example", rebate2Subject, rebate2Body)
	waitFor(t, "SUP-1002", func() bool { return len(g.tickets(t)) == 3 })
	if dept := g.learnShow(t, "SUP-1002").Department; dept != "support" {
		t.Errorf("after learn forget, the similar mail still went to %s, not support by its address", dept)
	}
	g.waitRelayedTo(t, "SUP-1002", "support")
	ack := hcMail(t, g.outbox(), "[SUP-1002]")
	taught := strings.Contains(ack, "/faq/refund-timing")
	if catalog := slices.Contains(pre.FAQ, "refund-timing"); taught != catalog {
		t.Errorf("after learn forget, the acknowledgement links refund-timing: %v; the catalog alone: %v (%v)\n%s", taught, catalog, pre.FAQ, ack)
	}
}

// waitRelayedTo waits for ticket tag's relayed copy in dept's Maildir and
// checks that it says so in X-Frontdesk-Department.
func (g *gateway) waitRelayedTo(t *testing.T, tag, dept string) {
	t.Helper()
	var relayed [][]byte
	waitFor(t, tag+" relayed to "+dept, func() bool {
		relayed = mailsWith(t, g.maildir(dept), "X-Frontdesk-Ticket: "+tag)
		return len(relayed) > 0
	})
	if got := headerLine(relayed[0], "X-Frontdesk-Department"); !strings.Contains(got, dept) {
		t.Errorf("%s relayed with %q, want %s", tag, got, dept)
	}
}

// headerLine returns the line of raw that starts with name+": ".
func headerLine(raw []byte, name string) string {
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, name+": ") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// TestLearnImportBesideRunningServer: with serve running on the embedded
// defaults' store (Badger, whose directory lock the server holds), `learn
// import` of a labelled set in the format of ../shared/eval (one customer
// mail, labelled finance and refund-timing) goes through the server's
// admin API (POST /api/learn) and returns once the server ranks with it:
// the next similar mail from another customer is routed to finance and
// acknowledged with the refund-timing link, where before the import it was
// support's by its address. Importing the same file again stores nothing.
// Before, the import was refused with "stop it first" while serve ran.
func TestLearnImportBesideRunningServer(t *testing.T) {
	g, _ := startLearningGateway(t)
	second := supportMailFile(t, "dan@customer.example", rebate2Subject, rebate2Body)
	pre, _ := g.untaught(t, second)
	if slices.Contains(pre.FAQ, "refund-timing") {
		t.Fatalf("before the import the catalog alone links refund-timing (nothing to show imported): %v", pre.FAQ)
	}

	set := t.TempDir()
	writeFile(t, filepath.Join(set, "001-rebate.eml"), "From: Carol Wu <carol@customer.example>\r\nTo: support@acme-appliances.example\r\n"+
		"Subject: "+rebateSubject+"\r\nDate: Tue, 03 Nov 2026 21:14:07 +0800\r\nMessage-Id: <rebate-1@customer.example>\r\n"+
		"Content-Type: text/plain; charset=UTF-8\r\n\r\n"+rebateBody+"\r\n")
	labels := filepath.Join(set, "labels.yaml")
	writeFile(t, labels, "# one customer mail\n- file: 001-rebate.eml\n  lang: en\n  department: finance\n  faq: [refund-timing]\n  note: \"trade-in rebate\"\n")

	run := func(args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(binary, append([]string{"learn", "import", "-c", g.cfgPath}, args...)...)
		cmd.Dir = g.dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("learn import %v beside the running server: %v\n%s%s", args, err, stdout.String(), stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	if out, errs := run(labels); out != "imported 1 example(s): 1 with a department, 1 with FAQ entries, 0 with no link; 0 skipped\n" || errs != "learn import: 1/1 stored\n" {
		t.Errorf("learn import beside the running server:\nstdout %q\nstderr %q", out, errs)
	}
	var exs []learnedExample
	if err := json.Unmarshal([]byte(g.learnCLI(t, "list", "--json")), &exs); err != nil || len(exs) != 1 ||
		exs[0].Source != "import" || exs[0].Department != "finance" || !slices.Equal(exs[0].Entries, []string{"refund-timing"}) || exs[0].Customer != "carol@customer.example" {
		t.Fatalf("learn list --json after the import: %+v %v", exs, err)
	}

	// The import returned once the server ranked with the example: the
	// next similar mail, from another customer, is routed and linked as
	// the labels taught.
	customerMail(t, g, "dan@customer.example", rebate2Subject, rebate2Body)
	waitFor(t, "SUP-1000", func() bool { return len(g.tickets(t)) == 1 })
	if dept := g.learnShow(t, "SUP-1000").Department; dept != "finance" {
		t.Errorf("after learn import, the similar mail went to %s, not finance as imported", dept)
	}
	if ack := hcMail(t, g.outbox(), "[SUP-1000]"); !strings.Contains(ack, "https://help.acme-appliances.example/faq/refund-timing") {
		t.Errorf("after learn import, the acknowledgement lacks the imported entry refund-timing:\n%s", ack)
	}
	g.waitRelayedTo(t, "SUP-1000", "finance")

	// The same file again: nothing new.
	var sum struct {
		Examples        int `json:"examples"`
		AlreadyImported int `json:"already_imported"`
	}
	if out, _ := run("--json", labels); json.Unmarshal([]byte(out), &sum) != nil || sum.Examples != 0 || sum.AlreadyImported != 1 {
		t.Errorf("learn import --json of the same file again: %s", out)
	}
	if out := g.learnCLI(t, "list"); !strings.HasSuffix(out, "1 example(s)\n") {
		t.Errorf("learn list after importing twice:\n%s", out)
	}
}
