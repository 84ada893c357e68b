package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// learnAPIServer serves the admin API (token "tok") on a store holding
// exs, with live as the server's learning (nil: learning off), and
// returns the store, the API's URL and the Admin the CLI would use
// beside it.
func learnAPIServer(t *testing.T, live func(*store.Store) *learn.Live, exs ...learn.Example) (*store.Store, *learn.Live, string, *Admin) {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		for i := range exs {
			if err := learn.Put(txn, &exs[i]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var l *learn.Live
	if live != nil {
		l = live(st)
		t.Cleanup(l.Close)
	}
	mux := http.NewServeMux()
	API{Token: "tok", Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil), Learn: l,
		LearnFAQ: faq.Demo, Departments: func() []string { return []string{"support", "sales", "finance", "hr"} }}.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dataDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dataDir, "api.token"), []byte("tok\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := serverAdmin(dataDir, strings.TrimPrefix(srv.URL, "http://"), "")
	if err != nil {
		t.Fatal(err)
	}
	return st, l, srv.URL, a
}

func learnExamples() []learn.Example {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return []learn.Example{
		{At: at, Source: learn.SourceMove, Department: "finance", Customer: "carol@customer.test", Subject: "zorblax gizmo", Text: "my zorblax gizmo quibbled again", Ticket: "SUP-1000", By: "alice@agents.test"},
		{At: at.Add(time.Second), Source: learn.SourceFAQ, Entries: []string{"refund-timing"}, Customer: "dan@customer.test", Lang: "en", Subject: "refund", Text: "where is my refund", By: "fiona@agents.test"},
		{At: at.Add(2 * time.Second), Source: learn.SourceImport, Department: "sales", Subject: "quote", Text: "a quote for 40 machines", By: "labels.yaml"},
	}
}

func apiDo(t *testing.T, method, url, token string) (int, string) {
	t.Helper()
	return apiSend(t, method, url, token, nil)
}

// apiSend is apiDo with a request body.
func apiSend(t *testing.T, method, url, token string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestLearnAPI: beside a running server (Badger's lock held), `learn
// list` and `learn forget` go through /api/learn: the list is the
// store's, field for field; a forget is all or nothing, an unknown id is
// the store's own "no such learned example" error; and a forget returns
// only once the server ranks without what it removed. The server's index
// is looked at with no wait for a build: nothing but the API's Sync
// rebuilds it here (no Watch on a store of one process), so a forget
// that left the index alone would leave the examples in use.
func TestLearnAPI(t *testing.T) {
	ctx := context.Background()
	st, live, url, a := learnAPIServer(t, func(st *store.Store) *learn.Live { l := learn.NewLive(st, nil); l.Wait = time.Hour; return l }, learnExamples()...)
	cat := live.Catalog(faq.Demo)
	if n, _ := cat().Examples(); n != 3 {
		t.Fatalf("the server ranks with %d examples, want 3", n)
	}
	live.Wait = 0 // from here on a ranking never waits for a build

	for _, tok := range []string{"", "wrong"} {
		for _, m := range []string{"GET", "DELETE"} {
			if code, _ := apiDo(t, m, url+"/api/learn?all=1", tok); code != http.StatusUnauthorized {
				t.Errorf("%s /api/learn with token %q: %d, want 401", m, tok, code)
			}
		}
	}
	if n, _ := cat().Examples(); n != 3 {
		t.Fatalf("a refused request changed the examples in use: %d", n)
	}

	want, err := learn.List(st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.LearnList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) || len(got) != 3 {
		t.Fatalf("through the API:\n%s\nthe store's:\n%s", gj, wj)
	}

	// An unknown id among known ones: nothing is forgotten.
	_, err = a.LearnForget(ctx, []string{got[0].ID, "0123abc"}, false)
	if !errors.Is(err, learn.ErrNoExample) || err.Error() != "no such learned example: 0123abc" {
		t.Errorf("forget of an unknown id: %v, want the store's own ErrNoExample", err)
	}
	if exs, _ := learn.List(st); len(exs) != 3 {
		t.Errorf("a forget with an unknown id removed %d example(s)", 3-len(exs))
	}
	// what the 400 says: with neither, what to give (before: "not
	// both" when none was given)
	for q, want := range map[string]string{"": "give id=ID (repeatable) or all=1\n", "?all=1&id=" + got[0].ID: "give id=ID (repeatable) or all=1, not both\n", "?all=yes": "all: want true or false (or 1 or 0), got \"yes\"\n"} {
		if code, body := apiDo(t, "DELETE", url+"/api/learn"+q, "tok"); code != http.StatusBadRequest || body != want {
			t.Errorf("DELETE /api/learn%s: %d %q, want 400 %q", q, code, body, want)
		}
	}
	if code, body := apiDo(t, "DELETE", url+"/api/learn/0123abc", "tok"); code != http.StatusNotFound || !strings.Contains(body, "no such learned example: 0123abc") {
		t.Errorf("DELETE /api/learn/UNKNOWN: %d %s, want 404", code, body)
	}

	if n, err := a.LearnForget(ctx, []string{got[0].ID}, false); n != 1 || err != nil {
		t.Fatalf("forget one: %d %v", n, err)
	}
	if n, _ := cat().Examples(); n != 2 {
		t.Errorf("after the forget returned, the server ranks with %d examples, want 2", n)
	}
	if code, body := apiDo(t, "DELETE", url+"/api/learn/"+got[1].ID, "tok"); code != http.StatusOK || strings.TrimSpace(body) != `{"forgotten":1}` {
		t.Errorf("DELETE /api/learn/ID: %d %s", code, body)
	}
	if n, _ := cat().Examples(); n != 1 {
		t.Errorf("after DELETE /api/learn/ID, the server ranks with %d examples, want 1", n)
	}
	if n, err := a.LearnForget(ctx, nil, true); n != 1 || err != nil {
		t.Fatalf("forget all: %d %v", n, err)
	}
	if n, _ := cat().Examples(); n != 0 {
		t.Errorf("after forget --all, the server ranks with %d examples, want 0", n)
	}
	if code, body := apiDo(t, "GET", url+"/api/learn", "tok"); code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("GET /api/learn with none: %d %q, want []", code, body)
	}
	if n, err := a.LearnForget(ctx, nil, true); n != 0 || err != nil {
		t.Errorf("forget all of none: %d %v", n, err)
	}
}

// With learning off (no index uses the examples) the examples a server
// learned before are still listed and forgotten through the API.
func TestLearnAPILearningOff(t *testing.T) {
	ctx := context.Background()
	st, _, _, a := learnAPIServer(t, nil, learnExamples()...)
	if exs, err := a.LearnList(ctx); err != nil || len(exs) != 3 {
		t.Fatalf("list: %d %v", len(exs), err)
	}
	if n, err := a.LearnForget(ctx, nil, true); n != 3 || err != nil {
		t.Fatalf("forget all: %d %v", n, err)
	}
	if exs, _ := learn.List(st); len(exs) != 0 {
		t.Errorf("left %d", len(exs))
	}
}

// TestLearnImportAPI: beside a running server, `learn import` goes through
// POST /api/learn: refused without the token, 400 for a body that is no
// JSON array of examples and 413 beyond the size bound, with nothing
// stored; an import stores what learn.Import stores (an example the same
// as one stored before, or as another in the same import, is
// already_imported), copies the server's progress lines, and returns only
// once the server ranks and routes with the new examples: the index is
// looked at with no wait for a build, and nothing but the API's Sync
// rebuilds it here.
func TestLearnImportAPI(t *testing.T) {
	ctx := context.Background()
	st, live, url, a := learnAPIServer(t, func(st *store.Store) *learn.Live { l := learn.NewLive(st, nil); l.Wait = time.Hour; return l })
	cat := live.Catalog(faq.Demo)
	if n, _ := cat().Examples(); n != 0 {
		t.Fatalf("the server ranks with %d examples, want 0", n)
	}
	live.Wait = 0
	mail := func() *message.Message {
		m, _ := message.Parse([]byte("From: x@customer.test\r\nSubject: zorblax gizmo\r\n\r\nthe zorblax gizmo quibbled\r\n"))
		return m
	}
	for _, tp := range cat().Topics(mail()) {
		if tp.Department == "hr" {
			t.Fatalf("hr before the import: %+v", tp)
		}
	}

	post := func(body, token string) (int, string) {
		return apiSend(t, "POST", url+"/api/learn", token, strings.NewReader(body))
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	exs := []learn.Example{
		{At: at, Source: learn.SourceImport, Department: "hr", Customer: "A@customer.test", Subject: "zorblax gizmo", Text: "my zorblax gizmo quibbled again", By: "labels.yaml"},
		{At: at, Source: learn.SourceImport, Department: "hr", Customer: "c@customer.test", Subject: "gizmo", Text: "zorblax gizmo question", By: "labels.yaml"},
		{At: at, Source: learn.SourceImport, Department: "hr", Customer: "c@customer.test", Subject: "gizmo", Text: "zorblax gizmo question", By: "labels.yaml"},
	}
	good, _ := json.Marshal(exs)
	for _, tok := range []string{"", "wrong"} {
		if code, _ := post(string(good), tok); code != http.StatusUnauthorized {
			t.Errorf("POST /api/learn with token %q: %d, want 401", tok, code)
		}
	}
	for _, body := range []string{"", "not json", "{}", "null", `[{"text": 3}]`, string(good) + " []", string(good[:len(good)-1])} {
		if code, answer := post(body, "tok"); code != http.StatusBadRequest || !strings.Contains(answer, "want a JSON array of learned examples") {
			t.Errorf("POST /api/learn %.40q: %d %s, want 400", body, code, answer)
		}
	}
	big := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/learn", strings.NewReader(string(good)))
	learnImportHandler(st, live, importCheck{}, int64(len(good)-1)).ServeHTTP(big, req)
	if big.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over the bound: %d %s, want 413", big.Code, big.Body)
	}
	if exs, _ := learn.List(st); len(exs) != 0 {
		t.Fatalf("refused imports stored %d example(s)", len(exs))
	}

	var progress strings.Builder
	sum, err := a.LearnImport(ctx, exs, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Examples != 2 || sum.AlreadyImported != 1 || sum.WithDepartment != 2 || sum.Departments["hr"] != 2 || sum.DryRun {
		t.Errorf("summary %+v, want 2 imported (hr), 1 already imported", sum)
	}
	if progress.String() != "learn import: 2/2 stored\n" {
		t.Errorf("progress %q", progress.String())
	}
	if n, _ := cat().Examples(); n != 2 {
		t.Errorf("after the import returned, the server ranks with %d examples, want 2", n)
	}
	if tp := cat().Topics(mail()); len(tp) == 0 || tp[0].Department != "hr" {
		t.Errorf("after the import returned, topics %+v, want hr as imported", tp)
	}
	// The two have one time: the list's order between them is their ids'.
	stored, _ := learn.List(st)
	i := slices.IndexFunc(stored, func(e learn.Example) bool { return e.Subject == "zorblax gizmo" })
	if len(stored) != 2 || i < 0 || stored[i].Customer != "a@customer.test" || stored[i].Source != learn.SourceImport || stored[i].ID == "" {
		t.Errorf("stored %+v", stored)
	}

	// Again: nothing new, as learn.Import on the stopped store says.
	progress.Reset()
	if sum, err := a.LearnImport(ctx, exs, &progress); err != nil || sum.Examples != 0 || sum.AlreadyImported != 3 || progress.Len() != 0 {
		t.Errorf("second import: %+v %v, progress %q; want 0 imported, 3 already", sum, err, progress.String())
	}
	if code, answer := post(string(good), "tok"); code != http.StatusOK || strings.TrimSpace(answer) != `{"summary":{"dry_run":false,"examples":0,"with_department":0,"with_faq":0,"with_no_link":0,"departments":{},"skipped":[],"already_imported":3,"marked_no_link":0,"ok":true}}` {
		t.Errorf("POST /api/learn again: %d %s", code, answer)
	}
	if exs, _ := learn.List(st); len(exs) != 2 {
		t.Errorf("importing again left %d example(s), want 2", len(exs))
	}
}

// POST /api/learn refuses what `learn import` refuses (the same checks,
// learn.CheckExamples), naming every problem, and stores nothing then; an
// example without a date or source is dated now and sourced "api".
// Before, the examples below were stored as sent: department nosuch, FAQ
// no-such-faq, lang xx, dated 0001-01-01 with no source.
func TestLearnImportAPIRefusesWhatImportRefuses(t *testing.T) {
	st, _, url, _ := learnAPIServer(t, nil)
	for _, tc := range []struct{ body, want string }{
		{`[{"department":"nosuch","text":"x"}]`, `example 1: no department "nosuch" (the departments are support, sales, finance, hr)`},
		{`[{"department":"support","entries":["no-such-faq"],"text":"kettle","lang":"xx"}]`, `example 1: lang "xx": want en, zh or mixed`},
		{`[{"department":"support","entries":["no-such-faq"],"text":"kettle","lang":"xx"}]`, `example 1: the FAQ has no entry "no-such-faq"`},
		{`[{"department":"support","text":"ok"},{"text":"nothing"}]`, `example 2: neither a department nor entries`},
		{`[{"department":"support","text":" "}]`, `example 1: subject and text are empty`},
		{`[{"department":"support","text":"x","source":"magic"}]`, `example 1: source "magic"`},
	} {
		code, answer := apiSend(t, "POST", url+"/api/learn", "tok", strings.NewReader(tc.body))
		if code != http.StatusBadRequest || !strings.Contains(answer, tc.want) {
			t.Errorf("POST %s: %d %q, want 400 with %q", tc.body, code, answer, tc.want)
		}
	}
	if exs, _ := learn.List(st); len(exs) != 0 {
		t.Fatalf("refused imports stored %+v", exs)
	}
	before := time.Now()
	code, answer := apiSend(t, "POST", url+"/api/learn", "tok", strings.NewReader(`[{"department":"support","entries":["refund-timing"],"text":"where is my refund","lang":"en"}]`))
	if code != http.StatusOK || !strings.Contains(answer, `"summary"`) {
		t.Fatalf("POST a good example: %d %s", code, answer)
	}
	exs, err := learn.List(st)
	if err != nil || len(exs) != 1 {
		t.Fatalf("stored %+v, %v", exs, err)
	}
	if ex := exs[0]; ex.At.Before(before.Add(-time.Second)) || ex.Source != learn.SourceAPI {
		t.Errorf("stored %+v: want it dated now, source api", ex)
	}
}

// TestAPIBooleansAreStrict: a boolean query parameter the API does not
// read as true or false is refused with 400 and nothing is done — a
// ?dry_run=yes must not erase a customer for real, nor ?all=yes forget
// every example; dry_run=true is a dry run, as dry_run=1 is.
func TestAPIBooleansAreStrict(t *testing.T) {
	st, _, url, _ := learnAPIServer(t, nil, learnExamples()...)
	count := func() int {
		exs, err := learn.List(st)
		if err != nil {
			t.Fatal(err)
		}
		return len(exs)
	}
	for _, c := range []struct {
		method, path string
		code         int
	}{
		{"POST", "/api/customers/carol@customer.test/erase?dry_run=yes", http.StatusBadRequest},
		{"POST", "/api/customers/carol@customer.test/erase?dry_run=on", http.StatusBadRequest},
		{"DELETE", "/api/learn?all=yes", http.StatusBadRequest},
		{"POST", "/api/customers/carol@customer.test/erase?dry_run=true", http.StatusOK},
		{"POST", "/api/customers/carol@customer.test/erase?dry_run=1", http.StatusOK},
	} {
		code, body := apiDo(t, c.method, url+c.path, "tok")
		if code != c.code {
			t.Errorf("%s %s: %d %s, want %d", c.method, c.path, code, body, c.code)
		}
		if n := count(); n != 3 {
			t.Fatalf("%s %s: %d examples left of 3: it was not a dry run (%s)", c.method, c.path, n, body)
		}
	}
	// what the reply says it did
	for q, want := range map[string]string{"true": `"dry_run":true`, "1": `"dry_run":true`, "false": `"dry_run":false`} {
		if code, body := apiDo(t, "POST", url+"/api/customers/carol@customer.test/erase?dry_run="+q, "tok"); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("erase?dry_run=%s: %d %s, want %s", q, code, body, want)
		}
	}
}
