package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/foxcpp/go-mockdns"
	"github.com/jhillyerd/enmime/v2"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// ackRules give support a business-hours calendar, so the promised time
// is not simply "now + 4h" and its wording (weekday, date, zone) is tested.
const ackRules = `calendars:
  office:
    timezone: Asia/Shanghai
    hours: {mon-fri: "09:00-12:00, 13:00-18:00"}
departments:
  support:
    name: Customer Support
    addresses: [support, help]
    mailbox: support-team@agents.test
    agents: [alice@agents.test]
    sla: {first_response: 4h, resolution: 3d, calendar: office}
default_department: support
`

// ackOpts describe one gateway of the acknowledgement tests. Unlike
// startGatewayWith they choose the gateway's domain, hostname, rules and
// DNS answers (testZones plus Zones), and may fix the listeners in advance
// (two gateways that send to each other must know each other's port).
type ackOpts struct {
	Domain    string // default support.localhost
	Hostname  string // default mx.support.test
	SMTP      string // default a free port
	HTTP      string // default a free port
	PublicURL string // default http://<HTTP>
	Rules     string // default ackRules
	Zones     map[string]mockdns.Zone
	Extra     string            // YAML appended to the config
	Files     map[string]string // written into the gateway's directory
}

type ackGateway struct {
	*gateway
	dns *mockdns.Server
}

func startAckGateway(t *testing.T, o ackOpts) *ackGateway {
	t.Helper()
	if o.Domain == "" {
		o.Domain = "support.localhost"
	}
	if o.Hostname == "" {
		o.Hostname = "mx.support.test"
	}
	if o.SMTP == "" {
		o.SMTP = fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	}
	if o.HTTP == "" {
		o.HTTP = fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	}
	if o.PublicURL == "" {
		o.PublicURL = "http://" + o.HTTP
	}
	if o.Rules == "" {
		o.Rules = ackRules
	}
	dir := t.TempDir()
	for name, content := range o.Files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	writeFile(t, filepath.Join(dir, "rules.yaml"), o.Rules)
	zones := testZones()
	maps.Copy(zones, o.Zones)
	dns, err := mockdns.NewServerWithLogger(zones, log.New(io.Discard, "", 0), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dns.Close() })
	cfg := fmt.Sprintf(`hostname: %s
domains: [%s]
data_dir: data
rules_file: rules.yaml
smtp:
  listen: %s
  shutdown_timeout: 10s
http:
  listen: %s
  public_url: %s
auth:
  dns_server: %s
`, o.Hostname, o.Domain, o.SMTP, o.HTTP, o.PublicURL, dns.LocalAddr().String()) + o.Extra
	g := &gateway{t: t, dir: dir, SMTP: o.SMTP, HTTP: o.HTTP, cfgPath: filepath.Join(dir, "frontdesk.yaml")}
	writeFile(t, g.cfgPath, cfg)
	g.start()
	t.Cleanup(g.stop)
	return &ackGateway{gateway: g, dns: dns}
}

// ackTicket is the part of `tickets list --json` these tests read.
type ackTicket struct {
	Tag       string `json:"tag"`
	Customer  string `json:"customer"`
	Lang      string `json:"lang"`
	Deadlines []struct {
		Kind  string    `json:"kind"`
		Start time.Time `json:"start"`
		Due   time.Time `json:"due"`
	} `json:"deadlines"`
}

func (g *gateway) ackTickets(t *testing.T) []ackTicket {
	t.Helper()
	out, err := exec.Command(binary, "tickets", "list", "-c", g.cfgPath, "--json").Output()
	if err != nil {
		t.Fatalf("tickets list: %v\n%s", err, out)
	}
	var ts []ackTicket
	if err := json.Unmarshal(out, &ts); err != nil {
		t.Fatalf("tickets list --json: %v\n%s", err, out)
	}
	return ts
}

// waitQueueEmpty polls `frontdesk queue list` until nothing is queued.
func (g *gateway) waitQueueEmpty(t *testing.T) {
	t.Helper()
	waitFor(t, "an empty queue in "+g.dir, func() bool {
		out, _ := exec.Command(binary, "queue", "list", "-c", g.cfgPath).CombinedOutput()
		return strings.Contains(string(out), "queue is empty")
	})
}

