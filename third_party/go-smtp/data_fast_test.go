package smtp

import (
	"bufio"
	"bytes"
	"io"
	"math/rand"
	"net"
	"net/textproto"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
)

// slowDataReader is dataReader before the Frontdesk patch: the state
// machine a byte at a time. The patched reader must give the same bytes,
// the same end and the same errors for any input and any read sizes.
// It carries the fix for a dot and CR at the start of a line
// (TestDataReaderKeepsCRAfterLeadingDot), the one change in its output.
type slowDataReader struct {
	r     *bufio.Reader
	state int
}

func (r *slowDataReader) Read(b []byte) (n int, err error) {
	const (
		stateBeginLine = iota
		stateDot
		stateDotCR
		stateCR
		stateData
		stateEOF
	)
	for n < len(b) && r.state != stateEOF {
		var c byte
		c, err = r.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			break
		}
		switch r.state {
		case stateBeginLine:
			if c == '.' {
				r.state = stateDot
				continue
			}
			if c == '\r' {
				r.state = stateCR
				break
			}
			r.state = stateData
		case stateDot:
			if c == '\r' {
				r.state = stateDotCR
				continue
			}
			r.state = stateData
		case stateDotCR:
			if c == '\n' {
				r.state = stateEOF
				continue
			}
			// Frontdesk patch (as net/textproto): not the end marker, so
			// only the leading dot goes; emit the CR held back and read c
			// again in the middle of the line. Upstream dropped the CR, and
			// with c a CR went on in stateData through the CR LF after it,
			// so the end marker on the next line was taken for data.
			r.r.UnreadByte()
			c = '\r'
			r.state = stateData
		case stateCR:
			if c == '\n' {
				r.state = stateBeginLine
				break
			}
			r.state = stateData
		case stateData:
			if c == '\r' {
				r.state = stateCR
			}
		}
		b[n] = c
		n++
	}
	if err == nil && r.state == stateEOF {
		err = io.EOF
	}
	return
}

// readAllSizes reads r to its end with reads of the sizes rnd picks and
// returns the bytes, the error that ended it and what is left behind.
func readAllSizes(r io.Reader, rnd *rand.Rand) ([]byte, error) {
	var out []byte
	for {
		b := make([]byte, 1+rnd.Intn(300))
		n, err := r.Read(b)
		out = append(out, b[:n]...)
		if err != nil {
			return out, err
		}
	}
}

func checkDataReader(t *testing.T, in []byte, seed int64) {
	t.Helper()
	for _, bufSize := range []int{16, 4096} {
		fast := &dataReader{r: bufio.NewReaderSize(bytes.NewReader(in), bufSize)}
		slow := &slowDataReader{r: bufio.NewReaderSize(bytes.NewReader(in), bufSize)}
		got, gerr := readAllSizes(fast, rand.New(rand.NewSource(seed)))
		want, werr := readAllSizes(slow, rand.New(rand.NewSource(seed+1)))
		if !bytes.Equal(got, want) || gerr != werr {
			t.Fatalf("input %q (buffer %d):\n got %q, %v\nwant %q, %v", in, bufSize, got, gerr, want, werr)
		}
		rest, _ := io.ReadAll(fast.r)
		restSlow, _ := io.ReadAll(slow.r)
		if !bytes.Equal(rest, restSlow) {
			t.Fatalf("input %q: left %q, want %q", in, rest, restSlow)
		}
	}
}

func TestDataReaderMatchesByteAtATime(t *testing.T) {
	cases := []string{
		"hello\r\n.\r\n",
		"..dot stuffed\r\n.\r\nQUIT\r\n",
		"bare\nlf\r\n.\r\n",
		"bare\rcr\r\n.\r\n",
		"\r\n.\r\n",
		".\r\n",
		"no end",
		"line\r\n.x\r\n.\r\n\r\nafter",
		strings.Repeat("a", 5000) + "\r\n" + strings.Repeat("b\rc", 700) + "\r\n.\r\nMAIL FROM:<x>\r\n",
	}
	for i, c := range cases {
		checkDataReader(t, []byte(c), int64(i))
	}
}

func FuzzDataReader(f *testing.F) {
	f.Add([]byte("hello\r\n..x\r\n.\r\nQUIT\r\n"), int64(1))
	f.Add([]byte("a\rb\nc\r\n.\r"), int64(2))
	f.Fuzz(func(t *testing.T, in []byte, seed int64) { checkDataReader(t, in, seed) })
}

