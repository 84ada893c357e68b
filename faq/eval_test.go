package faq

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/message"
	"go.yaml.in/yaml/v3"
)

type label struct {
	File string   `yaml:"file"`
	Lang string   `yaml:"lang"`
	Dept string   `yaml:"department"`
	FAQ  []string `yaml:"faq"`
	Note string   `yaml:"note"`
}

type evalMail struct {
	label
	msg  *message.Message
	res  []scored // ranking, computed once: the constants only change decide
	q    []qterm  // the query, for the passage ranking of the later links
	in   intent
	lang string
}

// loadEval reads the labelled mails and the catalog of ../../shared/eval.
// It skips the test when the directory is absent, unless
// FRONTDESK_INTEGRATION=require.
func loadEval(t testing.TB) (*Catalog, []evalMail) { return loadEvalSet(t, "public") }

// evalSets are the labelled sets: public (../shared/eval) and dev (this
// repository's eval/dev, written by the project from the catalog and the
// routing policy, blind to public-b) are the ones the constants may be
// tuned on; public-b is held out (measured, never looked at mail by mail).
var evalSets = []string{"public", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "public-b"}

// evalSetDir is where a labelled set's mails and labels.yaml are.
func evalSetDir(set string) string {
	if set == "dev" || set == "dev2" || set == "dev3" || set == "dev4" || set == "dev5" || set == "dev6" {
		return filepath.Join("..", "eval", set)
	}
	return filepath.Join("..", "..", "shared", "eval", set)
}

func loadEvalSet(t testing.TB, set string) (*Catalog, []evalMail) {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "eval")
	if _, err := os.Stat(filepath.Join(dir, "public", "labels.yaml")); err != nil {
		if os.Getenv("FRONTDESK_INTEGRATION") == "require" {
			t.Fatalf("evaluation data missing: %v", err)
		}
		t.Skipf("evaluation data not found (%v)", err)
	}
	cat, err := Load(filepath.Join(dir, "faq.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(evalSetDir(set), "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []label
	if err := yaml.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	var mails []evalMail
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(evalSetDir(set), l.File))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := message.Parse(raw) // never nil; a parse warning still leaves a usable view
		for _, id := range l.FAQ {
			if _, ok := cat.Entry(id); !ok {
				t.Fatalf("%s: label names unknown entry %q", l.File, id)
			}
		}
		q, res, in := cat.candidates(m)
		mails = append(mails, evalMail{l, m, res, q, in, string(m.Lang())})
	}
	return cat, mails
}

type metrics struct {
	relevant, recalled, top1 int
	none, noneKept           int
	byLang                   map[string][2]int // lang → {recalled, relevant}
	tooMany                  []string
	misses                   []string
}

func (m metrics) recall() float64   { return ratio(m.recalled, m.relevant) }
func (m metrics) top1Rate() float64 { return ratio(m.top1, m.relevant) }
func (m metrics) noLink() float64   { return ratio(m.noneKept, m.none) }
func (m metrics) langRecall(l string) float64 {
	v := m.byLang[l]
	return ratio(v[0], v[1])
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func measure(c *Catalog, mails []evalMail, p params) metrics {
	m := metrics{byLang: map[string][2]int{}}
	for _, em := range mails {
		hits := c.fill(c.pitchFirst(c.decide(em.q, em.res, em.in, message.Language(em.lang), p), em.in), em.res, em.q, nil, message.Language(em.lang), p)
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.ID)
		}
		if len(hits) > maxLinks {
			m.tooMany = append(m.tooMany, em.File)
		}
		if len(em.FAQ) == 0 {
			m.none++
			if len(hits) == 0 {
				m.noneKept++
			} else {
				m.misses = append(m.misses, fmt.Sprintf("%s: want no link, got %v", em.File, ids))
			}
			continue
		}
		m.relevant++
		v := m.byLang[em.Lang]
		v[1]++
		found := false
		for _, id := range ids {
			for _, want := range em.FAQ {
				if id == want {
					found = true
				}
			}
		}
		if found {
			m.recalled++
			v[0]++
		}
		if len(ids) > 0 && contains(em.FAQ, ids[0]) {
			m.top1++
		} else {
			m.misses = append(m.misses, fmt.Sprintf("%s: want %v, got %v", em.File, em.FAQ, ids))
		}
		m.byLang[em.Lang] = v
	}
	return m
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// evalTargets are what the held-out set must keep with the catalog
// alone. Issue 19 asks for recall@3 0.95 (0.90 per language), top-1 0.85
// and no-link 0.80 of what ships, which has the starter examples beside
// the catalog: learn.TestStarterFigures holds those. The catalog alone
// reaches 0.921 (en 0.88, zh 0.96, mixed 0.92), 0.825 and 0.765 there
// (session 18), so this test holds those levels less about a mail rather
// than fitting constants to the held-out mails.
var evalTargets = struct{ recall, recallLang, top1, noLink float64 }{0.90, 0.84, 0.81, 0.74}

