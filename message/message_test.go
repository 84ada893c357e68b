package message

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestParseCharsets(t *testing.T) {
	cases := []struct {
		name, raw     string
		subject, text string
		lang          string
	}{
		{"gb2312 encoded word", "Subject: =?GB2312?B?zcu/7snqx+s=?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n钱什么时候退\r\n", "退款申请", "钱什么时候退", "zh"},
		{"raw 8-bit gbk header", "Subject: \xcd\xcb\xbf\xee\r\n\r\nhello\r\n", "退款", "hello", "zh"},
		// a raw 8-bit header is read in the charset the mail declares for
		// its text (as mail clients do) before the GBK guess: a Taiwanese
		// client's Big5 subject read as GBK was mojibake (荐�除胊�)
		{"raw 8-bit big5 header, big5 body", "Subject: \xbc\xf6\xa4\xf4\xb3\xfd\xc3\x61\xa4\x46\r\nContent-Type: text/plain; charset=big5\r\n\r\n\xa7\xda\xaa\xba\xad\x71\xb3\xe6\r\n", "熱水壺壞了", "我的訂單", "zh"},
		{"raw 8-bit big5 header, multipart big5", "Subject: \xbc\xf6\xa4\xf4\xb3\xfd\xc3\x61\xa4\x46\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=big5\r\n\r\n\xa7\xda\xaa\xba\xad\x71\xb3\xe6\r\n--b--\r\n", "熱水壺壞了", "我的訂單", "zh"},
		{"raw 8-bit gbk header, utf-8 body", "Subject: \xcd\xcb\xbf\xee\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n", "退款", "hello", "zh"},
		{"big5 body", "Subject: hi\r\nContent-Type: text/plain; charset=big5\r\n\r\n\xa7\xda\xaa\xba\xad\x71\xb3\xe6\r\n", "hi", "我的訂單", "zh"},
		{"qp body", "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nmy money=20back please\r\n", "x", "my money back please", "en"},
		{"html only", "Subject: y\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Where is <b>my order</b>?</p>\r\n", "y", "Where is my order?", "en"}, // bold is its words (htmlText)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse([]byte(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != c.subject {
				t.Errorf("subject %q, want %q", m.Subject, c.subject)
			}
			if !strings.Contains(m.Text, c.text) {
				t.Errorf("text %q does not contain %q", m.Text, c.text)
			}
			if string(m.Lang()) != c.lang {
				t.Errorf("lang %q, want %q", m.Lang(), c.lang)
			}
		})
	}
}

func TestFreshCutsQuotesAndSignatures(t *testing.T) {
	cases := map[string]string{
		"Thanks!\n\nOn Mon, 2 Nov 2026, Acme wrote:\n> old text\n":            "Thanks!",
		"好的\n\n-----原始邮件-----\n发件人: Acme\n":                                   "好的",
		"Yes.\n\nFrom: Acme Support\nSent: Monday\nTo: me\nSubject: x\n\nold": "Yes.",
		"Hi\n-- \nJane Doe\nACME Corp\n":                                      "Hi",
		"> only a quote\n":                                                    "> only a quote",
		"OK\nON Tue, 3 Nov 2026 ACME WROTE:\nold":                             "OK",
		"Sure\nFROM: Acme\nDATE: Tuesday\nold":                                "Sure",
		"Fine\nfrom: Acme\nthe sale went well":                                "Fine\nfrom: Acme\nthe sale went well",
		"Hi\n----- Forwarded message -----\nold":                              "Hi",
		"Hi\n-----\nstill mine":                                               "Hi\n-----\nstill mine",
		"我已收到\n在 2026年11月2日，Acme 写道：\n旧的":                                     "我已收到",
	}
	for in, want := range cases {
		if got := Fresh(in); got != want {
			t.Errorf("Fresh(%q) = %q, want %q", in, got, want)
		}
	}
	// FreshOnly keeps no quote: "" where Fresh falls back to the quote.
	only := map[string]string{
		"> only a quote\n": "",
		"\nOn Mon, 7 Dec 2026 at 01:00, Frontdesk <frontdesk@mx.test> wrote:\n> Your reply to SUP-1000 was NOT sent\n": "",
		"在 2026年12月7日，Frontdesk 写道：\n> 旧的\n":                                                                           "",
		"Thanks!\n\nOn Mon, 2 Nov 2026, Acme wrote:\n> old text\n":                                                     "Thanks!",
	}
	for in, want := range only {
		if got := FreshOnly(in); got != want {
			t.Errorf("FreshOnly(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNeverNil(t *testing.T) {
	m, err := Parse([]byte("Subject: broken\r\nContent-Type: multipart/mixed\r\n\r\nno boundary here\r\n"))
	if m == nil {
		t.Fatal("nil message")
	}
	_ = err // enmime may or may not call this fatal; either way the view is usable
	if m.Subject != "broken" {
		t.Errorf("subject lost: %q", m.Subject)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "eval", "public", "*.eml"))
	for _, p := range files[:min(len(files), 10)] {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Subject: x\r\n\r\ny"))
	f.Add([]byte("Subject: \xbc\xf6\xa4\xf4\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=big5\r\n\r\n\xa7\xda\r\n--b--\r\n"))
	f.Add([]byte(attachedMail("Ann <ann@home.test>", "See attached.", "Ann <ann@home.test>", "The fan rattles.")))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, _ := Parse(raw)
		if m == nil {
			t.Fatal("nil message")
		}
		if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.From.Name) {
			t.Fatalf("subject %q or name %q not UTF-8", m.Subject, m.From.Name)
		}
		_ = m.Lang()
		_ = m.Fresh()
	})
}

