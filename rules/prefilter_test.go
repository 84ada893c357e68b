package rules

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	for _, c := range []struct {
		re   string
		want []string
	}{
		{`refund`, []string{"refund"}},
		{`(?i)Refund.{0,60}\b(yet|still)\b`, []string{"refund"}},
		{`\binvoice\s*(no\.?|#)\s*\d+`, []string{"invoice"}},
		{`(退款|退钱)`, []string{"退款", "退钱"}},
		{`钱.{0,6}退`, []string{"钱"}},
		{`a|b.*`, []string{"a", "b"}},
		{`(ab)+x?`, []string{"ab"}},
		{`x*`, nil},
		{`a|.`, nil},
		{`^\d+$`, nil},
		{`(?i)straße`, nil}, // ß and ẞ fold to each other: give up
		{`Σ`, []string{"σ"}},
		{`(?i)\border[ -]?ref[: ]*3[0-9]{4}\b`, []string{"order ref", "order-ref", "orderref"}},
		{`colou?r`, []string{"colour", "color"}},
		{`^(ab)?$`, nil},
		{`\bx?\b`, nil},
	} {
		got, ok := requiredLiterals(c.re)
		if ok != (c.want != nil) || !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, %v; want %q", c.re, got, ok, c.want)
		}
	}
}

// TestPrefilterSound checks on random texts that a regular expression never
// matches when none of its required literals occurs in the lower-cased text.
func TestPrefilterSound(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	atoms := []string{"a", "B", "退", "款", `\d`, `.`, `(?i)k`, `(?i)abc`, "é", "É", `\s`, "Σ", "σ"}
	alpha := []string{"a", "b", "A", "B", "退", "款", "1", " ", "é", "É", "k", "K", "c", "Σ", "σ", "ς"}
	for i := 0; i < 3000; i++ {
		var src strings.Builder
		for n := 1 + rng.IntN(4); n > 0; n-- {
			a := atoms[rng.IntN(len(atoms))]
			switch rng.IntN(5) {
			case 0:
				a = "(" + a + "|" + atoms[rng.IntN(len(atoms))] + ")"
			case 1:
				a = "(?:" + a + ")+"
			case 2:
				a = "(?:" + a + ")?"
			}
			src.WriteString(a)
		}
		re, err := regexp.Compile(src.String())
		if err != nil {
			continue
		}
		lits, ok := requiredLiterals(src.String())
		if !ok {
			continue
		}
		for j := 0; j < 20; j++ {
			var text strings.Builder
			for n := rng.IntN(12); n > 0; n-- {
				text.WriteString(alpha[rng.IntN(len(alpha))])
			}
			low := toLower(text.String())
			found := slices.ContainsFunc(lits, func(l string) bool { return strings.Contains(low, l) })
			if re.MatchString(text.String()) && !found {
				t.Fatalf("%s matches %q but none of %q occurs in %q", src.String(), text.String(), lits, low)
			}
		}
	}
	_ = fmt.Sprint
}
