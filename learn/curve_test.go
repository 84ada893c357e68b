package learn

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/evaltest"
)

func examplesOf(t testing.TB, cat *faq.Catalog, dir, set string) []Example {
	t.Helper()
	exs, err := ReadLabels(filepath.Join(evaltest.SetDir(dir, set), "labels.yaml"), cat, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
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
	dir := evaltest.Dir(t)
	cat := faq.Demo()
	train := examplesOf(t, cat, dir, "public")
	held := evaltest.Load(t, dir, "public-b")
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
		var prev evaltest.Figures
		t.Logf("from %s: %-9s %s", from.name, "examples", "public-b (80 mails, held out)")
		for i, n := range []int{0, 10, 25, 50} {
			c := cat.WithExamples(ForFAQ(append(slices.Clip(from.base), train[:n]...)))
			_, w := c.Examples()
			f := evaltest.Measure(c, held)
			t.Logf("from %s: %-9d %s  (weight %.2f)", from.name, n, f, w)
			if i > 0 && from.hold {
				for _, what := range f.WorseThan(prev) {
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
	dir := evaltest.Dir(t)
	cat := faq.Demo()
	cases := [][2][]string{{{"public"}, {"public-b"}}, {{"public-b"}, {"public"}}}
	if _, err := os.Stat(filepath.Join(evaltest.SetDir(dir, "dev"), "labels.yaml")); err == nil {
		cases = append(cases, [2][]string{{"public", "dev"}, {"public-b"}})
	}
	for _, c := range cases {
		var exs []Example
		for _, set := range c[0] {
			exs = append(exs, examplesOf(t, cat, dir, set)...)
		}
		held := evaltest.Load(t, dir, c[1][0])
		c0 := evaltest.Measure(cat, held)
		c1 := evaltest.Measure(cat.WithExamples(ForFAQ(exs)), held)
		t.Logf("%s: catalog alone   %s", c[1][0], c0)
		t.Logf("%s: + all of %-7s %s", c[1][0], strings.Join(c[0], "+"), c1)
	}
}

// TestLearnedHalvesCV is the cross-validation the examples' constants are
// chosen by: the odd and even mails of public/ (the tuning set), examples
// imported from one half and the other half measured, both ways round,
// against the catalog alone on the same half.
func TestLearnedHalvesCV(t *testing.T) {
	dir := evaltest.Dir(t)
	cat := faq.Demo()
	exs := examplesOf(t, cat, dir, "public")
	mails := evaltest.Load(t, dir, "public")
	var hx [2][]Example
	var hm [2][]evaltest.Mail
	for i := range mails {
		hx[i%2] = append(hx[i%2], exs[i])
		hm[i%2] = append(hm[i%2], mails[i])
	}
	for k := range 2 {
		alone := evaltest.Measure(cat, hm[1-k])
		learned := evaltest.Measure(cat.WithExamples(ForFAQ(hx[k])), hm[1-k])
		t.Logf("half %d: catalog alone %s", 1-k, alone)
		t.Logf("half %d: + half %d     %s", 1-k, k, learned)
		if learned.Dept < alone.Dept-1.0/float64(alone.N)-1e-9 || learned.Recall < alone.Recall-1.0/float64(alone.Relevant)-1e-9 {
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
	dir := evaltest.Dir(t)
	if _, err := os.Stat(filepath.Join(evaltest.SetDir(dir, "dev"), "labels.yaml")); err != nil {
		t.Skipf("eval/dev not found: %v", err)
	}
	cat := faq.Demo()
	var exs []Example
	var mails []evaltest.Mail
	for _, set := range []string{"public", "dev", "dev2"} {
		exs = append(exs, examplesOf(t, cat, dir, set)...)
		mails = append(mails, evaltest.Load(t, dir, set)...)
	}
	if len(exs) != len(mails) {
		t.Fatalf("%d examples for %d mails", len(exs), len(mails))
	}
	const folds = 5
	var alone, learned evaltest.Counts
	for k := range folds {
		var train []Example
		var test []evaltest.Mail
		for i := range mails {
			if i%folds == k {
				test = append(test, mails[i])
			} else {
				train = append(train, exs[i])
			}
		}
		alone.Add(evaltest.Measure(cat, test))
		learned.Add(evaltest.Measure(cat.WithExamples(ForFAQ(train)), test))
	}
	t.Logf("catalog alone          %s", alone)
	t.Logf("+ the other four folds %s", learned)
	a, l := alone.Figures(), learned.Figures()
	if l.Dept < a.Dept-1.0/float64(a.N)-1e-9 || l.Recall < a.Recall-1.0/float64(a.Relevant)-1e-9 ||
		l.Top1 < a.Top1-1.0/float64(a.Relevant)-1e-9 {
		t.Errorf("examples made unseen mail worse: %s against %s", l, a)
	}
}

// TestImportedBothPublicSets is issue 20's setting: a new install (the
// starter examples) after `learn import` of public/ and public-b/,
// measured on mail that is in no example — each tuning set with the
// starter examples of the others and public-b's — pooled over the sets,
// and held to the targets for mail nobody labelled: recall@3
// 0.97, top-1 0.90, no link 0.80, department 0.95. (The mail it is
// measured on was written blind to the code's first score and tuned on
// since: the labelled mail checked from outside is the real test.)
func TestImportedBothPublicSets(t *testing.T) {
	dir := evaltest.Dir(t)
	if _, err := os.Stat(filepath.Join(evaltest.SetDir(dir, "dev"), "labels.yaml")); err != nil {
		t.Skipf("eval/dev not found: %v", err)
	}
	cat := faq.Demo()
	starter, err := Starter()
	if err != nil {
		t.Fatal(err)
	}
	imported := examplesOf(t, cat, dir, "public-b") // public/'s are starter examples already
	var pooled evaltest.Counts
	for _, set := range evaltest.TuningSets {
		var exs []Example
		for _, ex := range starter {
			if filepath.Dir(ex.By) != set {
				exs = append(exs, ex)
			}
		}
		f := evaltest.Measure(cat.WithExamples(ForFAQ(append(exs, imported...))), evaltest.Load(t, dir, set))
		t.Logf("%-5s with the others' %d starter examples and public-b's %d: %s", set, len(exs), len(imported), f)
		pooled.Add(f)
	}
	f := pooled.Figures()
	t.Logf("pooled over %d mails: %s", f.N, f)
	for _, short := range f.Short(evaltest.Targets{Recall: 0.97, Top1: 0.90, NoLink: 0.80, Dept: 0.95}) {
		t.Errorf("after importing both public sets: %s", short)
	}
}
