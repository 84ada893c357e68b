package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// TestTwoNodesEraseReachesEveryNodesMaildirs: two nodes on one PostgreSQL
// with Maildir targets (each delivers into its own data dir); a customer
// writes to both; `customers erase` with node A's config removes the
// copies under A's data dir at once, and node B removes those under its
// own within seconds (audit 4: B's mailboxes/ and outbox/ kept the
// customer's mail and acknowledgements, and the report counted only A's).
// Another customer's mail stays on both.
func TestTwoNodesEraseReachesEveryNodesMaildirs(t *testing.T) {
	pg := testenv.StartPostgresServer(t)
	if pg == nil {
		return
	}
	storeCfg := "store:\n  backend: postgres\n  dsn: \"" + pg.DSN + "\"\n"
	mcfg := filepath.Join(t.TempDir(), "migrate.yaml")
	writeFile(t, mcfg, storeCfg)
	if out, err := exec.Command(binary, "store", "migrate", "-c", mcfg).CombinedOutput(); err != nil {
		t.Fatalf("store migrate: %v\n%s", err, out)
	}
	files := map[string]string{"rules.yaml": testRules}
	a, b := startGatewayWith(t, storeCfg, files), startGatewayWith(t, storeCfg, files)
	const token, other = "ERASE-ME-Tq82", "KEEP-ME-Wv17"
	for i, g := range []*gateway{a, b, a, b} {
		testenv.SwaksOK(t, "--server", g.SMTP, "--from", "ann@customer.example", "--to", "support@support.localhost",
			"--header", "From: Ann <ann@customer.example>", "--header", fmt.Sprintf("Subject: kettle %d %s", i, token),
			"--body", token+" does not heat.")
	}
	testenv.SwaksOK(t, "--server", b.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol <carol@customer.example>", "--header", "Subject: fridge "+other, "--body", other)
	dataA, dataB := filepath.Join(a.dir, "data"), filepath.Join(b.dir, "data")
	// relayed copies and acknowledgements on both nodes' disks
	waitFor(t, "ann's mail on both nodes", func() bool { return len(grepTree(t, dataA, token)) >= 4 && len(grepTree(t, dataB, token)) >= 4 })
	waitFor(t, "carol's mail on node B", func() bool { return len(grepTree(t, dataB, other)) >= 1 })

	out, err := exec.Command(binary, "customers", "erase", "-c", a.cfgPath, "ann@customer.example").CombinedOutput()
	if err != nil {
		t.Fatalf("customers erase: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "other nodes") {
		t.Errorf("the erasure does not say how the other nodes' copies go:\n%s", out)
	}
	if hits := grepTree(t, dataA, token); len(hits) > 0 {
		t.Errorf("node A still holds %v", hits)
	}
	waitFor(t, "node B to remove ann's copies", func() bool { return len(grepTree(t, dataB, token)) == 0 })
	if len(grepTree(t, dataB, other)) == 0 {
		t.Error("node B lost carol's mail")
	}
}
