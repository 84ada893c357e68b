package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
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
//	POST   /api/learn               import a JSON array of examples, as `learn import`
//
// A forget answers {"forgotten": N} once the server's ranking and routing
// no longer use what it removed (live.Sync; live is nil when learning is
// off, and no index then uses the examples).
//
// An import (learn.Import: what an earlier import stored the same is left
// out, the rest stored in batches) answers in NDJSON as it goes: a
// {"progress": LINE} record per batch stored, then {"summary": S} (a
// learn.ImportSummary) once the server's ranking and routing use the new
// examples, or {"error": MESSAGE}. A body that is no JSON array of
// examples is refused with 400, one over maxImportBody with 413, before
// anything is stored; so is one with an example `learn import` refuses
// (learn.CheckExamples: an unknown department or FAQ id, a lang other
// than en, zh or mixed, nothing to learn, no words), the 400 naming every
// problem. An example without a date is dated now, one without a source
// is SourceAPI's.
func learnAPI(mux *http.ServeMux, token string, st *store.Store, live *learn.Live, check importCheck) {
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
		all, ok := queryBool(w, r, "all", false)
		if !ok {
			return
		}
		ids := r.URL.Query()["id"]
		switch {
		case len(ids) == 0 && !all:
			http.Error(w, "give id=ID (repeatable) or all=1", http.StatusBadRequest)
			return
		case len(ids) > 0 && all:
			http.Error(w, "give id=ID (repeatable) or all=1, not both", http.StatusBadRequest)
			return
		}
		forget(w, r, ids, all)
	})))
	mux.Handle("POST /api/learn", requireToken(token, learnImportHandler(st, live, check, maxImportBody)))
	mux.Handle("DELETE /api/learn/{id}", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forget(w, r, []string{r.PathValue("id")}, false)
	})))
}

// maxImportBody bounds a POST /api/learn body: 64 MiB is some 15,000
// examples of learn's largest (4,000 bytes of text each), far beyond an
// archive's import in one go.
const maxImportBody = 64 << 20

// importRecord is one line of a POST /api/learn answer.
type importRecord struct {
	Progress string               `json:"progress,omitempty"`
	Summary  *learn.ImportSummary `json:"summary,omitempty"`
	Error    string               `json:"error,omitempty"`
}

// importCheck is what POST /api/learn checks examples against: the
// server's FAQ catalog and departments in force (nil: not checked).
type importCheck struct {
	FAQ         func() *faq.Catalog
	Departments func() []string
}

func (c importCheck) check(exs []learn.Example) error {
	var cat *faq.Catalog
	var depts []string
	if c.FAQ != nil {
		cat = c.FAQ()
	}
	if c.Departments != nil {
		depts = c.Departments()
	}
	return learn.CheckExamples(exs, cat, depts)
}

// learnImportHandler is POST /api/learn, taking bodies of up to maxBody
// bytes.
func learnImportHandler(st *store.Store, live *learn.Live, check importCheck, maxBody int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var exs []learn.Example
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
		err := dec.Decode(&exs)
		if err == nil && dec.More() {
			err = errors.New("more than one JSON value")
		}
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("an import is at most %d bytes of JSON: send it in parts", tooBig.Limit), http.StatusRequestEntityTooLarge)
			return
		}
		if err == nil && exs == nil {
			err = errors.New("null, not an array")
		}
		if err != nil {
			http.Error(w, "want a JSON array of learned examples: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := check.check(exs); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		exs = learn.Stamped(exs, time.Now)
		// The server's 30 s write timeout is for ordinary answers; a long
		// import and the index rebuild after it may take longer.
		rc := http.NewResponseController(w)
		rc.SetWriteDeadline(time.Now().Add(10 * time.Minute))
		w.Header().Set("Content-Type", "application/x-ndjson")
		enc := json.NewEncoder(w)
		send := func(rec importRecord) {
			enc.Encode(rec)
			rc.Flush()
		}
		sum, err := learn.Import(r.Context(), st, exs, progressLines(func(line string) { send(importRecord{Progress: line}) }))
		if err != nil {
			send(importRecord{Error: err.Error()})
			return
		}
		if (sum.Examples > 0 || sum.MarkedNoLink > 0) && live != nil {
			if err := live.Sync(r.Context()); err != nil {
				send(importRecord{Error: fmt.Sprintf("imported %d example(s), but the example index is not yet rebuilt with them: %v", sum.Examples, err)})
				return
			}
		}
		send(importRecord{Summary: &sum})
	})
}

// progressLines is an io.Writer calling line with each line written to it
// (without its newline): learn.Import writes its progress a line at a time.
type progressLines func(line string)

func (f progressLines) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		f(l)
	}
	return len(p), nil
}