func TestLineLimitReader(t *testing.T) {
	for _, c := range []struct {
		in    string
		limit int
		ok    bool
	}{
		{"12345\r\n", 7, true},
		{"1234567\r\n", 7, false},
		{"1234567\n", 7, true}, // the line feed counts towards the next line
		{"12345678\n", 7, false},
		{"123456\n123456\n", 7, true},
		{"123456\n1234567", 7, false},
		{"\n\n\n", 1, true},
		{"a\n", 1, true},
		{"ab\n", 1, false},
		{strings.Repeat("x", 999) + "\n", 1000, true},
	} {
		r := &lineLimitReader{R: bytes.NewReader([]byte(c.in)), LineLimit: c.limit}
		_, err := io.ReadAll(r)
		if (err == nil) != c.ok {
			t.Errorf("%q with limit %d: err %v, want ok %v", c.in, c.limit, err, c.ok)
		}
		if _, again := r.Read(make([]byte, 8)); err != nil && again != ErrTooLongLine {
			t.Errorf("%q with limit %d: the Read after the error gave %v", c.in, c.limit, again)
		}
	}
}

// slowLineLimit is lineLimitReader's check before the patch.
func slowLineLimit(in []byte, limit int) bool {
	cur := 0
	for _, chr := range in {
		if chr == '\n' {
			cur = 0
		}
		cur++
		if cur > limit {
			return false
		}
	}
	return true
}

func FuzzLineLimitReader(f *testing.F) {
	f.Add([]byte("123\n4567\n"), uint8(4))
	f.Fuzz(func(t *testing.T, in []byte, limit uint8) {
		if limit == 0 {
			return
		}
		r := &lineLimitReader{R: bytes.NewReader(in), LineLimit: int(limit)}
		_, err := readAllSizes(r, rand.New(rand.NewSource(int64(len(in)))))
		if ok := err == io.EOF; ok != slowLineLimit(in, int(limit)) {
			t.Fatalf("%q limit %d: err %v", in, limit, err)
		}
	})
}

func checkDotWriter(t *testing.T, in []byte, seed int64) {
	t.Helper()
	var got, want bytes.Buffer
	fast := &dotWriter{w: bufio.NewWriterSize(&got, 16)}
	slow := textproto.NewWriter(bufio.NewWriterSize(&want, 16)).DotWriter()
	rnd := rand.New(rand.NewSource(seed))
	for rest := in; len(rest) > 0; {
		k := 1 + rnd.Intn(len(rest))
		if _, err := fast.Write(rest[:k]); err != nil {
			t.Fatal(err)
		}
		slow.Write(rest[:k])
		rest = rest[k:]
	}
	fast.Close()
	slow.Close()
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("input %q:\n got %q\nwant %q", in, got.Bytes(), want.Bytes())
	}
}

func TestDotWriterMatchesTextproto(t *testing.T) {
	for i, c := range []string{"", "a", ".", "a\r\n.b\r\n", "bare\nlf", "cr\r", "x\r\r\n..\n.", strings.Repeat("long line ", 500) + "\r\n.\r\n"} {
		checkDotWriter(t, []byte(c), int64(i))
	}
}

func FuzzDotWriter(f *testing.F) {
	f.Add([]byte("a\r\n.b\nc\r"), int64(1))
	f.Fuzz(func(t *testing.T, in []byte, seed int64) { checkDotWriter(t, in, seed) })
}

// bodyMB is 1 MB of base64 lines, as attachments travel.
func bodyMB() []byte {
	line := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk", 2)[:76] + "\r\n"
	return []byte(strings.Repeat(line, (1<<20)/len(line)))
}

func BenchmarkDataReader(b *testing.B) {
	in := append(bodyMB(), ".\r\n"...)
	buf := make([]byte, 32<<10)
	for _, c := range []struct {
		name string
		r    func(*bufio.Reader) io.Reader
	}{
		{"patched", func(br *bufio.Reader) io.Reader { return &dataReader{r: br} }},
		{"patched-line-limit", func(br *bufio.Reader) io.Reader { return &dataReader{r: br, lineLimit: 65536} }},
		{"byte-at-a-time", func(br *bufio.Reader) io.Reader { return &slowDataReader{r: br} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				r := c.r(bufio.NewReader(bytes.NewReader(in)))
				for {
					if _, err := r.Read(buf); err != nil {
						break
					}
				}
			}
		})
	}
}

