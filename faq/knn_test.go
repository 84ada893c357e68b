package faq

import (
	"fmt"
	"math"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// readRef is the reading of a mail as it was before the kNN channel was
// made cheap: each index tokenizes the mail itself, and every example
// sharing a term with it is scored in a dense accumulator (nearestRef).
// TestFastReadingIsTheSame holds the fast path to it.
func (c *Catalog) readRef(zones []zone) (res, cat, lead []scored, depts map[string]float64) {
	q := c.idx.query(zones)
	cat = c.idx.scoreTop(q, rankDepth)
	if c.ex == nil {
		return cat, cat, cat, nil
	}
	x := c.ex
	var backdrop float64
	nn := x.nearestRef(x.idx.query(zones), x.knn.k+1)
	if len(nn) > x.knn.k {
		if x.knn.backdrop {
			backdrop = nn[x.knn.k].score
		}
		nn = nn[:x.knn.k]
	}
	scale := x.knn.lambda * minEvidence * c.idx.maxIDF()
	entries := map[int32]float64{}
	depts = map[string]float64{}
	combine := func(a, b float64) float64 { return max(a, b) }
	if x.knn.sum {
		combine = func(a, b float64) float64 { return a + b }
	}
	var none float64
	for _, r := range nn {
		if x.noLink[r.doc] {
			none = combine(none, r.score)
		}
		if r.score > backdrop {
			v := (r.score - backdrop) * scale
			for _, e := range x.entries[r.doc] {
				entries[e] = combine(entries[e], v)
			}
		}
		if d := x.dept[r.doc]; d != "" {
			depts[d] = combine(depts[d], r.score)
		}
	}
	if len(nn) == 0 {
		entries, depts = nil, nil
	}
	res = c.blend(q, cat, entries)
	lead = res
	if x.knn.withdraw > 0 && none > 0 && len(res) > 0 && none > x.knn.withdraw*entries[res[0].doc]/scale {
		lead = cat // knnParams.withdraw
	}
	return res, cat, lead, depts
}

func (x *examples) nearestRef(q []qterm, k int) []scored {
	var qn float64
	for _, t := range q {
		idf := x.idx.maxIDF()
		if t.id >= 0 {
			idf = x.idx.idf[t.id]
		}
		qn += (t.weight * idf) * (t.weight * idf)
	}
	if qn == 0 {
		return nil
	}
	qn = math.Sqrt(qn)
	a := x.idx.accums.Get().(*accum)
	if len(a.score) < x.idx.n {
		a.score = make([]float64, x.idx.n)
	}
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		w := t.weight * x.idx.idf[t.id] / qn
		for _, p := range x.vecs.postings[t.id] {
			if a.score[p.doc] == 0 {
				a.touched = append(a.touched, p.doc)
			}
			a.score[p.doc] += w * float64(p.w)
		}
	}
	out := make([]scored, 0, k)
	for _, d := range a.touched {
		s := scored{d, a.score[d], 0}
		a.score[d] = 0
		if s.score <= 0 {
			continue
		}
		if len(out) == k {
			if !better(s, out[k-1]) {
				continue
			}
			out = out[:k-1]
		}
		i := len(out)
		out = append(out, s)
		for i > 0 && better(s, out[i-1]) {
			out[i] = out[i-1]
			i--
		}
		out[i] = s
	}
	a.touched = a.touched[:0]
	x.idx.accums.Put(a)
	return out
}