// TestEvalSuggestions measures Suggest on both labelled sets and prints
// recall@3 (overall and per language), top-1 and the no-link rate. It
// fails under the targets on public-b, the held-out set. Misses are listed
// for the tuning sets only: public-b's mails are not to be looked at one by
// one, and its figures are printed only with FRONTDESK_SHOW_HELDOUT=1.
func TestEvalSuggestions(t *testing.T) {
	for _, set := range evalSets {
		cat, mails := loadEvalSet(t, set)
		for _, em := range mails { // the shortcut in measure must agree with Suggest
			if a, b := fmt.Sprint(cat.Suggest(em.msg)), fmt.Sprint(cat.fill(cat.pitchFirst(cat.decide(em.q, em.res, em.in, message.Language(em.lang), defaultParams), em.in), em.res, em.q, nil, message.Language(em.lang), defaultParams)); a != b {
				t.Fatalf("%s: Suggest %s, decide %s", em.File, a, b)
			}
		}
		m := measure(cat, mails, defaultParams)
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			// each look at the held-out set is counted (issue 19): its
			// figures are checked below but printed only when asked for
		} else {
			t.Logf("%-8s recall@3 %.3f (%d/%d)  en %.3f  zh %.3f  mixed %.3f  top-1 %.3f  no-link %.3f (%d/%d)", set,
				m.recall(), m.recalled, m.relevant, m.langRecall("en"), m.langRecall("zh"), m.langRecall("mixed"),
				m.top1Rate(), m.noLink(), m.noneKept, m.none)
		}
		if set != "public-b" && testing.Verbose() {
			for _, s := range m.misses {
				t.Log("  " + s)
			}
		}
		if len(m.tooMany) > 0 {
			t.Errorf("%s: more than %d entries linked for %v", set, maxLinks, m.tooMany)
		}
		if set != "public-b" {
			continue
		}
		check := func(name string, got, want float64) {
			if got < want {
				t.Errorf("%s: %s = %.3f, want ≥ %.2f", set, name, got, want)
			}
		}
		check("recall@3", m.recall(), evalTargets.recall)
		for _, l := range []string{"en", "zh", "mixed"} {
			check("recall@3 "+l, m.langRecall(l), evalTargets.recallLang)
		}
		check("top-1", m.top1Rate(), evalTargets.top1)
		check("no-link rate", m.noLink(), evalTargets.noLink)
	}
}

