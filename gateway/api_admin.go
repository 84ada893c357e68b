package gateway

import (
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"time"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/retention"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/store"
)

// customersAPI serves /api/customers/{address}/export and /erase.
func customersAPI(mux *http.ServeMux, token string, st *store.Store, dataDir string, notCustomer func(string) string, erasers ...customers.Eraser) {
	mux.Handle("GET /api/customers/{addr}/export", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex, err := customers.ExportOf(st, r.PathValue("addr"))
		if err != nil {
			storeError(w, r, st, err, http.StatusBadRequest)
			return
		}
		writeJSON(w, ex)
	})))
	mux.Handle("POST /api/customers/{addr}/erase", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := customers.Canonical(r.PathValue("addr")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		dry, ok := queryBool(w, r, "dry_run", false)
		if !ok {
			return
		}
		q := r.URL.Query()
		by := q.Get("by")
		if by == "" {
			by = "api"
		}
		rep, err := customers.Erase(r.Context(), st, r.PathValue("addr"), customers.EraseOptions{By: by + " (api)", DryRun: dry,
			Maildirs: Maildirs(dataDir), Erasers: erasers, NotCustomer: notCustomer})
		if errors.Is(err, customers.ErrNotCustomer) {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err != nil {
			storeError(w, r, st, err, http.StatusInternalServerError)
			return
		}
		if st.Postgres() {
			rep.NotReached = leftBadgerNote(dataDir)
		}
		writeJSON(w, rep)
	})))
}

// notCustomer says why addr (canonical) is no customer's: one of the
// gateway's own addresses or domains, or a department's mailbox, agent
// or escalation address in the rules rs returns (nil: only the former).
func notCustomer(o ack.Ours, rs func() *rules.Rules) func(string) string {
	return func(addr string) string {
		if reason, ok := ack.Unanswerable(addr, o); ok && reason == ack.ReasonOwnMail {
			return "one of the gateway's own addresses or domains"
		}
		if rs == nil {
			return ""
		}
		is := func(a string) bool { c, err := customers.Canonical(a); return err == nil && c == addr }
		for _, d := range rs().Departments() {
			switch {
			case is(d.Mailbox):
				return "the mailbox of the department " + d.Key
			case slices.ContainsFunc(d.Agents, is):
				return "an agent of the department " + d.Key
			case is(d.EscalateTo):
				return "the escalation address of the department " + d.Key
			}
		}
		return ""
	}
}

// Maildirs are the Maildir roots under the data dir that the gateway
// delivers into (relay.target and outbound.target maildir).
func Maildirs(dataDir string) []string {
	return []string{filepath.Join(dataDir, "mailboxes"), filepath.Join(dataDir, "outbox")}
}

// retentionAPI serves POST /api/retention/run.
func retentionAPI(mux *http.ServeMux, token string, st *store.Store, r *retention.Runner) {
	mux.Handle("POST /api/retention/run", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		dry, ok := queryBool(w, req, "dry_run", false)
		if !ok {
			return
		}
		rep, err := r.Run(req.Context(), dry)
		if errors.Is(err, retention.ErrRunning) {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		if err != nil {
			storeError(w, req, st, err, http.StatusInternalServerError)
			return
		}
		writeJSON(w, rep)
	})))
}

func RetentionPolicy(r config.Retention) retention.Policy {
	return retention.Policy{Mail: r.Mail.D(), ResolvedTickets: r.ResolvedTickets.D(), FailedQueueItems: r.FailedQueueItems.D(),
		LearnedExamples: r.LearnedExamples.D()}
}

// RetentionGrace leaves spool segments written to in the last hour alone
// in a running server: mail in them may still be on its way to its commit.
const RetentionGrace = time.Hour