func TestLang(t *testing.T) {
	for s, want := range map[string]string{
		"Where is my order?":                              "en",
		"我的订单在哪里":                                         "zh",
		"我的 WiFi 连不上，E1 错误":                               "zh",
		"My kettle broke down last week, please help. 张伟": "en",
		"Ｆｕｌｌ width":                                      "en",
		"𠀀𠀁𠀂 extension B":                                 "zh",
	} {
		if got := Lang(s); string(got) != want {
			t.Errorf("Lang(%q) = %s, want %s", s, got, want)
		}
	}
}

// BenchmarkFreshLang is the per-message text work on a 256 KB body
// (thousands of lines), the load benchmark's large size.
func BenchmarkFreshLang(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 256<<10 {
		sb.WriteString("The washing machine shows error E21 and will not drain, I have tried restarting it.\n洗衣机显示错误代码E21，不能排水。\n")
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Lang(Fresh(text))
	}
}

func TestTrimKeepsLanguageAndCutsAtRunes(t *testing.T) {
	m := &Message{Subject: "订单", Text: strings.Repeat("我的订单在哪里？", 100)} // 2,400 bytes of 3-byte runes
	lang, fresh := Lang(m.Subject+"\n"+Fresh(m.Text)), Fresh(m.Text)
	m.Trim(100)
	if m.Lang() != lang || lang != "zh" {
		t.Errorf("Lang after Trim = %s, want %s", m.Lang(), lang)
	}
	if len(m.Text) > 100 || !utf8.ValidString(m.Text) || !strings.HasPrefix(fresh, m.Fresh()) || len(m.Fresh()) != 99 {
		t.Errorf("Trim(100) left Text %d bytes (valid %v), Fresh %d bytes", len(m.Text), utf8.ValidString(m.Text), len(m.Fresh()))
	}
	short := &Message{Text: "short"}
	short.Trim(100)
	if short.Text != "short" || short.Fresh() != "short" {
		t.Errorf("Trim changed a short text: %q, %q", short.Text, short.Fresh())
	}
}

// letters counts U+4E00…U+9FFF as Han without looking them up: the whole
// block must be Han for that to hold.
func TestUnifiedIdeographsAreAllHan(t *testing.T) {
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if !unicode.Is(unicode.Han, r) {
			t.Fatalf("%U is in the fast path of letters but not Han", r)
		}
	}
	if han, latin := letters("订单 order 〇"); han != 3 || latin != 5 {
		t.Errorf("letters = %d Han, %d Latin; want 3, 5", han, latin)
	}
}

