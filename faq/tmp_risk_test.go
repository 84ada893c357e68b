package faq

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

func TestTmpRisk(t *testing.T) {
	c := Demo()
	a := defaultParams
	a.focus, a.productReportOnly = 0, true
	for _, p := range []probe{
		{"beeps", "robot", "The robot vacuum beeps twice and stops, what does that mean?", []string{"vacuum-stuck-errors"}},
		{"purifier-smell", "purifier", "Why does my air purifier smell odd when it starts?", nil},
		{"rice-sticky", "rice cooker", "Why does the rice cooker make the rice so sticky at the bottom?", nil},
		{"dehumid-ice", "dehumidifier", "There is ice on the back of my dehumidifier, what should I do?", []string{"dehumidifier-no-water"}},
		{"vacuum-battery", "robot vacuum", "How long should the robot vacuum's battery last?", []string{"vacuum-dock-charging"}},
		{"kettle-warm", "kettle", "How do I set the kettle to keep water at 80 degrees?", []string{"kettle-not-heating"}},
		{"wp-beep-zh", "净水器", "净水器一直嘀嘀响是怎么回事？", []string{"water-purifier-leak"}},
		{"rice-pot-zh", "电饭煲", "电饭煲内胆可以放洗碗机吗？", nil},
		{"vac-stairs-zh", "扫地机器人", "扫地机器人会不会从楼梯上掉下去？", []string{"vacuum-stuck-errors"}},
		{"purifier-red-zh", "空气净化器", "空气净化器亮红灯是什么意思？", []string{"purifier-filter-light"}},
	} {
		m, _ := message.Parse([]byte("From: c@example.test\r\nSubject: " + p.subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + p.body + "\r\n"))
		q, res, in := c.candidates(m)
		top, bar, _ := c.linkBar(q, res, in, a)
		old := defaultParams
		old.focus = 0
		top0, _, _ := c.linkBar(q, res, in, old)
		t.Logf("%-16s want %v best %s top/bar %.2f noextra %.2f focus %.2f %s", p.name, p.want, c.entries[res[0].doc].ID, top0/bar, top/bar, (res[0].score-c.idx.productPart(q, res[0].doc))/bar, intentFlags(in))
	}
}
