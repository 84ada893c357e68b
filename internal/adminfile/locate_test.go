package adminfile

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Each broken file is refused by go-yaml v3; Locate must put the error on
// the line and column where the mistake is, which go-yaml v3 alone does
// not (its line is given for comparison).
func TestLocate(t *testing.T) {
	for _, c := range []struct {
		name, src string
		v3        string // what go-yaml v3 says, for the record
		want      string // line:col: message
	}{
		{"unclosed flow sequence", "calendars:\n  office:\n    timezone: [Asia\n",
			"line 2", "3:15: sequence end token ']' not found"},
		{"tab in indentation", "a:\n  b: 1\n  c: 2\n\td: 3\n",
			"line 3", "4:1: found character '\t' that cannot start any token"},
		{"unclosed flow map", "departments:\n  support: {addresses: [support]\ndefault_department: support\n",
			"line 1", "3:1: ',' or '}' must be specified"},
		{"unclosed quote", "a: 1\nkey: 'x\n",
			"line 2", "2:6: could not find end character of single-quoted text"},
		{"mapping value in a scalar", "a: 1\nb: c: d\n",
			"line 2", "2:4: mapping value is not allowed in this context"},
		{"control character", "a: 1\nb: x\x01y\n",
			"control characters are not allowed", "2:5: control characters are not allowed"},
		{"not UTF-8", "a: 1\nb: caf\xe9\n",
			"invalid", "2:7: not UTF-8 (byte 0xe9): save the file as UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var n yaml.Node
			err := yaml.Unmarshal([]byte(c.src), &n)
			if err == nil {
				t.Fatal("go-yaml v3 accepts it")
			}
			if !strings.Contains(err.Error(), c.v3) {
				t.Logf("go-yaml v3 now says %q (was %q)", err, c.v3)
			}
			l, col, msg := Locate([]byte(c.src), err)
			if got := fmt.Sprintf("%d:%d: %s", l, col, msg); got != c.want {
				t.Errorf("Locate = %q, want %q", got, c.want)
			}
		})
	}
}

// When goccy/go-yaml finds nothing wrong, go-yaml v3's own line and
// message stand.
func TestLocateFallsBackToV3(t *testing.T) {
	err := fmt.Errorf("yaml: line 7: something only go-yaml v3 minds")
	if l, c, msg := Locate([]byte("a: 1\n"), err); l != 7 || c != 1 || msg != "something only go-yaml v3 minds" {
		t.Errorf("Locate = %d:%d: %s", l, c, msg)
	}
	if l, c, msg := Locate([]byte("a: 1\n"), fmt.Errorf("yaml: no line here")); l != 1 || c != 1 || msg != "no line here" {
		t.Errorf("Locate = %d:%d: %s", l, c, msg)
	}
}

func FuzzLocate(f *testing.F) {
	for _, s := range []string{"a: [1\n", "a:\n\tb: 1\n", "a: 'x\n", "a: &x [*x]\n", "- a\n b: 1\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n yaml.Node
		err := yaml.Unmarshal(data, &n)
		if err == nil {
			return
		}
		l, c, msg := Locate(data, err)
		if l < 1 || c < 1 || msg == "" {
			t.Errorf("Locate(%q) = %d:%d: %q", data, l, c, msg)
		}
	})
}
