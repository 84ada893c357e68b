package gateway

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

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
			if got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); got != strings.Join(tc.want, "\n") {
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
			if e.Line < 1 || e.Line > len(lines) || e.Col < 1 || e.Col > len([]rune(lines[e.Line-1]))+1 {
				t.Errorf("%+v is outside the file", e)
			}
		}
	})
}
