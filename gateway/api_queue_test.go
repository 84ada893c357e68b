package gateway

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// TestQueueAPIUnknownID: retrying an unknown queue id is 404 Not Found,
// as deleting one is (audit item 13: it was 400), and the message names
// the id once.
func TestQueueAPIUnknownID(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	mux := http.NewServeMux()
	API{Token: "tok", Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil)}.Register(mux)
	for _, c := range []struct {
		method, path string
		code         int
		body         string
	}{
		{"POST", "/api/queue/retry?ids=nosuch", http.StatusNotFound, "retry: queue item nosuch: not found"},
		{"DELETE", "/api/queue/nosuch", http.StatusNotFound, "queue item nosuch: not found"},
		{"POST", "/api/queue/retry", http.StatusOK, `{"Retried":0}`},
	} {
		req := httptest.NewRequest(c.method, c.path, nil)
		req.Header.Set("Authorization", "Bearer tok")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if body := strings.TrimSpace(rec.Body.String()); rec.Code != c.code || !strings.Contains(body, c.body) || strings.Count(body, "nosuch") > 1 {
			t.Errorf("%s %s: %d %q; want %d %q", c.method, c.path, rec.Code, body, c.code, c.body)
		}
	}
}
