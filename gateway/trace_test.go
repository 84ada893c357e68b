package gateway

import (
	"strings"
	"testing"
	"time"
)

// TestParseRcpt: rules test --rcpt takes an address and refuses anything
// else with a clear error (audit item 30).
func TestParseRcpt(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"sales@acme.example", "sales@acme.example"},
		{"<sales@acme.example>", "sales@acme.example"},
		{" Sales@Acme.example ", "Sales@Acme.example"},
		{"not an address", ""},
		{"sales", ""},
		{"", ""},
		{"Sales <sales@acme.example>", ""},
		{"a@b.example, c@d.example", ""},
	} {
		got, err := ParseRcpt(c.in)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("ParseRcpt(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if err != nil && err.Error() != "not a mail address: want local@domain, e.g. support@example.com" {
			t.Errorf("ParseRcpt(%q): %v", c.in, err)
		}
	}
}

func FuzzParseRcpt(f *testing.F) {
	for _, s := range []string{"sales@acme.example", "<a@b>", "not an address", "\"a b\"@c.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		a, err := ParseRcpt(v)
		if err == nil && (!strings.Contains(a, "@") || strings.ContainsAny(a, "\r\n")) {
			t.Errorf("ParseRcpt(%q) = %q", v, a)
		}
	})
}

// TestParseNow: rules test --now says what it wants, not Go's layout.
func TestParseNow(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2026-12-07T10:00:00Z", time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},
		{"2026-12-07T18:00:00+08:00", time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},
		{"tomorrow", time.Time{}},
		{"2026-12-07", time.Time{}},
		{"2026-12-07 10:00:00", time.Time{}},
	} {
		got, err := ParseNow(c.in)
		if !got.Equal(c.want) || (c.want.IsZero()) != (err != nil) {
			t.Errorf("ParseNow(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if err != nil && (err.Error() != "want RFC 3339, e.g. 2026-12-07T10:00:00Z" || strings.Contains(err.Error(), "2006")) {
			t.Errorf("ParseNow(%q): %v", c.in, err)
		}
	}
}
