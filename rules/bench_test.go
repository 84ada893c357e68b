package rules

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/testmail"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
)

// benchRules generates n rules of the kinds admins write: keyword lists
// on subject and body (most), sender domains and addresses, recipients,
// headers, attachments, regular expressions (mostly anchored or on short
// fields), combinations, and a few continuing tag rules.
func benchRules(n int) string {
	rng := rand.New(rand.NewPCG(42, 1))
	word := func() string {
		w := vocab[rng.IntN(len(vocab))]
		return fmt.Sprintf("%s%d", w, rng.IntN(1000)) // rarely present: most rules do not match
	}
	words := func() string {
		k := 2 + rng.IntN(4)
		l := make([]string, k)
		for i := range l {
			l[i] = word()
		}
		return "[" + strings.Join(l, ", ") + "]"
	}
	var b strings.Builder
	b.WriteString(`calendars:
  office: {timezone: Asia/Shanghai, hours: {mon-fri: "09:00-18:00"}}
departments:
  support: {addresses: [support, help]}
  sales: {addresses: [sales]}
  finance: {addresses: [billing]}
default_department: support
rules:
`)
	depts := []string{"support", "sales", "finance"}
	for i := 0; i < n; i++ {
		var cond string
		switch k := rng.IntN(100); {
		case k < 35:
			cond = "{subject: {contains: " + words() + "}}"
		case k < 65:
			cond = "{body: {contains: " + words() + "}}"
		case k < 72:
			cond = "{any: [{subject: " + words() + "}, {body: " + words() + "}]}"
		case k < 77:
			cond = fmt.Sprintf("{from: {domain: d%d.example}}", i)
		case k < 80:
			cond = fmt.Sprintf("{to: {equals: team%d@acme.example}}", i)
		case k < 83:
			cond = fmt.Sprintf("{header: {name: X-Campaign, equals: c%d}}", i)
		case k < 86:
			cond = "{attachment: {name: " + words() + "}}"
		case k < 93:
			cond = fmt.Sprintf("{subject: {matches: '^\\[%s-\\d+\\]'}}", regexp.QuoteMeta(word()))
		case k < 95:
			cond = fmt.Sprintf("{body: {matches: '(?i)\\b%s\\s*#?\\d+'}}", regexp.QuoteMeta(word()))
		case k < 98:
			cond = "{all: [{lang: zh}, {body: " + words() + "}, {not: {from: {domain: example.com}}}]}"
		default:
			cond = "{subject: " + words() + ", time: {outside_hours: office}}"
		}
		fmt.Fprintf(&b, "  - name: rule %d\n    if: %s\n", i, cond)
		if i%50 == 0 {
			fmt.Fprintf(&b, "    then: {tags: [t%d]}\n    continue: true\n", i)
		} else {
			fmt.Fprintf(&b, "    then: {department: %s}\n", depts[rng.IntN(len(depts))])
		}
	}
	return b.String()
}

