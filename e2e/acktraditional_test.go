package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// TestAckTraditionalBig5: a Taiwanese customer's Big5 mail (Big5 name and
// subject in RFC 2047 words, Big5 body) sent with swaks is acknowledged in
// Traditional characters — the built-in template, the promised time and the
// demo catalog's FAQ title — with the customer's name and subject as they
// wrote them; the ticket's language stays zh.
func TestAckTraditionalBig5(t *testing.T) {
	g := startNoURLAckGateway(t)
	eml := writeLegacyMail(t, legacyMail{from: "mei@customer.example", name: "游美玲", nameCS: "Big5",
		subject: "我的訂單到哪裡了？", subjectCS: "Big5", msgID: "tw-1@customer.example", bodyCS: "Big5",
		body: "您好！\r\n我上週買的掃地機器人，訂單號 AC123456，到現在還沒有收到。請問我的訂單到哪裡了？怎麼查詢物流？\r\n\r\n游美玲\r\n"})
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "mei@customer.example", "--to", "support@support.localhost", "--data", "@"+eml)
	env := readEnvelope(t, waitMaildir(t, g.outbox(), 1, 20*time.Second)[0])
	if want := "[SUP-1000] Re: 我的訂單到哪裡了？"; env.GetHeader("Subject") != want {
		t.Errorf("subject %q, want %q", env.GetHeader("Subject"), want)
	}
	ts := g.ackTickets(t)
	if len(ts) != 1 || ts[0].Lang != "zh" {
		t.Fatalf("tickets: %+v", ts)
	}
	due := firstResponse(t, g.gateway, ts[0])
	dueTW := strings.Replace(dueWordsZH(due), "周", "週", 1)
	for _, part := range []struct{ name, body string }{{"text", env.Text}, {"HTML", env.HTML}} {
		mustContain(t, "the Traditional acknowledgement's "+part.name+" part", part.body,
			"游美玲，您好！", "感謝您聯繫Customer Support", "工單編號為", "SUP-1000", "我們將在", dueTW,
			"我的訂單到哪了？", "https://help.support.localhost/t/")
		for _, bad := range []string{"感谢", "联系", "工单", "我们", "订单"} {
			if strings.Contains(part.body, bad) {
				t.Errorf("the Traditional acknowledgement's %s part has Simplified %q:\n%s", part.name, bad, part.body)
			}
		}
	}
	mustContain(t, "the Traditional acknowledgement's text part", env.Text, "https://help.support.localhost/faq/order-tracking?lang=zh")
}