func BenchmarkDotWriter(b *testing.B) {
	in := bodyMB()
	for _, c := range []struct {
		name string
		w    func(*bufio.Writer) io.WriteCloser
	}{
		{"patched", func(bw *bufio.Writer) io.WriteCloser { return &dotWriter{w: bw} }},
		{"textproto", func(bw *bufio.Writer) io.WriteCloser { return textproto.NewWriter(bw).DotWriter() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				w := c.w(bufio.NewWriter(io.Discard))
				w.Write(in)
				w.Close()
			}
		})
	}
}

// BenchmarkLineLimitReader reads 1 MB of base64 lines in 512-byte reads,
// as Frontdesk's session reads DATA.
func BenchmarkLineLimitReader(b *testing.B) {
	in := bytes.Repeat([]byte(strings.Repeat("QUJD", 19)+"\r\n"), (1<<20)/78)
	buf := make([]byte, 512)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r := &lineLimitReader{R: bytes.NewReader(in), LineLimit: 65536}
		for {
			if _, err := r.Read(buf); err != nil {
				break
			}
		}
	}
}

// countingListener counts the Read calls on the connections it accepts.
type countingListener struct {
	net.Listener
	reads *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return countingConn{c, l.reads}, err
}

type countingConn struct {
	net.Conn
	reads *atomic.Int64
}

func (c countingConn) Read(b []byte) (int, error) {
	c.reads.Add(1)
	return c.Conn.Read(b)
}

// A 1 MB message is read in 32 KB reads, not textproto's 4 KB (Frontdesk
// patch): at least 256 reads before, here far fewer; and a command
// pipelined right after the message still arrives.
func TestDataReadsInLargeChunks(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var reads atomic.Int64
	be := new(discardBackend)
	s := NewServer(be)
	s.Domain = "localhost"
	s.MaxMessageBytes = 4 << 20
	go s.Serve(countingListener{l, &reads})
	defer s.Close()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	expect := func(code string) {
		t.Helper()
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(line, code) {
				t.Fatalf("want %s, got %q", code, line)
			}
			if line[3] != '-' {
				return
			}
		}
	}
	expect("220")
	io.WriteString(c, "EHLO client\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n")
	expect("250")
	expect("250")
	expect("250")
	expect("354")
	before := reads.Load()
	body := bytes.Repeat([]byte(strings.Repeat("QUJD", 19)+"\r\n"), (1<<20)/78)
	go func() {
		c.Write(body)
		io.WriteString(c, ".\r\nNOOP\r\n")
	}()
	expect("250")
	n := reads.Load() - before
	expect("250") // the pipelined NOOP
	if n >= 128 {
		t.Errorf("%d reads for a 1 MB message; with 4 KB reads it takes at least 256", n)
	}
	if got := be.n.Load(); got != int64(len(body)) {
		t.Errorf("the session read %d bytes, want %d", got, len(body))
	}
}

type discardBackend struct{ n atomic.Int64 }

func (b *discardBackend) NewSession(*Conn) (Session, error) { return discardSession{b}, nil }

type discardSession struct{ b *discardBackend }

func (discardSession) Reset()                          {}
func (discardSession) Logout() error                   { return nil }
func (discardSession) Mail(string, *MailOptions) error { return nil }
func (discardSession) Rcpt(string, *RcptOptions) error { return nil }
func (s discardSession) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	s.b.n.Add(n)
	return err
}

// A line that starts with a dot loses only the dot (RFC 5321 §4.5.2):
// upstream's state machine also dropped a CR after it when no LF followed
// (".\rb" became "b"), so the mail filed was not the mail sent. An end
// marker is only CR LF "." CR LF: bare LFs and CRs around a dot (SMTP
// smuggling) are data.
func TestDataReaderKeepsCRAfterLeadingDot(t *testing.T) {
	for _, tc := range []struct{ in, want, rest string }{
		{"a\r\n.\rb\r\n.\r\n", "a\r\n\rb\r\n", ""},
		{".\rb\r\n.\r\n", "\rb\r\n", ""},
		{"a\r\n.\r\r\n.\r\n", "a\r\n\r\r\n", ""},
		{"a\r\n.\r.\r\n.\r\n", "a\r\n\r.\r\n", ""},
		{"a\r\n..\r\n.\r\nQUIT\r\n", "a\r\n.\r\n", "QUIT\r\n"},
		{"a\n.\r\nMAIL FROM:<x@y>\r\n.\r\n", "a\n.\r\nMAIL FROM:<x@y>\r\n", ""},
		{"a\r.\r\nMAIL FROM:<x@y>\r\n.\r\n", "a\r.\r\nMAIL FROM:<x@y>\r\n", ""},
		{"a\r\n.\nMAIL FROM:<x@y>\r\n.\r\n", "a\r\n\nMAIL FROM:<x@y>\r\n", ""},
		{"a\n.\nb\r\n.\r\n", "a\n.\nb\r\n", ""},
	} {
		for _, bufSize := range []int{16, 4096} {
			for _, slow := range []bool{false, true} {
				br := bufio.NewReaderSize(bytes.NewReader([]byte(tc.in)), bufSize)
				var r io.Reader = &dataReader{r: br}
				if slow {
					r = &slowDataReader{r: br}
				}
				got, err := io.ReadAll(r)
				rest, _ := io.ReadAll(br)
				if string(got) != tc.want || err != nil || string(rest) != tc.rest {
					t.Errorf("%q (buffer %d, byte at a time %v): got %q, %v, left %q; want %q, left %q",
						tc.in, bufSize, slow, got, err, rest, tc.want, tc.rest)
				}
			}
		}
	}
}

