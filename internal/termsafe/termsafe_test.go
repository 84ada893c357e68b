package termsafe

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func safe(s string) string {
	var b bytes.Buffer
	NewWriter(&b).Write([]byte(s))
	return b.String()
}

func TestWriter(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SUP-1000  open  kettle\n", "SUP-1000  open  kettle\n"},
		{"a\tb\n", "a\tb\n"},
		{"水壶坏了 café\n", "水壶坏了 café\n"},
		{"esc \x1b]0;pwned\x07 \x1b[2J", `esc \u001b]0;pwned\u0007 \u001b[2J`},
		{"clip \x1b]52;c;ZWNobyBoaQ==\x07", `clip \u001b]52;c;ZWNobyBoaQ==\u0007`},
		{"over\rwrite", `over\u000dwrite`},
		{"nul\x00del\x7f", `nul\u0000del\u007f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"isolate \u2066x\u2069 sep\u2028", `isolate \u2066x\u2069 sep\u2028`},
		{"bad \xff\x9b byte", "bad \ufffd\ufffd byte"},
		{"cut at the end \xe6\xb0", "cut at the end "},
	} {
		if got := safe(c.in); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

// A character split between two writes comes out whole.
func TestWriterJoinsSplitCharacters(t *testing.T) {
	in := []byte("水\u202e\u009bé")
	for cut := range len(in) + 1 {
		var b bytes.Buffer
		w := NewWriter(&b)
		if n, err := w.Write(in[:cut]); n != cut || err != nil {
			t.Fatal(n, err)
		}
		w.Write(in[cut:])
		if want := safe(string(in)); b.String() != want {
			t.Errorf("cut at %d: %q, want %q", cut, b.String(), want)
		}
	}
}

func check(t *testing.T, s string, chunk int) {
	var whole, parts bytes.Buffer
	NewWriter(&whole).Write([]byte(s))
	w := NewWriter(&parts)
	for b := []byte(s); len(b) > 0; {
		n := min(chunk, len(b))
		w.Write(b[:n])
		b = b[n:]
	}
	out := whole.String()
	if parts.String() != out {
		t.Fatalf("%q in chunks of %d: %q, at once %q", s, chunk, parts.String(), out)
	}
	if !utf8.ValidString(out) {
		t.Fatalf("%q: output not UTF-8: %q", s, out)
	}
	for _, r := range out {
		if Unsafe(r) {
			t.Fatalf("%q: output keeps %U: %q", s, r, out)
		}
	}
	// JSON through the writer decodes to the same string.
	enc, _ := json.Marshal(s)
	var back, direct string
	json.Unmarshal(enc, &direct)
	if err := json.Unmarshal([]byte(safe(string(enc))), &back); err != nil || back != direct {
		t.Fatalf("%q: JSON through the writer: %q, %v", s, back, err)
	}
}

func FuzzWriter(f *testing.F) {
	f.Add("esc \x1b[2J\r\n\u202e\xff", 3)
	f.Add("水壶 \u009b", 1)
	f.Fuzz(func(t *testing.T, s string, chunk int) {
		if chunk < 1 || chunk > 64 {
			chunk = 7
		}
		check(t, s, chunk)
	})
}
