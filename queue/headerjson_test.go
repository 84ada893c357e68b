package queue

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/store"
)

// An item's headers are {"name","value"} in JSON like its other
// snake_case keys (queue list --json, /api/queue; audit 2, F13), and an
// item stored with the old "Name"/"Value" keys still reads back whole.
func TestHeaderJSONKeys(t *testing.T) {
	hs := []Header{{Name: "Reply-To", Value: "support+sup-1042@acme.example"}, {Name: "X-Frontdesk-Ticket", Value: "SUP-1042"}}
	b, err := json.Marshal(&Item{ID: "q1", Headers: hs})
	if err != nil {
		t.Fatal(err)
	}
	want := `"headers":[{"name":"Reply-To","value":"support+sup-1042@acme.example"},{"name":"X-Frontdesk-Ticket","value":"SUP-1042"}]`
	if !strings.Contains(string(b), want) {
		t.Errorf("item JSON %s\nlacks %s", b, want)
	}

	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, c := range []struct{ id, stored string }{
		{"old", `{"id":"old","headers":[{"Name":"Reply-To","Value":"support+sup-1042@acme.example"},{"Name":"X-Frontdesk-Ticket","Value":"SUP-1042"}],"state":"failed"}`},
		{"new", `{"id":"new","headers":[{"name":"Reply-To","value":"support+sup-1042@acme.example"},{"name":"X-Frontdesk-Ticket","value":"SUP-1042"}],"state":"failed"}`},
	} {
		id := c.id
		if err := st.Update(context.Background(), func(txn *store.Txn) error {
			return txn.Set([]byte(store.PrefixQueue+id), []byte(c.stored))
		}); err != nil {
			t.Fatal(err)
		}
		var it *Item
		if err := st.View(func(txn *store.Txn) error { it, err = Get(txn, id); return err }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(it.Headers, hs) {
			t.Errorf("item with the %s keys: headers read back %+v; want %+v", c.id, it.Headers, hs)
		}
	}
}
