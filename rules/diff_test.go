package rules

// A differential test: random rules files and random messages, each
// decision compared with refDecide, a small evaluator written here from the
// docs/design.md semantics and the package documentation, sharing no code with
// the package (it reads only the parsed message).

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"

	"golang.org/x/text/unicode/norm"
)

var vocab = []string{"refund", "invoice", "order", "urgent", "kettle", "broken", "price", "quote", "press",
	"job", "退款", "发票", "訂單", "紧急", "维修", "报价", "简历", "采访", "hello", "thanks", "AC123", "wifi"}

// variants of words as customers write them: case and width differ.
var msgWords = append(slices.Clone(vocab), "REFUND", "Invoice", "ＲＥＦＵＮＤ", "ｏｒｄｅｒ", "Kettle", "ＡＣ１２３", "Wi-Fi", "the", "my", "is")

var refDepts = map[string][]string{
	"support": {"support", "help"},
	"sales":   {"sales"},
	"finance": {"billing", "vip@acme.example"},
}

var fromAddrs = []string{"Alice <alice@shop.example.com>", "bob@mail.example.org", "王磊 <wl@163.com>", "Press Desk <press@news.example>", "carol@SHOP.example.com"}
var rcptAddrs = []string{"support@acme.example", "help+42@acme.example", "sales@acme.example", "billing@acme.example", "VIP@acme.example", "other@acme.example", "x@elsewhere.example"}

type gCond struct {
	kind  string // subject body from to header attach attachany lang any all not multi
	op    string // contains equals matches domain present
	vals  []string
	plain bool
	want  bool // attachany
	subs  []*gCond
}

type gRule struct {
	name                    string
	cond                    *gCond
	dept, prio, ack, reject string
	tags                    []string
	discard, cont           bool
}

type gen struct{ rng *rand.Rand }

func (g gen) pick(l []string) string { return l[g.rng.IntN(len(l))] }

func (g gen) some(l []string, max int) []string {
	n := 1 + g.rng.IntN(max)
	out := make([]string, n)
	for i := range out {
		out[i] = g.pick(l)
	}
	return out
}

func (g gen) textCond(kind string) *gCond {
	c := &gCond{kind: kind}
	switch g.rng.IntN(6) {
	case 0, 1, 2:
		c.op, c.vals, c.plain = "contains", g.some(vocab, 3), g.rng.IntN(3) == 0
	case 3:
		c.op, c.vals = "equals", []string{g.pick(msgWords) + " " + g.pick(msgWords)}
	default:
		w := g.pick(vocab)
		c.op = "matches"
		switch g.rng.IntN(3) {
		case 0:
			c.vals = []string{"(?i)" + regexp.QuoteMeta(w)}
		case 1:
			c.vals = []string{"^" + regexp.QuoteMeta(w)}
		default:
			c.vals = []string{regexp.QuoteMeta(w) + `\s`}
		}
	}
	return c
}

func (g gen) cond(depth int) *gCond {
	n := 10
	if depth > 2 {
		n = 7
	}
	switch g.rng.IntN(n) {
	case 0:
		return g.textCond("subject")
	case 1:
		return g.textCond("body")
	case 2, 3:
		kind := []string{"from", "to"}[g.rng.IntN(2)]
		c := &gCond{kind: kind}
		switch g.rng.IntN(4) {
		case 0:
			c.op, c.vals = "domain", []string{g.pick([]string{"example.com", "shop.example.com", "acme.example", "163.com", "example.org"})}
		case 1:
			c.op, c.vals = "equals", []string{g.pick([]string{"alice@shop.example.com", "support@acme.example", "BILLING@acme.example", "wl@163.com", "help+42@acme.example"})}
		case 2:
			c.op, c.vals = "contains", g.some([]string{"alice", "press", "王磊", "help", "vip", "shop"}, 2)
		default:
			c.op, c.vals = "matches", []string{g.pick([]string{"^alice@", `(?i)^press`, `\.org$`, `^help\+`, "王"})}
		}
		return c
	case 4:
		c := &gCond{kind: "header"}
		switch g.rng.IntN(3) {
		case 0:
			c.op = "present"
		case 1:
			c.op, c.vals = "equals", []string{g.pick([]string{"yes", "No", "maybe"})}
		default:
			c.op, c.vals = "contains", []string{g.pick([]string{"ye", "o", "spam"})}
		}
		return c
	case 5:
		if g.rng.IntN(3) == 0 {
			return &gCond{kind: "attachany", want: g.rng.IntN(2) == 0}
		}
		return &gCond{kind: "attach", op: "contains", vals: g.some([]string{"pdf", "发票", "cv", "png"}, 2)}
	case 6:
		return &gCond{kind: "lang", vals: []string{g.pick([]string{"zh", "en"})}}
	case 7, 8:
		k := []string{"any", "all", "multi"}[g.rng.IntN(3)]
		c := &gCond{kind: k}
		for i := 1 + g.rng.IntN(3); i > 0; i-- {
			s := g.cond(depth + 1)
			if k == "multi" && s.kind != "subject" && s.kind != "body" && s.kind != "from" {
				continue // one key of each kind per map; keep it simple
			}
			if k == "multi" && slices.ContainsFunc(c.subs, func(x *gCond) bool { return x.kind == s.kind }) {
				continue
			}
			c.subs = append(c.subs, s)
		}
		if len(c.subs) == 0 {
			return g.textCond("subject")
		}
		return c
	default:
		return &gCond{kind: "not", subs: []*gCond{g.cond(depth + 1)}}
	}
}

