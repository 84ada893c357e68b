package compose

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	"github.com/jhillyerd/enmime/v2"
)

// crlfByReplace is what toCRLF did before it was made one pass: every
// CRLF to LF, then every LF to CRLF.
func crlfByReplace(b []byte) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", "\r\n"))
}

var crlfCases = []string{
	"", "a", "\n", "\r", "\r\n", "\n\n", "\r\r\n", "\n\r", "a\nb", "a\r\nb\n", "a\r\nb\r\n",
	"<p>Hi</p>\n<p>there</p>\n", "tail\r", "x\r\r\r\n\ny", "\r\n\r\n\n",
}

// TestToCRLF: every line ends with CRLF, a lone CR stays, and the
// result is byte for byte what two replacements made.
func TestToCRLF(t *testing.T) {
	want := map[string]string{"a\nb": "a\r\nb", "\r\r\n": "\r\r\n", "\n\r": "\r\n\r", "a\r\nb\n": "a\r\nb\r\n"}
	for _, s := range crlfCases {
		checkCRLF(t, s)
		if w, ok := want[s]; ok {
			if got := string(toCRLF([]byte(s))); got != w {
				t.Errorf("toCRLF(%q) = %q, want %q", s, got, w)
			}
		}
	}
}

func FuzzToCRLF(f *testing.F) {
	for _, s := range crlfCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkCRLF(t, s) })
}

func checkCRLF(t *testing.T, s string) {
	in := []byte(s)
	if got, want := toCRLF(in), crlfByReplace([]byte(s)); !bytes.Equal(got, want) {
		t.Fatalf("toCRLF(%q) = %q, want %q", s, got, want)
	}
	if string(in) != s {
		t.Fatalf("toCRLF changed its argument %q to %q", s, in)
	}
}

// tidyTextByJoin is tidyText as it was before it made its result in one
// copy.
func tidyTextByJoin(b []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return []byte(strings.Join(out, "\r\n") + "\r\n")
}

// FuzzTidyText: tidyText makes the bytes it made with strings.Join,
// an empty text's lone CRLF included.
func FuzzTidyText(f *testing.F) {
	for _, s := range append(crlfCases, "\n\nHello  \n\n\n\nWorld\t\n\n", " \t\n") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tidyText([]byte(s)), tidyTextByJoin([]byte(s)); !bytes.Equal(got, want) {
			t.Fatalf("tidyText(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestBodiesEndWithCRLF: a text or HTML part made from a string without a
// final line break (the notices to agents, the #resolve reply after its
// rating links) still ends with CRLF, whatever transfer encoding enmime
// picks; before, the mail's last line had none.
func TestBodiesEndWithCRLF(t *testing.T) {
	c := Composer{Hostname: "mx.acme.example"}
	base := func(text, html string) *Mail {
		m := &Mail{From: mail.Address{Address: "support@acme.example"}, To: []mail.Address{{Address: "bob@example.com"}},
			Subject: "Re: kettle", MessageID: "x.1@mx.acme.example", Date: now}
		if text != "" {
			m.Text = []byte(text)
		}
		if html != "" {
			m.HTML = []byte(html)
		}
		return m
	}
	for _, tc := range []struct {
		name string
		mail func() ([]byte, error)
	}{
		{"notice", func() ([]byte, error) {
			raw, _, err := c.Notice(Notice{To: "alice@acme.example", TicketTag: "SUP-1042", Subject: "Not moved",
				Text: "#move needs a department. The departments are: finance, support.", Now: now})
			return raw, err
		}},
		{"reply with rating links", func() ([]byte, error) {
			return c.ToCustomer(base("Glad it works.\n\nHow did we do?\n  Good: http://help.test/t/x?rate=good\n  Bad: http://help.test/t/x?rate=bad", ""))
		}},
		{"Chinese", func() ([]byte, error) {
			return c.ToCustomer(base("很高兴问题解决了。\n请评价：http://help.test/t/x?rate=good", ""))
		}},
		{"quoted-printable", func() ([]byte, error) {
			return c.ToCustomer(base("Café: the price is €12 "+strings.Repeat("long ", 30), ""))
		}},
		{"text and HTML", func() ([]byte, error) { return c.ToCustomer(base("Hello", "<p>Hello</p>")) }},
		{"lone CR at the end", func() ([]byte, error) { return c.ToCustomer(base("tail\r", "")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := tc.mail()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasSuffix(raw, []byte("\r\n")) {
				t.Errorf("the mail ends with %q", raw[max(0, len(raw)-20):])
			}
			env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			parts := []*enmime.Part{env.Root}
			if env.Root.FirstChild != nil {
				parts = nil
				for p := env.Root.FirstChild; p != nil; p = p.NextSibling {
					parts = append(parts, p)
				}
			}
			for _, p := range parts {
				if !bytes.HasSuffix(p.Content, []byte("\r\n")) && !bytes.HasSuffix(p.Content, []byte("\n")) {
					t.Errorf("%s part (%s) ends with %q", p.ContentType, p.Header.Get("Content-Transfer-Encoding"), p.Content[max(0, len(p.Content)-20):])
				}
			}
		})
	}
}
