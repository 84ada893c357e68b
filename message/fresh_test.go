package message

import (
	"strings"
	"testing"
)

// freshByReplace is FreshOnly as it was before it split the text
// without a CRLF-to-LF copy first (with the skipping of a bottom-posted
// reply's quote added since).
func freshByReplace(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []string
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "--" || (l == "-- ") {
			break
		}
		if quoteStart(t, lines[i+1:]) {
			if strings.TrimSpace(strings.Join(out, "")) == "" && quotedNext(lines[i+1:]) {
				continue
			}
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

var freshCases = []string{
	"", "\r", "\n", "\r\n", "a\r", "a\r\r\nb", "a\rb\r\n", "Hi\r\n\r\n> old\r\nnew\r\n",
	"Hello\r\nthere\r\n-- \r\nsig", "Hello\n--\nsig", "x\r\nOn Mon, Li wrote:\r\n> q",
	"text\r\nFrom: a\r\nSent: b\r\n", "text\r\n-----Original Message-----\r\nold",
	"line one \r\n  line two\r\n\r\n", "> only\r\n> quotes\r\n", "a\r\n>b\r\nc\r\r\n",
	"你好\r\n发件人: x\r\n发送时间: y\r\n", "-- \r", "a\r\n-- \r",
	"On Mon, Li wrote:\r\n> q\r\n\r\nanswer\r\n", " \r\nOn x wrote:\r\n\r\n>q\r\n-- \r\n",
	"*From:* a\r\n*Sent:* b\r\nc", "Begin forwarded message:\r\n\r\n> From: a",
}

// TestFreshOnlySameAsBefore: FreshOnly answers as it did when it first
// turned CRLF into LF, for lone CRs, CRs before CRLF and the end of the
// text too.
func TestFreshOnlySameAsBefore(t *testing.T) {
	for _, s := range freshCases {
		checkFresh(t, s)
	}
}

func FuzzFreshOnly(f *testing.F) {
	for _, s := range freshCases {
		f.Add(s)
	}
	f.Fuzz(checkFresh)
}

func checkFresh(t *testing.T, s string) {
	if got, want := FreshOnly(s), freshByReplace(s); got != want {
		t.Fatalf("FreshOnly(%q) = %q, want %q", s, got, want)
	}
}

// FuzzFresh: Fresh (with the bare forward's fallback to the forwarded
// body) is empty only for a blank text, and every line it returns is a
// line of the text, at most without its "> ".
func FuzzFresh(f *testing.F) {
	for _, s := range freshCases {
		f.Add(s)
	}
	f.Add("---------- Forwarded message ---------\nFrom: a\nDate: b\n\nbody\n-- \nsig")
	f.Add("Begin forwarded message:\n\n> From: a\n> To: b\n>\n> body")
	f.Fuzz(func(t *testing.T, s string) {
		got := Fresh(s)
		if got == "" && strings.TrimSpace(s) != "" {
			t.Fatalf("Fresh(%q) is empty", s)
		}
		for l := range strings.SplitSeq(got, "\n") {
			if !strings.Contains(s, strings.TrimSpace(l)) {
				t.Fatalf("Fresh(%q) = %q: line %q is not in the text", s, got, l)
			}
		}
	})
}

// TestOwnQuotedNamesTheWholeWriter: a quoted mail is the sender's own
// only when its marker or From names the sender's whole address or whole
// display name; a name inside a longer word ("Tom" in "Customer
// Support") or an address inside a longer one (ann@ in joann@) is
// another writer's, whose words are history, not the sender's.
func TestOwnQuotedNamesTheWholeWriter(t *testing.T) {
	ack := "Dear customer, a VAT special invoice needs your tax ID."
	for _, c := range []struct {
		name, from, quote string
		own               bool
	}{
		{"Tom above Customer Support's mail", "Tom <tom@mail.test>", "------------------ 原始邮件 ------------------\r\n发件人: \"Customer Support\"<support@shop.test>;\r\n发送时间: 2026年12月6日 9:14\r\n", false},
		{"Tom in an attribution", "Tom <tom@mail.test>", "On Sun, 6 Dec 2026 at 09:14, Customer Support <support@shop.test> wrote:\r\n", false},
		{"Ann above Joann's address", "Ann Lee <ann@mail.test>", "From: Helpdesk <joann@mail.test>\r\nSent: Sunday\r\n", false},
		{"an address a longer domain holds", "Ann Lee <ann@mail.test>", "From: Helpdesk <ann@mail.test.example>\r\nSent: Sunday\r\n", false},
		{"the sender's own address", "Ann Lee <ann@mail.test>", "From: Ann Lee <ann@mail.test>\r\nSent: Sunday\r\n", true},
		{"the sender's own name", "Ben Hall <ben@hall.test>", "On Mon, 23 Nov 2026, Ben Hall wrote:\r\n", true},
		{"a Han name run into 写道", "王小明 <wang@mail.test>", "在 2026-12-06 09:14:00，王小明写道：\r\n", true},
	} {
		raw := "From: " + c.from + "\r\nTo: help@shop.test\r\nSubject: kettle\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMy kettle does not heat.\r\n\r\n" + c.quote + "\r\n" + ack + "\r\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(m.Fresh(), "VAT"); got != c.own {
			t.Errorf("%s: the quoted mail read as the sender's = %v, want %v (Fresh %q)", c.name, got, c.own, m.Fresh())
		}
	}
}
