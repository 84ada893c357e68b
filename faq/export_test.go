package faq

import (
	"fmt"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// RunExamplesTuningCV runs the examples' tuning-set cross-validation
// (examplesTuningCV) with route giving a mail's department: package
// rules imports this one, so the demo rules are passed in by a test of
// package faq_test.
func RunExamplesTuningCV(t *testing.T, route func(c *Catalog, m *message.Message) string) {
	examplesTuningCV(t, route)
}

// RunTuningMisroutes lists the tuning-set mails (public/, eval/dev, dev2, dev3;
// never public-b) that the five-fold cross-validation of
// examplesTuningCV routes wrongly, with what explain says decided them
// and the mail's topics, and the same for the catalog alone. It fails
// when the lists disagree with the cross-validation's figures.
func RunTuningMisroutes(t *testing.T, explain func(c *Catalog, m *message.Message) (string, string)) {
	cv := newTuningFolds(t, func(c *Catalog, m *message.Message) string { d, _ := explain(c, m); return d })
	wrong := map[string]int{}
	show := func(name string, c *Catalog, em evalMail) {
		d, why := explain(c, em.msg)
		if d != em.Dept {
			wrong[name]++
			to := ""
			if len(em.msg.To) > 0 {
				to = em.msg.To[0].Address
			}
			t.Logf("%s %s: to %s, labelled %s, routed %s: %s | topics %s", name, em.File, to, em.Dept, d, why, fmtTopics(c.Topics(em.msg)))
		}
	}
	for _, em := range cv.all {
		show("alone", cv.cat, em)
	}
	for k := range tuningFoldCount {
		var train []Example
		for i := range cv.all {
			if i%tuningFoldCount != k {
				train = append(train, cv.exs[i])
			}
		}
		c := cv.cat.WithExamples(train)
		for i, em := range cv.all {
			if i%tuningFoldCount == k {
				show("cv", c, em)
			}
		}
	}
	for name, f := range map[string]cvFigures{"alone": cv.alone(), "cv": cv.run(defaultKNN)} {
		if f.n-f.dept != wrong[name] {
			t.Errorf("%s: %d misroutes listed, the figures say %d", name, wrong[name], f.n-f.dept)
		}
	}
}

func fmtTopics(ts []Topic) string {
	var b []byte
	for _, x := range ts {
		b = fmt.Appendf(b, "%s %.2f (learned %.2f, also %v, presale %v, %v); ", x.Department, x.Confidence, x.Learned, x.Also, x.PreSale, x.Entries)
	}
	return string(b)
}
