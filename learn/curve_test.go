package learn

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

func evalDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "shared", "eval")
	if _, err := os.Stat(filepath.Join(dir, "public", "labels.yaml")); err != nil {
		if os.Getenv("FRONTDESK_INTEGRATION") == "require" {
			t.Fatalf("evaluation data missing: %v", err)
		}
		t.Skipf("evaluation data not found (%v)", err)
	}
	return dir
}

// setDir is where a labelled set is: dev is this repository's eval/dev
// (a tuning set beside public, written blind to public-b), the others are
// in dir (../shared/eval).
func setDir(dir, set string) string {
	if set == "dev" || set == "dev2" || set == "dev3" || set == "dev4" || set == "dev5" || set == "dev6" {
		return filepath.Join("..", "eval", set)
	}
	return filepath.Join(dir, set)
}

type evalMail struct {
	Label
	raw []byte
}

func loadSet(t testing.TB, dir, set string) []evalMail {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(setDir(dir, set), "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []Label
	if err := yaml.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	var out []evalMail
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(setDir(dir, set), l.File))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, evalMail{l, raw})
	}
	return out
}

type figures struct {
	recall, top1, noLink, dept float64
	relevant, none, n          int
	// per language (en, zh, mixed): recalled of relevant, routed right of all
	langRecall, langDept map[string][2]int
}

// worseThan names the figures of f that are below then's by more than
// one mail: noise at these sizes.
func (f figures) worseThan(then figures) []string {
	var out []string
	for _, x := range []struct {
		what      string
		now, then float64
		of        int
	}{{"recall@3", f.recall, then.recall, f.relevant}, {"top-1", f.top1, then.top1, f.relevant},
		{"no-link", f.noLink, then.noLink, f.none}, {"department", f.dept, then.dept, f.n}} {
		if x.now < x.then-1.0/float64(max(1, x.of))-1e-9 {
			out = append(out, x.what)
		}
	}
	return out
}

// byLang is recall@3 and department accuracy per language, as the
// issue's tables show them.
func (f figures) byLang() string {
	var b strings.Builder
	for _, l := range []string{"en", "zh", "mixed"} {
		r, d := f.langRecall[l], f.langDept[l]
		fmt.Fprintf(&b, "  %s r@3 %.3f dept %.3f", l, float64(r[0])/float64(max(1, r[1])), float64(d[0])/float64(max(1, d[1])))
	}
	return b.String()
}

func (f figures) String() string {
	return fmt.Sprintf("recall@3 %.3f  top-1 %.3f  no-link %.3f  department %.3f", f.recall, f.top1, f.noLink, f.dept)
}

// measure is what serve would do for each mail: the acknowledgement's
// links (Suggest) and the demo rules' department with cat as classifier.
func measure(cat *faq.Catalog, mails []evalMail) figures {
	f := figures{langRecall: map[string][2]int{}, langDept: map[string][2]int{}}
	var recalled, top1, noneKept, dept int
	r := rules.Demo()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, em := range mails {
		m, _ := message.Parse(em.raw)
		for _, a := range m.To {
			m.Rcpt = append(m.Rcpt, a.Address)
		}
		ld := f.langDept[em.Lang]
		ld[1]++
		if r.EvaluateWith(m, now, cat).Department == em.Department {
			dept++
			ld[0]++
		}
		f.langDept[em.Lang] = ld
		hits := cat.Suggest(m)
		if len(em.FAQ) == 0 {
			f.none++
			if len(hits) == 0 {
				noneKept++
			}
			continue
		}
		f.relevant++
		lr := f.langRecall[em.Lang]
		lr[1]++
		f.langRecall[em.Lang] = lr
		for i, h := range hits {
			if contains(em.FAQ, h.ID) {
				recalled++
				lr[0]++
				f.langRecall[em.Lang] = lr
				if i == 0 {
					top1++
				}
				break
			}
		}
	}
	f.n = len(mails)
	f.recall = float64(recalled) / float64(max(1, f.relevant))
	f.top1 = float64(top1) / float64(max(1, f.relevant))
	f.noLink = float64(noneKept) / float64(max(1, f.none))
	f.dept = float64(dept) / float64(max(1, f.n))
	return f
}

