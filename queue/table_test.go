package queue

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// WriteTable is queue list's output: a header, one line an item with its
// age and (not for a failed item) its next attempt, the count; an empty
// queue says so.
func TestWriteTable(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	WriteTable(&b, nil, now)
	if b.String() != "queue is empty\n" {
		t.Errorf("empty queue: %q", b.String())
	}
	b.Reset()
	WriteTable(&b, []*Item{
		{ID: "q1", State: StateDeferred, Kind: "relay", Target: Agents, To: []string{"a@x", "b@x"}, Attempts: 2, Created: now.Add(-90 * time.Second), NextAttempt: now.Add(time.Minute), LastError: "451 try later"},
		{ID: "q22", State: StateFailed, Kind: "ack", Target: Outbound, To: []string{"c@y"}, Attempts: 9, Created: now.Add(-time.Hour)},
	}, now)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 || lines[3] != "2 item(s)" {
		t.Fatalf("table:\n%s", b.String())
	}
	col := strings.Index(lines[0], "STATE")
	for _, c := range []struct {
		line  string
		state string
		has   []string
	}{
		{lines[1], "deferred", []string{"a@x,b@x", "1m30s", now.Add(time.Minute).Local().Format(time.DateTime), "451 try later"}},
		{lines[2], "failed", []string{"c@y", "1h0m0s", "  -  "}},
	} {
		if strings.Index(c.line, c.state) != col {
			t.Errorf("%q: state not under STATE (column %d)", c.line, col)
		}
		for _, h := range c.has {
			if !strings.Contains(c.line, h) {
				t.Errorf("%q lacks %q", c.line, h)
			}
		}
	}
}