// firstLongByte is where in the wire bytes in the first byte of a line
// longer than limit (its LF included; any LF ends a line) is, or -1.
func firstLongByte(in []byte, limit int) int {
	start := 0
	for i, c := range in {
		if i-start+1 > limit {
			return i
		}
		if c == '\n' {
			start = i + 1
		}
	}
	return -1
}

// checkDataReaderLineLimit: with a line limit, dataReader gives the bytes
// it gives without one, up to the first byte that makes a line of the
// message (up to its end marker) longer than the limit; there it fails
// with ErrTooLongLine, that byte unread, and drain reads on to the same end
// and leaves the same bytes behind as a reader without the limit. Without
// such a line it is the reader without the limit.
func checkDataReaderLineLimit(t *testing.T, in []byte, limit int, seed int64) {
	t.Helper()
	for _, bufSize := range []int{16, 4096} {
		ref := &dataReader{r: bufio.NewReaderSize(bytes.NewReader(in), bufSize)}
		want, werr := readAllSizes(ref, rand.New(rand.NewSource(seed)))
		rest, _ := io.ReadAll(ref.r)
		message := in[:len(in)-len(rest)] // the wire bytes of the message
		over := firstLongByte(message, limit)

		src := bytes.NewReader(in)
		r := &dataReader{r: bufio.NewReaderSize(src, bufSize), lineLimit: limit}
		got, err := readAllSizes(r, rand.New(rand.NewSource(seed+1)))
		if over < 0 {
			if !bytes.Equal(got, want) || err != werr || r.tooLong {
				t.Fatalf("input %q, limit %d (buffer %d): got %q, %v; want %q, %v", in, limit, bufSize, got, err, want, werr)
			}
			continue
		}
		if err != ErrTooLongLine || !r.tooLong {
			t.Fatalf("input %q, limit %d (buffer %d): %v, want ErrTooLongLine at byte %d", in, limit, bufSize, err, over)
		}
		if read := len(in) - src.Len() - r.r.Buffered(); read != over {
			t.Fatalf("input %q, limit %d (buffer %d): stopped after %d bytes, want %d", in, limit, bufSize, read, over)
		}
		if !bytes.HasPrefix(want, got) {
			t.Fatalf("input %q, limit %d (buffer %d): got %q before the error, not a prefix of %q", in, limit, bufSize, got, want)
		}
		r.limited, r.lineLimit = false, 0 // as drain
		more, err := readAllSizes(r, rand.New(rand.NewSource(seed+2)))
		if got = append(got, more...); !bytes.Equal(got, want) || err != werr {
			t.Fatalf("input %q, limit %d (buffer %d): drained to %q, %v; want %q, %v", in, limit, bufSize, got, err, want, werr)
		}
		if left, _ := io.ReadAll(r.r); !bytes.Equal(left, rest) {
			t.Fatalf("input %q, limit %d (buffer %d): left %q, want %q", in, limit, bufSize, left, rest)
		}
	}
}

