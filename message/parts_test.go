package message

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestTextAroundAPictureIsRead: Apple Mail puts a picture pasted into
// the middle of the text between two text/plain parts; the text after it
// is the writer's, not a signature. A text part with nothing inline
// before it (a gateway's footer) or with a name (an attached file) stays
// apart as before.
func TestTextAroundAPictureIsRead(t *testing.T) {
	head := "From: Ann <ann@home.test>\r\nTo: help@shop.test\r\nSubject: Fan\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
	text := func(s, extra string) string {
		return "--b\r\nContent-Type: text/plain; charset=utf-8\r\n" + extra + "\r\n" + s + "\r\n"
	}
	png := "--b\r\nContent-Type: image/png; name=IMG_1.png\r\nContent-Disposition: inline; filename=IMG_1.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
	for _, c := range []struct{ name, raw, want string }{
		{"text, picture, text", head + text("The fan rattles, see the photo:", "") + png + text("It started after the filter change. Can you fix it?", "") + "--b--\r\n",
			"The fan rattles, see the photo:\n\nIt started after the filter change. Can you fix it?"},
		{"text, then a gateway's footer", head + text("The fan rattles.", "") + text("Scanned by MailGuard.", "") + "--b--\r\n", "The fan rattles."},
		{"text, picture, a named text file", head + text("The fan rattles.", "") + png + text("log line 1", "Content-Disposition: inline; filename=log.txt\r\n") + "--b--\r\n", "The fan rattles."},
	} {
		m, err := Parse([]byte(c.raw))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := m.Fresh(); got != c.want {
			t.Errorf("%s: Fresh = %q, want %q (text %q)", c.name, got, c.want, m.Text)
		}
	}
}

// TestHTMLCharsetInMetaOnlyIsDecodedOnce: a single-part HTML mail whose
// charset only its <meta> names (QQ Mail, Foxmail) reads as written,
// not converted from GB18030 twice.
func TestHTMLCharsetInMetaOnlyIsDecodedOnce(t *testing.T) {
	html := `<meta http-equiv="Content-Type" content="text/html; charset=GB18030"><div>你好，</div><div>我的净化器滤网灯一直亮红灯，换了新滤网也不灭，怎么复位？</div>`
	body, err := simplifiedchinese.GB18030.NewEncoder().String(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"text/html", `text/html; format="x"`} {
		raw := "From: a@b.test\r\nTo: help@shop.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: " + ct + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n"
		m, _ := Parse([]byte(raw))
		if !strings.Contains(m.Text, "怎么复位") || m.Lang() != Chinese {
			t.Errorf("%s: text %q (lang %s), want the Chinese as written", ct, m.Text, m.Lang())
		}
	}
	// with the charset declared the text was read right before too
	raw := "From: a@b.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=gb18030\r\n\r\n" + body + "\r\n"
	if m, _ := Parse([]byte(raw)); !strings.Contains(m.Text, "怎么复位") {
		t.Errorf("declared charset: text %q", m.Text)
	}
}

// TestInvisibleCharactersAreDropped: zero-width spaces, word joiners, a
// byte order mark and soft hyphens show nothing and split no words.
func TestInvisibleCharactersAreDropped(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"byte order mark", "\ufeffHi team,\r\nmy ket\u00adtle is dead.", "Hi team,\r\nmy kettle is dead."},
		{"zero-width spaces", "净化器\u200b滤网灯\u200b一直亮。\u200bHelp\u2060!", "净化器滤网灯一直亮。Help!"},
	} {
		raw := "From: a@b.test\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + c.body + "\r\n"
		m, _ := Parse([]byte(raw))
		if got := strings.TrimSpace(m.Text); got != c.want {
			t.Errorf("%s: Text = %q, want %q", c.name, got, c.want)
		}
	}
	raw := "From: a@b.test\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\ufeff<div>ket\u200btle</div>\r\n"
	if m, _ := Parse([]byte(raw)); m.Text != "kettle" {
		t.Errorf("HTML: Text = %q, want %q", m.Text, "kettle")
	}
}
