package message

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testmail"

	"github.com/jhillyerd/enmime/v2"
)

// nested builds a mail of depth multiparts nested in one another around a
// text part padded to about size bytes.
func nested(depth, size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Bob <bob@customer.example>\r\nSubject: nested\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i-1, i)
	}
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\nhello from the bottom\r\n", depth-1)
	line := strings.Repeat("x", 76) + "\r\n"
	for b.Len() < size {
		b.WriteString(line)
	}
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.Bytes()
}

// flat builds a multipart/mixed of n small parts.
func flat(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Subject: flat\r\nContent-Type: multipart/mixed; boundary=\"f\"\r\n\r\n")
	for i := range n {
		fmt.Fprintf(&b, "--f\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--f--\r\n")
	return b.Bytes()
}

func TestScan(t *testing.T) {
	cases := []struct {
		name  string
		raw   []byte
		depth int
		parts int
		what  string // LimitError.What, "" for none
	}{
		{"plain text", []byte("Subject: hi\r\n\r\nhello\r\n"), 0, 0, ""},
		{"usual: mixed > alternative > text", nested(3, 1000), 3, 3, ""},
		{"at the depth limit", nested(16, 1000), 16, 16, ""},
		{"one level too deep", nested(17, 1000), 16, 16, "depth"},
		{"nesting bomb: 40,000 levels", nested(40000, 3<<20), 16, 16, "depth"},
		{"1000 parts", flat(1000), 1, 1000, ""},
		{"1001 parts", flat(1001), 1, 1001, "parts"},
		{"3 MB four levels deep", nested(4, 3<<20), 4, 4, ""},
		{"3 MB ten levels deep", nested(10, 3<<20), 10, 10, "work"},
		{"delimiter one byte in (enmime's window)", []byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n x--b\r\n\r\nbody\r\n x--b--\r\n"), 1, 1, ""},
		{"boundary on a continuation line", []byte("Content-Type: multipart/mixed;\r\n boundary=b\r\n\r\n--b\r\nContent-Type: x/y\r\n; boundary=c\r\n\r\n--c\r\n\r\nin c\r\n--c--\r\n--b--\r\n"), 2, 2, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t0 := time.Now()
			st, err := Scan(c.raw, DefaultLimits)
			if d := time.Since(t0); d > 200*time.Millisecond {
				t.Errorf("scan took %v", d)
			}
			var le *LimitError
			switch {
			case c.what == "" && err != nil:
				t.Fatalf("Scan: %v", err)
			case c.what != "" && (!errors.As(err, &le) || le.What != c.what):
				t.Fatalf("Scan: %v, want a %s limit", err, c.what)
			}
			if c.what != "work" && (st.Depth != c.depth || st.Parts != c.parts) {
				t.Errorf("depth %d, parts %d; want %d, %d", st.Depth, st.Parts, c.depth, c.parts)
			}
		})
	}
}

// Issue 17: a 3 MB mail nested 40,000 levels deep took ~39 s of CPU in the
// MIME parser. It is now refused by the scan before the decoder sees it:
// its headers are still read, its body is kept as text, and the error says
// why, all in a fraction of a second.
func TestParseNestingBombFallsBackQuickly(t *testing.T) {
	raw := nested(40000, 3<<20)
	t0 := time.Now()
	m, err := Parse(raw)
	d := time.Since(t0)
	var le *LimitError
	if !errors.As(err, &le) || le.What != "depth" {
		t.Fatalf("err = %v, want a depth LimitError", err)
	}
	if d > time.Second {
		t.Errorf("Parse took %v", d)
	}
	if m.Subject != "nested" || m.From.Address != "bob@customer.example" || !strings.Contains(m.Text, "hello from the bottom") {
		t.Errorf("fallback message: subject %q, from %q, %d bytes of text", m.Subject, m.From.Address, len(m.Text))
	}
}

// Mail within the limits parses as before.
func TestParseWithinLimits(t *testing.T) {
	m, err := Parse(nested(4, 2000))
	if err != nil || !strings.Contains(m.Text, "hello from the bottom") {
		t.Fatalf("Parse: %v, text %q", err, m.Text)
	}
}