func TestDataReaderLineLimit(t *testing.T) {
	long := strings.Repeat("x", 30)
	for i, c := range []struct {
		in    string
		limit int
	}{
		{"short\r\n.\r\nQUIT\r\n", 10},
		{"1234567\r\n.\r\n", 9},                            // at the limit
		{"12345678\r\n.\r\n", 9},                           // one over: the LF
		{"123456789\r\n.\r\n", 9},                          // one over: the CR
		{"..234567\r\n.\r\n", 9},                           // the stuffed dot counts
		{"a\r\n" + long + "\r\nb\r\n.\r\nQUIT\r\n", 10},    // then drained to the end marker
		{"a\r\n" + long + "\r\n.\r\n" + long + "\r\n", 10}, // what follows the end marker is not measured
		{".\rx" + long + "\r\n.\r\n", 10},
		{"bare\n" + long + "\n.\r\n", 10},
		{"ab\r\n.\r\n", 2}, // the end marker line itself
		{long, 10},         // no end marker
		{"a\r\n" + strings.Repeat("b\r\n", 20) + long + "\r\n.\r\n", 10},
	} {
		checkDataReaderLineLimit(t, []byte(c.in), c.limit, int64(i))
	}
}

func FuzzDataReaderLineLimit(f *testing.F) {
	f.Add([]byte("hello\r\n..x\r\n.\r\nQUIT\r\n"), uint8(4), int64(1))
	f.Add([]byte("a\rb\nc\r\n.\r"), uint8(2), int64(2))
	f.Add([]byte("abcdefgh\r\nxy\r\n.\r\n"), uint8(9), int64(3))
	f.Fuzz(func(t *testing.T, in []byte, limit uint8, seed int64) {
		checkDataReaderLineLimit(t, in, 1+int(limit%64), seed)
	})
}

// readLines reads in with Conn.readLine, limit and reads of the sizes r
// gives, and returns each result: a line, or "ERR" for ErrTooLongLine.
func readLines(t *testing.T, in io.Reader, bufSize, limit int) []string {
	t.Helper()
	c := &Conn{server: &Server{MaxLineLength: limit}}
	c.text = textproto.NewConn(struct {
		io.Reader
		io.Writer
		io.Closer
	}{in, io.Discard, io.NopCloser(nil)})
	c.text.R = bufio.NewReaderSize(in, bufSize)
	var out []string
	for {
		l, err := c.readLine()
		switch err {
		case nil:
			out = append(out, l)
		case ErrTooLongLine:
			out = append(out, "ERR")
		case io.EOF:
			return out
		default:
			t.Fatal(err)
		}
	}
}

// wantLines is what readLines should give: each line (ended by LF or by the
// end of the input) longer than limit with its line ending is "ERR", the
// others are the line without LF or CR LF.
func wantLines(in []byte, limit int) []string {
	var out []string
	for len(in) > 0 {
		n := bytes.IndexByte(in, '\n') + 1
		if n == 0 {
			n = len(in)
		}
		l := in[:n]
		in = in[n:]
		if limit > 0 && len(l) > limit {
			out = append(out, "ERR")
			continue
		}
		if bytes.HasSuffix(l, []byte("\n")) {
			l = bytes.TrimSuffix(bytes.TrimSuffix(l, []byte("\n")), []byte("\r"))
		}
		out = append(out, string(l))
	}
	return out
}

func checkReadLine(t *testing.T, in []byte, limit int) {
	t.Helper()
	want := wantLines(in, limit)
	for _, bufSize := range []int{16, 4096} {
		for _, r := range []io.Reader{bytes.NewReader(in), iotest.OneByteReader(bytes.NewReader(in)), iotest.HalfReader(bytes.NewReader(in))} {
			if got := readLines(t, r, bufSize, limit); strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
				t.Fatalf("input %q, limit %d (buffer %d): got %q, want %q", in, limit, bufSize, got, want)
			}
		}
	}
}

// readLine measures each command line alone (its CR LF included), skips
// the rest of one that is too long, and keeps the rest of the input.
func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, c := range []struct {
		in    string
		limit int
	}{
		{"NOOP\r\nQUIT\r\n", 10},
		{"12345678\r\n123456789\r\n1234567890\r\n", 10},
		{"NOOP " + long + "\r\nNOOP\r\n", 10},
		{"NOOP " + long + "\nNOOP\n", 10},
		{"NOOP " + long, 10},
		{"QUIT", 10},
		{"a\rb\r\n\r\n\n", 10},
		{long + "\r\n" + long + "\r\nok\r\n", 0},
	} {
		checkReadLine(t, []byte(c.in), c.limit)
	}
}

func FuzzReadLine(f *testing.F) {
	f.Add([]byte("NOOP\r\nMAIL FROM:<a@b>\r\n"), uint8(8))
	f.Add([]byte("x\ry\r\n\n\r"), uint8(2))
	f.Fuzz(func(t *testing.T, in []byte, limit uint8) { checkReadLine(t, in, int(limit%64)) })
}
