package rules

import (
	"golang.org/x/text/unicode/norm"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestToLower(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	runes := []rune("aZ09 ÉéΣσςДдＡａ退款ｶ한İıẞß\u212a\U0001F600")
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for n := rng.IntN(20); n > 0; n-- {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		s := b.String()
		if got, want := toLower(s), strings.ToLower(s); got != want {
			t.Fatalf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
	// Han-only text is returned without copying.
	s := "退款发票"
	if toLower(s) != s {
		t.Fatal("changed")
	}
}

func TestNFKC(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	runes := []rune("ae AZ退款，。？（）「」“”—…\u0301\u0308\u030aＡｂ１ｶﾞﾟ가\u1100\u1161\u11a8한ﬁ①㎏\u3000℃Å\u212bK\u00c5e\u0327\u0301")
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for n := rng.IntN(16); n > 0; n-- {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		s := b.String()
		if got, want := nfkc(s), norm.NFKC.String(s); got != want {
			t.Fatalf("nfkc(%q) = %q, want %q", s, got, want)
		}
	}
}