func TestDropBareCR(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb":     "a\r\nb",
		"a\rb\r\n":   "a b\r\n",
		"a\r":        "a ",
		"\r\r\n\r":   " \r\n ",
		"no cr here": "no cr here",
	} {
		if got := string(dropBareCR([]byte(in))); got != want {
			t.Errorf("dropBareCR(%q) = %q, want %q", in, got, want)
		}
	}
}

// enmimeShape is the deepest nesting of a part in enmime's tree and its
// number of parts (the root not counted).
func enmimeShape(root *enmime.Part) (depth, parts int) {
	var walk func(p *enmime.Part, d int)
	walk = func(p *enmime.Part, d int) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			parts++
			depth = max(depth, d+1)
			walk(c, d+1)
		}
	}
	walk(root, 0)
	return depth, parts
}

// FuzzScanBoundsEnmime: the limits hold only if Scan never sees less
// structure than enmime builds. For any input, the depth and part count of
// enmime's tree are at most what Scan reports; and Parse never panics.
func FuzzScanBoundsEnmime(f *testing.F) {
	for _, s := range [][]byte{
		nested(3, 300), flat(3),
		[]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n x--b\r\n\r\nbody\r\n x--b--\r\n"),
		[]byte("Content-Type: multipart/mixed;\r\n boundary=b\r\n\r\n--b\r\nContent-Type: x/y\r\n; boundary=c\r\n\r\n--c\r\n\r\nin c\r\n--c--\r\n--b--\r\n"),
		[]byte("Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\na\r\n-- \r\nContent-Type: multipart/x; boundary=--\r\n\r\n----\r\n\r\n"),
		[]byte("Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nx\n--a\nContent-Type: multipart/related; boundary=\"a b\"\n\n--a b\n\ny\n--a b--\n--a--\n"),
	} {
		f.Add(s)
	}
	loose := Limits{MaxDepth: 1 << 20, MaxParts: 1 << 20, MaxWorkPerByte: 1 << 20, WorkAllowance: 1 << 40}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 1<<16 {
			return
		}
		_, _ = Parse(raw)
		src := dropBareCR(raw)
		st, err := Scan(src, loose)
		if err != nil {
			t.Fatalf("Scan with no practical limits: %v", err)
		}
		root, err := enmime.NewParser(enmime.MaxMIMEParts(1<<20), enmime.DisableCharacterDetection(true)).ReadParts(bytes.NewReader(src))
		if err != nil {
			return // enmime gave up: no tree to compare
		}
		if d, n := enmimeShape(root); d > st.Depth || n > st.Parts {
			t.Fatalf("enmime: depth %d, %d parts; Scan: depth %d, %d parts\n%q", d, n, st.Depth, st.Parts, src)
		}
	})
}

// FuzzScanSkipsAsLinesWould: passing a part's lines without a '-' at once
// (issue 21) finds what reading them line by line finds: the same
// structure, error and leaf parts.
func FuzzScanSkipsAsLinesWould(f *testing.F) {
	raw, _ := testmail.WithAttachments(8<<10, 2, 1)
	f.Add(raw, 4)
	f.Add(nested(3, 4000), 4)
	f.Add(nested(10, 64<<10), 1)
	f.Add([]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: x/y\r\n\r\nAAAA\r\nBB-B\r\n x--b\r\n\r\nbody\r\n--b--\r\n"), 4)
	f.Fuzz(func(t *testing.T, raw []byte, perByte int) {
		lim := DefaultLimits
		lim.MaxWorkPerByte, lim.WorkAllowance = int64(perByte%8), 4096
		type part struct {
			hdr        string
			start, end int
		}
		run := func(skip bool) (Structure, error, []part) {
			var parts []part
			st, err := scanLines(raw, lim, func(hdr []byte, start, end int) {
				parts = append(parts, part{string(hdr), start, end})
			}, skip)
			return st, err, parts
		}
		st1, err1, p1 := run(true)
		st2, err2, p2 := run(false)
		if st1 != st2 || fmt.Sprint(err1) != fmt.Sprint(err2) || !slices.Equal(p1, p2) {
			t.Fatalf("skipping: %+v %v %d parts; line by line: %+v %v %d parts", st1, err1, len(p1), st2, err2, len(p2))
		}
	})
}
