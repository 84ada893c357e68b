package e2e

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// TestAgentSubmission: agents answer over authenticated submission; the
// listener refuses unauthenticated mail, wrong passwords and any recipient
// that is not a ticket's reply address (never an open relay for agents).
func TestAgentSubmission(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	sub := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
	g := startGatewayWith(t, fmt.Sprintf("submission:\n  listen: %s\n  users_file: agents.passwd\n  allow_insecure_auth: true\n", sub),
		map[string]string{"agents.passwd": "# agents\nalice@agents.test:" + string(hash) + "\n"})

	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "frank@customer.example", "--to", "support@support.localhost",
		"--header", "Subject: fan is noisy", "--body", "the fan rattles")
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)

	auth := []string{"--server", sub, "--auth", "PLAIN", "--auth-user", "alice@agents.test", "--auth-password", "s3cret"}
	out, err := testenv.Swaks(t, "--server", sub, "--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost")
	if err == nil || !strings.Contains(out, " 5.7.0 ") {
		t.Errorf("unauthenticated submission not refused with 5.7.0:\n%s", tail(out, 600))
	}
	out, err = testenv.Swaks(t, "--server", sub, "--auth", "PLAIN", "--auth-user", "alice@agents.test", "--auth-password", "wrong",
		"--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost")
	if err == nil || !strings.Contains(out, "535") {
		t.Errorf("wrong password not refused with 535:\n%s", tail(out, 600))
	}
	out, err = testenv.Swaks(t, append(auth, "--from", "alice@agents.test", "--to", "frank@customer.example")...)
	if err == nil || !strings.Contains(out, "550 5.7.1") || !strings.Contains(out, "ticket's reply address") {
		t.Errorf("agent writing to an arbitrary address not refused:\n%s", tail(out, 600))
	}
	out, err = testenv.Swaks(t, append(auth, "--from", "alice@agents.test", "--to", "support@support.localhost")...)
	if err == nil || !strings.Contains(out, "550 5.7.1") {
		t.Errorf("agent writing to a department address (no ticket) not refused:\n%s", tail(out, 600))
	}
	testenv.SwaksOK(t, append(auth, "--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost",
		"--header", "From: Alice <alice@agents.test>", "--header", "Subject: Re: [SUP-1000] fan is noisy", "--body", "Tighten the grille screws.")...)
	waitFor(t, "the agent's reply in the outbox", func() bool {
		for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
			if bytes.Contains(m, []byte("Tighten the grille")) && bytes.Contains(m, []byte("frank@customer.example")) {
				return true
			}
		}
		return false
	})
	if ts := g.tickets(t); ts[0].Status != "answered" {
		t.Errorf("status after a submitted reply: %q", ts[0].Status)
	}
}
