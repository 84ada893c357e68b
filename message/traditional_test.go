package message

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/text/encoding/traditionalchinese"
)

func big5(t *testing.T, s string) string {
	t.Helper()
	b, err := traditionalchinese.Big5.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("big5 %q: %v", s, err)
	}
	return b
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TestTraditional judges the script on what the customer wrote this time:
// subject and fresh text, not the quoted history below it.
func TestTraditional(t *testing.T) {
	cases := []struct {
		name, raw string
		lang      Language
		trad      bool
	}{
		{"big5 taiwan", "Subject: " + big5(t, "熱水壺壞了") + "\r\nContent-Type: text/plain; charset=big5\r\n\r\n" +
			big5(t, "您好，我上週買的熱水壺按開關沒有反應，請問該怎麼辦？") + "\r\n", Chinese, true},
		{"utf-8 hong kong cantonese", "Subject: =?UTF-8?B?" + b64("部電飯煲壞咗") + "?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"你好，我部電飯煲唔開得，按咗個掣都冇反應，係咪壞咗？呢個係我嘅訂單號碼。\r\n", Chinese, true},
		{"gb2312 simplified", "Subject: =?GB2312?B?zcu/7snqx+s=?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n您好，我的电水壶坏了，按开关没有反应，怎么办？\r\n", Chinese, false},
		{"simplified over quoted traditional", "Subject: Re: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n好的，谢谢，我再试试这个办法。\r\n\r\n" +
			"-----原始邮件-----\r\n發件人: 客服\r\n> 請您先關閉電源，等待幾分鐘後再開機試試這個辦法。\r\n", Chinese, false},
		{"english with a traditional signature", "Subject: kettle broken\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Hello, my kettle stopped working yesterday, the light does not come on at all. Please help.\r\n陳大文\r\n", English, false},
		{"no han", "Subject: hi\r\n\r\nhello\r\n", English, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse([]byte(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if m.Lang() != c.lang || m.Traditional() != c.trad {
				t.Errorf("Lang %s, Traditional %v; want %s, %v (subject %q, fresh %q)", m.Lang(), m.Traditional(), c.lang, c.trad, m.Subject, m.Fresh())
			}
		})
	}
}

// TestTrimKeepsTraditional: Trim judges the script before it cuts the
// text, as it does the language.
func TestTrimKeepsTraditional(t *testing.T) {
	m := &Message{Subject: "hi", Text: strings.Repeat("好", 100) + strings.Repeat("請問這個機器怎麼開", 10)}
	m.Trim(100) // what is left is all 好, which says nothing of the script
	if !m.Traditional() {
		t.Errorf("Traditional after Trim = false, want true (judged before the cut)")
	}
	if cut := (&Message{Subject: "hi", Text: m.Text}); cut.Traditional() {
		t.Errorf("the cut text alone is judged Traditional; the test proves nothing")
	}
}
