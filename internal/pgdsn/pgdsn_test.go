package pgdsn

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		dsn, err string // err: "" for none, else a part of the message
	}{
		{"postgres://frontdesk@db1.internal/frontdesk?sslmode=disable", ""},
		{"postgresql://u:secret@127.0.0.1:5433/fd", ""},
		{"host=db1 user=frontdesk dbname=frontdesk password=secret", ""},
		{"", "empty"},
		{"   ", "empty"},
		{"mysql://u@h/db", "not postgres://"},
		{"postgres://u:secret@h:notaport/db", "cannot parse"},
		{"postgres://u@h/db?sslmode=sometimes", "sslmode"},
		{"host=h port=x", "cannot parse"},
		// The pool's and pgx's own parameters, which the store reads
		// (pgxpool.ParseConfig): refused here, at the config's load, not
		// first when serve opens the store.
		{"postgres://u@h/db?pool_max_conns=20&pool_min_conns=2", ""},
		{"postgres://u:secret@h/db?pool_max_conns=0", "pool_max_conns"},
		{"postgres://u@h/db?pool_max_conns=many", "pool_max_conns"},
		{"host=h pool_max_conn_lifetime=forever password=secret", "pool_max_conn_lifetime"},
		{"postgres://u@h/db?default_query_exec_mode=fastest", "default_query_exec_mode"},
		{"postgres://u@h/db?synchronous_commit=remote_apply", ""},
		{"postgres://u:secret@h/db?synchronous_commit=off", "synchronous_commit=off: a 250 must mean"},
		{"host=h synchronous_commit=local", "synchronous_commit=local"},
	} {
		err := Check(tc.dsn)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("Check(%q) = %v", tc.dsn, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Check(%q) = %v, want an error with %q", tc.dsn, err, tc.err)
		case err != nil && strings.Contains(err.Error(), "secret"):
			t.Errorf("Check(%q) quotes the password: %v", tc.dsn, err)
		}
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://frontdesk@db1/fd?sslmode=verify-full", "postgres://frontdesk@db1/fd?sslmode=verify-full"},
		{"postgres://frontdesk:s3cr%40t@db1/fd", "postgres://frontdesk:xxxxx@db1/fd"},
		{"postgres://u@db1/fd?password=secret&sslmode=disable", "postgres://u@db1/fd?password=xxxxx&sslmode=disable"},
		{"host=db1 password=secret dbname=fd", "host=db1 password=xxxxx dbname=fd"},
		{"host=db1 password = 'se cret' dbname=fd", "host=db1 password = xxxxx dbname=fd"},
		{"postgres://u:pa ss%zz@db1/fd", "postgres://xxxxx@db1/fd"},
	} {
		if got := Redact(tc.dsn); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
}

func TestErr(t *testing.T) {
	base := errors.New("boom")
	dsn := "postgres://u:s3cr%40t@db1/fd"
	err := Err(fmt.Errorf("open postgres://u:s3cr%%40t@db1/fd (s3cr@t): %w", base), dsn)
	if strings.Contains(err.Error(), "s3cr") || !errors.Is(err, base) {
		t.Errorf("Err = %q (wraps boom: %v)", err, errors.Is(err, base))
	}
	if e := fmt.Errorf("x"); Err(e, dsn) != e {
		t.Error("an error without the password is not returned as is")
	}
	if Err(nil, dsn) != nil {
		t.Error("Err(nil) != nil")
	}
}

// FuzzRedact: whatever the string, a password the parser finds in it is
// neither in Redact's output nor in an error quoting the string.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"postgres://u:pw@h/db", "host=h password=pw", "postgres://u@h/db?password=pw", "postgresql://:pw@/db", "password='a b'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		red := Redact(dsn)
		// The password pgx would connect with, when it occurs once in the
		// string (else the same letters may be a user or host name).
		if c, err := pgconn.ParseConfig(dsn); err == nil && len(c.Password) >= 3 && strings.Count(dsn, c.Password) == 1 && !strings.Contains(Mask, c.Password) {
			if strings.Contains(red, c.Password) {
				t.Fatalf("Redact(%q) = %q shows the password %q", dsn, red, c.Password)
			}
		}
		e := Err(errors.New("quote: "+dsn), dsn)
		for _, p := range passwords(dsn) {
			if len(p) < 3 || strings.Contains(Mask, p) {
				continue // too short to tell from the rest of the string
			}
			if strings.Contains(e.Error(), p) {
				t.Fatalf("Err of %q shows the password %q: %q", dsn, p, e)
			}
		}
	})
}
