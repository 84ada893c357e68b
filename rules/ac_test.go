package rules

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func naiveHits(pats []string, text string) []int {
	var out []int
	for i, p := range pats {
		if strings.Contains(text, p) {
			out = append(out, i)
		}
	}
	return out
}

func acHits(m *acMatcher, n int, texts ...string) []int {
	b := newBitset(n)
	for _, t := range texts {
		m.scan(t, b)
	}
	var out []int
	for i := 0; i < n; i++ {
		if b.has(i) {
			out = append(out, i)
		}
	}
	return out
}

func TestACBasics(t *testing.T) {
	pats := []string{"he", "she", "his", "hers", "退款", "款", "a", "aa", "aaa", "ushe"}
	m := newACMatcher(pats)
	for _, c := range []struct {
		text string
		want []int
	}{
		{"", nil},
		{"ushers", []int{0, 1, 3, 9}},
		{"申请退款", []int{4, 5}},
		{"款", []int{5}},
		{"aa", []int{6, 7}},
		{"baaab", []int{6, 7, 8}},
		{"xyz", nil},
		{"this", []int{2}},
	} {
		if got := acHits(m, len(pats), c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
	if got := acHits(newACMatcher(nil), 0, "anything"); got != nil {
		t.Errorf("empty matcher: %v", got)
	}
}

// TestACRandom compares the automaton with strings.Contains on random
// patterns over a small alphabet (many overlaps, shared prefixes and
// suffixes, multi-byte runes), including scanning several texts into one
// set, as address fields do.
func TestACRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alpha := []string{"a", "b", "c", "退", "款", "é"}
	word := func(max int) string {
		var b strings.Builder
		for n := 1 + rng.IntN(max); n > 0; n-- {
			b.WriteString(alpha[rng.IntN(len(alpha))])
		}
		return b.String()
	}
	for iter := 0; iter < 500; iter++ {
		var pats []string
		for n := rng.IntN(30); n > 0; n-- {
			pats = append(pats, word(5))
		}
		m := newACMatcher(pats)
		t1, t2 := word(40), word(10)
		want := naiveHits(pats, t1+"\x00"+t2)
		if got := acHits(m, len(pats), t1, t2); !slices.Equal(got, want) {
			t.Fatalf("pats %q text %q/%q: got %v want %v", pats, t1, t2, got, want)
		}
	}
}

func TestACNaiveFallback(t *testing.T) {
	pats := []string{"abc", "bc", "zz"}
	m := newACMatcher(pats)
	m.naive = true
	if got := acHits(m, 3, "xabcx"); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("got %v", got)
	}
}

func BenchmarkACScan(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var pats []string
	for i := 0; i < 3000; i++ {
		pats = append(pats, vocab[rng.IntN(len(vocab))]+vocab[rng.IntN(len(vocab))])
	}
	m := newACMatcher(pats)
	text := strings.Repeat("the quick brown fox jumps over the lazy dog 退款 发票 ", 1000)
	hits := newBitset(len(pats))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(hits)
		m.scan(text, hits)
	}
}