func examplesOf(t testing.TB, cat *faq.Catalog, dir, set string) []Example {
	t.Helper()
	exs, err := ReadLabels(filepath.Join(setDir(dir, set), "labels.yaml"), cat, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for i := range exs {
		exs[i].ID = fmt.Sprintf("%s-%03d", set, i) // what Put would give them, readable
	}
	return exs
}

// TestLearningCurve imports the first 0, 10, 25 and 50 mails of public/
// into a new install and measures the held-out public-b after each: the
// figures must not get worse as examples are added (by more than one
// mail's worth: noise), and a set's figures are never reported after
// importing that same set. A new install ranks with the starter
// examples (Starter), so the curve starts from those that did not come
// from public/ (eval/dev's and eval/dev2's, 164): importing public/
// into the shipped set would change nothing, its mails being starter
// examples already. It also prints, without holding it, the curve from
// the catalog alone (the one shown before the starter examples
// shipped): there public/'s examples alone lower public-b's recall@3 at
// 50 (their wording is not public-b's), where beside the others they do
// not. It prints the tables the README shows.
func TestLearningCurve(t *testing.T) {
	dir := evalDir(t)
	cat := faq.Demo()
	train := examplesOf(t, cat, dir, "public")
	held := loadSet(t, dir, "public-b")
	for _, ex := range train {
		for _, em := range held {
			if ex.By == filepath.Join(dir, "public-b", "labels.yaml")+":"+em.File {
				t.Fatalf("held-out mail %s imported", em.File)
			}
		}
	}
	starter, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	var base []Example
	for _, ex := range starter {
		if d := filepath.Dir(ex.By); d != "public" && d != "public-b" {
			base = append(base, ex)
		}
	}
	for _, from := range []struct {
		name string
		base []Example
		hold bool
	}{{fmt.Sprintf("the %d starter examples not from public/", len(base)), base, true}, {"the catalog alone", nil, false}} {
		var prev figures
		t.Logf("from %s: %-9s %s", from.name, "examples", "public-b (80 mails, held out)")
		for i, n := range []int{0, 10, 25, 50} {
			c := cat.WithExamples(ForFAQ(append(slices.Clip(from.base), train[:n]...)))
			_, w := c.Examples()
			f := measure(c, held)
			t.Logf("from %s: %-9d %s  (weight %.2f)", from.name, n, f, w)
			if i > 0 && from.hold {
				for _, what := range f.worseThan(prev) {
					t.Errorf("%s fell with %d examples: %s, before %s", what, n, f, prev)
				}
			}
			prev = f
		}
	}
}

// TestLearnedFromBothSets reports public-b after importing all of public/
// (the "after learn import" figures), and public/ after importing
// public-b: each set is measured only with the other's examples.
func TestLearnedFromOtherSet(t *testing.T) {
	dir := evalDir(t)
	cat := faq.Demo()
	cases := [][2][]string{{{"public"}, {"public-b"}}, {{"public-b"}, {"public"}}}
	if _, err := os.Stat(filepath.Join(setDir(dir, "dev"), "labels.yaml")); err == nil {
		cases = append(cases, [2][]string{{"public", "dev"}, {"public-b"}})
	}
	for _, c := range cases {
		var exs []Example
		for _, set := range c[0] {
			exs = append(exs, examplesOf(t, cat, dir, set)...)
		}
		held := loadSet(t, dir, c[1][0])
		c0 := measure(cat, held)
		c1 := measure(cat.WithExamples(ForFAQ(exs)), held)
		t.Logf("%s: catalog alone   %s", c[1][0], c0)
		t.Logf("%s: + all of %-7s %s", c[1][0], strings.Join(c[0], "+"), c1)
	}
}

// TestLearnedHalvesCV is the cross-validation the examples' constants are
// chosen by: the odd and even mails of public/ (the tuning set), examples
// imported from one half and the other half measured, both ways round,
// against the catalog alone on the same half.
func TestLearnedHalvesCV(t *testing.T) {
	dir := evalDir(t)
	cat := faq.Demo()
	exs := examplesOf(t, cat, dir, "public")
	mails := loadSet(t, dir, "public")
	var hx [2][]Example
	var hm [2][]evalMail
	for i := range mails {
		hx[i%2] = append(hx[i%2], exs[i])
		hm[i%2] = append(hm[i%2], mails[i])
	}
	for k := range 2 {
		alone := measure(cat, hm[1-k])
		learned := measure(cat.WithExamples(ForFAQ(hx[k])), hm[1-k])
		t.Logf("half %d: catalog alone %s", 1-k, alone)
		t.Logf("half %d: + half %d     %s", 1-k, k, learned)
		if learned.dept < alone.dept-1.0/float64(alone.n)-1e-9 || learned.recall < alone.recall-1.0/float64(alone.relevant)-1e-9 {
			t.Errorf("examples of half %d made half %d worse: %s against %s", k, 1-k, learned, alone)
		}
	}
}

// TestLearnedTuningCV is the cross-validation over the three tuning sets
// (public, eval/dev and eval/dev2, 214 mails, as faq's
// TestEvalExamplesTuningCV): five folds, each measured with the
// examples of the other four imported, against the catalog alone on the
// same fold. It is the nearest measure here of the issue's "after
// importing a labelled set, on mail it does not hold", and the one the
// examples' constants may be chosen by; public-b stays out of it.
// (Session 16 added eval/dev2: over public and eval/dev alone, 110
// mails, the catalog's other-product factor raised the catalog alone's
// top-1 to 0.878 while the examples' stayed 0.856, two mails lower
// there; over the 214 the examples give 0.897 against 0.862.)
func TestLearnedTuningCV(t *testing.T) {
	dir := evalDir(t)
	if _, err := os.Stat(filepath.Join(setDir(dir, "dev"), "labels.yaml")); err != nil {
		t.Skipf("eval/dev not found: %v", err)
	}
	cat := faq.Demo()
	var exs []Example
	var mails []evalMail
	for _, set := range []string{"public", "dev", "dev2"} {
		exs = append(exs, examplesOf(t, cat, dir, set)...)
		mails = append(mails, loadSet(t, dir, set)...)
	}
	if len(exs) != len(mails) {
		t.Fatalf("%d examples for %d mails", len(exs), len(mails))
	}
	const folds = 5
	var alone, learned counts
	for k := range folds {
		var train []Example
		var test []evalMail
		for i := range mails {
			if i%folds == k {
				test = append(test, mails[i])
			} else {
				train = append(train, exs[i])
			}
		}
		alone.add(measure(cat, test))
		learned.add(measure(cat.WithExamples(ForFAQ(train)), test))
	}
	t.Logf("catalog alone          %s", alone)
	t.Logf("+ the other four folds %s", learned)
	a, l := alone.figures(), learned.figures()
	if l.dept < a.dept-1.0/float64(a.n)-1e-9 || l.recall < a.recall-1.0/float64(a.relevant)-1e-9 ||
		l.top1 < a.top1-1.0/float64(a.relevant)-1e-9 {
		t.Errorf("examples made unseen mail worse: %s against %s", l, a)
	}
}

// counts adds up figures over folds as mail counts, so that folds of
// different sizes weigh by their mails.
type counts struct{ recalled, top1, noneKept, dept, relevant, none, n float64 }

func (c *counts) add(f figures) {
	c.recalled += f.recall * float64(f.relevant)
	c.top1 += f.top1 * float64(f.relevant)
	c.noneKept += f.noLink * float64(f.none)
	c.dept += f.dept * float64(f.n)
	c.relevant += float64(f.relevant)
	c.none += float64(f.none)
	c.n += float64(f.n)
}

func (c counts) figures() figures {
	return figures{recall: c.recalled / max(1, c.relevant), top1: c.top1 / max(1, c.relevant),
		noLink: c.noneKept / max(1, c.none), dept: c.dept / max(1, c.n),
		relevant: int(c.relevant + 0.5), none: int(c.none + 0.5), n: int(c.n + 0.5)}
}

func (c counts) String() string { return c.figures().String() }