// Lang reads the first langBytes of the customer's words: an English mail
// with a long Chinese log pasted after them stays English, and the cut
// lands inside a Chinese character without harm.
func TestLangReadsTheStartOfTheText(t *testing.T) {
	mail := func(body string) *Message {
		m, err := Parse([]byte("From: c@x.test\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	en := strings.Repeat("The kettle does not heat any more, what should I do? ", 400) // > 16 KB
	zh := strings.Repeat("水壶不加热了，我该怎么办？", 2000)
	if got := mail(en + "\r\n" + zh).Lang(); got != "en" {
		t.Errorf("English words, then a long Chinese log: Lang = %s", got)
	}
	if got := mail(zh + "\r\n" + en).Lang(); got != "zh" {
		t.Errorf("Chinese words, then a long English log: Lang = %s", got)
	}
	if got := mail("你好" + strings.Repeat("水", (langBytes-7)/3) + "a\r\n" + en).Lang(); got != "zh" {
		t.Errorf("a rune cut at the bound: Lang = %s", got)
	}
}

// Memo computes a value once per key, however many goroutines ask, and
// keeps different keys apart.
func TestMemoComputesOncePerKey(t *testing.T) {
	m, _ := Parse([]byte("Subject: s\r\n\r\nbody\r\n"))
	type key struct{ n int }
	var calls [2]atomic.Int32
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			k := g % 2
			if v := m.Memo(key{k}, func() any { calls[k].Add(1); return k * 10 }); v != k*10 {
				t.Errorf("key %d: got %v", k, v)
			}
		})
	}
	wg.Wait()
	if calls[0].Load() != 1 || calls[1].Load() != 1 {
		t.Errorf("computed %d and %d times, want once each", calls[0].Load(), calls[1].Load())
	}
}

