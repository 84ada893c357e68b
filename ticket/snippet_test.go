package ticket

import (
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 5, ""},
		{"  hello  \n", 5, "hello"},
		{"hello world", 5, "hello…"},
		{"hello", 5, "hello"},
		{"水壶坏了，请帮忙", 4, "水壶坏了…"},
		{"水壶坏了", 4, "水壶坏了"},
		{"a水b", 2, "a水…"},
		{strings.Repeat("x", 10000), 3, "xxx…"},
	}
	for _, tc := range tests {
		if got := Snippet(tc.s, tc.n); got != tc.want {
			t.Errorf("Snippet(%.20q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

// FuzzSnippet checks Snippet against its definition: the first n runes of
// the trimmed text, with an ellipsis when something was cut.
func FuzzSnippet(f *testing.F) {
	f.Add("  水壶坏了，请帮忙 ", 3)
	f.Add("hello", 0)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		s = strings.ToValidUTF8(s, "?")
		r := []rune(strings.TrimSpace(s))
		want := string(r)
		if len(r) > n {
			want = string(r[:n]) + "…"
		}
		if got := Snippet(s, n); got != want {
			t.Errorf("Snippet(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}
