package intake

import (
	"slices"
	"strings"
	"testing"
)

func TestLifecycleCommand(t *testing.T) {
	for _, c := range []struct {
		text, cmd, arg, rest string
		ok                   bool
		err                  string
	}{
		{"#take", "#take", "", "", true, ""},
		{"\n\n  #TAKE  \r\nthanks", "#take", "", "thanks", true, ""},
		{"#assign alice@acme.example", "#assign", "alice@acme.example", "", true, ""},
		{"#assign <Alice@Acme.example>\nplease", "#assign", "alice@acme.example", "please", true, ""},
		{"#assign", "#assign", "", "", true, "#assign needs an agent's address"},
		{"#assign alice bob", "#assign", "", "", true, "#assign needs"},
		{"#assign not-an-address", "#assign", "", "", true, `"not-an-address" is not a mail address`},
		{"#merge sup-1234", "#merge", "SUP-1234", "", true, ""},
		{"#merge [SUP-1234]", "#merge", "SUP-1234", "", true, ""},
		{"#merge", "#merge", "", "", true, "the tag of the ticket to merge into"},
		// punctuation alone is no argument (found by FuzzLifecycleCommand)
		{"#merge !", "#merge", "", "", true, "the tag of the ticket to merge into"},
		{"#assign <>", "#assign", "", "", true, "#assign needs an agent's address"},
		{"#move 。", "#move", "", "", true, "#move needs one department"},
		{"#send", "#send", "", "", true, ""},
		{"#drop now", "#drop", "", "", true, "#drop takes no argument"},
		{"#move Finance\nwrong desk", "#move", "finance", "wrong desk", true, ""},
		{"#move", "#move", "", "", true, "#move needs one department"},
		{"#move finance hr", "#move", "", "", true, "#move needs one department"},
		{"#faq refund-status", "#faq", "refund-status", "", true, ""},
		{"#FAQ a,b  c a\r\nDear customer", "#faq", "a b c", "Dear customer", true, ""},
		{"#faq , ,", "#faq", "", "", true, "#faq needs the ids"},
		{"#faq", "#faq", "", "", true, "#faq needs the ids"},
		// a sentence's punctuation and a Chinese agent's commas: before,
		// "refund-timing." and "a，b" were ids the catalog has not
		{"#move finance.", "#move", "finance", "", true, ""},
		{"#MOVE  Finance！\n转财务", "#move", "finance", "转财务", true, ""},
		{"#faq refund-timing.", "#faq", "refund-timing", "", true, ""},
		{"#faq refund-timing，invoice-request、coupons。", "#faq", "refund-timing invoice-request coupons", "", true, ""},
		{"#faq ：", "#faq", "", "", true, "#faq needs the ids"},
		{"#merge SUP-1234.", "#merge", "SUP-1234", "", true, ""},
		{"#merge sup-1234，", "#merge", "SUP-1234", "", true, ""},
		{"#assign alice@acme.example.", "#assign", "alice@acme.example", "", true, ""},
		{"＃take", "#take", "", "", true, ""},
		{"＃ＴＡＫＥ\n谢谢", "#take", "", "谢谢", true, ""},
		{"＃assign　<alice@acme.example>。", "#assign", "alice@acme.example", "", true, ""},
		{"＃merge　ＳＵＰ－１２３４", "#merge", "SUP-1234", "", true, ""},
		{"＃1 问题", "", "", "＃1 问题", false, ""},
		{"#resolve", "", "", "#resolve", false, ""},
		{"#resolve.", "", "", "#resolve.", false, ""},
		{"#note inside", "", "", "#note inside", false, ""},
		// a misspelt or unknown command is refused, never the customer's
		// to read (audit 2 item 5): before, it went to them word for word
		{"#reslove\nThanks, all fixed.", "#reslove", "", "", true, "#reslove is no command. The commands are: #resolve, #wait"},
		{"#Frobnicate", "#frobnicate", "", "", true, "#frobnicate is no command"},
		{"#resolved the issue", "#resolved", "", "", true, "#resolved is no command"},
		{"＃ｔａｋｅｎ", "#taken", "", "", true, "#taken is no command"},
		{"#1 priority for us", "", "", "#1 priority for us", false, ""},
		{"# heading", "", "", "# heading", false, ""},
		{"#", "", "", "#", false, ""},
		{"Hello #take", "", "", "Hello #take", false, ""},
		{"", "", "", "", false, ""},
	} {
		cmd, arg, rest, ok, err := lifecycleCommand(c.text)
		if cmd != c.cmd || arg != c.arg || ok != c.ok || (c.err == "" && rest != c.rest) {
			t.Errorf("%q: got %q %q %q %v, want %q %q %q %v", c.text, cmd, arg, rest, ok, c.cmd, c.arg, c.rest, c.ok)
		}
		if (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%q: err %v, want %q", c.text, err, c.err)
		}
	}
}

