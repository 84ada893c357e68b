package gateway

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/store"
)

// learnAPI serves /api/learn, `frontdesk learn list|forget` beside a
// running server that holds the store:
//
//	GET    /api/learn               the examples, as `learn list --json`
//	DELETE /api/learn?id=A&id=B     forget these (all or, for an unknown id, none)
//	DELETE /api/learn?all=1         forget every example
//	DELETE /api/learn/{id}          forget one
//
// A forget answers {"forgotten": N} once the server's ranking and routing
// no longer use what it removed (live.Sync; live is nil when learning is
// off, and no index then uses the examples).
func learnAPI(mux *http.ServeMux, token string, st *store.Store, live *learn.Live) {
	mux.Handle("GET /api/learn", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		exs, err := learn.List(st)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if exs == nil {
			exs = []learn.Example{}
		}
		writeJSON(w, exs)
	})))
	forget := func(w http.ResponseWriter, r *http.Request, ids []string, all bool) {
		n, err := learn.Forget(r.Context(), st, ids, all)
		if errors.Is(err, learn.ErrNoExample) {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if n > 0 && live != nil {
			if err := live.Sync(r.Context()); err != nil {
				http.Error(w, fmt.Sprintf("forgot %d example(s), but the example index is not yet rebuilt without them: %v", n, err), http.StatusInternalServerError)
				return
			}
		}
		writeJSON(w, map[string]int{"forgotten": n})
	}
	mux.Handle("DELETE /api/learn", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ids, all := q["id"], q.Get("all") == "1"
		if (len(ids) == 0) == !all {
			http.Error(w, "give id=ID (repeatable) or all=1, not both", http.StatusBadRequest)
			return
		}
		forget(w, r, ids, all)
	})))
	mux.Handle("DELETE /api/learn/{id}", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forget(w, r, []string{r.PathValue("id")}, false)
	})))
}