// ackCounters reads frontdesk_acks_total from /metrics as
// "result/reason" → value.
func (g *gateway) ackCounters(t *testing.T) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	labelRE := regexp.MustCompile(`(\w+)="([^"]*)"`)
	for _, line := range strings.Split(httpGet(t, "http://"+g.HTTP+"/metrics"), "\n") {
		rest, ok := strings.CutPrefix(line, "frontdesk_acks_total{")
		if !ok {
			continue
		}
		labels, value, ok := strings.Cut(rest, "} ")
		if !ok {
			t.Fatalf("metrics line %q", line)
		}
		l := map[string]string{}
		for _, m := range labelRE.FindAllStringSubmatch(labels, -1) {
			l[m[1]] = m[2]
		}
		v, err := strconv.ParseFloat(strings.Fields(value)[0], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[l["result"]+"/"+l["reason"]] = v
	}
	if len(out) == 0 {
		t.Fatal("no frontdesk_acks_total in /metrics")
	}
	return out
}

// counterDiff lists the counters that changed from before to after.
func counterDiff(before, after map[string]float64) map[string]float64 {
	d := map[string]float64{}
	for k, v := range after {
		if v != before[k] {
			d[k] = v - before[k]
		}
	}
	for k, v := range before {
		if _, ok := after[k]; !ok {
			d[k] = -v
		}
	}
	return d
}

// slaDue runs `frontdesk sla due --json` for the ticket's start.
func (g *gateway) slaDue(t *testing.T, calendar string, start time.Time, dur string) time.Time {
	t.Helper()
	out, err := exec.Command(binary, "sla", "due", "-c", g.cfgPath, "--calendar", calendar,
		"--start", start.Format(time.RFC3339Nano), "--duration", dur, "--json").Output()
	if err != nil {
		t.Fatalf("sla due: %v\n%s", err, out)
	}
	var v struct{ Due time.Time }
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("sla due --json: %v\n%s", err, out)
	}
	return v.Due
}

// firstResponse is the ticket's first-response deadline, checked against
// what `frontdesk sla due` computes for the same start and duration.
func firstResponse(t *testing.T, g *gateway, tk ackTicket) time.Time {
	t.Helper()
	for _, d := range tk.Deadlines {
		if d.Kind == "first_response" {
			due := g.slaDue(t, "office", d.Start, "4h")
			if !due.Equal(d.Due.Truncate(time.Second)) {
				t.Errorf("the tracker's first-response deadline %v differs from sla due's %v (start %v)", d.Due, due, d.Start)
			}
			return due
		}
	}
	t.Fatalf("ticket %s has no first-response deadline: %+v", tk.Tag, tk)
	return time.Time{}
}

// The wording of a deadline for customers, written out here from the
// issue's examples rather than taken from package sla.
func dueWordsEN(due time.Time) string {
	return due.Format("Monday 2 January, 15:04") + " (China Standard Time)"
}

func dueWordsZH(due time.Time) string {
	wd := [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[due.Weekday()]
	return fmt.Sprintf("%d月%d日（%s）%02d:%02d", int(due.Month()), due.Day(), wd, due.Hour(), due.Minute())
}

func readEnvelope(t *testing.T, raw []byte) *enmime.Envelope {
	t.Helper()
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("acknowledgement does not parse: %v\n%s", err, raw)
	}
	return env
}

func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

