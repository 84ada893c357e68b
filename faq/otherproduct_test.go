package faq

import (
	"fmt"
	"slices"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// otherProductMails are mails written for these tests (not taken from
// any labelled set) in which a symptom or a generic word the mail shares
// with another product's entry would put that entry first: the mail's
// product must decide between the product entries.
var otherProductMails = []struct{ subject, body, want, not string }{
	// "keeps stopping" is the dehumidifier's title; the mail is the robot's
	{"Robot keeps stopping", "My robot vacuum keeps stopping in the middle of the hall and beeps. What should I do?", "vacuum-stuck-errors", "dehumidifier-no-water"},
	// "no water", "light": the kettle's, not the purifier's or the dehumidifier's
	{"Kettle problem", "The kettle light comes on but there is no hot water, it stays cold. Can you help?", "kettle-not-heating", "dehumidifier-no-water"},
	// 不出水 is the dehumidifier's keyword; 净水器 names the water purifier
	{"净水器", "我的净水器漏水了，下面一直滴水，柜子都湿了，怎么办？", "water-purifier-leak", "dehumidifier-no-water"},
}

func testMail(subject, body string) *message.Message {
	m, _ := message.Parse([]byte("From: a@b.example\r\nSubject: " + subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body))
	return m
}

// firstLinkCase is a mail and the first entry Suggest must link for it
// ("" for none).
type firstLinkCase struct{ subject, body, want string }

// checkFirstLinks checks each case's first link with catalog c.
func checkFirstLinks(t *testing.T, c *Catalog, cases []firstLinkCase) {
	t.Helper()
	for _, tc := range cases {
		if got := firstLink(c, testMail(tc.subject, tc.body+"\r\n")); got != tc.want {
			t.Errorf("%q: first link %q, want %q", tc.body, got, tc.want)
		}
	}
}

// firstLink is the first entry Suggest links for m, "" for none.
func firstLink(c *Catalog, m *message.Message) string {
	if hits := c.Suggest(m); len(hits) > 0 {
		return hits[0].ID
	}
	return ""
}

// TestOtherProductRanksLower: an entry whose title and keywords name a
// product the mail does not name (the mail naming one) ranks below the
// entry of the mail's product (otherProductFactor). Without the factor
// the first mail's dehumidifier entry comes first.
func TestOtherProductRanksLower(t *testing.T) {
	c := Demo()
	for _, tc := range otherProductMails {
		res := c.read(testMail(tc.subject, tc.body)).res
		var ids []string
		for _, r := range res {
			ids = append(ids, c.entries[r.doc].ID)
		}
		if len(ids) == 0 || ids[0] != tc.want {
			t.Errorf("%s: ranked %v, want %s first", tc.subject, ids, tc.want)
		}
		if i, j := slices.Index(ids, tc.want), slices.Index(ids, tc.not); j >= 0 && j < i {
			t.Errorf("%s: %s above %s", tc.subject, tc.not, tc.want)
		}
	}
	// the factor is what puts the robot first: off, the dehumidifier's
	// "keeps stopping" wins
	mt := defaultMethod
	mt.otherProduct = 0
	off := *c
	off.idx = buildIndexWith(c.entries, mt)
	zones, _ := mailZones(testMail(otherProductMails[0].subject, otherProductMails[0].body), mt)
	if res := off.idx.scoreTop(off.idx.query(zones), rankDepth); len(res) == 0 || off.entries[res[0].doc].ID != otherProductMails[0].not {
		t.Errorf("without the factor the first mail ranks %v first; the test no longer shows the factor's effect", res)
	}
}

// TestOtherProductNeedsAName: generic words (appliance, machine, 机器)
// and modifiers ("no water", "air") name no product, so they put no
// entry below another; an entry whose head says "your appliance" is about
// every product.
func TestOtherProductNeedsAName(t *testing.T) {
	c := Demo()
	ix := c.idx
	q := func(text string) uint64 {
		zones := []zone{{text, ix.m.tell}}
		return ix.mailProducts(ix.query(zones))
	}
	for _, text := range []string{"the machine has no water", "my appliance", "air flow", "机器坏了", "rice"} {
		if got := q(text); got != 0 {
			t.Errorf("%q names products %b, want none", text, got)
		}
	}
	for _, text := range []string{"my kettle", "扫地机器人", "the dehumidifier", "电饭煲", "air purifier"} {
		if got := q(text); got == 0 {
			t.Errorf("%q names no product, want one", text)
		}
	}
	for d, e := range c.entries {
		if e.ID == "wifi-app-pairing" && ix.headProduct[d] != 0 {
			t.Errorf("wifi-app-pairing (\"your appliance\") names %b", ix.headProduct[d])
		}
		if e.ID == "dehumidifier-no-water" && ix.headProduct[d] == 0 {
			t.Errorf("dehumidifier-no-water names no product")
		}
	}
	// quoted history alone names nothing: the customer's own words do
	if got := ix.mailProducts(ix.query([]zone{{"my kettle", quotedWeight}})); got != 0 {
		t.Errorf("quoted kettle names %b", got)
	}
}

// TestStopWordInflections: a word whose stem is a stop word's (gets,
// getting, wanted, likes) is a stop word too, in the catalog as in a mail:
// "keeps getting declined" shares nothing with the robot vacuum's "gets
// stuck".
func TestStopWordInflections(t *testing.T) {
	for _, text := range []string{"gets", "getting", "wanted", "likes", "liked", "thanked"} {
		if toks := tokenizePlain(text); len(toks) != 0 {
			t.Errorf("%q: %v, want no term", text, toks)
		}
	}
	for _, text := range []string{"when", "where", "stuck", "keeps"} {
		if toks := tokenizePlain(text); len(toks) == 0 {
			t.Errorf("%q: no term", text)
		}
	}
	c := Demo()
	res := c.read(testMail("Payment", "I'm trying to buy the robot vacuum but my card keeps getting declined. Can I pay another way?")).res
	if len(res) == 0 || c.entries[res[0].doc].ID == "vacuum-stuck-errors" {
		t.Errorf("a declined card ranks %v first", res)
	}
}

// tuningSets are the three tuning sets ranked with method mt.
func tuningSets(t *testing.T, mt method) (*Catalog, [3][]evalMail) {
	var c *Catalog
	var sets [3][]evalMail
	for i, set := range []string{"public", "dev", "dev2"} {
		cat, mails := loadEvalSet(t, set)
		cc := *cat
		cc.idx = buildIndexWith(cat.entries, mt)
		cc.pass = buildPassageIndex(&cc, windows(1), false)
		for j, em := range mails {
			em.q, em.res, em.in = cc.candidates(em.msg)
			mails[j] = em
		}
		c, sets[i] = &cc, mails
	}
	return c, sets
}

// TestEvalOtherProduct measures otherProductFactor on the three tuning
// sets (public/, eval/dev, eval/dev2; never public-b): top-1, recall@3
// and no-link per set, and the right entry's mean margin (rightMargin).
// It fails when the shipped factor loses any of them on any set against
// the ranking without it. Measured with the stop-word inflections
// (isStopStem; top-1 / recall@3 / no-link mails, off → ×0.5): public/
// 39 → 40 / 42 / 8, eval/dev 38 → 39 / 44 / 11, eval/dev2 71 / 74 /
// 19; ×0.85 and ×0.7 gain public/'s mail only, ×0.6 and below both; the
// margins rise on every set down to ×0.35 and are flat below.
func TestEvalOtherProduct(t *testing.T) {
	type figures struct{ top1, recalled, noneKept int }
	var off [3]figures
	for _, f := range []float64{0, 0.85, 0.7, 0.6, otherProductFactor, 0.35, 0.25} {
		mt := defaultMethod
		mt.otherProduct = f
		c, sets := tuningSets(t, mt)
		line := ""
		for i, ms := range sets {
			m := measure(c, ms, defaultParams)
			line += fmt.Sprintf(" | top-1 %d/%d recall %d no-link %d/%d margin %.3f", m.top1, m.relevant, m.recalled, m.noneKept, m.none, rightMargin(c, ms))
			g := figures{m.top1, m.recalled, m.noneKept}
			if f == 0 {
				off[i] = g
			} else if f == otherProductFactor && (g.top1 < off[i].top1 || g.recalled < off[i].recalled || g.noneKept < off[i].noneKept) {
				t.Errorf("set %d: the shipped factor %v loses against none: %+v against %+v", i, f, g, off[i])
			}
		}
		t.Logf("×%.2f%s", f, line)
	}
}

// TestPitchFirstLink: a pitch (a reporter's enquiry, a job application)
// that names a product's matter links the entry for pitches first when
// it is linked at all; without pitchFirst the recall entry would come
// first. Mails written for this test.
func TestPitchFirstLink(t *testing.T) {
	c := Demo()
	for _, tc := range []struct{ subject, body, want, before string }{
		{"Media enquiry: kettle recall", "I am a journalist at a consumer magazine writing about the KT-17 kettle power base recall. How many units are affected, and could your press office give us a comment for the article?", "press-contact", "safety-recall"},
	} {
		m := testMail(tc.subject, tc.body)
		r := c.read(m)
		if !r.in.pitch {
			t.Fatalf("%s: not read as a pitch; the test needs one", tc.subject)
		}
		links := c.decide(r.q, r.res, r.in, m.Lang(), defaultParams)
		if len(links) < 2 || links[0].ID != tc.before {
			t.Fatalf("%s: decide links %v; the test needs %s first there", tc.subject, links, tc.before)
		}
		if h := c.Suggest(m); len(h) == 0 || h[0].ID != tc.want {
			t.Errorf("%s: Suggest %v, want %s first", tc.subject, h, tc.want)
		}
	}
	// not a pitch: the links stay in their order
	links := []Hit{{ID: "safety-recall"}, {ID: "press-contact"}}
	if got := c.pitchFirst(links, intent{}); got[0].ID != "safety-recall" {
		t.Errorf("pitchFirst of a mail that is no pitch: %v", got)
	}
	if got := c.pitchFirst(links, intent{pitch: true}); got[0].ID != "press-contact" || got[1].ID != "safety-recall" || len(got) != 2 {
		t.Errorf("pitchFirst of a pitch: %v", got)
	}
}
