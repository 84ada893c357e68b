package ack

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/frontdesk-mail/frontdesk/message"
)

// twMail is a Taiwanese customer's mail as their client sends it: Big5,
// raw 8-bit subject and name beside a Big5 body.
func twMail(t testing.TB) string {
	t.Helper()
	enc := func(s string) string {
		b, err := traditionalchinese.Big5.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return "From: " + enc("游美玲") + " <mei@example.tw>\n" +
		"To: support@acme.example\n" +
		"Subject: " + enc("熱水壺壞了") + "\n" +
		"Message-ID: <tw1@example.tw>\n" +
		"Date: Mon, 23 Nov 2026 09:00:00 +0800\n" +
		"Content-Type: text/plain; charset=big5\n\n" +
		enc("您好，我上週買的熱水壺按開關沒有反應，請問該怎麼辦？") + "\n"
}

// TestBuildTraditional: a customer who writes Traditional Chinese is
// acknowledged in Traditional characters — the template, the greeting,
// the deadline and the FAQ titles — while their own name and subject, the
// links and the markup stay as they are; a Simplified customer's
// acknowledgement stays Simplified.
func TestBuildTraditional(t *testing.T) {
	in := input(t, twMail(t))
	if in.Original.Lang() != message.Chinese || !in.Original.Traditional() {
		t.Fatalf("the Big5 mail is %s, Traditional %v; want zh, true", in.Original.Lang(), in.Original.Traditional())
	}
	in.Traditional = in.Original.Traditional()
	in.DepartmentName = "售后服务部"
	in.FAQ = []Link{{Title: "热水壶不加热怎么办", URL: "https://help.acme.example/faq/kettle-后?lang=zh"}}
	env, _ := build(t, builtins(t), in)
	if got, want := env.GetHeader("Subject"), "[SUP-1042] Re: 熱水壺壞了"; got != want {
		t.Errorf("Subject %q, want %q", got, want)
	}
	for _, part := range []struct{ name, body string }{{"text", env.Text}, {"HTML", env.HTML}} {
		for _, want := range []string{
			"游美玲，您好！", // 游 is a name here, not 遊
			"感謝您聯繫售後服務部",
			"工單編號",
			"我們將在",
			"11月24日（週二）10:00",
			"熱水壺不加熱怎麼辦",
			"https://help.acme.example/t/abc.def",
		} {
			if !strings.Contains(part.body, want) {
				t.Errorf("%s part lacks %q:\n%s", part.name, want, part.body)
			}
		}
		for _, bad := range []string{"感谢", "联系", "工单", "我们", "周二", "热水壶", "怎么"} {
			if strings.Contains(part.body, bad) {
				t.Errorf("%s part still has Simplified %q:\n%s", part.name, bad, part.body)
			}
		}
	}
	// A link is kept whole (in HTML, html/template has escaped it).
	if want := "https://help.acme.example/faq/kettle-后?lang=zh"; !strings.Contains(env.Text, want) {
		t.Errorf("text part lacks %q:\n%s", want, env.Text)
	}
	for _, want := range []string{`<html lang="zh">`, `href="https://help.acme.example/faq/kettle-%e5%90%8e?lang=zh"`, `<a href="https://help.acme.example/t/abc.def">`, "<strong>SUP-1042</strong>"} {
		if !strings.Contains(env.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, env.HTML)
		}
	}

	// No subject: ours, converted.
	in.Original.Subject = ""
	envN, _ := build(t, builtins(t), in)
	if got, want := envN.GetHeader("Subject"), "[SUP-1042] Re: 您的來信"; got != want {
		t.Errorf("Subject %q, want %q", got, want)
	}

	// The same customer's acknowledgement without the flag, and a
	// Simplified customer's with it judged from their mail: Simplified.
	in.Traditional = false
	envS, _ := build(t, builtins(t), in)
	sin := input(t, zhMail)
	if sin.Original.Traditional() {
		t.Fatal("the Simplified mail is judged Traditional")
	}
	sin.Traditional = sin.Original.Traditional()
	envZ, _ := build(t, builtins(t), sin)
	for _, e := range []string{envS.Text, envS.HTML, envZ.Text, envZ.HTML} {
		if !strings.Contains(e, "感谢您联系") || !strings.Contains(e, "工单") || strings.Contains(e, "感謝") || strings.Contains(e, "工單") {
			t.Errorf("a Simplified acknowledgement is not Simplified:\n%s", e)
		}
	}

	// An English acknowledgement is not touched by the flag.
	ein := input(t, enMail)
	ein.Traditional = true
	ein.FAQ = []Link{{Title: "后台 settings", URL: "https://help.acme.example/faq/x"}}
	envE, _ := build(t, builtins(t), ein)
	if !strings.Contains(envE.Text, "后台 settings") || envE.GetHeader("Content-Language") != "en" {
		t.Errorf("an English acknowledgement was converted:\n%s", envE.Text)
	}
}