// TestFastReadingIsTheSame: the reading of every labelled mail, with
// the other set's (and its own set's) examples learned, is what the
// reference gives, entry for entry and score for score, to the bit: the
// shared tokenization changes the cost, not the result.
func TestFastReadingIsTheSame(t *testing.T) {
	cat, pub := loadEvalSet(t, "public")
	_, pubB := loadEvalSet(t, "public-b")
	for _, tc := range []struct {
		name  string
		exs   []Example
		mails []evalMail
	}{
		{"public examples, public-b mails", labelledExamples(pub), pubB},
		{"public-b examples, public mails", labelledExamples(pubB), pub},
		{"all examples, all mails", append(labelledExamples(pub), labelledExamples(pubB)...), append(append([]evalMail{}, pub...), pubB...)},
		// many examples, in the words of the catalog
		{"3000 made-up examples, all mails", madeUpExamples(3000), append(append([]evalMail{}, pub...), pubB...)},
	} {
		c := cat.WithExamples(tc.exs)
		for i, em := range tc.mails {
			zones, _ := mailZones(em.msg, c.idx.m)
			res, catRes, lead, depts := c.readRef(zones)
			r := c.read(em.msg)
			if !sameScores(r.res, res) || !sameScores(r.cat, catRes) || !sameScores(r.lead, lead) || !sameDepts(r.depts, depts) {
				t.Errorf("%s: mail %d: fast %v %v %v\nreference %v %v %v", tc.name, i, r.res, r.cat, r.depts, res, catRes, depts)
			}
		}
	}
}

// sameScores: the same entries in the same order, with the same scores
// to the bit.
func sameScores(a, b []scored) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].doc != b[i].doc || !near(a[i].score, b[i].score) {
			return false
		}
	}
	return true
}

func sameDepts(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !near(v, w) {
			return false
		}
	}
	return true
}

