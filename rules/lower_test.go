package rules

import (
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
