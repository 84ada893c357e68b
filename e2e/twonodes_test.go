package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/smtp"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// Two gateways ("nodes") with the same config but their own ports and
// data directories, on one private PostgreSQL: what issue 24 promises of
// several nodes, shown on the real binary.

// twoNodeRules is testRules with a short first-response SLA for sales,
// so that a deadline is crossed while both nodes run.
var twoNodeRules = strings.Replace(testRules, "    mailbox: sales-team@agents.test\n",
	"    mailbox: sales-team@agents.test\n    escalate_to: sales-lead@agents.test\n    sla: {first_response: 6s, warn_at: 50%}\n", 1)

type twoNodes struct {
	pg        *testenv.Postgres
	a, b      *gateway
	agents    *testenv.Sink // relay.target: where the agents' mail goes
	customers *testenv.Sink // outbound.target: acknowledgements
}

// startTwoNodes migrates a private PostgreSQL with the binary and starts
// two nodes on it, relaying to an agents' sink started with agentOpts;
// nil when PostgreSQL is missing (skipped).
func startTwoNodes(t *testing.T, agentOpts ...testenv.SinkOption) *twoNodes {
	t.Helper()
	pg := testenv.StartPostgresServer(t)
	if pg == nil {
		return nil
	}
	storeCfg := "store:\n  backend: postgres\n  dsn: \"" + pg.DSN + "\"\n"
	mcfg := filepath.Join(t.TempDir(), "migrate.yaml")
	writeFile(t, mcfg, storeCfg)
	if out, err := exec.Command(binary, "store", "migrate", "-c", mcfg).CombinedOutput(); err != nil {
		t.Fatalf("store migrate: %v\n%s", err, out)
	}
	n := &twoNodes{pg: pg, agents: testenv.StartSMTPSink(t, agentOpts...), customers: testenv.StartSMTPSink(t)}
	extra := storeCfg + fmt.Sprintf("relay:\n  target: smtp://%s\n  min_backoff: 200ms\n  max_backoff: 1s\n", n.agents.Addr) +
		fmt.Sprintf("outbound: {target: smtp://%s}\nacks: {per_sender_per_hour: 2}\n", n.customers.Addr)
	files := map[string]string{"rules.yaml": twoNodeRules}
	n.a = startGatewayWith(t, extra, files)
	n.b = startGatewayWith(t, extra, files)
	return n
}

var (
	messageIDRE = regexp.MustCompile(`(?mi)^Message-ID: <([^>]+)>`)
	ticketRE    = regexp.MustCompile(`(?m)^X-Frontdesk-Ticket: (\S+)`)
	queueIDRE   = regexp.MustCompile(`(?m)^X-Frontdesk-Queue-Id: (\S+)`)
	rcptRE      = regexp.MustCompile(`(?m)^X-Rcpt-Args: <([^>]+)>`)
)

func headerOf(re *regexp.Regexp, m []byte) string {
	if sm := re.FindSubmatch(m); sm != nil {
		return string(sm[1])
	}
	return ""
}

// relayedTicket polls the agents' sink for the relayed copy of the mail
// with Message-ID mid and returns its ticket.
func (n *twoNodes) relayedTicket(t *testing.T, mid string) string {
	t.Helper()
	var tag string
	waitFor(t, "the relayed copy of <"+mid+">", func() bool {
		for _, m := range n.agents.Messages() {
			if headerOf(messageIDRE, m) == mid {
				tag = headerOf(ticketRE, m)
				return true
			}
		}
		return false
	})
	if tag == "" {
		t.Fatalf("the relayed copy of <%s> has no X-Frontdesk-Ticket", mid)
	}
	return tag
}

