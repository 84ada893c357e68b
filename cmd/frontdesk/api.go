package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"frontdesk/queue"
	"frontdesk/store"
)

const apiTokenName = "api.token"

// ensureAPIToken returns the API bearer token: the configured file's
// content, else a random token kept in the data dir (created on first
// start, mode 0600) so the CLI on the same host can use it.
func ensureAPIToken(tokenFile, dataDir string) (string, error) {
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return "", err
		}
		return strings.TrimSpace(string(b)), nil
	}
	if tok, err := readAPIToken(dataDir); err == nil {
		return tok, nil
	}
	var b [24]byte
	rand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	if err := os.WriteFile(filepath.Join(dataDir, apiTokenName), []byte(tok+"\n"), 0o600); err != nil {
		return "", err
	}
	return tok, nil
}

func readAPIToken(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, apiTokenName))
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", errors.New("empty token file")
	}
	return tok, nil
}

func requireToken(token string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="frontdesk"`)
			http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
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
			http.Error(w, err.Error(), http.StatusInternalServerError)
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
			http.Error(w, err.Error(), http.StatusBadRequest)
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
			http.Error(w, err.Error(), code)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})))
}
