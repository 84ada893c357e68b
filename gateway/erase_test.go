package gateway

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
)

// TestEraseRefusesStaffAndOurOwn: `customers erase` of the department's
// address, the gateway's notice sender, a department mailbox, an agent or
// an escalation address is refused with the reason, on a running server
// (API, 400) and on a stopped data dir, and nothing is erased; a
// customer's address is erased. Before, erasing support@ removed the
// outbox copies of every acknowledgement (other customers' mail: their
// From is support@), and erasing an agent blanked the agent's replies in
// every customer's ticket.
func TestEraseRefusesStaffAndOurOwn(t *testing.T) {
	dir := t.TempDir()
	rules := `departments:
  support:
    addresses: [support]
    mailbox: team@agents.test
    agents: [alice@agents.test]
    escalate_to: lead@agents.test
default_department: support
`
	tg := startGatewayIn(t, dir, rules, "")
	send(t, tg.SMTPAddr().String(), "support@support.test", "kettle broken")
	waitFile(t, filepath.Join(dir, "data", "outbox"), "carol@customer.test")
	refused := map[string]string{
		"Support@Support.Test.":         "one of the gateway's own addresses or domains",
		"frontdesk@frontdesk.test":      "one of the gateway's own addresses or domains",
		"team@agents.test":              "the mailbox of the department support",
		"\"Alice\" <ALICE@agents.test>": "an agent of the department support",
		"lead@agents.test":              "the escalation address of the department support",
	}
	check := func(a *Admin, how string) {
		t.Helper()
		for addr, why := range refused {
			for _, dry := range []bool{true, false} {
				rep, err := a.Erase(context.Background(), addr, "test", dry)
				if err == nil || !strings.Contains(err.Error(), why) {
					t.Errorf("%s: erase %s (dry %v): %+v %v, want refused: %s", how, addr, dry, rep, err, why)
				}
			}
		}
		rep, err := a.Erase(context.Background(), "carol@customer.test", "test", true)
		if err != nil || rep.Audit.Tickets != 1 {
			t.Errorf("%s: erase carol (dry): %+v %v", how, rep, err)
		}
	}
	running, err := OpenAdminAt(filepath.Join(dir, "data"), tg.HTTPAddr().String(), "")
	if err != nil {
		t.Fatal(err)
	}
	check(running, "running server")
	tg.stop(t)
	if copies := countFiles(t, filepath.Join(dir, "data", "outbox")); copies == 0 {
		t.Fatal("the acknowledgement's copy is gone from the outbox")
	}
	cfg, err := config.Load(filepath.Join(dir, "frontdesk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stopped, err := OpenAdmin(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer stopped.Close()
	check(stopped, "stopped data dir")
}

func countFiles(t *testing.T, root string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(root, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}
