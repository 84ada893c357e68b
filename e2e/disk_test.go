package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// On a (nearly) full disk the gateway answers 452 4.3.1 at MAIL FROM
// (451 4.3.0 for a message it could not store) and stays up, /readyz says
// why it is not ready; every message that got a 250 is delivered once
// there is room, and intake resumes without a restart. Before, it took
// mail until the disk was full, and a write into Badger's mapped value log
// on the full filesystem killed it with SIGBUS.
func TestFullDiskAnswers451AndLosesNothing(t *testing.T) {
	g := startGateway(t, "relay:\n  target: maildir\n  min_backoff: 100ms\n  max_backoff: 1s\nacks: {enabled: false}\n")
	g.stop()
	data := filepath.Join(g.dir, "data")
	testenv.MountTmpfs(t, data, 320<<20)
	g.start()

	// Leave 20 MiB above where intake pauses: the store's reserve (128
	// MiB) and 64 MiB for messages in flight, above min_free (5%).
	var fs syscall.Statfs_t
	must(t, syscall.Statfs(data, &fs))
	ballast := filepath.Join(data, "ballast")
	must(t, os.WriteFile(ballast, nil, 0o600))
	must(t, syscall.Truncate(ballast, 0))
	f, err := os.OpenFile(ballast, os.O_WRONLY, 0)
	must(t, err)
	must(t, syscall.Fallocate(int(f.Fd()), 0, 0, int64(fs.Bavail)*fs.Bsize-212<<20))
	f.Close()

	body := strings.Repeat("The kettle does not heat, please help.\r\n", 5000) // ~200 KB
	send := func(subject string) (int, string) {
		s := dialSMTP(t, g.SMTP)
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
		fmt.Fprintf(s.c, "From: carol@customer.example\r\nSubject: %s\r\n\r\n%s\r\n.\r\n", subject, body)
		return s.read()
	}
	var accepted []string
	refused := 0
	for i := 0; refused < 5 && i < 1000; i++ {
		subject := fmt.Sprintf("full-disk-%04d", i)
		code, line := send(subject)
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
		case <-g.exited:
			t.Fatalf("frontdesk died on a full disk:\n%s", tail(g.stderr.String(), 3000))
		default:
		}
	}
	if refused == 0 || len(accepted) == 0 {
		t.Fatalf("%d accepted, %d refused: the disk never filled", len(accepted), refused)
	}
	t.Logf("%d accepted before the disk was full", len(accepted))

	if code, line := send("paused"); code != 452 || !strings.Contains(line, "452 4.3.1") || !strings.Contains(line, "disk") {
		t.Errorf("MAIL FROM on a nearly full disk: %s; want 452 4.3.1 saying why", line)
	}
	resp, err := http.Get("http://" + g.HTTP + "/readyz")
	must(t, err)
	why, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(why), "intake paused") {
		t.Errorf("/readyz on a nearly full disk: %d %s", resp.StatusCode, why)
	}
	if m := httpGet(t, "http://"+g.HTTP+"/metrics"); !strings.Contains(m, "frontdesk_disk_intake_paused 1") {
		t.Errorf("metrics lack frontdesk_disk_intake_paused 1:\n%s", grepLines(m, "frontdesk_disk"))
	}

	must(t, os.Remove(ballast))
	waitFor(t, "intake to resume", func() bool {
		code, _ := send("after-room-was-made")
		return code == 250
	})
	accepted = append(accepted, "after-room-was-made")
	deadline := time.Now().Add(60 * time.Second)
	for {
		missing := ""
		var all [][]byte
		for _, m := range waitMaildir(t, g.maildir("support"), 0, time.Second) {
			all = append(all, m)
		}
		joined := bytes.Join(all, nil)
		for _, s := range accepted {
			if !bytes.Contains(joined, []byte("Subject: "+s+"\r\n")) && !bytes.Contains(joined, []byte("Subject: "+s+"\n")) {
				missing = s
				break
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s got a 250 and was not delivered within 60s", missing)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
