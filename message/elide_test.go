package message

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testmail"
)

// same reports how the view Parse gives of raw differs from the view of
// decoding every part (the parse before attachments were cut out): only
// the attachments' sizes may differ, and only where enmime itself would
// have failed on them.
func same(t *testing.T, raw []byte) {
	t.Helper()
	got, gerr := parse(raw, DefaultLimits, true)
	want, werr := parse(raw, DefaultLimits, false)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("error %v, decoding every part: %v", gerr, werr)
	}
	if got.Subject != want.Subject || got.Text != want.Text || got.HTML != want.HTML || got.From != want.From || got.MessageID != want.MessageID {
		t.Errorf("view differs:\n got subject %q html %v text %.300q\nwant subject %q html %v text %.300q", got.Subject, got.HTML, got.Text, want.Subject, want.HTML, want.Text)
	}
	if !reflect.DeepEqual(got.Attachments, want.Attachments) {
		t.Errorf("attachments %+v, decoding every part %+v", got.Attachments, want.Attachments)
	}
	if !reflect.DeepEqual(got.header, want.header) {
		t.Errorf("headers differ: %v\nwant %v", got.header, want.header)
	}
	if got.Lang() != want.Lang() || got.Fresh() != want.Fresh() {
		t.Errorf("lang %s / fresh %.80q, decoding every part %s / %.80q", got.Lang(), got.Fresh(), want.Lang(), want.Fresh())
	}
}

// att is a part of a multipart built by the table below.
func att(boundary, header string, payload []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--%s\r\n%s\r\n\r\n", boundary, header)
	enc := base64.StdEncoding.EncodeToString(payload)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

func TestCutAttachmentsChangesNothingParseReports(t *testing.T) {
	pdf := bytes.Repeat([]byte("%PDF-1.7 \x00\xff binary"), 200)
	cases := map[string]string{
		"jpeg and pdf, RFC 2231 and 2047 names": string(must(testmail.WithAttachments(64<<10, 2, 7))),
		"three attachments, 1 MB":               string(must(testmail.WithAttachments(1<<20, 3, 8))),
		"alternative inside mixed, html and inline image": "Subject: =?GB2312?B?zcu/7snqx+s=?=\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n" +
			"--m\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain; charset=gbk\r\n\r\n\xce\xd2\xb5\xc4\xb6\xa9\xb5\xa5\r\n--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>我的订单</p>\r\n--a--\r\n" +
			att("m", "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: inline; filename=\"shot.png\"", pdf) +
			att("m", "Content-Type: application/pdf; name=\"=?GBK?B?t6LGsS5wZGY=?=\"\r\nContent-Transfer-Encoding: base64", pdf) + "--m--\r\n",
		"html only with an attachment": "Subject: y\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Where is <b>my order</b>?</p>\r\n" +
			att("m", "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64", pdf) + "--m--\r\n",
		"text attachment is decoded": "Subject: t\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nsee file\r\n" +
			att("m", "Content-Type: text/plain; charset=utf-8; name=log.txt\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=log.txt", bytes.Repeat([]byte("日志 line\n"), 100)) + "--m--\r\n",
		"LF line ends": strings.ReplaceAll("Subject: lf\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n"+
			att("m", "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64", pdf)+"--m--\r\n", "\r\n", "\n"),
		"padding and odd lengths": "Subject: p\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
			att("m", "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: BASE64", pdf[:1001]) + att("m", "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64", pdf[:1000]) + "--m--\r\n",
		"not base64: left to enmime": "Subject: q\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n--m\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			strings.Repeat("QUJD!REVG\r\n", 60) + "--m--\r\n",
		"unterminated": "Subject: u\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
			att("m", "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64", pdf),
		"a boundary look-alike inside the text": "Subject: b\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nhi\r\n--mm not a delimiter\r\n" +
			att("m", "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64", pdf) + "--m--\r\n",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) { same(t, []byte(raw)) })
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "eval", "*", "*.eml"))
	if len(files) == 0 {
		t.Log("no eval mails in ../../shared/eval")
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), func(t *testing.T) { same(t, raw) })
	}
}

func must(raw []byte, _ []testmail.Attachment) []byte { return raw }

func TestAttachmentsOfAGeneratedMail(t *testing.T) {
	raw, want := testmail.WithAttachments(256<<10, 3, 3)
	m, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != len(want) {
		t.Fatalf("%d attachments, want %d: %+v", len(m.Attachments), len(want), m.Attachments)
	}
	for i, a := range m.Attachments {
		if a.Name != want[i].Name || a.Type != want[i].Type || a.Size != want[i].Size {
			t.Errorf("attachment %d: %+v, want %+v", i, a, want[i])
		}
	}
	if !strings.Contains(m.Text, "cracked lid") || !strings.Contains(m.Text, "请尽快处理") {
		t.Errorf("text %q", m.Text)
	}
}

// TestAttachmentsAreNotDecoded: a 1 MB mail with three attachments is
// parsed with a small fraction of its size in allocations (decoding every
// part allocated twice its size).
func TestAttachmentsAreNotDecoded(t *testing.T) {
	raw, _ := testmail.WithAttachments(1<<20, 3, 4)
	Parse(raw) // warm up enmime's and the runtime's lazily built tables
	// TotalAlloc counts every goroutine of the test binary; whatever else
	// runs can only add to it, so the least of a few parses is this one's.
	least := uint64(1 << 62)
	for range 5 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := Parse(raw); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	if least > 128<<10 {
		t.Errorf("parsing a %d-byte mail allocated %d bytes; want at most 128 KB", len(raw), least)
	}
}

// FuzzCutAttachments: whatever the mail, cutting attachments out changes
// nothing Parse reports.
func FuzzCutAttachments(f *testing.F) {
	f.Add(must(testmail.WithAttachments(2<<10, 2, 1)))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n" + strings.Repeat("QUJD\r\n", 70) + "--m--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) { same(t, raw) })
}

// b64count counts what the byte-at-a-time loop it replaced counted, at
// every length and with a bad byte at every position.
func TestB64CountMatchesByteLoop(t *testing.T) {
	slow := func(b []byte) (int, bool) {
		n, bad := 0, byte(0)
		for _, c := range b {
			v := b64class[c]
			n += int(v & 1)
			bad |= v
		}
		return n, bad&2 != 0
	}
	line := []byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx+/==\r\n")
	for n := range len(line) * 2 {
		b := bytes.Repeat(line, 2)[:n]
		if gn, gb := b64count(b); gn != func() int { v, _ := slow(b); return v }() || gb {
			t.Fatalf("%q: %d digits, bad %v", b, gn, gb)
		}
		for i := range b {
			bad := bytes.Clone(b)
			bad[i] = '-'
			wn, wb := slow(bad)
			if gn, gb := b64count(bad); gb != wb || (!wb && gn != wn) {
				t.Fatalf("%q: got %d, %v; want %d, %v", bad, gn, gb, wn, wb)
			}
		}
	}
}

func FuzzB64Count(f *testing.F) {
	f.Add([]byte("QUJD\r\nRA==\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, bad := 0, byte(0)
		for _, c := range b {
			v := b64class[c]
			n += int(v & 1)
			bad |= v
		}
		gn, gb := b64count(b)
		if gb != (bad&2 != 0) || (!gb && gn != n) {
			t.Fatalf("got %d, %v; want %d, %v", gn, gb, n, bad&2 != 0)
		}
	})
}