// TestEvalSplitHalf is the generalisation check: the decision constants
// are chosen on one half of the labelled mails (by a small grid search) and
// measured on the other half, both ways round, with two different splits
// (odd/even and first/second half). Held-out figures close to the in-sample
// ones mean the constants are not fitted to single mails. Run with -v to see
// the figures; it fails only if a held-out half falls far below target.
func TestEvalSplitHalf(t *testing.T) {
	cat, mails := loadEval(t)
	splits := map[string][2][]evalMail{}
	var odd, even []evalMail
	for i, m := range mails {
		if i%2 == 0 {
			even = append(even, m)
		} else {
			odd = append(odd, m)
		}
	}
	splits["odd/even"] = [2][]evalMail{even, odd}
	splits["first/second"] = [2][]evalMail{mails[:len(mails)/2], mails[len(mails)/2:]}
	names := make([]string, 0, len(splits))
	for n := range splits {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		halves := splits[name]
		for k := 0; k < 2; k++ {
			train, test := halves[k], halves[1-k]
			best, bestObj := defaultParams, -1.0
			for _, ev := range []float64{0.5, 1, 1.5, 2, 2.5, 3} {
				for _, pf := range []float64{1, 1.5, 2, 2.5, 3, 4} {
					for _, rel := range []float64{0.3, 0.5, 0.7} {
						p := params{evidence: ev, pitch: pf, rel: rel, productEvidence: defaultParams.productEvidence, productReportOnly: defaultParams.productReportOnly, report: defaultParams.report, first: defaultParams.first, firstRRF: defaultParams.firstRRF, firstAll: defaultParams.firstAll, focus: defaultParams.focus}
						mm := measure(cat, train, p)
						// the objective weighs the three targets alike
						obj := mm.recall() + mm.top1Rate() + mm.noLink()
						if obj > bestObj+1e-9 {
							best, bestObj = p, obj
						}
					}
				}
			}
			tr := measure(cat, train, best)
			te := measure(cat, test, best)
			def := measure(cat, test, defaultParams)
			t.Logf("%s, fit on half %d %+v: train recall %.2f top1 %.2f nolink %.2f | held-out recall %.2f top1 %.2f nolink %.2f | held-out with shipped constants recall %.2f top1 %.2f nolink %.2f",
				name, k, best, tr.recall(), tr.top1Rate(), tr.noLink(), te.recall(), te.top1Rate(), te.noLink(),
				def.recall(), def.top1Rate(), def.noLink())
			if te.recall() < 0.8 || te.top1Rate() < 0.7 {
				t.Errorf("%s half %d: held-out figures far below target: %s", name, k, strings.Join(te.misses, "; "))
			}
		}
	}
}

// TestKnownTermsOnlyRanksTheSame: queries look Chinese and phrase terms up
// in the index's vocabulary instead of making every bigram and every pair
// of adjacent words; the ranking of every labelled mail must be exactly
// what the full tokenization gives.
func TestKnownTermsOnlyRanksTheSame(t *testing.T) {
	cat, mails := loadEval(t)
	full := *cat.idx
	full.vocab = nil
	for _, m := range mails {
		zones, _ := mailZones(m.msg, defaultMethod)
		got := cat.idx.scoreAll(cat.idx.query(zones))
		want := full.scoreAll(full.query(zones))
		if !slices.Equal(got, want) {
			t.Errorf("%s: ranking with the vocabulary lookup %v, with every term %v", m.File, got, want)
		}
	}
}

