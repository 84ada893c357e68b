package storetest

import (
	"context"
	"strconv"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// PostgresNodes opens n stores on one new, migrated database of a private
// PostgreSQL (testenv.StartPostgres), as n gateway nodes would: each with
// its own holder name, "node-0" … "node-<n-1>". They close when the test
// ends.
func PostgresNodes(t testing.TB, n int) []*store.Store {
	t.Helper()
	dsn := testenv.StartPostgres(t)
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	var out []*store.Store
	for i := range n {
		st, err := store.Open("", store.Options{DSN: dsn, Holder: "node-" + strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		out = append(out, st)
	}
	return out
}