// TestUnlabelledUTF8: a mail that names no charset, or US-ASCII, but
// whose 8-bit body is UTF-8 (swaks --body, scripts) reads as UTF-8; other
// labels and other bytes are left to the declared charset and detection.
func TestUnlabelledUTF8(t *testing.T) {
	const zh = "你好，我的退款还没有到账。"
	for _, c := range []struct {
		name, raw, text string
		lang            Language
	}{
		{"no MIME header", "From: a@b\r\nSubject: refund\r\n\r\n" + zh + "\r\n", zh, Chinese},
		{"text/plain without charset", "From: a@b\r\nContent-Type: text/plain\r\n\r\n" + zh + "\r\n", zh, Chinese},
		{"US-ASCII declared", "From: a@b\r\nContent-Type: text/plain; charset=US-ASCII\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + zh + "\r\n", zh, Chinese},
		{"utf-8 declared", "From: a@b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + zh + "\r\n", zh, Chinese},
		{"unlabelled Latin-1 stays Latin-1", "From: a@b\r\nSubject: x\r\n\r\nCaf\xe9 cr\xe8me br\xfbl\xe9e\r\n", "Café crème brûlée", English},
		{"ASCII only", "From: a@b\r\nSubject: x\r\n\r\nMy kettle is cold.\r\n", "My kettle is cold.", English},
		{"GB18030 declared", "From: a@b\r\nContent-Type: text/plain; charset=gb18030\r\n\r\n\xc4\xe3\xba\xc3\r\n", "你好", Chinese},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse([]byte(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(m.Text); got != c.text || m.Lang() != c.lang {
				t.Errorf("text %q lang %s; want %q %s", got, m.Lang(), c.text, c.lang)
			}
		})
	}
}

// TestRawBig5HeaderNamesTheCustomer: the display name of a raw 8-bit
// Big5 From beside a Big5 body is the customer's name, which the
// acknowledgement greets; a Latin-1 mail's raw header reads as Latin-1,
// not as the GBK guess.
func TestRawBig5HeaderNamesTheCustomer(t *testing.T) {
	for _, c := range []struct{ raw, name string }{
		{"From: \xb3\xaf\xa4\x6a\xa4\xe5 <chan@x.example>\r\nSubject: x\r\nContent-Type: text/plain; charset=big5\r\n\r\n\xa7\xda\r\n", "陳大文"},
		{"From: Ren\xe9 M\xfcller <rene@x.example>\r\nSubject: x\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nMerci beaucoup, \xe7a marche\r\n", "René Müller"},
	} {
		m, err := Parse([]byte(c.raw))
		if err != nil {
			t.Fatal(err)
		}
		if m.From.Name != c.name || m.From.Address == "" {
			t.Errorf("From %q <%s>, want %q", m.From.Name, m.From.Address, c.name)
		}
	}
}

// TestFreshReadsTheWritersWordsWhereverTheClientPutsThem: the fresh text
// is the writer's words whether the reply is written below the quote
// (bottom-posting), the quoted header block came from HTML (html2text's
// *bold* labels), or the mail is a bare forward (the forwarded mail's
// body, without its header block).
func TestFreshReadsTheWritersWordsWhereverTheClientPutsThem(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"bottom-posted reply", "On Tue, 3 Nov 2026 at 09:00, Shop <help@shop.test> wrote:\n> Your ticket is open.\n> We will answer soon.\n\nThe fan still rattles.\n", "The fan still rattles."},
		{"bottom-posted, Chinese attribution", "在 2026年11月3日 09:00，Shop 写道：\n> 工单已创建\n\n风扇还是响\n", "风扇还是响"},
		{"interleaved answers", "On Tue, Shop wrote:\n> Which model?\nThe X2.\n> Since when?\nMonday.\n", "The X2.\nMonday."},
		{"bottom-posted, then a signature", "On Tue, Shop wrote:\n> Open.\n\nStill broken.\n-- \nAnn\n", "Still broken."},
		{"HTML-bold Outlook header block", "The fan still rattles.\n\n*From:* Shop <help@shop.test>\n*Sent:* Tuesday, 3 November 2026 09:00\n*To:* Ann\n*Subject:* Ticket\n\nYour ticket is open.\n", "The fan still rattles."},
		{"HTML-bold Chinese Outlook header block", "风扇还是响\n\n*发件人:* Shop <help@shop.test>\n*发送时间:* 2026年11月3日 9:00\n*收件人:* Ann\n*主题:* 工单\n\n工单已创建\n", "风扇还是响"},
		{"bare Gmail forward", "---------- Forwarded message ---------\nFrom: Ann <ann@home.test>\nDate: Tue, 3 Nov 2026 at 09:00\nSubject: Fan\nTo: <help@shop.test>\n\nThe fan rattles. Can you fix it?\n", "The fan rattles. Can you fix it?"},
		{"bare Apple Mail forward", "Begin forwarded message:\n\n> From: Ann <ann@home.test>\n> Subject: Fan\n> Date: 3 November 2026 at 09:00\n> To: help@shop.test\n> \n> The fan rattles.\n", "The fan rattles."},
		{"bare Outlook forward with a signature", "From: Ann <ann@home.test>\nSent: Tuesday, 3 November 2026 09:00\nTo: help@shop.test\nSubject: Fan\n\nThe fan rattles.\n-- \nAnn Lee\n", "The fan rattles."},
		{"bare Foxmail forward", "------------------ 原始邮件 ------------------\n发件人: \"Ann\"<ann@home.test>;\n发送时间: 2026年11月3日(星期二) 上午9:00\n收件人: \"help\"<help@shop.test>;\n主题: 风扇\n\n风扇一直响\n", "风扇一直响"},
		{"a forward of nothing stays whole", "---------- Forwarded message ---------\nFrom: Ann\nDate: Tue\n", "---------- Forwarded message ---------\nFrom: Ann\nDate: Tue"},
	}
	for _, c := range cases {
		if got := Fresh(c.in); got != c.want {
			t.Errorf("%s: Fresh(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestHTMLReplyQuoteIsCut: an HTML-only reply whose quoted header block
// has bold labels, as Outlook writes it, is cut at the block.
func TestHTMLReplyQuoteIsCut(t *testing.T) {
	raw := "From: Ann <ann@home.test>\r\nTo: help@shop.test\r\nSubject: RE: Fan\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		"<html><head><style>p.MsoNormal{margin:0}</style></head><body><div class=WordSection1><p class=MsoNormal>The fan still rattles.<o:p></o:p></p>" +
		"<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> Shop &lt;help@shop.test&gt;<br><b>Sent:</b> Tuesday<br><b>To:</b> Ann<br><b>Subject:</b> Fan</p></div>" +
		"<p class=MsoNormal>Your refund is on its way.</p></div></body></html>\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Fresh(); got != "The fan still rattles." {
		t.Errorf("Fresh = %q, want only the writer's sentence (text %q)", got, m.Text)
	}
}

// attachedMail is a mail from outer with the words cover, and attached
// (message/rfc822, "forward as attachment") a mail from inner with the
// words words.
func attachedMail(outer, cover, inner, words string) string {
	return "From: " + outer + "\r\nTo: help@shop.test\r\nSubject: Fw: Fan\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + cover + "\r\n" +
		"--b1\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"fan.eml\"\r\n\r\n" +
		"From: " + inner + "\r\nTo: help@shop.test\r\nSubject: Fan\r\nDate: Tue, 03 Nov 2026 09:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		words + "\r\n--b1--\r\n"
}

// TestForwardedWordsAreTheSenders: a mail forwarded as an attachment is
// read as one forwarded inline, and a forwarded or quoted mail that the
// sender wrote themselves is their words: the decision depends on what
// they wrote, not on how their client forwarded it.
func TestForwardedWordsAreTheSenders(t *testing.T) {
	own := "Ann Lee <ann@home.test>"
	for _, c := range []struct{ name, raw, want string }{
		{"own mail attached, nothing above", attachedMail(own, "", own, "The fan rattles. Can you fix it?"), "The fan rattles. Can you fix it?"},
		{"own mail attached, a cover note", attachedMail(own, "See my mail below, no answer yet.", own, "The fan rattles."), "See my mail below, no answer yet.\n\nThe fan rattles."},
		{"another's mail attached, a cover note", attachedMail(own, "What does this mean?", "Courier <news@courier.test>", "Parcel held at customs."), "What does this mean?"},
		{"another's mail attached, nothing above", attachedMail(own, "", "Courier <news@courier.test>", "Parcel held at customs."), "Parcel held at customs."},
		{"own mail forwarded inline", plainMail(own, "Any news?\n\n---------- Forwarded message ---------\nFrom: Ann Lee <ann@home.test>\nDate: Tue, 3 Nov 2026\nSubject: Fan\nTo: help@shop.test\n\nThe fan rattles.\n-- \nAnn"), "Any news?\n\nThe fan rattles."},
		{"own mail forwarded by Foxmail", plainMail(own, "还没人回复\n\n------------------ 原始邮件 ------------------\n发件人: \"Ann Lee\"<ann@home.test>;\n发送时间: 2026年11月3日\n收件人: \"help\"<help@shop.test>;\n主题: 风扇\n\n风扇一直响"), "还没人回复\n\n风扇一直响"},
		{"own mail quoted by Outlook, name only", plainMail(own, "Any news?\n\nFrom: Ann Lee\nSent: Tuesday, 3 November 2026 09:00\nTo: help@shop.test\nSubject: Fan\n\nThe fan rattles."), "Any news?\n\nThe fan rattles."},
		{"own mail quoted by Gmail", plainMail(own, "Any news?\n\nOn Tue, 3 Nov 2026 at 09:00, Ann Lee <ann@home.test> wrote:\n> The fan rattles.\n"), "Any news?\n\nThe fan rattles."},
		{"our reply quoted: not the sender's", plainMail(own, "Still broken.\n\nOn Tue, Shop <help@shop.test> wrote:\n> Try a reset, Ann Lee.\n"), "Still broken."},
		{"our mail to the sender forwarded", plainMail(own, "What is this?\n\nFrom: Shop <help@shop.test>\nSent: Tuesday\nTo: Ann Lee <ann@home.test>\nSubject: Invoice\n\nYour invoice."), "What is this?"},
		{"own mail attached in base64", attachedBase64(own, "From: "+own+"\r\nSubject: Fan\r\n\r\nThe fan rattles."+strings.Repeat(" It is loud.", 30)+"\r\n"), "The fan rattles." + strings.Repeat(" It is loud.", 30)},
		{"bottom-posted below own mail: once", plainMail(own, "On Tue, Ann Lee <ann@home.test> wrote:\n> The fan rattles.\n\nAny news?\n"), "Any news?"},
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

func plainMail(from, body string) string {
	return "From: " + from + "\r\nTo: help@shop.test\r\nSubject: Fan\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
}

// attachedBase64 is a mail from outer with nothing but the mail inner
// attached, in base64.
func attachedBase64(outer, inner string) string {
	return "From: " + outer + "\r\nTo: help@shop.test\r\nSubject: Fw: Fan\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(inner)) + "\r\n--b1--\r\n"
}
