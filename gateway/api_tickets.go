package gateway

import (
	"net/http"
	"strconv"

	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// ticketAPI serves /api/tickets: list with filters, one ticket with its
// deadlines and timeline, and resolve.
// An unknown status, or a department not among depts (the departments in
// force; nil: not checked), is a 400, as tickets list refuses them.
func ticketAPI(mux *http.ServeMux, token string, st *store.Store, in *intake.Intake, depts func() []string) {
	mux.Handle("GET /api/tickets", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := r.URL.Query().Get("status")
		if err := ticket.CheckStatus(status); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if dept := r.URL.Query().Get("department"); depts != nil {
			if err := ticket.CheckDepartment(dept, depts()); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		ts, err := ticket.List(st, status, r.URL.Query().Get("department"))
		if err != nil {
			storeError(w, r, st, err, http.StatusInternalServerError)
			return
		}
		ts = ticket.ByOwner(ts, r.URL.Query().Get("owner"))
		if ts == nil {
			ts = []*ticket.Ticket{}
		}
		writeJSON(w, ts)
	})))
	mux.Handle("GET /api/tickets/{tag}", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var t *ticket.Ticket
		err := st.View(func(txn *store.Txn) error {
			var err error
			t, err = ticket.Get(txn, r.PathValue("tag"))
			return err
		})
		if ticketHTTPError(w, r, st, err) {
			return
		}
		writeJSON(w, t)
	})))
	// resolve mails the customer that the ticket was resolved, with the
	// rating links, unless ?notify=false; resolving a resolved ticket
	// changes nothing and mails nobody.
	mux.Handle("POST /api/tickets/{tag}/resolve", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notify, ok := queryBool(w, r, "notify", true)
		if !ok {
			return
		}
		t, err := in.Resolve(r.Context(), r.PathValue("tag"), "api", notify)
		if ticketHTTPError(w, r, st, err) {
			return
		}
		writeJSON(w, t)
	})))
}

func ticketHTTPError(w http.ResponseWriter, r *http.Request, st *store.Store, err error) bool {
	switch {
	case err == nil:
		return false
	case ticket.IsNotFound(err):
		http.Error(w, "no such ticket", http.StatusNotFound)
	default:
		storeError(w, r, st, err, http.StatusInternalServerError)
	}
	return true
}

// queryBool reads the boolean query parameter name (true/false, 1/0, as
// strconv.ParseBool; absent: def). Anything else is answered 400 and ok
// is false: a misspelt ?dry_run=yes must not run the real operation.
func queryBool(w http.ResponseWriter, r *http.Request, name string, def bool) (v, ok bool) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, true
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		http.Error(w, name+": want true or false (or 1 or 0), got "+strconv.Quote(s), http.StatusBadRequest)
		return false, false
	}
	return b, true
}
