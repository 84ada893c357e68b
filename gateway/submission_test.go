package gateway

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/bcrypt"

	"github.com/frontdesk-mail/frontdesk/config"

	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
)

// The submission users file is an admin file: each bad line is an
// adminfile.Error at file:line:col (columns in characters), all of them
// at once; comments, blank lines and indentation are allowed.
func TestLoadUsers(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h := string(hash)
	for _, tc := range []struct {
		name, file string
		users      []string
		want       []string
	}{
		{"good", "# agents\nAlice:" + h + "\n\n  bob:" + h + "\n", []string{"alice", "bob"}, nil},
		{"no colon", "alice:" + h + "\n  carol\n", nil, []string{"users:2:3: want user:bcrypt-hash"}},
		{"empty user", ":" + h + "\n", nil, []string{"users:1:1: want user:bcrypt-hash"}},
		{"not bcrypt", "alice:" + h + "\n  bob:plain\n", nil, []string{`users:2:7: the password of "bob" is not a bcrypt hash`}},
		{"columns in characters", "\tjosé:plain\n", nil, []string{`users:1:7: the password of "josé" is not a bcrypt hash`}},
		{"all at once", "x\ny:z\n", nil, []string{"users:1:1: want user:bcrypt-hash", `users:2:3: the password of "y" is not a bcrypt hash`}},
		// A submission port nobody can log in to: the file as a whole is wrong.
		{"empty", "", nil, []string{"users: no agents: the file has no user:bcrypt-hash line, so nobody could log in to submission.listen; add one per agent (htpasswd -nbB USER PASSWORD) or remove submission.listen"}},
		{"only comments and blank lines", "# agents\n\n  # none yet\n", nil, []string{"users: no agents: the file has no user:bcrypt-hash line"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "users")
			os.WriteFile(path, []byte(tc.file), 0o600)
			users, err := loadUsers(path)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range tc.users {
					if _, ok := users[u]; !ok {
						t.Errorf("user %q not loaded: %v", u, users)
					}
				}
				if len(users) != len(tc.users) {
					t.Errorf("%d users, want %d", len(users), len(tc.users))
				}
				return
			}
			var list adminfile.List
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T), want an adminfile.List", err, err)
			}
			if got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); !strings.HasPrefix(got, strings.Join(tc.want, "\n")) || strings.Count(got, "\n") != len(tc.want)-1 {
				t.Errorf("got\n%s\nwant\n%s", got, strings.Join(tc.want, "\n"))
			}
		})
	}
}

// loadUsers never panics, and each error it reports is at a line of the
// file and a column within that line.
func FuzzLoadUsers(f *testing.F) {
	for _, s := range []string{"alice:$2a$04$abcdefghijklmnopqrstuu\n", "x\n:y\n\tjosé:plain\n", "# c\n\n a:b:c\n"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, file string) {
		path := filepath.Join(dir, "users")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadUsers(path)
		var list adminfile.List
		if err != nil && !errors.As(err, &list) {
			t.Fatalf("error %v (%T), want an adminfile.List", err, err)
		}
		lines := strings.Split(file, "\n")
		for _, e := range list {
			if e.Line == 0 && len(list) == 1 && strings.HasPrefix(e.Msg, "no agents:") {
				continue // the file as a whole: no user in it
			}
			if e.Line < 1 || e.Line > len(lines) || e.Col < 1 || e.Col > len([]rune(lines[e.Line-1]))+1 {
				t.Errorf("%+v is outside the file", e)
			}
		}
	})
}

// serve refuses to start with a submission listener whose users file has
// no user, naming the file, instead of running a port nobody can log in to.
func TestEmptyUsersFileStopsServe(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "agents.passwd")
	if err := os.WriteFile(users, []byte("# agents: none yet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfgFile, []byte(`hostname: frontdesk.test
domains: [support.test]
data_dir: data
smtp: {listen: "127.0.0.1:0"}
submission: {listen: "127.0.0.1:0", users_file: agents.passwd, allow_insecure_auth: true}
http: {listen: "127.0.0.1:0"}
`), 0o644)
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(context.Background(), Options{Config: cfg, Registry: prometheus.NewRegistry(), Logger: testLogger(t)})
	if err == nil {
		g.Close()
		t.Fatal("the gateway started with a users file that lists no agent")
	}
	// at the key in the config, as every file a config names (audit 2, F11)
	if want := cfgFile + ":5:49: submission.users_file: " + users + ": no agents:"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q; want it to start %q", err, want)
	}
	// refused before anything was written: no data dir, no store
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("the refused start left %s behind (%v)", filepath.Join(dir, "data"), err)
	}
}