// benchMessage is a ~50 KB mixed English/Chinese mail with a quoted
// history, as a long support thread looks.
func benchMessage(size int) []byte {
	rng := rand.New(rand.NewPCG(9, 9))
	text := []string{"the", "kettle", "does", "not", "heat", "and", "I", "would", "like", "a", "repair", "please",
		"电水壶", "不加热", "麻烦", "尽快", "处理", "谢谢", "order", "AC2611150640", "warranty", "since", "last", "week"}
	var body strings.Builder
	for body.Len() < size {
		for i := 0; i < 12; i++ {
			body.WriteString(text[rng.IntN(len(text))])
			body.WriteByte(' ')
		}
		body.WriteString("\r\n")
	}
	return []byte("From: Customer <c@shop.example.com>\r\nTo: support@acme.example\r\nSubject: =?UTF-8?B?" +
		"55S15rC05aO25LiN5Yqg54Ot" + "?= kettle problem\r\nX-Campaign: none\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body.String())
}

func BenchmarkEvaluate(b *testing.B) {
	r, err := Parse("bench.yaml", []byte(benchRules(1000)))
	if err != nil {
		b.Fatal(err)
	}
	raw := benchMessage(50 << 10)
	m, err := message.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	m.Rcpt = []string{"support@acme.example"}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	d := r.Evaluate(m, now)
	b.Logf("rules %d, body %d bytes, decision %s/%s, %d matched", r.Len(), len(m.Text), d.Department, d.Priority, len(d.Matched))
	b.ReportAllocs()
	b.SetBytes(int64(len(m.Text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Evaluate(m, now)
	}
}

// BenchmarkBodyRegexPresent is the cost of one case-insensitive body
// regular expression whose literal does occur in a 50 KB body, so that the
// prefilter cannot skip it: Go's regexp then scans the whole text.
func BenchmarkBodyRegexPresent(b *testing.B) {
	src := `departments: {support: {}}
default_department: support
rules:
  - name: order numbers
    if: {body: {matches: '(?i)order\s+#?\d{3}x'}}
    then: {tags: [x]}
`
	r, err := Parse("b.yaml", []byte(src))
	if err != nil {
		b.Fatal(err)
	}
	m, _ := message.Parse(benchMessage(50 << 10))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Evaluate(m, time.Time{})
	}
}

func BenchmarkEvaluateDemo(b *testing.B) {
	r := Demo()
	m, _ := message.Parse(benchMessage(50 << 10))
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Evaluate(m, now)
	}
}

func BenchmarkParse1000(b *testing.B) {
	src := []byte(benchRules(1000))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse("bench.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// bigExamples are n synthetic learned examples: customer mails of a few
// sentences made of the demo catalog's titles and answers (both
// languages), each labelled with an entry and its department, as learn
// import would make them.
func bigExamples(n int) []faq.Example {
	demo := faq.Demo().Entries()
	out := make([]faq.Example, n)
	for i := range out {
		a, c := demo[i%len(demo)], demo[(i*7+3)%len(demo)]
		text := a.En.Title + "\n" + c.En.Answer
		if i%3 == 0 {
			text = a.Zh.Title + "\n" + c.Zh.Answer
		}
		out[i] = faq.Example{ID: fmt.Sprintf("x%d", i), Department: a.Departments[0], Entries: []string{a.ID}, Text: fmt.Sprintf("order %d: %s", i, text)}
	}
	return out
}

// starterExamples are the starter examples a new install ranks with
// beside the demo catalog.
func starterExamples(b *testing.B) []faq.Example {
	exs, err := learn.Starter()
	if err != nil {
		b.Fatal(err)
	}
	return learn.ForFAQ(exs)
}

// noLinkFifth makes every fifth of exs a no-link example (a labelled
// set's `faq: []`).
func noLinkFifth(exs []faq.Example) []faq.Example {
	for i := 0; i < len(exs); i += 5 {
		exs[i].Entries, exs[i].NoLink = nil, true
	}
	return exs
}

// bigCatalog is a synthetic catalog of n entries made of the demo's
// (titles, keywords and answers mixed pairwise), through the file format.
func bigCatalog(b *testing.B, n int) *faq.Catalog {
	demo := faq.Demo().Entries()
	type text struct {
		Title    string   `yaml:"title"`
		Keywords []string `yaml:"keywords"`
		Answer   string   `yaml:"answer"`
	}
	type entry struct {
		ID          string   `yaml:"id"`
		Departments []string `yaml:"departments"`
		En          text     `yaml:"en"`
		Zh          text     `yaml:"zh"`
	}
	list := make([]entry, n)
	for i := range list {
		a, c := demo[i%len(demo)], demo[(i*7+3)%len(demo)]
		list[i] = entry{ID: fmt.Sprintf("e%d", i), Departments: a.Departments,
			En: text{a.En.Title, append(append([]string{}, a.En.Keywords...), c.En.Keywords[:2]...), a.En.Answer + " " + c.En.Answer},
			Zh: text{a.Zh.Title, append(append([]string{}, a.Zh.Keywords...), c.Zh.Keywords[:2]...), a.Zh.Answer + " " + c.Zh.Answer}}
	}
	data, err := yaml.Marshal(list)
	if err != nil {
		b.Fatal(err)
	}
	cat, err := faq.Parse("big.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	return cat
}

// BenchmarkRankAndRoute4K is what the gateway does per mail with the FAQ
// catalog: rank it for the acknowledgement's links (Suggest) and route it
// with the demo rules, whose "about" conditions rank it again (Topics),
// for a 4 KB mail; with the demo catalog and a synthetic one of 10,000
// entries. The mail is ranked once: Suggest reuses what Topics read.
func BenchmarkRankAndRoute4K(b *testing.B) {
	raw := []byte("From: a@customer.example\r\nTo: sales@acme-appliances.example\r\nSubject: kettle and order\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + testmail.MixedText(4096))
	if _, err := message.Parse(raw); err != nil {
		b.Fatal(err)
	}
	r := Demo()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, bc := range []struct {
		name string
		cat  *faq.Catalog
	}{{"demo", faq.Demo()}, {"demo+starter", faq.Demo().WithExamples(starterExamples(b))}, {"10000", bigCatalog(b, 10000)}, {"demo+10000examples", faq.Demo().WithExamples(bigExamples(10000))},
		{"demo+10000examples-fifth-nolink", faq.Demo().WithExamples(noLinkFifth(bigExamples(10000)))}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var cpu time.Duration
			n := 0
			for b.Loop() {
				// a new message each time: the reading of a mail is kept
				// on the message, and each mail is read once. Its
				// decoded views (fresh text, language) are the message
				// package's work, done before, as in the old benchmark.
				b.StopTimer()
				m, _ := message.Parse(raw)
				m.Fresh()
				m.Lang()
				b.StartTimer()
				c0 := cpuTime()
				r.EvaluateWith(m, now, bc.cat)
				bc.cat.Suggest(m)
				cpu += cpuTime() - c0
				n++
			}
			// the process's CPU time per mail (two getrusage calls
			// included): on a machine shared with other work, wall time
			// per op measures the neighbours too
			b.ReportMetric(float64(cpu)/float64(n), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
