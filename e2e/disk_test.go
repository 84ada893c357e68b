package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"frontdesk/internal/testenv"
)

// On a full disk the gateway answers 451 4.3.0 and stays up; every
// message that got a 250 is delivered once there is room, and intake
// resumes without a restart. Before, a write into Badger's mapped value
// log on the full filesystem killed it with SIGBUS.
func TestFullDiskAnswers451AndLosesNothing(t *testing.T) {
	g := startGateway(t, "relay:\n  target: maildir\n  min_backoff: 100ms\n  max_backoff: 1s\nacks: {enabled: false}\n")
	g.stop()
	data := filepath.Join(g.dir, "data")
	testenv.MountTmpfs(t, data, 256<<20)
	g.start()

	// Leave 20 MiB above the store's reserve (128 MiB).
	var fs syscall.Statfs_t
	must(t, syscall.Statfs(data, &fs))
	ballast := filepath.Join(data, "ballast")
	must(t, os.WriteFile(ballast, nil, 0o600))
	must(t, syscall.Truncate(ballast, 0))
	f, err := os.OpenFile(ballast, os.O_WRONLY, 0)
	must(t, err)
	must(t, syscall.Fallocate(int(f.Fd()), 0, 0, int64(fs.Bavail)*fs.Bsize-148<<20))
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
		case 451:
			if !strings.Contains(line, "4.3.0") {
				t.Errorf("refusal %q lacks 4.3.0", line)
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

	must(t, os.Remove(ballast))
	if code, line := send("after-room-was-made"); code != 250 {
		t.Fatalf("after room was made: %s", line)
	}
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