// TestAckEnglishToSmarthost: a customer's English mail about an order is
// acknowledged through an smtp:// outbound target (Postfix's smtp-sink):
// null envelope sender, [SUP-1000] first in the subject, Auto-Submitted,
// threading on the customer's Message-ID, a Message-ID of ours, the
// first-response time as `sla due` computes it and in the words of the
// issue, and the order-tracking FAQ link (the demo catalog's own url).
func TestAckEnglishToSmarthost(t *testing.T) {
	sink := testenv.StartSMTPSink(t)
	g := startAckGateway(t, ackOpts{Extra: "outbound: {target: smtp://" + sink.Addr + "}\n"})
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol Chen <carol@customer.example>", "--header", "Message-Id: <order-1@customer.example>",
		"--header", "Subject: where is my order AC123456, tracking?",
		"--body", "Hello,\nI ordered a kettle last week, order AC123456. Where is my order? Is there a tracking number?\n\nCarol")
	msgs := sink.WaitCount(t, 1, 20*time.Second)
	g.waitQueueEmpty(t)
	if msgs = sink.Messages(); len(msgs) != 1 {
		t.Fatalf("the smarthost got %d messages, want the one acknowledgement", len(msgs))
	}
	raw := msgs[0]
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("sink file: %v\n%s", err, raw)
	}
	// smtp-sink records the envelope: MAIL FROM:<> is RFC 3834's null sender.
	if got := m.Header.Get("X-Mail-Args"); !strings.HasPrefix(got, "<>") {
		t.Errorf("envelope sender %q, want <>", got)
	}
	if got := m.Header.Get("X-Rcpt-Args"); !strings.HasPrefix(got, "<carol@customer.example>") {
		t.Errorf("envelope recipient %q", got)
	}
	env := readEnvelope(t, raw)
	subject := env.GetHeader("Subject")
	if want := "[SUP-1000] Re: where is my order AC123456, tracking?"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
	if got := env.GetHeader("Auto-Submitted"); got != "auto-replied" {
		t.Errorf("Auto-Submitted: %q", got)
	}
	if got := env.GetHeader("In-Reply-To"); got != "<order-1@customer.example>" {
		t.Errorf("In-Reply-To: %q, want the customer's Message-ID", got)
	}
	if got := env.GetHeader("References"); !strings.Contains(got, "<order-1@customer.example>") {
		t.Errorf("References: %q", got)
	}
	if got := env.GetHeader("Message-Id"); !strings.HasSuffix(got, "@mx.support.test>") {
		t.Errorf("Message-ID %q is not ours", got)
	}
	mustContain(t, "From", env.GetHeader("From"), "support@support.localhost")
	mustContain(t, "To", env.GetHeader("To"), "carol@customer.example")

	ts := g.ackTickets(t)
	if len(ts) != 1 || ts[0].Tag != "SUP-1000" || ts[0].Lang != "en" {
		t.Fatalf("tickets: %+v", ts)
	}
	due := firstResponse(t, g.gateway, ts[0])
	link := "https://help.acme-appliances.example/faq/order-tracking" // the demo catalog's url
	mustContain(t, "the acknowledgement's text", env.Text, "Dear Carol Chen,", "ticket SUP-1000",
		"We will reply by "+dueWordsEN(due)+".", "Where is my order?", link, "/t/")
	if strings.Contains(env.Text, "感谢") {
		t.Errorf("an English customer got Chinese text:\n%s", env.Text)
	}
	mustContain(t, "the acknowledgement's HTML", env.HTML, link, "SUP-1000")
	if c := g.ackCounters(t); c["sent/ok"] != 1 {
		t.Errorf("acks counters %v, want sent/ok 1", c)
	}
}

