package gateway

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/retention"
	"github.com/frontdesk-mail/frontdesk/store"
)

// TestRetentionBesideServerSaysWhosePolicy: `retention run -c CONFIG`
// beside a running server is answered by the server, which applies the
// policy it read when it started; when CONFIG says otherwise (an admin
// who set retention.learned_examples and runs --dry-run to see what it
// would remove) the command says so, naming the periods, instead of
// reporting the server's "0 learned examples" as CONFIG's. The report
// carries the policy applied.
func TestRetentionBesideServerSaysWhosePolicy(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "store"), StoreOptions(dir, false, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := 24 * time.Hour
	running := config.Retention{Mail: config.Age(365 * day), FailedQueueItems: config.Age(30 * day)}
	mux := http.NewServeMux()
	API{Token: "tok", Store: st, Retention: &retention.Runner{St: st, Policy: RetentionPolicy(running)}}.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if err := os.WriteFile(filepath.Join(dir, "api.token"), []byte("tok\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := OpenAdminAt(dir, strings.TrimPrefix(srv.URL, "http://"), "")
	if err != nil {
		t.Fatal(err)
	}

	edited := running
	edited.LearnedExamples = config.Age(30 * day)
	var said []string
	rep, err := a.Retention(context.Background(), edited, true, func(s string) { said = append(said, s) })
	if err != nil {
		t.Fatal(err)
	}
	if want := (retention.Periods{Mail: "365d", ResolvedTickets: "0", FailedQueueItems: "30d", LearnedExamples: "0"}); rep.Policy != want {
		t.Errorf("report's policy = %+v, want the server's %+v", rep.Policy, want)
	}
	if all := strings.Join(said, "\n"); !strings.Contains(all, "learned_examples 0 (the config given: 30d)") || !strings.Contains(all, "restart") {
		t.Errorf("progress = %q, want a note that the server applied learned_examples 0, not the config's 30d", all)
	}

	said = nil
	if _, err := a.Retention(context.Background(), running, true, func(s string) { said = append(said, s) }); err != nil {
		t.Fatal(err)
	}
	if all := strings.Join(said, "\n"); strings.Contains(all, "note:") {
		t.Errorf("the same policy: progress = %q, want no note", all)
	}
}
