package queue

import (
	"encoding/json"
	"strings"
	"testing"
)

// Items already in stores carry these strings, and `queue list --json`
// and the metrics show them: the typed constants must encode exactly so.
func TestKindAndTargetEncoding(t *testing.T) {
	for _, c := range []struct {
		target TargetName
		kind   Kind
		want   string
	}{
		{Agents, Relay, `"target":"agents","kind":"relay"`},
		{Outbound, Ack, `"target":"outbound","kind":"ack"`},
		{Outbound, Reply, `"target":"outbound","kind":"reply"`},
		{Agents, Warning, `"target":"agents","kind":"warning"`},
		{Agents, Escalation, `"target":"agents","kind":"escalation"`},
		{Agents, Notice, `"target":"agents","kind":"notice"`},
		{Outbound, AutoClose, `"target":"outbound","kind":"autoclose"`},
		{Outbound, Resolved, `"target":"outbound","kind":"resolved"`},
		{Agents, Rating, `"target":"agents","kind":"rating"`},
	} {
		b, err := json.Marshal(Item{ID: "x", Target: c.target, Kind: c.kind})
		if err != nil || !strings.Contains(string(b), c.want) {
			t.Errorf("%s/%s encodes as %s (%v), want %s", c.target, c.kind, b, err, c.want)
		}
		var back Item
		if err := json.Unmarshal(b, &back); err != nil || back.Target != c.target || back.Kind != c.kind {
			t.Errorf("round trip: %+v %v", back, err)
		}
	}
}