// TestAckChineseGB2312 sends a mail written the way Chinese mail clients
// still write it — GBK/GB2312 encoded-word headers and an 8-bit GB2312
// body, built byte by byte with Python — and expects a Chinese
// acknowledgement: greeting by name, the promise in Chinese wording, the
// Chinese FAQ title, and (with a catalog without urls) the link to the
// help centre's own page on http.public_url.
func TestAckChineseGB2312(t *testing.T) {
	g := startNoURLAckGateway(t)
	eml := writeLegacyMail(t, legacyMail{from: "li.wei@customer.example", name: "李伟", nameCS: "GB2312",
		subject: "我的订单到哪里了？", subjectCS: "GBK", msgID: "zh-1@customer.example", bodyCS: "GB2312",
		body: "您好！\r\n我上周买的扫地机器人，订单号 AC123456，到现在还没有收到。请问我的订单到哪里了？怎么查询物流？\r\n\r\n李伟\r\n"})
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "li.wei@customer.example", "--to", "support@support.localhost", "--data", "@"+eml)
	raw := waitMaildir(t, g.outbox(), 1, 20*time.Second)[0]
	env := readEnvelope(t, raw)
	if want := "[SUP-1000] Re: 我的订单到哪里了？"; env.GetHeader("Subject") != want {
		t.Errorf("subject %q, want %q", env.GetHeader("Subject"), want)
	}
	if got := env.GetHeader("In-Reply-To"); got != "<zh-1@customer.example>" {
		t.Errorf("In-Reply-To: %q", got)
	}
	if got := env.GetHeader("Auto-Submitted"); got != "auto-replied" {
		t.Errorf("Auto-Submitted: %q", got)
	}
	ts := g.ackTickets(t)
	if len(ts) != 1 || ts[0].Lang != "zh" {
		t.Fatalf("tickets: %+v", ts)
	}
	due := firstResponse(t, g.gateway, ts[0])
	mustContain(t, "the Chinese acknowledgement", env.Text, "李伟，您好！", "工单编号为 SUP-1000",
		"我们将在 "+dueWordsZH(due)+" 前回复您。", "我的订单到哪了？",
		"https://help.support.localhost/faq/order-tracking?lang=zh", "https://help.support.localhost/t/")
	if strings.Contains(env.Text, "Thank you") || strings.Contains(env.Text, "acme-appliances.example") {
		t.Errorf("wrong language or link in the Chinese acknowledgement:\n%s", env.Text)
	}
	// The relayed copy for agents keeps the customer's text readable.
	relayed := readEnvelope(t, waitMaildir(t, g.maildir("support"), 1, 20*time.Second)[0])
	mustContain(t, "the relayed copy", relayed.Text, "扫地机器人")
}

// pyDKIMVerify verifies each file with python3-dkim, asking the test's DNS
// fake (over TCP, with dnspython) for the key: the answers the world would
// get for our selector.
const pyDKIMVerify = `
import sys, dkim, dns.resolver
r = dns.resolver.Resolver(configure=False)
r.nameservers = [sys.argv[1]]
r.port = int(sys.argv[2])
def dnsfunc(name, timeout=5):
    try:
        a = r.resolve(name.decode().rstrip('.') + '.', 'TXT', tcp=True, lifetime=timeout)
    except Exception as e:
        print('dns:', name, e, file=sys.stderr)
        return None
    return b''.join(b''.join(rd.strings) for rd in a)
for path in sys.argv[3:]:
    print('PASS' if dkim.verify(open(path, 'rb').read(), dnsfunc=dnsfunc) else 'FAIL')
`