func (g gen) rules() []*gRule {
	var out []*gRule
	n := 1 + g.rng.IntN(8)
	for i := 0; i < n; i++ {
		r := &gRule{name: fmt.Sprintf("r%d", i), cond: g.cond(0), cont: g.rng.IntN(2) == 0}
		if g.rng.IntN(10) == 0 && (r.cont || i == n-1) {
			r.cond = nil
		}
		if g.rng.IntN(2) == 0 {
			r.dept = g.pick([]string{"support", "sales", "finance"})
		}
		if g.rng.IntN(2) == 0 {
			r.prio = g.pick(priorities)
		}
		if g.rng.IntN(2) == 0 {
			r.tags = g.some([]string{"a", "b", "c", "d"}, 3)
		}
		if g.rng.IntN(4) == 0 {
			r.ack = g.pick([]string{"none", "vip", "zh-ack"})
		}
		switch g.rng.IntN(10) {
		case 0:
			r.reject = "go away"
		case 1:
			r.discard = true
		}
		out = append(out, r)
	}
	return out
}

func q(s string) string { return strconv.Quote(s) }

func qlist(l []string) string {
	s := make([]string, len(l))
	for i, x := range l {
		s[i] = q(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func (c *gCond) yaml() string {
	spec := func() string {
		if c.plain {
			return qlist(c.vals)
		}
		if c.op == "matches" {
			return "{matches: " + q(c.vals[0]) + "}"
		}
		return "{" + c.op + ": " + qlist(c.vals) + "}"
	}
	switch c.kind {
	case "subject", "body", "from", "to":
		return "{" + c.kind + ": " + spec() + "}"
	case "header":
		if c.op == "present" {
			return "{header: {name: x-flag}}"
		}
		return "{header: {name: X-Flag, " + c.op + ": " + qlist(c.vals) + "}}"
	case "attach":
		return "{attachment: {name: " + qlist(c.vals) + "}}"
	case "attachany":
		return fmt.Sprintf("{attachment: %v}", c.want)
	case "lang":
		return "{lang: " + qlist(c.vals) + "}"
	case "any", "all":
		s := make([]string, len(c.subs))
		for i, x := range c.subs {
			s[i] = x.yaml()
		}
		return "{" + c.kind + ": [" + strings.Join(s, ", ") + "]}"
	case "multi":
		s := make([]string, len(c.subs))
		for i, x := range c.subs {
			s[i] = strings.TrimSuffix(strings.TrimPrefix(x.yaml(), "{"), "}")
		}
		return "{" + strings.Join(s, ", ") + "}"
	case "not":
		return "{not: " + c.subs[0].yaml() + "}"
	}
	panic(c.kind)
}

func renderRules(rs []*gRule) string {
	var b strings.Builder
	b.WriteString(`departments:
  support: {addresses: [support, help]}
  sales: {addresses: [sales]}
  finance: {addresses: [billing, vip@acme.example]}
default_department: support
rules:
`)
	for _, r := range rs {
		fmt.Fprintf(&b, "  - name: %s\n", r.name)
		if r.cond != nil {
			fmt.Fprintf(&b, "    if: %s\n", r.cond.yaml())
		}
		var acts []string
		if r.dept != "" {
			acts = append(acts, "department: "+r.dept)
		}
		if r.prio != "" {
			acts = append(acts, "priority: "+r.prio)
		}
		if r.tags != nil {
			acts = append(acts, "tags: "+qlist(r.tags))
		}
		if r.ack != "" {
			acts = append(acts, "ack: "+r.ack)
		}
		if r.reject != "" {
			acts = append(acts, "reject: "+q(r.reject))
		}
		if r.discard {
			acts = append(acts, "discard: true")
		}
		fmt.Fprintf(&b, "    then: {%s}\n", strings.Join(acts, ", "))
		if r.cont {
			b.WriteString("    continue: true\n")
		}
	}
	return b.String()
}

func (g gen) message() ([]byte, []string) {
	words := func(n int) string { return strings.Join(g.some(msgWords, n), " ") }
	var b strings.Builder
	b.WriteString("From: " + g.pick(fromAddrs) + "\r\n")
	b.WriteString("To: " + strings.Join(g.some(rcptAddrs, 2), ", ") + "\r\n")
	if g.rng.IntN(3) == 0 {
		b.WriteString("Cc: " + g.pick(rcptAddrs) + "\r\n")
	}
	b.WriteString("Subject: =?UTF-8?Q?" + qEncode(words(3)) + "?=\r\n")
	for i := g.rng.IntN(3); i > 0; i-- {
		b.WriteString("X-Flag: " + g.pick([]string{"yes", "YES", "no", "maybe spam"}) + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\n")
	body := words(20)
	if g.rng.IntN(2) == 0 {
		b.WriteString("Content-Type: multipart/mixed; boundary=BB\r\n\r\n--BB\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
		for i := 1 + g.rng.IntN(2); i > 0; i-- {
			name := g.pick([]string{"发票.pdf", "my-cv.pdf", "photo.png", "报价单.xlsx"})
			b.WriteString("--BB\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''" + url.PathEscape(name) + "\r\n\r\nxx\r\n")
		}
		b.WriteString("--BB--\r\n")
	} else {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
	}
	var rcpt []string
	for i := g.rng.IntN(3); i > 0; i-- {
		rcpt = append(rcpt, g.pick(rcptAddrs))
	}
	return []byte(b.String()), rcpt
}

func qEncode(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// ---- the reference evaluator ----

func refFold(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

type refAddr struct{ addr, name string }

func refAddrs(m *message.Message, kind string) []refAddr {
	if kind == "from" {
		return []refAddr{{m.From.Address, m.From.Name}}
	}
	var out []refAddr
	for _, a := range m.Rcpt {
		out = append(out, refAddr{a, ""})
	}
	for _, a := range m.To {
		out = append(out, refAddr{a.Address, a.Name})
	}
	return out
}

func refText(c *gCond, value string) bool {
	f := strings.TrimSpace(refFold(value))
	for _, v := range c.vals {
		switch c.op {
		case "contains":
			if strings.Contains(refFold(value), refFold(v)) {
				return true
			}
		case "equals":
			if f == strings.TrimSpace(refFold(v)) {
				return true
			}
		case "matches":
			if regexp.MustCompile(v).MatchString(norm.NFKC.String(value)) {
				return true
			}
		}
	}
	return false
}

func refMatch(c *gCond, m *message.Message) bool {
	switch c.kind {
	case "subject":
		return refText(c, m.Subject)
	case "body":
		return refText(c, m.Text)
	case "from", "to":
		for _, a := range refAddrs(m, c.kind) {
			addr := refFold(a.addr)
			switch c.op {
			case "domain":
				d := addr[strings.LastIndex(addr, "@")+1:]
				if d == refFold(c.vals[0]) || strings.HasSuffix(d, "."+refFold(c.vals[0])) {
					return true
				}
			case "equals":
				if addr == refFold(c.vals[0]) {
					return true
				}
			case "contains":
				for _, v := range c.vals {
					if strings.Contains(addr, refFold(v)) || strings.Contains(refFold(a.name), refFold(v)) {
						return true
					}
				}
			case "matches":
				re := regexp.MustCompile(c.vals[0])
				if re.MatchString(norm.NFKC.String(a.addr)) || (a.name != "" && re.MatchString(norm.NFKC.String(a.name))) {
					return true
				}
			}
		}
		return false
	case "header":
		vals := m.Header("X-Flag")
		if c.op == "present" {
			return len(vals) > 0
		}
		for _, v := range vals {
			if refText(c, v) {
				return true
			}
		}
		return false
	case "attach":
		for _, a := range m.Attachments {
			if refText(c, a.Name) {
				return true
			}
		}
		return false
	case "attachany":
		return (len(m.Attachments) > 0) == c.want
	case "lang":
		return string(m.Lang()) == c.vals[0]
	case "any":
		return slices.ContainsFunc(c.subs, func(s *gCond) bool { return refMatch(s, m) })
	case "all", "multi":
		return !slices.ContainsFunc(c.subs, func(s *gCond) bool { return !refMatch(s, m) })
	case "not":
		return !refMatch(c.subs[0], m)
	}
	panic(c.kind)
}

func refOwner(addr string) string {
	a := strings.ToLower(addr)
	at := strings.LastIndex(a, "@")
	local := a
	if at >= 0 {
		local = a[:at]
	}
	for _, try := range []string{local, strings.SplitN(local, "+", 2)[0]} {
		if try == "" {
			continue
		}
		for d, entries := range refDepts {
			for _, e := range entries {
				if e == try || (at >= 0 && e == try+a[at:]) {
					return d
				}
			}
		}
	}
	return ""
}

type refResult struct {
	dept, prio, ack, reject string
	tags                    []string
	discard                 bool
	matched                 []string
}

func refDecide(rs []*gRule, m *message.Message) refResult {
	var out refResult
	rank := map[string]int{"low": 1, "normal": 2, "high": 3, "urgent": 4}
	for _, r := range rs {
		if r.cond != nil && !refMatch(r.cond, m) {
			continue
		}
		out.matched = append(out.matched, r.name)
		if out.dept == "" {
			out.dept = r.dept
		}
		if rank[r.prio] > rank[out.prio] {
			out.prio = r.prio
		}
		for _, t := range r.tags {
			if !slices.Contains(out.tags, t) {
				out.tags = append(out.tags, t)
			}
		}
		if out.ack == "" {
			out.ack = r.ack
		}
		if out.reject == "" && !out.discard {
			out.reject, out.discard = r.reject, r.discard
		}
		if !r.cont {
			break
		}
	}
	if out.prio == "" {
		out.prio = "normal"
	}
	if out.dept == "" {
		var addrs []string
		if len(m.Rcpt) > 0 {
			addrs = m.Rcpt
		} else {
			for _, a := range m.To {
				addrs = append(addrs, a.Address)
			}
		}
		for _, a := range addrs {
			if d := refOwner(a); d != "" {
				out.dept = d
				break
			}
		}
		if out.dept == "" {
			out.dept = "support"
		}
	}
	if out.tags == nil {
		out.tags = []string{}
	}
	return out
}

func TestDifferential(t *testing.T) {
	iters := 400
	if testing.Short() {
		iters = 50
	}
	g := gen{rand.New(rand.NewPCG(7, 11))}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	matchedSome := 0
	for i := 0; i < iters; i++ {
		rs := g.rules()
		src := renderRules(rs)
		r, err := Parse("gen.yaml", []byte(src))
		if err != nil {
			t.Fatalf("generated file does not parse: %v\n%s", err, src)
		}
		for j := 0; j < 10; j++ {
			raw, rcpt := g.message()
			m, err := message.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			m.Rcpt = rcpt
			d := r.Evaluate(m, now)
			var names []string
			for _, mt := range d.Matched {
				names = append(names, mt.Rule)
				if len(mt.Why) == 0 {
					t.Errorf("match %s without why", mt.Rule)
				}
			}
			got := refResult{d.Department, d.Priority, d.Ack, d.Reject, d.Tags, d.Discard, names}
			want := refDecide(rs, m)
			if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
				t.Fatalf("decision differs\nrules:\n%s\nmessage:\n%s\nrcpt %q\ngot  %#v\nwant %#v", src, raw, rcpt, got, want)
			}
			if len(names) > 0 {
				matchedSome++
			}
		}
	}
	if matchedSome < iters {
		t.Errorf("only %d of %d evaluations matched a rule: the generator is too weak", matchedSome, iters*10)
	}
}