// apiTicketJSON is GET /api/tickets/{tag} on the node's own API.
func (g *gateway) apiTicketJSON(t *testing.T, tag string) (lcTicket, string) {
	t.Helper()
	token, err := os.ReadFile(filepath.Join(g.dir, "data", "api.token"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://"+g.HTTP+"/api/tickets/"+tag, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/tickets/%s on %s: %d %v", tag, g.HTTP, resp.StatusCode, err)
	}
	var tk lcTicket
	if err := json.Unmarshal(raw, &tk); err != nil {
		t.Fatal(err)
	}
	return tk, string(raw)
}

// ackCount is frontdesk_acks_total{result,reason} on one node, 0 when the
// node has counted none yet.
func (g *gateway) ackCount(t *testing.T, result, reason string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^frontdesk_acks_total\{[^}]*\} ([0-9.e+]+)$`)
	var sum float64
	for _, line := range strings.Split(httpGet(t, "http://"+g.HTTP+"/metrics"), "\n") {
		if !strings.Contains(line, `reason="`+reason+`"`) || !strings.Contains(line, `result="`+result+`"`) {
			continue
		}
		if m := re.FindStringSubmatch(line); m != nil {
			var v float64
			fmt.Sscanf(m[1], "%g", &v)
			sum += v
		}
	}
	return sum
}

// swaksTo sends one customer mail to a node.
func swaksTo(t *testing.T, g *gateway, from, to, subject, mid string, hdr ...string) {
	t.Helper()
	args := []string{"--server", g.SMTP, "--from", from, "--to", to, "--header", "From: " + from,
		"--header", "Subject: " + subject, "--header", "Message-Id: <" + mid + ">", "--body", "About: " + subject}
	for _, h := range hdr {
		args = append(args, "--header", h)
	}
	testenv.SwaksOK(t, args...)
}

// TestTwoNodesOneDatabase: a customer's mail to node A and their reply to
// node B thread into one ticket that both nodes' APIs show alike; the
// acknowledgement cap holds across nodes (four new tickets from one
// sender at once, two on each node: two acknowledgements); a deadline
// crossed while both run is warned about and escalated exactly once,
// whichever node filed its ticket.
func TestTwoNodesOneDatabase(t *testing.T) {
	n := startTwoNodes(t)
	if n == nil {
		return
	}
	// (d) first: the deadlines run out while (a) and (b) go on.
	swaksTo(t, n.a, "gina@customer.example", "sales@support.localhost", "quote for 30 kettles", "sales-a@customer.example")
	swaksTo(t, n.b, "hugo@customer.example", "sales@support.localhost", "quote for 40 kettles", "sales-b@customer.example")
	salesTags := []string{n.relayedTicket(t, "sales-a@customer.example"), n.relayedTicket(t, "sales-b@customer.example")}

	t.Run("thread across nodes", func(t *testing.T) {
		swaksTo(t, n.a, "dave@customer.example", "support@support.localhost", "toaster sparks", "dave-1@customer.example")
		tag := n.relayedTicket(t, "dave-1@customer.example")
		// Threaded by References alone: the Message-ID index is in the
		// database, not in node A.
		swaksTo(t, n.b, "dave@customer.example", "support@support.localhost", "Re: toaster sparks", "dave-2@customer.example",
			"References: <dave-1@customer.example>")
		if got := n.relayedTicket(t, "dave-2@customer.example"); got != tag {
			t.Fatalf("the reply to node B went to %s, the first mail to node A to %s", got, tag)
		}
		ta, rawA := n.a.apiTicketJSON(t, tag)
		_, rawB := n.b.apiTicketJSON(t, tag)
		if len(ta.Timeline) != 2 || rawA != rawB {
			t.Errorf("ticket %s: node A shows %d timeline entries, B the same: %v\nA: %s\nB: %s", tag, len(ta.Timeline), rawA == rawB, rawA, rawB)
		}
		// One acknowledgement for the two mails: the reply was known as a
		// follow-up on the node that did not file the ticket.
		waitFor(t, "dave's acknowledgement", func() bool { return len(sinkTo(n.customers, "dave@customer.example")) >= 1 })
		n.a.waitQueueEmpty(t)
		if got := len(sinkTo(n.customers, "dave@customer.example")); got != 1 {
			t.Errorf("dave got %d acknowledgements, want 1", got)
		}
	})

	t.Run("ack cap across nodes", func(t *testing.T) {
		counts := func() (sent, limited float64) {
			for _, g := range []*gateway{n.a, n.b} {
				sent += g.ackCount(t, "sent", "ok")
				limited += g.ackCount(t, "suppressed", "rate_limited")
			}
			return sent, limited
		}
		sent0, limited0 := counts()
		var wg sync.WaitGroup
		for i, g := range []*gateway{n.a, n.b, n.a, n.b} {
			wg.Go(func() {
				swaksTo(t, g, "frank@customer.example", "support@support.localhost", fmt.Sprintf("question %d", i), fmt.Sprintf("frank-%d@customer.example", i))
			})
		}
		wg.Wait()
		tags := map[string]bool{}
		for i := range 4 {
			tags[n.relayedTicket(t, fmt.Sprintf("frank-%d@customer.example", i))] = true
		}
		if len(tags) != 4 {
			t.Fatalf("frank's four mails went to %d tickets, want 4", len(tags))
		}
		waitFor(t, "four acknowledgement decisions for frank", func() bool {
			sent, limited := counts()
			return sent-sent0+limited-limited0 >= 4
		})
		n.a.waitQueueEmpty(t)
		sent, limited := counts()
		sent, limited = sent-sent0, limited-limited0
		if sent != 2 || limited != 2 {
			t.Errorf("frank: %v acknowledgements sent and %v rate-limited over both nodes, want 2 and 2", sent, limited)
		}
		if got := sinkTo(n.customers, "frank@customer.example"); len(got) != 2 {
			var qids []string
			for _, m := range got {
				qids = append(qids, headerOf(messageIDRE, m))
			}
			t.Errorf("frank received %d acknowledgements (Message-IDs %v), want 2 (acks.per_sender_per_hour)", len(got), qids)
		}
	})

	t.Run("deadline escalated once", func(t *testing.T) {
		count := func() map[string]int {
			c := map[string]int{}
			for _, m := range sinkTo(n.agents, "sales-lead@agents.test") {
				for _, tag := range salesTags {
					if strings.Contains(string(m), tag) {
						switch {
						case strings.Contains(string(m), "SLA warning"):
							c[tag+" warning"]++
						case strings.Contains(string(m), "SLA breached"):
							c[tag+" breach"]++
						}
					}
				}
			}
			return c
		}
		waitFor(t, "a warning and an escalation for both sales tickets", func() bool { return len(count()) == 4 })
		// Whatever a second scanner would have queued (in the same
		// moment: the breach is due once) is delivered by now.
		n.a.waitQueueEmpty(t)
		for k, v := range count() {
			if v != 1 {
				t.Errorf("%s: %d mails, want 1", k, v)
			}
		}
	})
}

// sinkTo lists the sink's messages with rcpt among their recipients.
func sinkTo(s *testenv.Sink, rcpt string) [][]byte {
	var out [][]byte
	for _, m := range s.Messages() {
		for _, r := range rcptRE.FindAllSubmatch(m, -1) {
			if strings.EqualFold(string(r[1]), rcpt) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// TestTwoNodesKillOneMidLoad: 200 mails from 10 clients spread over both
// nodes (a client whose node does not answer tries the other, as a sender
// tries the next MX); node A is killed with SIGKILL mid-load and not
// restarted. Every mail that got a 250 reaches the agents' server — what
// A had accepted and not relayed, delivered by B once A's queue leases
// run out — with duplicates only as copies of one queue item (same
// X-Frontdesk-Queue-Id) that A was delivering when it died, and no ticket
// number given to two mails.
func TestTwoNodesKillOneMidLoad(t *testing.T) {
	// The agents' server waits a second before it answers DATA, so that
	// A is in the middle of deliveries (holding their leases) when it
	// dies; after the kill it answers at once again.
	n := startTwoNodes(t, testenv.SinkArgs("-w", "1"))
	if n == nil {
		return
	}
	const total, clients = 200, 10
	var mu sync.Mutex
	acked := map[string]bool{}
	tries := map[string]int{} // sessions a mail took: >1 may file it twice
	var errs []string
	sent := 0
	killed := make(chan struct{})
	var killedAt time.Time
	var killOnce sync.Once
	nodes := []*gateway{n.a, n.b}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			from := fmt.Sprintf("client%d@customer.example", c)
			for i := c; i < total; i += clients {
				id := fmt.Sprintf("two-%03d@customer.example", i)
				body := fmt.Sprintf("From: %s\r\nTo: support@support.localhost\r\nSubject: load %d\r\nMessage-ID: <%s>\r\n\r\nbody %d\r\n", from, i, id, i)
				var err error
				for k := range 2 {
					g := nodes[(i+k)%2]
					mu.Lock()
					tries[id]++
					mu.Unlock()
					if err = sendWithin(g.SMTP, from, body, 60*time.Second); err == nil {
						break
					}
				}
				mu.Lock()
				if err == nil {
					acked[id] = true
				} else {
					errs = append(errs, fmt.Sprintf("<%s>: %v", id, err))
				}
				sent++
				k := sent
				mu.Unlock()
				if k == total*3/10 {
					killOnce.Do(func() {
						n.a.kill9()
						killedAt = time.Now()
						n.agents.RestartWith()
						close(killed)
					})
				}
			}
		})
	}
	wg.Wait()
	<-killed
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < total/2 {
		t.Fatalf("only %d of %d mails got a 250; the test proves nothing\n%s", len(acked), total, n.b.stderr.String())
	}
	t.Logf("%d of %d mails got a 250; %d needed the second node", len(acked), total, countOver(tries, 1))
	for _, e := range errs {
		t.Log(e)
	}

	// A's leases end and B delivers what A held: within 60 s of the kill
	// (issue 24), the load itself having ended by then.
	deadline := killedAt.Add(60 * time.Second)
	if d := time.Now().Add(20 * time.Second); d.After(deadline) {
		deadline = d
	}
	var missing []string
	var msgs [][]byte
	for {
		msgs = n.agents.Messages()
		got := map[string]bool{}
		for _, m := range msgs {
			got[headerOf(messageIDRE, m)] = true
		}
		missing = missing[:0]
		for id := range acked {
			if !got[id] {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond) // polling the sink, with a deadline
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Fatalf("%d mails that got a 250 had not reached the agents %v after node A's death (node B did not deliver node A's): %s",
			len(missing), time.Since(killedAt).Round(time.Second), strings.Join(missing, " "))
	}
	t.Logf("every mail that got a 250 reached the agents %v after node A's death", time.Since(killedAt).Round(time.Second))
	queueIDs := map[string]map[string]bool{} // Message-ID → queue ids of its copies
	tickets := map[string]map[string]bool{}  // ticket → Message-IDs
	for _, m := range msgs {
		mid, qid, tag := headerOf(messageIDRE, m), headerOf(queueIDRE, m), headerOf(ticketRE, m)
		if !strings.HasPrefix(mid, "two-") {
			continue
		}
		if qid == "" || tag == "" {
			t.Errorf("relayed copy of <%s> without a queue id or ticket:\n%s", mid, m)
			continue
		}
		if queueIDs[mid] == nil {
			queueIDs[mid] = map[string]bool{}
		}
		queueIDs[mid][qid] = true
		if tickets[tag] == nil {
			tickets[tag] = map[string]bool{}
		}
		tickets[tag][mid] = true
	}
	dups := 0
	for mid, q := range queueIDs {
		// Two queue items for one mail only when the client sent it twice
		// (its session with A died before the 250 and it tried B).
		if len(q) > 1 && tries[mid] < 2 {
			t.Errorf("<%s> was sent once and relayed as %d queue items: %v", mid, len(q), q)
		}
	}
	for _, m := range msgs {
		if strings.HasPrefix(headerOf(messageIDRE, m), "two-") {
			dups++
		}
	}
	dups -= len(queueIDs)
	for tag, mids := range tickets {
		if len(mids) > 1 {
			t.Errorf("ticket %s was given to %d different mails: %v", tag, len(mids), mids)
		}
	}
	// Each item is delivered by one node at a time: a copy twice only for
	// what A was delivering when it died (relay.workers: 4 at once).
	if dups > 4 {
		t.Errorf("%d relayed copies were duplicates of a queue item; only A's deliveries in flight at the kill (at most 4) may be", dups)
	}
	t.Logf("%d relayed copies were duplicates of a queue item (delivery is at least once)", dups)
}

// sendWithin is smtp.SendMail with a deadline on the whole session: a
// node that never answers fails the mail instead of hanging the test.
func sendWithin(addr, from, body string, d time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(d))
	cl, err := smtp.NewClient(c, "127.0.0.1")
	if err != nil {
		return err
	}
	if err := cl.Mail(from); err != nil {
		return err
	}
	if err := cl.Rcpt("support@support.localhost"); err != nil {
		return err
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		if os.IsTimeout(err) {
			return fmt.Errorf("no reply to the final dot within %v: %w", d, err)
		}
		return err
	}
	return cl.Quit()
}

func countOver(m map[string]int, n int) int {
	c := 0
	for _, v := range m {
		if v > n {
			c++
		}
	}
	return c
}

// TestTwoNodesDatabaseRestartMidLoad: 5 clients send 100 mails over both
// nodes, retrying a refused mail as a sending server would; the database
// is stopped mid-load and started again once the nodes have refused some.
// During the outage the nodes answer 4xx, never 5xx and never 250; both
// recover without a restart (every mail is accepted in the end), and every
// mail that got a 250 reaches the agents — duplicates only for a mail that
// was refused at least once (a commit whose answer was lost).
func TestTwoNodesDatabaseRestartMidLoad(t *testing.T) {
	n := startTwoNodes(t)
	if n == nil {
		return
	}
	const total, clients = 100, 5
	var mu sync.Mutex
	acked := map[string]bool{}
	refused := map[string]int{} // 4xx answers per mail
	var bad []string
	sent := 0
	third := make(chan struct{}) // a third of the mails sent: stop the database
	var thirdOnce sync.Once
	nodes := []*gateway{n.a, n.b}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			from := fmt.Sprintf("db%d@customer.example", c)
			for i := c; i < total; i += clients {
				id := fmt.Sprintf("dbr-%03d@customer.example", i)
				body := fmt.Sprintf("From: %s\r\nTo: support@support.localhost\r\nSubject: outage %d\r\nMessage-ID: <%s>\r\n\r\nbody %d\r\n", from, i, id, i)
				deadline := time.Now().Add(90 * time.Second)
				for k := 0; ; k++ {
					err := sendWithin(nodes[(i+k)%2].SMTP, from, body, 60*time.Second)
					var te *textproto.Error
					mu.Lock()
					switch {
					case err == nil:
						acked[id] = true
					case errors.As(err, &te) && te.Code/100 == 4:
						refused[id]++
					default:
						bad = append(bad, fmt.Sprintf("<%s>: %v", id, err))
					}
					mu.Unlock()
					if err == nil || time.Now().After(deadline) {
						break
					}
					time.Sleep(100 * time.Millisecond) // a sending server's retry interval, shortened
				}
				mu.Lock()
				sent++
				k := sent
				mu.Unlock()
				if k == total/3 {
					thirdOnce.Do(func() { close(third) })
				}
			}
		})
	}
	<-third
	n.pg.Stop() // the clients go on sending
	for _, g := range nodes {
		g.waitReady(t, http.StatusServiceUnavailable)
	}
	// The nodes refuse mail while the database is down.
	waitFor(t, "mails refused during the outage", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(refused) >= clients
	})
	n.pg.Start()
	for _, g := range nodes {
		g.waitReady(t, http.StatusOK)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for _, b := range bad {
		t.Errorf("not a 250 or a 4xx: %s", b)
	}
	if len(acked) != total {
		t.Fatalf("%d of %d mails accepted after the database came back: the nodes did not recover", len(acked), total)
	}
	t.Logf("%d mails were refused at least once during the outage", len(refused))
	var msgs [][]byte
	waitFor(t, "every accepted mail at the agents", func() bool {
		msgs = n.agents.Messages()
		got := map[string]bool{}
		for _, m := range msgs {
			got[headerOf(messageIDRE, m)] = true
		}
		for id := range acked {
			if !got[id] {
				return false
			}
		}
		return true
	})
	queueIDs := map[string]map[string]bool{}
	for _, m := range msgs {
		mid := headerOf(messageIDRE, m)
		if queueIDs[mid] == nil {
			queueIDs[mid] = map[string]bool{}
		}
		queueIDs[mid][headerOf(queueIDRE, m)] = true
	}
	for mid, q := range queueIDs {
		if len(q) > 1 && refused[mid] == 0 {
			t.Errorf("<%s> was accepted once and filed as %d queue items", mid, len(q))
		}
	}
	for _, g := range nodes {
		select {
		case <-g.exited:
			t.Errorf("a node exited during the outage:\n%s", g.stderr.String())
		default:
		}
	}
}

// TestTwoNodesScannerHolderKilled: the node that runs the deadline scanner
// is killed with SIGKILL and started again at once, a new holder beside
// the old lease that still runs. Within 30 s of the death one node, and
// one only, runs the scanner again (issue 24), and two deadlines the dead
// holder was watching, crossed after its death, are each warned about and
// escalated exactly once: copies of one queue item (a delivery the dead
// node had under way) are the only repeats allowed.
func TestTwoNodesScannerHolderKilled(t *testing.T) {
	n := startTwoNodes(t)
	if n == nil {
		return
	}
	nodes := []*gateway{n.a, n.b}
	holding := func() []*gateway {
		var hs []*gateway
		for _, g := range nodes {
			if strings.Contains(httpGet(t, "http://"+g.HTTP+"/metrics"), `frontdesk_lease_held{name="scanner"} 1`) {
				hs = append(hs, g)
			}
		}
		return hs
	}
	var holder, other *gateway
	waitFor(t, "one node running the scanner", func() bool {
		hs := holding()
		if len(hs) != 1 {
			return false
		}
		holder, other = hs[0], n.a
		if holder == n.a {
			other = n.b
		}
		return true
	})
	// sales: first response due in 6 s, warned at 3 s; one ticket filed
	// by each node.
	swaksTo(t, holder, "ines@customer.example", "sales@support.localhost", "quote for 50 kettles", "scan-h@customer.example")
	swaksTo(t, other, "jon@customer.example", "sales@support.localhost", "quote for 60 kettles", "scan-o@customer.example")
	tags := []string{n.relayedTicket(t, "scan-h@customer.example"), n.relayedTicket(t, "scan-o@customer.example")}

	holder.kill9()
	killed := time.Now()
	holder.start()
	deadline := killed.Add(30 * time.Second)
	for {
		hs := holding()
		if len(hs) == 1 {
			t.Logf("the scanner ran again %v after its holder's death", time.Since(killed).Round(100*time.Millisecond))
			break
		}
		if len(hs) > 1 {
			t.Fatal("both nodes run the scanner")
		}
		if time.Now().After(deadline) {
			t.Fatalf("no node took the scanner over within 30 s of its holder's death\n%s", other.stderr.String())
		}
		time.Sleep(100 * time.Millisecond) // polling /metrics, with a deadline
	}

	// tag and kind → the queue ids of its copies at the lead's address
	sent := func() map[string]map[string]bool {
		c := map[string]map[string]bool{}
		for _, m := range sinkTo(n.agents, "sales-lead@agents.test") {
			for _, tag := range tags {
				kind := ""
				switch s := string(m); {
				case !strings.Contains(s, tag):
				case strings.Contains(s, "SLA warning"):
					kind = " warning"
				case strings.Contains(s, "SLA breached"):
					kind = " breach"
				}
				if kind != "" {
					if c[tag+kind] == nil {
						c[tag+kind] = map[string]bool{}
					}
					c[tag+kind][headerOf(queueIDRE, m)] = true
				}
			}
		}
		return c
	}
	waitFor(t, "a warning and an escalation for both sales tickets", func() bool { return len(sent()) == 4 })
	for _, g := range nodes {
		g.waitQueueEmpty(t)
	}
	for k, qids := range sent() {
		if len(qids) != 1 {
			t.Errorf("%s: %d queue items (%v), want 1", k, len(qids), qids)
		}
	}
	if hs := holding(); len(hs) != 1 {
		t.Errorf("%d nodes run the scanner at the end, want 1", len(hs))
	}
}
