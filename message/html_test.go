package message

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHTMLText(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"runs in spans touch", `<div><span style="font-family:宋体">滤</span><span lang=EN-US>网</span><span>灯一直亮</span></div>`, "滤网灯一直亮"},
		{"a word split by spans", `<p>The <span>distri</span><span>bution</span> centre</p>`, "The distribution centre"},
		{"spaces between runs stay", "<b>Hello</b> <i>world</i>", "Hello world"},
		{"bold is its words", "<p>Where is <b>my order</b>?</p>", "Where is my order?"},
		{"a link is its text", `<p>See <a href="https://shop.test/faq/returns-refund">this page</a>.</p>`, "See this page."},
		{"divs are lines, br breaks", "<div>one</div><div>two<br>three</div>", "one\ntwo\nthree"},
		{"an empty div with br is a blank line", "<div>one</div><div><br></div><div>two</div>", "one\n\ntwo"},
		{"paragraphs", "<p>one</p><p>two</p>", "one\n\ntwo"},
		{"entities", "<p>Tom&nbsp;&amp;&nbsp;Jerry&#39;s &quot;kettle&quot; &lt;3 &#20320;&#22909;</p>", `Tom & Jerry's "kettle" <3 你好`},
		{"head, style, script, comments", "<html><head><title>t</title><style>p{}</style></head><body><!--[if mso]>x<![endif]--><script>var a</script><p>text</p></body></html>", "text"},
		{"blockquote lines are quoted", `<div>mine</div><div class="gmail_quote">On Mon, Shop wrote:<br><blockquote>old<br>older<blockquote>oldest</blockquote></blockquote></div>`, "mine\nOn Mon, Shop wrote:\n> old\n> older\n> > oldest"},
		{"table cells apart", "<table><tr><td>Model</td><td>AP-400</td></tr><tr><td>Fault</td><td>red light</td></tr></table>", "Model AP-400\nFault red light"},
		{"whitespace collapsed", "<p>  one\n\t two  </p>", "one two"},
		{"Outlook header block", "<p class=MsoNormal><b>From:</b> Shop &lt;help@shop.test&gt;<br><b>Sent:</b> Monday<o:p></o:p></p>", "From: Shop <help@shop.test>\nSent: Monday"},
		{"preformatted lines stay lines", "<pre>My kettle does not heat.\nThe light stays off.\n\nAnna</pre>", "My kettle does not heat.\nThe light stays off.\n\nAnna"},
		{"a pre inside a div", "<div>Hello<pre>line one\nline two</pre>bye</div>", "Hello\nline one\nline two\nbye"},
		{"hidden text is not read", `<div style="display:none;max-height:0">invoice refund VAT tax ID</div><div>My kettle does not heat.</div>`, "My kettle does not heat."},
		{"hidden in every spelling", `<p>a<span hidden>x</span><span style="DISPLAY: none !important">y</span><span style="visibility:hidden">z</span><span style='mso-hide:all'>w</span>b</p>`, "ab"},
		{"shown text stays", `<div style="display:block">one</div><div style="font-size:0.1px; color:#fff">two</div>`, "one\ntwo"},
		{"nothing", "", ""},
	} {
		if got := htmlText(c.in); got != c.want {
			t.Errorf("%s: htmlText(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// FuzzHTMLText: htmlText never fails, keeps valid UTF-8 valid, writes no
// blank line at its ends nor two in a row, and reads a text with no markup
// as its words with whitespace collapsed.
func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<div>a<span>b</span></div>", "<blockquote>x<br></blockquote>", "<p>&nbsp;</p><p>y</p>", "plain text\nlines", "<table><td>1<td>2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := htmlText(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("htmlText(%q) = %q: not UTF-8", s, got)
		}
		if strings.Contains(got, "\n\n\n") || strings.HasPrefix(got, "\n") || strings.HasSuffix(got, "\n") {
			t.Fatalf("htmlText(%q) = %q: blank lines", s, got)
		}
		if !strings.ContainsAny(s, "<&\x00\r\f\u00a0") && utf8.ValidString(s) {
			htmlSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }
			if want := strings.Join(strings.FieldsFunc(s, htmlSpace), " "); got != want {
				t.Fatalf("htmlText(%q) = %q, want %q", s, got, want)
			}
		}
	})
}

// TestHTMLOnlyMailReadsAsWritten: an HTML-only mail whose runs are in
// spans reads as the same words sent as plain text.
func TestHTMLOnlyMailReadsAsWritten(t *testing.T) {
	raw := "From: a@b.test\r\nTo: help@shop.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		`<div><span style="font-family:微软雅黑">净化器</span><span>滤网</span><span>灯一直亮，</span><span lang=EN-US>AP-400</span><span>怎么复位？</span></div>` + "\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if want := "净化器滤网灯一直亮，AP-400怎么复位？"; m.Fresh() != want {
		t.Errorf("Fresh = %q, want %q", m.Fresh(), want)
	}
}
