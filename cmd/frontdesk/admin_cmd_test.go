package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// newStore creates the store of a server that has run in dataDir, as
// serve does, and returns it open (the running server holds it) with a
// cleanup that closes it.
func newStore(t *testing.T, dataDir string) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(dataDir, "store"), store.Options{SyncWrites: true, SpoolDir: filepath.Join(dataDir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// stoppedServer leaves the data dir of a server that ran and stopped.
func stoppedServer(t *testing.T, dataDir string) {
	t.Helper()
	if err := newStore(t, dataDir).Close(); err != nil {
		t.Fatal(err)
	}
}

// runningServer holds the store of dataDir open, as serve does, and
// serves the admin API with token; it returns the API's host:port.
func runningServer(t *testing.T, dataDir, token string) string {
	t.Helper()
	st := newStore(t, dataDir)
	mux := http.NewServeMux()
	// The workers are not started: the API only needs the queue to kick.
	gateway.API{Token: token, Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil), DataDir: dataDir}.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// writeAt writes a file at path (writeFile picks a new directory).
func writeAt(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The CLI must find the running server's token where the server reads it:
// http.api_token_file, relative to the config file (the test runs in
// another directory), and not data_dir/api.token, which may hold a stale
// token or none.
func TestAdminUsesConfiguredTokenFile(t *testing.T) {
	cases := []struct {
		name        string
		tokenFile   string // content of the configured token file
		dataToken   string // content of data_dir/api.token; "" = no such file
		code        int
		out, errMsg string
	}{
		{name: "no data_dir token", tokenFile: "s3cret\n", code: 0, out: "[]"},
		{name: "stale data_dir token", tokenFile: "s3cret\n", dataToken: "old-token\n", code: 0, out: "[]"},
		{name: "empty configured file", tokenFile: " \n", dataToken: "s3cret\n", code: 1, errMsg: "secret.token is empty"},
	}
	for _, c := range cases {
		for _, cmd := range [][]string{{"queue", "list", "--json"}, {"tickets", "list", "--json"}} {
			t.Run(c.name+"/"+cmd[0], func(t *testing.T) {
				dir := t.TempDir()
				dataDir := filepath.Join(dir, "data")
				addr := runningServer(t, dataDir, "s3cret")
				writeAt(t, filepath.Join(dir, "secret.token"), c.tokenFile)
				if c.dataToken != "" {
					writeAt(t, filepath.Join(dataDir, "api.token"), c.dataToken)
				}
				cfg := filepath.Join(dir, "frontdesk.yaml")
				writeAt(t, cfg, "data_dir: data\nhttp: {listen: \""+addr+"\", api_token_file: secret.token}\n")
				code, out, errs := runCmd(t, append(cmd, "-c", cfg)...)
				if code != c.code || strings.TrimSpace(out) != c.out || !strings.Contains(errs, c.errMsg) {
					t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q", cmd, code, out, errs, c.code, c.out, c.errMsg)
				}
			})
		}
	}
}

func TestEnsureAPIToken(t *testing.T) {
	cases := []struct {
		name       string
		configured bool   // the token is in http.api_token_file, else in data_dir/api.token
		content    string // "-" = no such file
		want       string // "" = a generated token
		errMsg     string
	}{
		{name: "configured", configured: true, content: "s3cret\n", want: "s3cret"},
		{name: "configured empty", configured: true, content: "", errMsg: "is empty"},
		{name: "configured blank", configured: true, content: " \t\n\n", errMsg: "is empty"},
		{name: "configured missing", configured: true, content: "-", errMsg: "no such file"},
		{name: "generated kept", content: "abc123\n", want: "abc123"},
		{name: "generated on first start", content: "-"},
		{name: "generated again when empty", content: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dataDir := t.TempDir()
			path := filepath.Join(dataDir, "api.token")
			tokenFile := ""
			if c.configured {
				path = filepath.Join(t.TempDir(), "token")
				tokenFile = path
			}
			if c.content != "-" {
				writeAt(t, path, c.content)
			}
			tok, err := gateway.EnsureAPIToken(tokenFile, dataDir)
			if c.errMsg != "" {
				// The admin must learn which file to fix.
				if err == nil || !strings.Contains(err.Error(), c.errMsg) || !strings.Contains(err.Error(), path) {
					t.Fatalf("EnsureAPIToken = %q, %v; want an error naming %s with %q", tok, err, path, c.errMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.want != "" && tok != c.want {
				t.Errorf("token %q, want %q", tok, c.want)
			}
			if c.want == "" && len(tok) < 32 {
				t.Errorf("generated token %q is too short", tok)
			}
			// The CLI reads the same file and must get the same token.
			if got, err := gateway.ReadAPIToken(gateway.APITokenPath(tokenFile, dataDir)); err != nil || got != tok {
				t.Errorf("the CLI reads %q, %v; the server uses %q", got, err, tok)
			}
		})
	}
}

// queue and tickets read an existing server's data: pointed at a
// directory without one they must say so and create nothing.
func TestAdminWithoutStore(t *testing.T) {
	commands := [][]string{
		{"queue", "list"},
		{"queue", "retry", "--all"},
		{"queue", "delete", "0123"},
		{"tickets", "list"},
		{"tickets", "show", "SUP-1000"},
	}
	cases := []struct {
		name string
		// setup prepares dir and returns the extra arguments and the
		// directory the error must name.
		setup func(t *testing.T, dir string) (args []string, named string)
	}{
		{"default data dir missing", func(t *testing.T, dir string) ([]string, string) {
			t.Chdir(dir)
			return nil, filepath.Join(dir, "frontdesk-data")
		}},
		{"configured data dir missing", func(t *testing.T, dir string) ([]string, string) {
			cfg := filepath.Join(dir, "frontdesk.yaml")
			writeAt(t, cfg, "data_dir: dtaa\n")
			return []string{"-c", cfg}, filepath.Join(dir, "dtaa")
		}},
		{"data dir without store", func(t *testing.T, dir string) ([]string, string) {
			if err := os.Mkdir(filepath.Join(dir, "data"), 0o750); err != nil {
				t.Fatal(err)
			}
			cfg := filepath.Join(dir, "frontdesk.yaml")
			writeAt(t, cfg, "data_dir: data\n")
			return []string{"-c", cfg}, filepath.Join(dir, "data")
		}},
	}
	for _, c := range cases {
		for _, cmd := range commands {
			t.Run(c.name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				dir := t.TempDir()
				args, named := c.setup(t, dir)
				before := tree(t, dir)
				code, out, errs := runCmd(t, append(cmd, args...)...)
				if code != 1 || out != "" || !strings.Contains(errs, named) {
					t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and an error naming %s", code, out, errs, named)
				}
				if after := tree(t, dir); after != before {
					t.Errorf("the command changed %s:\nbefore:\n%s\nafter:\n%s", dir, before, after)
				}
			})
		}
	}
}

// tree lists every path under dir, one a line.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		b.WriteString(p + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The data of a stopped server and of a running one are both read, the
// first from the store, the second through the API with the generated
// data_dir/api.token.
func TestAdminStoppedAndRunning(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"queue", "list"}, "queue is empty\n"},
		{[]string{"queue", "list", "--json"}, "[]\n"},
		{[]string{"queue", "retry", "--all"}, "0 item(s) scheduled for immediate delivery\n"},
		{[]string{"queue", "retry", "--all", "--json"}, "{\n  \"retried\": 0\n}\n"},
		{[]string{"tickets", "list", "--status", "open"}, "0 ticket(s)"},
		{[]string{"tickets", "list", "--json"}, "[]\n"},
	}
	for _, running := range []bool{false, true} {
		cfg := adminConfig(t, running)
		for _, c := range cases {
			code, out, errs := runCmd(t, append(c.args, "-c", cfg)...)
			if code != 0 || !strings.Contains(out, c.want) {
				t.Errorf("running=%v %v: exit %d, stdout %q, stderr %q; want exit 0 and %q", running, c.args, code, out, errs, c.want)
			}
		}
	}
}

// An unknown status is a typo, not a filter that matches nothing: the CLI
// refuses it (whether the server runs or not) and so does the API.
func TestTicketsUnknownStatus(t *testing.T) {
	const valid = "open, answered, waiting, resolved"
	for _, running := range []bool{false, true} {
		cfg := adminConfig(t, running)
		cases := []struct {
			status string
			code   int
			errMsg string
		}{
			{"bogus", 2, `unknown status "bogus" (valid: ` + valid + ")"},
			{"Open", 2, `unknown status "Open"`},
			{"open", 0, ""},
			{"resolved", 0, ""},
			{"", 0, ""},
		}
		for _, c := range cases {
			code, out, errs := runCmd(t, "tickets", "list", "-c", cfg, "--status", c.status)
			if code != c.code || !strings.Contains(errs, c.errMsg) || (c.code != 0 && out != "") {
				t.Errorf("running=%v tickets list --status %q: exit %d, stdout %q, stderr %q; want exit %d and %q", running, c.status, code, out, errs, c.code, c.errMsg)
			}
		}
	}

	addr := runningServer(t, filepath.Join(t.TempDir(), "data"), "tok")
	cases := []struct {
		query string
		code  int
		body  string
	}{
		{"status=bogus", http.StatusBadRequest, `unknown status "bogus" (valid: ` + valid + ")"},
		{"status=open&department=support", http.StatusOK, "[]"},
		{"status=waiting", http.StatusOK, "[]"},
		{"", http.StatusOK, "[]"},
	}
	for _, c := range cases {
		req, err := http.NewRequest("GET", "http://"+addr+"/api/tickets?"+c.query, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != c.code || !strings.Contains(string(body), c.body) {
			t.Errorf("GET /api/tickets?%s: %s %q; want %d and %q", c.query, resp.Status, body, c.code, c.body)
		}
	}
}

// An unknown department is a typo too, refused like an unknown status
// (exit 2, the valid ones listed: the config's rules' departments), whether
// the server runs or not; a known one in any case lists as before.
func TestTicketsUnknownDepartment(t *testing.T) {
	for _, running := range []bool{false, true} {
		cfg := adminConfig(t, running) // no rules_file: the demo rules' departments
		raw, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		// The same server's config, with a rules_file of its own, and
		// with one that is not there (its second line).
		same := strings.Replace(string(raw), "data_dir: data\n", "data_dir: "+filepath.Join(filepath.Dir(cfg), "data")+"\nrules_file: ", 1)
		own := filepath.Join(t.TempDir(), "frontdesk.yaml")
		writeAt(t, filepath.Join(filepath.Dir(own), "rules.yaml"), "departments: {legal: {addresses: [legal]}, it: {addresses: [it]}}\ndefault_department: it\n")
		writeAt(t, own, strings.Replace(same, "rules_file: ", "rules_file: rules.yaml\n", 1))
		broken := filepath.Join(t.TempDir(), "frontdesk.yaml")
		writeAt(t, broken, strings.Replace(same, "rules_file: ", "rules_file: nope.yaml\n", 1))
		cases := []struct {
			cfg, dept string
			code      int
			out, errs string
		}{
			{cfg, "nope", 2, "", `--department: unknown department "nope" (valid: finance, hr, pr, sales, support)`},
			{cfg, "support", 0, "0 ticket(s)", ""},
			{cfg, "Support", 0, "0 ticket(s)", ""},
			{cfg, "", 0, "0 ticket(s)", ""},
			{own, "support", 2, "", `unknown department "support" (valid: it, legal)`},
			{own, "legal", 0, "0 ticket(s)", ""},
			{broken, "it", 1, "", broken + ":2:13: rules_file: open "},
			{broken, "", 0, "0 ticket(s)", ""}, // no filter: the rules are not read
		}
		for _, c := range cases {
			code, out, errs := runCmd(t, "tickets", "list", "-c", c.cfg, "--department", c.dept)
			if code != c.code || !strings.Contains(errs, c.errs) || !strings.Contains(out, c.out) || (c.code != 0 && out != "") {
				t.Errorf("running=%v tickets list -c %s --department %q: exit %d, stdout %q, stderr %q; want exit %d, %q and %q", running, c.cfg, c.dept, code, out, errs, c.code, c.out, c.errs)
			}
		}
	}
}

// adminConfig writes the config of a server with a store, running (its
// API answers with token "tok") or stopped, and returns its path.
func adminConfig(t *testing.T, running bool) string {
	t.Helper()
	dir := t.TempDir()
	dataDir := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "frontdesk.yaml")
	if running {
		addr := runningServer(t, dataDir, "tok")
		writeAt(t, filepath.Join(dataDir, "api.token"), "tok\n")
		writeAt(t, cfg, "data_dir: data\nhttp: {listen: \""+addr+"\"}\n")
	} else {
		stoppedServer(t, dataDir)
		writeAt(t, cfg, "data_dir: data\n")
	}
	return cfg
}
