package e2e

import (
	"bytes"
	"fmt"
	"net"
	"net/smtp"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

func TestRelayToSMTPSinkSurvivesOutage(t *testing.T) {
	sink := testenv.StartSMTPSink(t)
	sink.Stop() // the agents' server is down when the mail arrives
	g := startGateway(t, fmt.Sprintf("relay:\n  target: smtp://%s\n  min_backoff: 200ms\n  max_backoff: 1s\n", sink.Addr))
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "a@customer.example", "--to", "support@support.localhost",
		"--header", "Subject: while the upstream is down", "--body", "outage body")
	// Wait until the first attempt has failed, then bring the peer back.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(httpGet(t, "http://"+g.HTTP+"/metrics"), `frontdesk_queue_delivery_attempts_total{result="deferred",target="smtp"} 1`) {
		if time.Now().After(deadline) {
			t.Fatal("no deferred attempt recorded")
		}
		time.Sleep(50 * time.Millisecond)
	}
	sink.Restart()
	msgs := sink.WaitCount(t, 1, 30*time.Second)
	for _, want := range []string{"Subject: while the upstream is down", "outage body", "X-Frontdesk-Queue-Id:", "Received: from"} {
		if !bytes.Contains(msgs[0], []byte(want)) {
			t.Errorf("relayed copy lacks %q:\n%s", want, msgs[0])
		}
	}
}

func TestRelayToDovecotLMTP(t *testing.T) {
	for _, mode := range []string{"tcp", "unix"} {
		t.Run(mode, func(t *testing.T) {
			dc := testenv.StartDovecotLMTP(t)
			target := "lmtp://" + dc.LMTPAddr
			if mode == "unix" {
				target = "lmtp+unix://" + dc.LMTPSocket
			}
			g := startGateway(t, "relay:\n  target: "+target+"\n")
			testenv.SwaksOK(t, "--server", g.SMTP, "--from", "a@customer.example", "--to", "sales@support.localhost",
				"--header", "Subject: quote for 30 kettles", "--body", "please quote")
			msgs := dc.WaitMaildir(t, "sales-team@agents.test", 1, 30*time.Second)
			if !bytes.Contains(msgs[0], []byte("Subject: quote for 30 kettles")) || !bytes.Contains(msgs[0], []byte("X-Frontdesk-Department: sales")) {
				t.Errorf("LMTP-delivered message wrong:\n%s", msgs[0])
			}
		})
	}
}

// TestKill9LosesNothing sends 200 messages from 8 concurrent clients, kills
// the server with SIGKILL while they are in flight, restarts it, and checks
// that every message that got a 250 is delivered.
func TestKill9LosesNothing(t *testing.T) {
	g := startGateway(t, "")
	const total, clients = 200, 8
	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	killed := make(chan struct{})
	var killOnce sync.Once
	sent := 0
	for c := range clients {
		wg.Go(func() {
			for i := c; i < total; i += clients {
				id := fmt.Sprintf("k9-%03d@customer.example", i)
				body := fmt.Sprintf("From: a@customer.example\r\nTo: support@support.localhost\r\nSubject: crash %d\r\nMessage-ID: <%s>\r\n\r\nbody %d\r\n", i, id, i)
				err := smtp.SendMail(g.SMTP, nil, "a@customer.example", []string{"support@support.localhost"}, []byte(body))
				mu.Lock()
				if err == nil {
					acked[id] = true
				}
				sent++
				n := sent
				mu.Unlock()
				if n == total/2 {
					killOnce.Do(func() { g.kill9(); close(killed) })
				}
			}
		})
	}
	wg.Wait()
	<-killed
	mu.Lock()
	n := len(acked)
	mu.Unlock()
	if n < total/4 {
		t.Fatalf("only %d messages were acknowledged before the kill; the test proves nothing", n)
	}
	t.Logf("%d of %d messages got a 250 before/around SIGKILL", n, total)
	g.start()
	// Poll until every acknowledged message is there: the count alone could
	// be reached early by duplicates (delivery is at least once).
	re := regexp.MustCompile(`Message-ID: <([^>]+)>`)
	deadline := time.Now().Add(60 * time.Second)
	var missing []string
	for {
		got := map[string]bool{}
		for _, m := range waitMaildir(t, g.maildir("support"), 0, time.Second) {
			if sm := re.FindSubmatch(m); sm != nil {
				got[string(sm[1])] = true
			}
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
		time.Sleep(50 * time.Millisecond)
	}
	if len(missing) > 0 {
		t.Errorf("%d acknowledged messages were lost: %s", len(missing), strings.Join(missing, " "))
	}
}

// TestSIGTERMLetsDATAFinish: a session inside DATA when SIGTERM arrives
// still gets its 250 (and the message is delivered), while new connections
// are no longer accepted and the process exits cleanly.
func TestSIGTERMLetsDATAFinish(t *testing.T) {
	g := startGateway(t, "")
	c := dialSMTP(t, g.SMTP)
	c.cmd("EHLO client.example")
	c.cmd("MAIL FROM:<a@customer.example>")
	c.cmd("RCPT TO:<support@support.localhost>")
	if code, l := c.cmd("DATA"); code != 354 {
		t.Fatalf("DATA: %s", l)
	}
	fmt.Fprintf(c.c, "Subject: in flight at shutdown\r\nMessage-ID: <term-1@customer.example>\r\n\r\nfirst half\r\n")
	g.cmd.Process.Signal(syscall.SIGTERM)
	// Wait until the listener is closed: shutdown has begun.
	deadline := time.Now().Add(10 * time.Second)
	for {
		nc, err := net.DialTimeout("tcp", g.SMTP, time.Second)
		if err != nil {
			break
		}
		nc.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting 10s after SIGTERM")
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Fprintf(c.c, "second half\r\n.\r\n")
	if code, l := c.readOrLog(g); code != 250 {
		t.Fatalf("DATA in flight at SIGTERM answered %q; want 250\n%s", l, g.stderr.String())
	}
	select {
	case <-g.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after the last session finished")
	}
	if code := g.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d:\n%s", code, g.stderr.String())
	}
	g.start() // whatever was not relayed before the exit is relayed now
	msgs := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	if !bytes.Contains(msgs[0], []byte("first half\r\nsecond half")) {
		t.Errorf("message incomplete:\n%s", msgs[0])
	}
}
