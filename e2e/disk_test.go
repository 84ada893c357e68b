package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// fullDisk is a gateway whose data_dir is a tmpfs of its own, nearly
// filled by a ballast file.
type fullDisk struct {
	g       *gateway
	data    string
	ballast string
}

// startOnSmallDisk starts a gateway with extra config on a 320 MiB tmpfs
// mounted on its data_dir, and fills the tmpfs to 20 MiB above where
// intake pauses: the store's reserve (128 MiB) and 64 MiB for messages
// in flight, above min_free (5%).
func startOnSmallDisk(t *testing.T, extra string) *fullDisk {
	g := startGateway(t, extra)
	g.stop()
	data := filepath.Join(g.dir, "data")
	testenv.MountTmpfs(t, data, 320<<20)
	g.start()
	var fs syscall.Statfs_t
	must(t, syscall.Statfs(data, &fs))
	ballast := filepath.Join(data, "ballast")
	f, err := os.Create(ballast)
	must(t, err)
	must(t, syscall.Fallocate(int(f.Fd()), 0, 0, int64(fs.Bavail)*fs.Bsize-212<<20))
	f.Close()
	return &fullDisk{g: g, data: data, ballast: ballast}
}

var fullDiskBody = strings.Repeat("The kettle does not heat, please help.\r\n", 5000) // ~200 KB

// send sends one ~200 KB message with subject and returns the reply that
// ended the transaction.
func (d *fullDisk) send(t *testing.T, subject string) (int, string) {
	s := dialSMTP(t, d.g.SMTP)
	defer s.cmd("QUIT")
	s.cmd("EHLO client.example")
	if code, line := s.cmd("MAIL FROM:<carol@customer.example>"); code != 250 {
		return code, line
	}
	if code, line := s.cmd("RCPT TO:<support@support.localhost>"); code != 250 {
		return code, line
	}
	if code, line := s.cmd("DATA"); code != 354 {
		return code, line
	}
	fmt.Fprintf(s.c, "From: carol@customer.example\r\nSubject: %s\r\n\r\n%s\r\n.\r\n", subject, fullDiskBody)
	return s.read()
}

// flood sends messages until five are refused and returns the subjects
// that got a 250; every refusal must be 452 4.3.1 or 451 4.3.0, and the
// gateway must stay up.
func (d *fullDisk) flood(t *testing.T) []string {
	var accepted []string
	refused := 0
	for i := 0; refused < 5 && i < 1000; i++ {
		subject := fmt.Sprintf("full-disk-%04d", i)
		code, line := d.send(t, subject)
		switch code {
		case 250:
			accepted = append(accepted, subject)
		case 451, 452:
			if !strings.Contains(line, "451 4.3.0") && !strings.Contains(line, "452 4.3.1") {
				t.Errorf("refusal %q is neither 451 4.3.0 nor 452 4.3.1", line)
			}
			refused++
		default:
			t.Fatalf("%s: %s", subject, line)
		}
		select {
		case <-d.g.exited:
			t.Fatalf("frontdesk died on a full disk:\n%s", tail(d.g.stderr.String(), 3000))
		default:
		}
	}
	if refused == 0 || len(accepted) == 0 {
		t.Fatalf("%d accepted, %d refused: the disk never filled", len(accepted), refused)
	}
	t.Logf("%d accepted before the disk was full", len(accepted))
	return accepted
}

// checkPaused: MAIL FROM gets 452 4.3.1 saying why, /readyz is not ready
// and the gauge says intake is paused.
func (d *fullDisk) checkPaused(t *testing.T) {
	t.Helper()
	if code, line := d.send(t, "paused"); code != 452 || !strings.Contains(line, "452 4.3.1") || !strings.Contains(line, "disk") {
		t.Errorf("MAIL FROM on a nearly full disk: %s; want 452 4.3.1 saying why", line)
	}
	resp, err := http.Get("http://" + d.g.HTTP + "/readyz")
	must(t, err)
	why, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(why), "intake paused") {
		t.Errorf("/readyz on a nearly full disk: %d %s", resp.StatusCode, why)
	}
	if m := httpGet(t, "http://"+d.g.HTTP+"/metrics"); !strings.Contains(m, "frontdesk_disk_intake_paused 1") {
		t.Errorf("metrics lack frontdesk_disk_intake_paused 1:\n%s", grepLines(m, "frontdesk_disk"))
	}
}

// resume removes the ballast and waits for intake to take mail again,
// without a restart; it returns the subject of the mail that got through.
func (d *fullDisk) resume(t *testing.T) string {
	t.Helper()
	must(t, os.Remove(d.ballast))
	waitFor(t, "intake to resume", func() bool {
		code, _ := d.send(t, "after-room-was-made")
		return code == 250
	})
	return "after-room-was-made"
}

var subjectLine = regexp.MustCompile(`(?m)^Subject: ([^\r\n]*)\r?$`)

