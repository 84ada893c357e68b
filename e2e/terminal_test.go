package e2e

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// What the admin commands print comes partly from outsiders (a subject, a
// display name, the words of a mail): printed as it was, an ESC in a
// subject retitled the operator's terminal, cleared it, or (OSC 52) wrote
// its clipboard, and a right-to-left override reordered a line. The text
// output shows those characters escaped; --json decodes to the mail's own
// words all the same.
func TestAdminOutputDefusesTerminalEscapes(t *testing.T) {
	g := startGateway(t, "outbound: {target: maildir}\n")
	const subject = "kettle \x1b]52;c;cm0gLXJmIH4=\x07 \x1b[2J\r\u202eevil"
	s := dialSMTP(t, g.SMTP)
	for _, c := range []string{"EHLO client.test", "MAIL FROM:<eve@customer.example>", "RCPT TO:<support@support.localhost>", "DATA"} {
		if code, line := s.cmd("%s", c); code/100 != 2 && code != 354 {
			t.Fatalf("%s: %s", c, line)
		}
	}
	if code, line := s.cmd("From: \"Eve \x1b[8m\" <eve@customer.example>\r\nTo: support@support.localhost\r\nSubject: %s\r\n\r\nhello \x1b[1A\x1b[2K forged line\r\n.", subject); code != 250 {
		t.Fatalf("DATA: %s", line)
	}
	waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	run := func(args ...string) string {
		out, err := exec.Command(binary, append(args, "-c", g.cfgPath)...).Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	for _, args := range [][]string{{"tickets", "list"}, {"tickets", "show", "SUP-1000"}, {"queue", "list"}} {
		out := run(args...)
		if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == '\u202e' }); i >= 0 {
			t.Errorf("%s prints %q raw:\n%q", strings.Join(args, " "), out[i:i+1], out)
		}
		if args[1] != "list" || args[0] != "queue" {
			if !strings.Contains(out, `\u001b]52;c;`) {
				t.Errorf("%s does not show the escape as text:\n%q", strings.Join(args, " "), out)
			}
		}
	}
	var shown struct {
		Subject string `json:"subject"`
	}
	if err := json.Unmarshal([]byte(run("tickets", "show", "--json", "SUP-1000")), &shown); err != nil || !strings.Contains(shown.Subject, "\x1b]52;c;cm0gLXJmIH4=\x07") {
		t.Errorf("tickets show --json: subject %q, %v; want the mail's own", shown.Subject, err)
	}
}