// TestAckDKIMSignatureVerifiesIndependently: with outbound.dkim set to an
// RSA key made here, the acknowledgement in the outbox carries a
// relaxed/relaxed signature for the configured domain and selector that
// Debian's python3-dkim verifies against the public key published in the
// test's DNS; a changed body fails the same check.
func TestAckDKIMSignatureVerifiesIndependently(t *testing.T) {
	if _, err := testenv.Python3(t, "import dkim, dns.resolver"); err != nil {
		testenv.Integration(t, "python3-dkim with dnspython", "python3-dkim")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	g := startAckGateway(t, ackOpts{
		Zones: map[string]mockdns.Zone{
			"fd2026._domainkey.support.localhost.": {TXT: []string{"v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)}},
		},
		Extra: "outbound:\n  dkim: {domain: support.localhost, selector: fd2026, key_file: dkim.pem}\n",
		Files: map[string]string{"dkim.pem": string(keyPEM)},
	})
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol Chen <carol@customer.example>", "--header", "Subject: kettle will not heat",
		"--body", "My kettle does not heat any more.")
	raw := waitMaildir(t, g.outbox(), 1, 20*time.Second)[0]
	sig := readEnvelope(t, raw).GetHeader("DKIM-Signature")
	for _, want := range []string{"d=support.localhost", "s=fd2026", "c=relaxed/relaxed", "a=rsa-sha256"} {
		if !strings.Contains(strings.Join(strings.Fields(sig), ""), want) {
			t.Errorf("DKIM-Signature %q lacks %s", sig, want)
		}
	}
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "ack.eml"), filepath.Join(dir, "tampered.eml")
	writeFile(t, good, string(raw))
	tampered := bytes.Replace(raw, []byte("SUP-1000"), []byte("SUP-6666"), -1)
	if bytes.Equal(tampered, raw) {
		t.Fatalf("no ticket tag to tamper with:\n%s", raw)
	}
	writeFile(t, bad, string(tampered))
	host, port, _ := strings.Cut(g.dns.LocalAddr().String(), ":")
	out, err := testenv.Python3(t, pyDKIMVerify, host, port, good, bad)
	if err != nil {
		t.Fatalf("python3-dkim: %v\n%s", err, out)
	}
	if got := strings.Fields(out); len(got) < 2 || got[len(got)-2] != "PASS" || got[len(got)-1] != "FAIL" {
		t.Errorf("python3-dkim says %q, want PASS for the acknowledgement and FAIL for the tampered copy\n%s", out, raw)
	}
}

// TestAckSuppressed: each of these opens a ticket but gets no
// acknowledgement, and counts exactly one suppression under its reason
// (and nothing else); the third new ticket within the hour from one sender
// is over acks.per_sender_per_hour: 2.
func TestAckSuppressed(t *testing.T) {
	g := startAckGateway(t, ackOpts{Extra: "acks: {per_sender_per_hour: 2}\n", Rules: ackRules + `rules:
  - name: the press gets no acknowledgement
    if: {subject: {contains: [press enquiry]}}
    then: {ack: none}
`})
	n := 0 // tickets so far
	send := func(t *testing.T, args ...string) {
		t.Helper()
		testenv.SwaksOK(t, append([]string{"--server", g.SMTP, "--to", "support@support.localhost"}, args...)...)
		n++
		waitFor(t, fmt.Sprintf("ticket %d", n), func() bool { return len(g.ackTickets(t)) == n })
		waitMaildir(t, g.maildir("support"), n, 20*time.Second)
	}
	cases := []struct {
		name, reason string
		args         []string
	}{
		{"null sender", "null_sender", []string{"--from", "<>", "--header", "From: dsn@customer.example", "--header", "Subject: Delivery report"}},
		{"auto-submitted", "auto_submitted", []string{"--from", "vacation@customer.example", "--header", "Auto-Submitted: auto-replied", "--header", "Subject: Out of office"}},
		{"precedence bulk", "precedence", []string{"--from", "news@customer.example", "--header", "Precedence: bulk", "--header", "Subject: Our autumn offers"}},
		{"list-id", "list", []string{"--from", "list@customer.example", "--header", "List-Id: <kettles.lists.customer.example>", "--header", "Subject: [kettles] digest"}},
		{"x-auto-response-suppress", "suppress_header", []string{"--from", "exchange@customer.example", "--header", "X-Auto-Response-Suppress: All", "--header", "Subject: Meeting notes"}},
		{"mailer-daemon", "robot_sender", []string{"--from", "mailer-daemon@customer.example", "--header", "From: MAILER-DAEMON <mailer-daemon@customer.example>", "--header", "Subject: Undeliverable"}},
		// forged.example: SPF -all without 127.0.0.1, DMARC p=reject.
		{"forged sender", "forged", []string{"--from", "ceo@forged.example", "--header", "From: ceo@forged.example", "--header", "Subject: please call me"}},
		// Issue 17: the From names a third party (no DMARC record, so not
		// "forged"); the acknowledgement would reach the victim.
		{"third party in From", "sender_mismatch", []string{"--from", "attacker@evil.example", "--header", "From: Victim <victim@victim.example>", "--header", "Subject: call me"}},
		// An address literal reaches internal hosts with outbound mx.
		{"address literal", "invalid_address", []string{"--from", "x@[127.0.0.1]", "--header", "From: x@[127.0.0.1]", "--header", "Subject: hello"}},
		// A rule that says ack: none.
		{"rule ack none", "template_none", []string{"--from", "reporter@customer.example", "--header", "Subject: Press enquiry about kettles"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := g.ackCounters(t)
			send(t, append(c.args, "--body", "Hello, my kettle is broken.")...)
			diff := counterDiff(before, g.ackCounters(t))
			if want := map[string]float64{"suppressed/" + c.reason: 1}; fmt.Sprint(diff) != fmt.Sprint(want) {
				t.Errorf("acks counters changed by %v, want %v", diff, want)
			}
		})
	}
	t.Run("rate limit", func(t *testing.T) {
		before := g.ackCounters(t)
		// Three spellings of one address (issue 17: they were counted apart).
		for i, addr := range []string{"frank@customer.example", "Frank@Customer.Example.", "FRANK@customer.example"} {
			send(t, "--from", addr, "--header", "From: "+addr,
				"--header", fmt.Sprintf("Subject: question %d", i), "--body", fmt.Sprintf("Question number %d about my kettle.", i))
		}
		diff := counterDiff(before, g.ackCounters(t))
		if want := map[string]float64{"sent/ok": 2, "suppressed/rate_limited": 1}; fmt.Sprint(diff) != fmt.Sprint(want) {
			t.Errorf("acks counters changed by %v, want %v", diff, want)
		}
	})
	// Nothing but the two rate-limited sender's acknowledgements went out.
	g.waitQueueEmpty(t)
	acks := waitMaildir(t, g.outbox(), 0, time.Second)
	if len(acks) != 2 {
		t.Errorf("outbox holds %d mails, want 2", len(acks))
	}
	for _, a := range acks {
		if !bytes.Contains(bytes.ToLower(a), []byte("frank@customer.example")) {
			t.Errorf("acknowledgement to someone else:\n%s", a)
		}
	}
}

// TestAckTwoInstancesDoNotLoop: gateway A (support.localhost) and gateway
// B (helpdesk.test) deliver their outbound mail to each other. (B's domain
// is not under .localhost: no acknowledgement goes to a reserved domain.) A
// customer of A writes from an address at B's domain; A acknowledges to B;
// B files A's acknowledgement (a ticket) but does not acknowledge it —
// it comes with the null sender and Auto-Submitted — so the exchange ends
// with one acknowledgement in all.
func TestAckTwoInstancesDoNotLoop(t *testing.T) {
	aSMTP := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	bSMTP := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	zones := map[string]mockdns.Zone{
		// Each side's HELO name and mail domain pass SPF from loopback.
		"helpdesk.test.":        {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"}},
		"mx.helpdesk.test.":     {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"}},
		"support.localhost.":    {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"}},
		"mx.support.localhost.": {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"}},
	}
	bRules := strings.ReplaceAll(ackRules, "agents.test", "agents-b.test")
	a := startAckGateway(t, ackOpts{Domain: "support.localhost", Hostname: "mx.support.localhost", SMTP: aSMTP, Zones: zones,
		Extra: "outbound: {target: smtp://" + bSMTP + "}\n"})
	b := startAckGateway(t, ackOpts{Domain: "helpdesk.test", Hostname: "mx.helpdesk.test", SMTP: bSMTP, Zones: zones, Rules: bRules,
		Extra: "outbound: {target: smtp://" + aSMTP + "}\ntickets: {tag_prefix: HD}\n"})

	testenv.SwaksOK(t, "--server", a.SMTP, "--from", "dana@helpdesk.test", "--to", "support@support.localhost",
		"--header", "From: Dana <dana@helpdesk.test>", "--header", "Subject: my kettle will not heat",
		"--body", "It stopped working today. What can I do?")
	// A's acknowledgement arrives at B as new mail, which B files.
	waitFor(t, "A's acknowledgement filed by B", func() bool { return len(b.ackTickets(t)) >= 1 })
	// Let both sides finish whatever they queued, twice round, so a reply
	// to a reply would have had its chance to appear.
	for range 2 {
		a.waitQueueEmpty(t)
		b.waitQueueEmpty(t)
	}
	at, bt := a.ackTickets(t), b.ackTickets(t)
	if len(at) != 1 {
		t.Errorf("A has %d tickets, want 1: %+v", len(at), at)
	}
	if len(bt) > 1 {
		t.Errorf("B has %d tickets, want at most 1: %+v", len(bt), bt)
	}
	ac, bc := a.ackCounters(t), b.ackCounters(t)
	if ac["sent/ok"]+bc["sent/ok"] != 1 || ac["sent/ok"] != 1 {
		t.Errorf("acknowledgements sent: A %v, B %v; want A's one only", ac["sent/ok"], bc["sent/ok"])
	}
	if bc["suppressed/null_sender"] != 1 {
		t.Errorf("B's suppressions %v, want one null_sender", bc)
	}
	relayed := waitMaildir(t, b.maildir("support"), 1, 20*time.Second)
	if len(relayed) != 1 || !bytes.Contains(relayed[0], []byte("[SUP-1000]")) || !bytes.Contains(relayed[0], []byte("Auto-Submitted: auto-replied")) {
		t.Errorf("B's mailbox holds %d mails, want A's acknowledgement:\n%s", len(relayed), bytes.Join(relayed, []byte("\n----\n")))
	}
	// A's own mailbox only has the customer's mail: nothing came back.
	if got := waitMaildir(t, a.maildir("support"), 1, time.Second); len(got) != 1 {
		t.Errorf("A's mailbox holds %d mails, want the customer's one", len(got))
	}
}

// TestAckDirectToMX: with outbound.target mx the acknowledgement goes to
// the customer domain's mail exchanger, found in the test's DNS (an MX
// record whose host resolves to loopback; outbound.mx_port points at
// smtp-sink), with the null sender and our HELO name.
func TestAckDirectToMX(t *testing.T) {
	sink := testenv.StartSMTPSink(t)
	_, port, _ := strings.Cut(sink.Addr, ":")
	g := startAckGateway(t, ackOpts{
		Zones: map[string]mockdns.Zone{
			"customer.example.": {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"},
				MX: []net.MX{{Host: "mx2.customer.example.", Pref: 20}, {Host: "mx1.customer.example.", Pref: 10}}},
			"mx1.customer.example.": {A: []string{"127.0.0.1"}},
			"mx2.customer.example.": {A: []string{"127.0.0.9"}}, // never needed: mx1 is preferred
		},
		Extra: "outbound: {target: mx, mx_port: " + port + ", allow_private_addresses: true}\n",
	})
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol Chen <carol@customer.example>", "--header", "Subject: kettle will not heat",
		"--body", "My kettle does not heat any more.")
	msgs := sink.WaitCount(t, 1, 20*time.Second)
	g.waitQueueEmpty(t)
	m, err := mail.ReadMessage(bytes.NewReader(msgs[0]))
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]string{"X-Mail-Args": "<>", "X-Rcpt-Args": "<carol@customer.example>", "X-Helo-Args": "mx.support.test",
		"X-Client-Addr": "127.0.0.1", "Auto-Submitted": "auto-replied", "Subject": "[SUP-1000] Re: kettle will not heat"} {
		if got := m.Header.Get(h); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
}

// TestAckToAnInternationalizedAddress: a customer whose address is in
// Chinese (RFC 6531: 张三@例子.中国) writes with Python's smtplib, which sends
// SMTPUTF8 because the address needs it. The mail is accepted (it was
// refused with 504 5.5.4 while SMTPUTF8 was off), checked against SPF
// under its domain's A-labels, relayed to agents, and answered at that
// address in Chinese.
func TestAckToAnInternationalizedAddress(t *testing.T) {
	g := startAckGateway(t, ackOpts{Zones: map[string]mockdns.Zone{
		"xn--fsqu00a.xn--fiqs8s.": {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"}}, // 例子.中国
	}})
	host, port, _ := net.SplitHostPort(g.SMTP)
	out, err := testenv.Python3(t, `
import smtplib, sys
from email.message import EmailMessage
from email import policy
m = EmailMessage(policy=policy.SMTPUTF8)
m['From'] = '张三 <张三@例子.中国>'
m['To'] = 'support@support.localhost'
m['Subject'] = '我的订单到哪里了？'
m['Message-ID'] = '<eai-1@xn--fsqu00a.xn--fiqs8s>'
m.set_content('您好！\n我上周买的扫地机器人，订单号 AC123456，还没有收到。请问我的订单到哪里了？\n\n张三\n')
with smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=30) as c:
    c.ehlo('client.test')
    if not c.has_extn('smtputf8'):
        sys.exit('no SMTPUTF8 in the EHLO reply')
    print(c.send_message(m) or 'accepted')
`, host, port)
	if err != nil || !strings.Contains(out, "accepted") {
		t.Fatalf("python3 smtplib: %v\n%s", err, out)
	}
	relayed := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)[0]
	mustContain(t, "the relayed copy", string(relayed), "with UTF8SMTP id", "spf=pass", "张三@例子.中国")
	ts := g.ackTickets(t)
	if len(ts) != 1 || ts[0].Customer != "张三@例子.中国" || ts[0].Lang != "zh" {
		t.Fatalf("tickets: %+v", ts)
	}
	ack := waitMaildir(t, g.outbox(), 1, 20*time.Second)[0]
	env := readEnvelope(t, ack)
	mustContain(t, "the acknowledgement's To", env.GetHeader("To"), "张三@例子.中国")
	mustContain(t, "the acknowledgement", env.Text, "张三", "SUP-1000")
	if got := env.GetHeader("In-Reply-To"); got != "<eai-1@xn--fsqu00a.xn--fiqs8s>" {
		t.Errorf("In-Reply-To: %q", got)
	}
}

// startNoURLAckGateway starts an acknowledging gateway whose catalog is
// the demo one without its urls, so that links go to the help centre's
// own pages on http.public_url.
func startNoURLAckGateway(t *testing.T) *ackGateway {
	t.Helper()
	demo, err := os.ReadFile("../faq/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	noURLs := regexp.MustCompile(`(?m)^  url: .*\n`).ReplaceAll(demo, nil)
	return startAckGateway(t, ackOpts{PublicURL: "https://help.support.localhost", Extra: "faq_file: faq.yaml\n",
		Files: map[string]string{"faq.yaml": string(noURLs)}})
}

// legacyMail is a Chinese mail as older mail clients write it: RFC 2047
// words in their charsets and an 8-bit body in bodyCS.
type legacyMail struct {
	from, name, nameCS, subject, subjectCS, msgID, body, bodyCS string
}

// writeLegacyMail writes m byte for byte with Python's codecs (a second
// implementation of the charsets next to the gateway's) and returns the
// file's path.
func writeLegacyMail(t *testing.T, m legacyMail) string {
	t.Helper()
	eml := filepath.Join(t.TempDir(), "mail.eml")
	out, err := testenv.Python3(t, `
import base64, sys
_, path, frm, name, name_cs, subject, subject_cs, msgid, body, body_cs = sys.argv
def ew(s, cs): return '=?%s?B?%s?=' % (cs, base64.b64encode(s.encode(cs)).decode())
head = ('From: %s <%s>\r\n'
        'To: support@support.localhost\r\n'
        'Subject: %s\r\n'
        'Message-ID: <%s>\r\n'
        'Date: Mon, 23 Nov 2026 10:00:00 +0800\r\n'
        'MIME-Version: 1.0\r\n'
        'Content-Type: text/plain; charset=%s\r\n'
        'Content-Transfer-Encoding: 8bit\r\n\r\n') % (ew(name, name_cs), frm, ew(subject, subject_cs), msgid, body_cs)
open(path, 'wb').write(head.encode('ascii') + body.encode(body_cs))
`, eml, m.from, m.name, m.nameCS, m.subject, m.subjectCS, m.msgID, m.body, m.bodyCS)
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(eml); bytes.Contains(b, []byte(m.subject)) {
		t.Fatalf("the test mail is UTF-8, not %s", m.bodyCS)
	}
	return eml
}