// Queries share pooled buffers; what one query leaves in them must not
// change the next one's terms. Every mail is queried after a different
// predecessor, from several goroutines, and compared with a query that has
// buffers of its own.
func TestQueryScratchCarriesNothingOver(t *testing.T) {
	cat, mails := loadEval(t)
	zones := make([][]zone, len(mails))
	want := make([][]qterm, len(mails))
	for i, m := range mails {
		zones[i], _ = mailZones(m.msg, defaultMethod)
		fresh := *cat.idx
		fresh.scratch = &sync.Pool{New: func() any { return &queryScratch{weights: map[string]float64{}} }}
		want[i] = fresh.query(zones[i])
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range 2 * len(mails) {
				i := (k*(g+3) + g) % len(mails)
				if got := cat.idx.query(zones[i]); !slices.Equal(got, want[i]) {
					t.Errorf("%s: query after others %v, alone %v", mails[i].File, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// customerText stops once it has the bytes its caller keeps: what it
// returns for a limit is the first limit bytes of the whole customer text,
// for every labelled mail and for long mails whose closing comes late.
func TestCustomerTextStopsAtItsLimitWithTheSamePrefix(t *testing.T) {
	_, mails := loadEval(t)
	var msgs []*message.Message
	for _, m := range mails {
		msgs = append(msgs, m.msg)
	}
	long := func(body string) *message.Message {
		m, _ := message.Parse([]byte("From: c@x.test\r\nSubject: s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body))
		return m
	}
	para := "My kettle stopped heating and the light does not come on. 我的订单还没有到，请问怎么办？\r\n"
	msgs = append(msgs,
		long("Hello,\r\n"+strings.Repeat(para, 600)+"Thanks,\r\nCarol\r\n"),
		long(strings.Repeat(para, 300)+"Sent from my iPhone\r\n"+strings.Repeat(para, 300)),
		long(strings.Repeat("\r\n\r\n"+para, 400)),
	)
	for i, m := range msgs {
		whole := customerText(m, 1<<30)
		for _, limit := range []int{1, 100, 1000, 16000} {
			if got, want := truncate(customerText(m, limit), limit), truncate(whole, limit); got != want {
				t.Errorf("mail %d, limit %d: %q…; want %q…", i, limit, truncate(got, 80), truncate(want, 80))
			}
		}
	}
}

// TestEvalPlainBM25 compares the shipped method with plain BM25 (one
// weight for every field, b 0.75 everywhere, every zone of the mail
// weighted 1, no quoted history, codes counted fully) on both labelled
// sets, per language: the issue found the untuned baseline generalising
// better than the tuned ranking, and this keeps the comparison in view.
// It fails only when the shipped method falls behind the baseline on the
// held-out set's recall@3.
func TestEvalPlainBM25(t *testing.T) {
	plain := method{[nFields]float64{1, 1, 1}, [nFields]float64{0.75, 0.75, 0.75}, 1, 1, 1, 1, 1, 0, false, nil, nil, 0, nil, 0, nil, 0, false, nil, nil, 0, 0, false, nil, 0}
	for _, set := range evalSets {
		cat, mails := loadEvalSet(t, set)
		var recall [2]float64
		for k, v := range []struct {
			name string
			mt   method
		}{{"shipped", defaultMethod}, {"plain", plain}} {
			c := *cat
			c.idx = buildIndexWith(cat.entries, v.mt)
			ms := slices.Clone(mails)
			for i := range ms {
				_, ms[i].res, ms[i].in = c.candidates(ms[i].msg)
			}
			m := measure(&c, ms, defaultParams)
			recall[k] = m.recall()
			t.Logf("%-8s %-7s recall@3 %.3f  en %.3f  zh %.3f  mixed %.3f  top-1 %.3f  no-link %.3f", set, v.name,
				m.recall(), m.langRecall("en"), m.langRecall("zh"), m.langRecall("mixed"), m.top1Rate(), m.noLink())
		}
		if set == "public-b" && recall[0] < recall[1] {
			t.Errorf("%s: the shipped ranking's recall@3 %.3f is below plain BM25's %.3f", set, recall[0], recall[1])
		}
	}
}

// TestDevSetIsItsGenerator: eval/dev, eval/dev2, eval/dev3, eval/dev4, eval/dev5 and eval/dev6 are written by their
// make.py, and its --check (every file byte for byte as generated, labels
// naming existing files and catalog ids, mails that parse and decode, the
// README's counts; for dev2 to dev6 also no run of words copied from the
// catalog or from the earlier sets) must pass, so a hand edit of a mail or a label that the
// generator does not hold fails here rather than drifting.
func TestDevSetIsItsGenerator(t *testing.T) {
	py := testenv.LookPath(t, "python3", "python3")
	for _, set := range []string{"dev", "dev2", "dev3", "dev4", "dev5", "dev6"} {
		t.Run(set, func(t *testing.T) {
			out, err := exec.Command(py, filepath.Join(evalSetDir(set), "make.py"), "--check").CombinedOutput()
			if err != nil {
				t.Fatalf("make.py --check: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), " 0 problems") {
				t.Fatalf("make.py --check said:\n%s", out)
			}
		})
	}
}