// deliveredOnce waits until every subject in accepted was delivered
// (read by list) and then requires exactly that: each once, and nothing
// that was refused.
func deliveredOnce(t *testing.T, accepted []string, list func() [][]byte) {
	t.Helper()
	want := map[string]bool{}
	for _, s := range accepted {
		want[s] = true
	}
	var got map[string]int
	deadline := time.Now().Add(60 * time.Second)
	for {
		got = map[string]int{}
		for _, m := range list() {
			if sm := subjectLine.FindSubmatch(m); sm != nil {
				got[string(sm[1])]++
			}
		}
		missing := ""
		for _, s := range accepted {
			if got[s] == 0 {
				missing = s
				break
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s got a 250 and was not delivered within 60s (%d of %d delivered)", missing, len(got), len(accepted))
		}
		time.Sleep(100 * time.Millisecond) // polling a mailbox, not synchronising
	}
	n := 0
	for s, c := range got {
		n += c
		if !want[s] {
			t.Errorf("%q was delivered %d time(s) without a 250", s, c)
		} else if c != 1 {
			t.Errorf("%q was delivered %d times", s, c)
		}
	}
	if n != len(accepted) {
		t.Errorf("%d messages delivered, %d got a 250", n, len(accepted))
	}
	t.Logf("%d messages got a 250, %d delivered", len(accepted), n)
}

// On a (nearly) full disk the gateway answers 452 4.3.1 at MAIL FROM
// (451 4.3.0 for a message it could not store) and stays up, /readyz says
// why it is not ready; every message that got a 250 is delivered once
// there is room, and intake resumes without a restart. Before, it took
// mail until the disk was full, and a write into Badger's mapped value log
// on the full filesystem killed it with SIGBUS. The agents' Maildirs are
// on the full disk too.
func TestFullDiskAnswers451AndLosesNothing(t *testing.T) {
	d := startOnSmallDisk(t, "relay:\n  target: maildir\n  min_backoff: 100ms\n  max_backoff: 1s\nacks: {enabled: false}\n")
	accepted := d.flood(t)
	d.checkPaused(t)
	accepted = append(accepted, d.resume(t))
	deliveredOnce(t, accepted, func() [][]byte { return waitMaildir(t, d.g.maildir("support"), 0, time.Second) })
}

// While intake is paused, queued mail keeps being delivered: the agents'
// server is down during the flood, so everything accepted waits in the
// queue; it comes back while the disk is still nearly full, and every
// message is delivered before any room is made, with MAIL FROM still
// answered 452. Then intake resumes by itself; the count of delivered
// messages equals the count of 250s.
func TestFullDiskDeliversQueuedMailWhilePaused(t *testing.T) {
	sink := testenv.StartSMTPSink(t)
	sink.Stop()
	d := startOnSmallDisk(t, fmt.Sprintf("relay:\n  target: smtp://%s\n  min_backoff: 100ms\n  max_backoff: 1s\nacks: {enabled: false}\n", sink.Addr))
	accepted := d.flood(t)
	d.checkPaused(t)
	if n := len(sink.Messages()); n != 0 {
		t.Fatalf("the stopped sink holds %d messages", n)
	}
	sink.Restart()
	deliveredOnce(t, accepted, sink.Messages)
	d.checkPaused(t) // delivered while paused, not after room was made
	accepted = append(accepted, d.resume(t))
	deliveredOnce(t, accepted, sink.Messages)
}

// A filesystem out of files (inodes) with bytes to spare pauses intake
// like a full one: the Maildirs of many small messages can use every
// inode long before the bytes run out. Before, MAIL FROM was taken and
// /readyz was ready while every message's DATA got 451 4.3.0 (the store
// could not create a file); now MAIL FROM gets 452 4.3.1, every 250 is
// delivered, and intake resumes by itself once files are removed.
func TestOutOfInodesPausesIntake(t *testing.T) {
	g := startGateway(t, "relay:\n  target: maildir\n  min_backoff: 100ms\n  max_backoff: 1s\nacks: {enabled: false}\n")
	g.stop()
	data := filepath.Join(g.dir, "data")
	testenv.MountFewInodes(t, data, 400<<20, 400)
	g.start()
	var fs syscall.Statfs_t
	must(t, syscall.Statfs(data, &fs))
	// Leave 90 free: above the 64 intake needs, so some mail is taken.
	ballast := filepath.Join(data, "ballast")
	must(t, os.Mkdir(ballast, 0o700))
	for i := 0; i < int(fs.Ffree)-91; i++ {
		f, err := os.Create(filepath.Join(ballast, fmt.Sprint(i)))
		must(t, err)
		f.Close()
	}
	d := &fullDisk{g: g, data: data, ballast: ballast}
	accepted := d.flood(t)
	d.checkPaused(t)
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !regexp.MustCompile(`(?m)^frontdesk_disk_min_free_inodes 64$`).MatchString(m) {
		t.Errorf("metrics lack frontdesk_disk_min_free_inodes 64:\n%s", grepLines(m, "frontdesk_disk"))
	}
	must(t, os.RemoveAll(ballast))
	waitFor(t, "intake to resume", func() bool {
		code, _ := d.send(t, "after-room-was-made")
		return code == 250
	})
	accepted = append(accepted, "after-room-was-made")
	deliveredOnce(t, accepted, func() [][]byte { return waitMaildir(t, g.maildir("support"), 0, time.Second) })
}
