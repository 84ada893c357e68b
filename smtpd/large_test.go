package smtpd

import (
	"context"
	"net/smtp"
	"strings"
	"sync"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// gatedAcceptor records which messages reached Accept (by Subject) and
// holds the one named hold until gate is closed.
type gatedAcceptor struct {
	hold string
	gate chan struct{}
	mu   sync.Mutex
	got  []string
}

func (a *gatedAcceptor) Accept(_ context.Context, _ *message.Envelope, data []byte) (string, error) {
	subj, _, _ := strings.Cut(strings.TrimPrefix(string(data), "Subject: "), "\r\n")
	a.mu.Lock()
	a.got = append(a.got, subj)
	a.mu.Unlock()
	if subj == a.hold {
		<-a.gate
	}
	return "Q", nil
}

func (a *gatedAcceptor) has(subj string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.got {
		if s == subj {
			return true
		}
	}
	return false
}

func sendSubject(addr, subject string, size int) error {
	body := "Subject: " + subject + "\r\n\r\n" + strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n", size/65+1)
	return smtp.SendMail(addr, nil, "c@customer.test", []string{"support@support.test"}, []byte(body))
}

// With one large-message slot, a second large message waits, unread past
// its first 256 KiB, while the first holds the slot (until its Accept
// returns); a small message does not wait (issue 21: memory at C=200 ×
// 1 MB).
func TestLargeMessagesWaitForASlot(t *testing.T) {
	acc := &gatedAcceptor{hold: "first", gate: make(chan struct{})}
	s, addr := startRaw(t, Config{LargeMessages: 1, MaxMessageBytes: 4 << 20}, acc)
	errs := make(chan error, 2)
	go func() { errs <- sendSubject(addr, "first", 1<<20) }()
	waitFor(t, "the first message in Accept", func() bool { return acc.has("first") })
	go func() { errs <- sendSubject(addr, "second", 1<<20) }()
	waitFor(t, "the second message waiting for a slot", func() bool { return s.largeWaiting.Load() == 1 })
	if err := sendSubject(addr, "small", 64<<10); err != nil {
		t.Fatal(err)
	}
	if acc.has("second") {
		t.Fatal("the second large message was read while the first held the only slot")
	}
	close(acc.gate)
	waitFor(t, "the second message in Accept", func() bool { return acc.has("second") })
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// Without a limit no session waits.
func TestLargeMessagesUnlimited(t *testing.T) {
	acc := &gatedAcceptor{hold: "first", gate: make(chan struct{})}
	_, addr := startRaw(t, Config{MaxMessageBytes: 4 << 20}, acc)
	errs := make(chan error, 2)
	go func() { errs <- sendSubject(addr, "first", 1<<20) }()
	waitFor(t, "the first message in Accept", func() bool { return acc.has("first") })
	go func() { errs <- sendSubject(addr, "second", 1<<20) }()
	waitFor(t, "the second message in Accept", func() bool { return acc.has("second") })
	close(acc.gate)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
