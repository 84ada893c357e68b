package gateway

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/retention"
	"github.com/frontdesk-mail/frontdesk/store"
)

const apiTokenName = "api.token"

// EnsureAPIToken returns the API bearer token: the configured file's
// content, else a random token kept in the data dir (created on first
// start, mode 0600) so the CLI on the same host can use it.
//
// A configured file that is empty is an error, not a token: requireToken
// would then compare against "", which no client can send, and the API
// would be closed to everyone without a word in the log.
func EnsureAPIToken(tokenFile, dataDir string) (string, error) {
	if tokenFile != "" {
		tok, err := ReadAPIToken(tokenFile)
		if err != nil {
			return "", fmt.Errorf("http.api_token_file: %w", err)
		}
		return tok, nil
	}
	path := filepath.Join(dataDir, apiTokenName)
	tok, err := ReadAPIToken(path)
	if err == nil {
		return tok, nil
	}
	// The generated file is ours: when it is missing, or empty because a
	// first start died between creating and writing it, make a new one.
	// Any other failure (permissions, a directory in its place) is the
	// admin's to see rather than ours to paper over.
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errEmptyToken) {
		return "", err
	}
	var b [24]byte
	rand.Read(b[:])
	tok = hex.EncodeToString(b[:])
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write API token: %w", err)
	}
	return tok, nil
}

// APITokenPath is where the server keeps the API token and the CLI finds
// it: http.api_token_file when set (config.Load has already made it
// absolute against the config file's directory), else data_dir/api.token.
func APITokenPath(tokenFile, dataDir string) string {
	if tokenFile != "" {
		return tokenFile
	}
	return filepath.Join(dataDir, apiTokenName)
}

var errEmptyToken = errors.New("empty; it must hold the API bearer token")

// ReadAPIToken reads a token file; surrounding whitespace (the newline an
// editor or echo adds) is not part of the token.
func ReadAPIToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read API token: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("API token file %s is %w", path, errEmptyToken)
	}
	return tok, nil
}

func requireToken(token string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="frontdesk"`)
			http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// bearerToken takes the token from an Authorization value. The scheme is
// case-insensitive and followed by one or more spaces (RFC 7235 §2.1,
// RFC 6750 §2.1).
func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimLeft(tok, " ")
	return tok, tok != ""
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// queueAPI serves /api/queue for the CLI and for admins' scripts.
func queueAPI(mux *http.ServeMux, token string, st *store.Store, q *queue.Queue) {
	mux.Handle("GET /api/queue", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		items, err := queue.List(st)
		if err != nil {
			storeError(w, r, st, err, http.StatusInternalServerError)
			return
		}
		if items == nil {
			items = []*queue.Item{}
		}
		writeJSON(w, items)
	})))
	mux.Handle("POST /api/queue/retry", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ids []string
		if s := r.URL.Query().Get("ids"); s != "" {
			ids = strings.Split(s, ",")
		}
		n, err := queue.Retry(r.Context(), st, time.Now(), ids...)
		if err != nil {
			code := http.StatusBadRequest
			if errors.Is(err, store.ErrNotFound) {
				code = http.StatusNotFound // as DELETE answers for an unknown id
			}
			storeError(w, r, st, err, code)
			return
		}
		q.Kick()
		writeJSON(w, map[string]int{"Retried": n})
	})))
	mux.Handle("DELETE /api/queue/{id}", requireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := queue.Delete(r.Context(), st, r.PathValue("id")); err != nil {
			code := http.StatusInternalServerError
			if errors.Is(err, store.ErrNotFound) {
				code = http.StatusNotFound
			}
			storeError(w, r, st, err, code)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})))
}

// API is the admin HTTP API under /api/ (queue, tickets, retention,
// customers, learned examples), behind the bearer token; the CLI and admins' scripts use it.
type API struct {
	Token     string
	Store     *store.Store
	Queue     *queue.Queue
	Intake    *intake.Intake    // resolves tickets
	Retention *retention.Runner // runs retention on request
	DataDir   string            // where the Maildir targets are, for erasure
	// Erasers remove what other packages keep of a customer (learned
	// examples) when the customer's data is erased.
	Erasers []customers.Eraser
	// NotCustomer says why an address is no customer's, refusing its
	// erasure (customers.EraseOptions.NotCustomer); nil: none is refused.
	NotCustomer func(string) string
	// Learn is the running server's learning, whose index a forget
	// through /api/learn rebuilds before it answers; nil when learning
	// is off (the examples are still listed and forgotten).
	Learn *learn.Live
	// LearnFAQ and Departments are the catalog and departments in force,
	// which POST /api/learn checks examples against as `learn import`
	// does, and GET /api/tickets its ?department= as `tickets list` does
	// (nil: not checked).
	LearnFAQ    func() *faq.Catalog
	Departments func() []string
}

// Register adds the API's routes to mux.
func (a API) Register(mux *http.ServeMux) {
	queueAPI(mux, a.Token, a.Store, a.Queue)
	ticketAPI(mux, a.Token, a.Store, a.Intake, a.Departments)
	if a.Retention != nil {
		retentionAPI(mux, a.Token, a.Store, a.Retention)
	}
	customersAPI(mux, a.Token, a.Store, a.DataDir, a.NotCustomer, a.Erasers...)
	learnAPI(mux, a.Token, a.Store, a.Learn, importCheck{FAQ: a.LearnFAQ, Departments: a.Departments})
}

// storeError answers a request whose store operation failed with err. When
// the store cannot reach its database now (PostgreSQL down, failing over,
// cut off), it is 503 Service Unavailable with Retry-After, as SMTP answers
// 451 then: the same request may succeed later, and a client or balancer
// must not take it for a bad request or a bug. Otherwise it is code with
// err's text.
func storeError(w http.ResponseWriter, r *http.Request, st *store.Store, err error, code int) {
	if st != nil && code != http.StatusNotFound {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		perr := st.Ping(ctx)
		cancel()
		if perr != nil {
			w.Header().Set("Retry-After", "10")
			http.Error(w, "store: "+perr.Error()+" (try again later)", http.StatusServiceUnavailable)
			return
		}
	}
	http.Error(w, err.Error(), code)
}