// One taught mail makes its department confident for a near-duplicate
// of it and only nudges the catalog's judgement of a mail that shares a
// few of its words: the confidence in the taught department is s (the
// similarity to the taught mail) plus the catalog's confidence times
// 1 − s.
func TestOneCorrectionRoutesANearDuplicate(t *testing.T) {
	const subj = "trade-in rebate not received"
	taught := Example{ID: "x1", Department: "finance", Text: subj + "\nI traded in my old washing machine when I bought the new one and the 300 yuan trade-in rebate never arrived. Where is it?"}
	c := Demo().WithExamples([]Example{taught})
	for _, tc := range []struct {
		name, body string
		near       bool
	}{
		{"paraphrase", "I traded in my old fridge when I bought a new one, and the trade-in rebate never arrived. Where is it?", true},
		{"loosely similar", "Do you take my old machine away when you deliver the new dryer I ordered?", false},
	} {
		m, _ := message.Parse([]byte("Subject: " + subj + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		if !tc.near {
			m, _ = message.Parse([]byte("Subject: trade-in question\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		}
		r := c.read(m)
		s := r.gate
		conf := func(ts []Topic, d string) float64 {
			for _, tp := range ts {
				if tp.Department == d {
					return tp.Confidence
				}
			}
			return 0
		}
		learned, alone := conf(c.Topics(m), "finance"), conf(Demo().Topics(m), "finance")
		want := s + (1-s)*alone
		t.Logf("%s: similarity %.2f, finance %.3f (catalog alone %.3f)", tc.name, s, learned, alone)
		if math.Abs(learned-want) > 1e-9 {
			t.Errorf("%s: finance %.4f, want s + (1 − s)·%.4f = %.4f", tc.name, learned, alone, want)
		}
		switch {
		case tc.near && (s < 0.8 || learned <= 0.5 || c.Topics(m)[0].Department != "finance"):
			t.Errorf("%s: similarity %.2f, finance %.3f: a near-duplicate of the taught mail is not confidently finance's", tc.name, s, learned)
		case !tc.near && (s <= 0 || s >= 0.4 || learned >= 0.5):
			t.Errorf("%s: similarity %.2f, finance %.3f: want a loosely similar mail (0 < s < 0.4) below 0.5", tc.name, s, learned)
		}
	}
}

func near(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// madeUpExamples are n examples made of the demo catalog's titles and
// answers, each with an order number (as the rules' benchmark).
func madeUpExamples(n int) []Example {
	demo := Demo().Entries()
	out := make([]Example, n)
	for i := range out {
		a, c := demo[i%len(demo)], demo[(i*7+3)%len(demo)]
		text := a.En.Title + "\n" + c.En.Answer
		if i%3 == 0 {
			text = a.Zh.Title + "\n" + c.Zh.Answer
		}
		out[i] = Example{ID: fmt.Sprintf("x%d", i), Department: a.Departments[0], Entries: []string{a.ID}, Text: fmt.Sprintf("order %d: %s", i, text)}
	}
	return out
}

// A no-link example (agents linked nothing to a thank-you note) keeps
// the links from a mail like it that reads as thanks, and leaves a real
// question with the same words to the catalog: both are linked without
// the example, only the question with it.
func TestNoLinkExampleWithholdsFromThanksOnly(t *testing.T) {
	taught := Example{ID: "x1", Department: "support", NoLink: true,
		Text: "thanks to your installation technician\nThank you so much! The technician who came to install our water purifier under the sink was wonderful, polite and tidy. Could you pass our thanks on to him?"}
	mail := func(subj, body string) *message.Message {
		m, _ := message.Parse([]byte("Subject: " + subj + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"))
		return m
	}
	thanks := func() *message.Message {
		// (not "could you pass on our thanks?": relayMark reads that,
		// and the catalog alone withholds it)
		return mail("thank you to the installation technician", "Thank you so much, the technician who came to install our water purifier was wonderful and tidy. Could you tell him he made our week?")
	}
	question := func() *message.Message {
		return mail("water purifier installation", "My water purifier arrived yesterday. How do I book the technician to install it under the sink?")
	}
	learned := Demo().WithExamples([]Example{taught})
	for _, tc := range []struct {
		name     string
		m        func() *message.Message
		withheld bool
	}{{"thank-you note", thanks, true}, {"question", question, false}} {
		alone := Demo().Suggest(tc.m())
		if len(alone) == 0 {
			t.Fatalf("%s: the catalog alone links nothing: the test shows nothing", tc.name)
		}
		m := tc.m()
		got := learned.Suggest(m)
		sim := learned.read(m).gate
		t.Logf("%s: similarity %.2f, catalog alone %v, with the no-link example %v", tc.name, sim, alone, got)
		if sim < 0.2 {
			t.Errorf("%s: similarity to the example %.2f: not near enough to show anything", tc.name, sim)
		}
		switch {
		case tc.withheld && len(got) > 0:
			t.Errorf("%s: linked %v although a no-link example like it was taught", tc.name, got)
		case !tc.withheld && (len(got) == 0 || got[0].ID != alone[0].ID):
			t.Errorf("%s: linked %v with the no-link example, %v without", tc.name, got, alone)
		}
	}
	// the same example without NoLink (a department only, as a #move
	// makes) withholds nothing
	moved := taught
	moved.NoLink = false
	if got := Demo().WithExamples([]Example{moved}).Suggest(thanks()); len(got) == 0 {
		t.Errorf("a department-only example withheld the thank-you note's links")
	}
}

// The votes of examples only loosely like a mail do not lift it over
// the linking bar when examples that needed no link are much nearer
// (knnParams.withdraw): a complaint about a courier, close to a taught
// one that needed no link and far from a taught "where is my parcel",
// is not linked to order tracking, which it does not reach on the
// catalog's words alone; without withdraw it is. A mail whose best
// entry clears the bar on the catalog's words keeps its links, and the
// catalog's first.
func TestNoLinkNeighboursWithdrawLooseVotes(t *testing.T) {
	exs := []Example{
		{ID: "n1", Department: "logistics", NoLink: true, Text: "courier threw my parcel over the fence\nThe courier threw my parcel over the garden fence and drove off without ringing the bell. The box is dented. I just want you to know how careless he was."},
		{ID: "e1", Department: "logistics", Entries: []string{"order-tracking"}, Text: "how long does the parcel take\nMy parcel was sent by courier on Monday. How many days does delivery take?"},
	}
	mail := func(body string) *message.Message {
		m, _ := message.Parse([]byte("Subject: courier threw the parcel over the fence\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"))
		return m
	}
	learned := Demo().WithExamples(exs)
	if learned.ex.knn.withdraw == 0 {
		t.Fatalf("withdraw is off")
	}
	off := Demo().WithExamples(exs)
	off.ex.knn.withdraw = 0
	for _, tc := range []struct {
		body      string
		withdrawn bool
	}{
		{"The courier threw my parcel over the fence and drove off. Is that normal for your delivery?", true},
		{"The courier threw my parcel over the fence and drove off. Is that how you deliver orders?", false},
		{"The courier threw my parcel over the fence and drove off. Is that normal for your delivery times?", false},
	} {
		alone, got, without := ids(Demo().Suggest(mail(tc.body))), ids(learned.Suggest(mail(tc.body))), ids(off.Suggest(mail(tc.body)))
		t.Logf("%q: catalog alone %v, learned %v, without withdraw %v", tc.body, alone, got, without)
		switch {
		case tc.withdrawn && (len(alone) > 0 || len(without) == 0):
			t.Errorf("%q: catalog alone %v, without withdraw %v: want nothing and a link (the test shows nothing)", tc.body, alone, without)
		case tc.withdrawn && len(got) > 0:
			t.Errorf("%q: linked %v: the loose votes lifted it although a no-link example is much nearer", tc.body, got)
		case !tc.withdrawn && (len(alone) == 0 || len(got) == 0 || got[0] != alone[0]):
			t.Errorf("%q: linked %v, catalog alone %v: want the catalog's first link kept", tc.body, got, alone)
		}
	}
}

func ids(hs []Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.ID)
	}
	return out
}

// A no-link example of a question asked before buying that the catalog
// does not answer keeps the links from a pre-sale question like it
// (cuedBar reads intent.prospective as a cued kind), and leaves the same
// words from an owner to the catalog.
func TestNoLinkExampleWithholdsFromPreSale(t *testing.T) {
	taught := Example{ID: "x1", Department: "sales", NoLink: true,
		Text: "ozone from the purifier\nWe are thinking of buying the AP-600 air purifier for our nursery. Does it have an ioniser that gives off ozone, and can the ioniser be switched off?"}
	mail := func(subj, body string) *message.Message {
		m, _ := message.Parse([]byte("Subject: " + subj + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"))
		return m
	}
	preSale := func() *message.Message {
		return mail("AP-600 ozone", "Before I buy the AP-600 air purifier: does its ioniser give off ozone, and can the ioniser be switched off?")
	}
	owner := func() *message.Message {
		return mail("AP-600 ozone", "My AP-600 air purifier smells of ozone since I replaced the filter. Does the ioniser give off ozone, and can it be switched off?")
	}
	learned := Demo().WithExamples([]Example{taught})
	for _, tc := range []struct {
		name     string
		m        func() *message.Message
		withheld bool
	}{{"pre-sale question", preSale, true}, {"owner's question", owner, false}} {
		alone := Demo().Suggest(tc.m())
		if len(alone) == 0 {
			t.Fatalf("%s: the catalog alone links nothing: the test shows nothing", tc.name)
		}
		m := tc.m()
		if r := learned.read(m); r.in.prospective != tc.withheld {
			t.Fatalf("%s: prospective %v: the test shows nothing", tc.name, r.in.prospective)
		}
		got := learned.Suggest(m)
		switch {
		case tc.withheld && len(got) > 0:
			t.Errorf("%s: linked %v although a no-link pre-sale example like it was taught", tc.name, got)
		case !tc.withheld && len(got) == 0:
			t.Errorf("%s: linked nothing with the no-link example, %v without", tc.name, alone)
		}
	}
}
