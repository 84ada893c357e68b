package faq

import (
	"slices"
	"testing"
)

// wantVerbMails are mails written for this test (not from any labelled
// set) that ask in Chinese to send a product back or to have it
// swapped, in the verbs people use (退掉, 退机, 换一台, 换个新的, 调换)
// rather than the shop's nouns 退货 and 换货, beside a product and its
// symptom that a troubleshooting entry matches.
var wantVerbMails = []struct{ subject, body, want string }{
	{"想退掉", "上周收到的空气净化器晚上嗡嗡响，家里老人睡不着。机器没坏，就是用不惯，箱子还在，可以退掉吗？", "returns-7-day"},
	{"电饭煲", "电饭煲买了三天，煮出来的饭不合口味，想退机，运费谁出？", "returns-7-day"},
	{"水壶才用五天", "电水壶才用了五天就不加热了，指示灯也不亮，我不想送修，可以直接换一台新的吗？", "exchanges"},
	{"刚买就坏", "除湿机收到第二天就不出水了，能不能换个新的给我？", "exchanges"},
}

// TestWantVerbsReachTheTransaction: the synonym table's 退货 and 换货
// lines bring the return or exchange entry among the three best of a
// mail that asks for it in verbs (the ranking; whether to link is
// decided apart). Without those lines none of these mails ranks it
// there: its product's troubleshooting, warranty, coupons (退回) and
// cancel-order take the places.
func TestWantVerbsReachTheTransaction(t *testing.T) {
	c := Demo()
	for _, tc := range wantVerbMails {
		var ids []string
		for _, r := range c.read(testMail(tc.subject, tc.body)).res {
			ids = append(ids, c.entries[r.doc].ID)
		}
		if i := slices.Index(ids, tc.want); i < 0 || i >= maxLinks {
			t.Errorf("%s: ranked %v, want %s among the first %d", tc.subject, ids[:min(len(ids), maxLinks)], tc.want, maxLinks)
		}
	}
}