func TestAgentCommand(t *testing.T) {
	for _, c := range []struct{ text, cmd, rest, err string }{
		// words after #note on its line are the note's first words:
		// before, the line went to the customer, internal note and all
		{"#note inside", "#note", "inside", ""},
		{"#NOTE: angry customer, careful\nsecond line", "#note", "angry customer, careful\nsecond line", ""},
		{"＃note　内部备注", "#note", "内部备注", ""},
		{"#note\ninside", "#note", "inside", ""},
		{"  #RESOLVE \r\n\r\nthanks", "#resolve", "thanks", ""},
		{"＃note\n内部备注", "#note", "内部备注", ""},
		{"＃ｎｏｔｅ　\n内部", "#note", "内部", ""},
		{"＃wait\nplease send the log", "#wait", "please send the log", ""},
		// #resolve or #wait with words after it on its line is refused:
		// before, the line went to the customer as written and the
		// ticket was neither resolved nor waiting
		{"#resolve Thanks, all done!\nBye", "#resolve", "", "#resolve must be alone on its line"},
		{"#wait: please send the log", "#wait", "", "#wait must be alone on its line"},
		{"#resolve.", "#resolve", "", ""},
		{"＃resolve。\n问题已解决", "#resolve", "问题已解决", ""},
		{"#resolved the issue", "", "#resolved the issue", ""},
		{"#notes follow", "", "#notes follow", ""},
		{"＃1 问题\n", "", "＃1 问题\n", ""},
		{"Hello", "", "Hello", ""},
	} {
		cmd, rest, err := agentCommand(c.text)
		if cmd != c.cmd || (c.err == "" && rest != c.rest) || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("agentCommand(%q) = %q %q %v, want %q %q %q", c.text, cmd, rest, err, c.cmd, c.rest, c.err)
		}
	}
}

func FuzzAgentCommand(f *testing.F) {
	for _, s := range []string{"#note x", "#resolve", "#wait: y", "＃note　内部", "hello", "#resolved", "\r\n#NOTE\r\nz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, rest, err := agentCommand(text)
		if cmd == "" && (err != nil || rest != text) {
			t.Fatalf("no command but rest %q err %v", rest, err)
		}
		if err != nil && cmd == cmdNote {
			t.Fatalf("#note refused: %v", err)
		}
	})
}

func FuzzLifecycleCommand(f *testing.F) {
	for _, s := range []string{"#take", "#assign a@b.c", "#merge SUP-1", "#send\n> quoted", "#drop x", "\r\n#ASSIGN <x@y>", "hello", "#move finance", "#faq a,b c", "#faq ,", "#reslove\nx", "＃ｆｒｏｂ", "#1 a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, arg, _, ok, err := lifecycleCommand(text)
		if !ok && (cmd != "" || arg != "" || err != nil) {
			t.Fatalf("no command but cmd=%q arg=%q err=%v", cmd, arg, err)
		}
		if err != nil && arg != "" {
			t.Fatalf("an error with an argument: %q %v", arg, err)
		}
		if ok && err == nil && (cmd == cmdAssign || cmd == cmdMerge || cmd == cmdMove) && (arg == "" || strings.ContainsAny(arg, " \t\r\n")) {
			t.Fatalf("%s with argument %q", cmd, arg)
		}
		if ok && err == nil && cmd == cmdFAQ {
			ids := strings.Split(arg, " ")
			for i, id := range ids {
				if id == "" || strings.ContainsAny(id, ",\t\r\n") || slices.Contains(ids[:i], id) {
					t.Fatalf("#faq ids %q", arg)
				}
			}
		}
	})
}
