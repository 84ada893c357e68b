package gateway

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The bearer scheme is case-insensitive (RFC 7235 §2.1): scripts and
// proxies that write "bearer" or "BEARER" get in; anything else does not.
func TestRequireTokenScheme(t *testing.T) {
	h := requireToken("tok", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, c := range []struct {
		auth string
		code int
	}{
		{"Bearer tok", http.StatusOK},
		{"bearer tok", http.StatusOK},
		{"BEARER tok", http.StatusOK},
		{"bEaReR  tok", http.StatusOK},
		{"", http.StatusUnauthorized},
		{"Bearer", http.StatusUnauthorized},
		{"Bearer ", http.StatusUnauthorized},
		{"Bearer tok2", http.StatusUnauthorized},
		{"Bearer  tok x", http.StatusUnauthorized},
		{"Basic tok", http.StatusUnauthorized},
		{"Bearertok", http.StatusUnauthorized},
		{"tok", http.StatusUnauthorized},
	} {
		req := httptest.NewRequest("GET", "/api/queue", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.code {
			t.Errorf("Authorization %q: %d; want %d", c.auth, rec.Code, c.code)
		}
		if rec.Code == http.StatusUnauthorized && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer ") {
			t.Errorf("Authorization %q: 401 without a WWW-Authenticate challenge", c.auth)
		}
	}
}

func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer tok", "bearer  tok", "Basic x", "Bearer", " Bearer x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, ok := bearerToken(h)
		if !ok {
			return
		}
		// A token is only ever what follows the scheme and its spaces.
		if tok == "" || tok[0] == ' ' || !strings.EqualFold(h[:6], "bearer") || !strings.HasSuffix(h, " "+tok) {
			t.Fatalf("bearerToken(%q) = %q", h, tok)
		}
	})
}
