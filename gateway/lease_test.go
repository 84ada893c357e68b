package gateway

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// leaseHeld reads frontdesk_lease_held{name} from reg; -1 when absent.
func leaseHeld(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "frontdesk_lease_held" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "name" && l.GetValue() == name {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	return -1
}

func waitLeases(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLeasedJobs: a single node (Badger) runs the scanner and retention
// itself; two nodes on one PostgreSQL database run each on exactly one of
// them, and when that node stops the other takes both over.
func TestLeasedJobs(t *testing.T) {
	jobs := []string{"scanner", "retention"}
	t.Run("badger", func(t *testing.T) {
		g := startGateway(t, "support")
		waitLeases(t, "a single node does not run its jobs", func() bool {
			return leaseHeld(t, g.reg, "scanner") == 1 && leaseHeld(t, g.reg, "retention") == 1
		})
	})
	t.Run("postgres", func(t *testing.T) {
		pg := startPG(t)
		dsn := pg.newDB(t)
		if _, err := MigrateStore(context.Background(), pgConfig(t, t.TempDir(), dsn)); err != nil {
			t.Fatal(err)
		}
		extra := "store:\n  backend: postgres\n  dsn: \"" + dsn + "\"\n"
		nodes := []*testGateway{
			startGatewayIn(t, t.TempDir(), fmt.Sprintf(testRules, "support"), extra),
			startGatewayIn(t, t.TempDir(), fmt.Sprintf(testRules, "support"), extra),
		}
		holders := func(job string) (n int, who int) {
			for i, g := range nodes {
				if leaseHeld(t, g.reg, job) == 1 {
					n, who = n+1, i
				}
			}
			return n, who
		}
		for _, job := range jobs {
			waitLeases(t, job+": not exactly one node runs it", func() bool { n, _ := holders(job); return n == 1 })
		}
		_, first := holders("scanner")
		nodes[first].stop(t)
		other := nodes[1-first]
		waitLeases(t, "the other node did not take over the jobs of a node that stopped", func() bool {
			return leaseHeld(t, other.reg, "scanner") == 1 && leaseHeld(t, other.reg, "retention") == 1
		})
	})
}
