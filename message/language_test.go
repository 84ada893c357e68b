package message

import (
	"encoding/json"
	"testing"
)

// The typed languages keep the codes tickets, JSON and templates have
// always carried.
func TestLanguageCodes(t *testing.T) {
	if got := Lang("我的订单什么时候发货？"); got != Chinese {
		t.Errorf("Lang(Chinese text) = %q", got)
	}
	if got := Lang("Where is my order?"); got != English {
		t.Errorf("Lang(English text) = %q", got)
	}
	b, err := json.Marshal(struct{ Lang Language }{Chinese})
	if err != nil || string(b) != `{"Lang":"zh"}` {
		t.Errorf("JSON = %s, %v", b, err)
	}
}
