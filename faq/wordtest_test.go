package faq

import (
	"testing"
	"unicode"
)

// TestIsWordRuneASCII: isWordRune's ASCII shortcut answers as the
// Unicode tables do.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		if got, want := isWordRune(r), unicode.IsLetter(r) || unicode.IsDigit(r); got != want {
			t.Errorf("isWordRune(%q) = %v, want %v", r, got, want)
		}
	}
}

// TestIsStopWord: isStopWord is stopWords[w], for every stop word, for
// words a letter longer or shorter, and for words no table has.
func TestIsStopWord(t *testing.T) {
	check := func(w string) {
		if got, want := isStopWord([]byte(w)), stopWords[w]; got != want {
			t.Errorf("isStopWord(%q) = %v, want %v", w, got, want)
		}
	}
	n := 0
	for w := range stopWords {
		check(w)
		check(w + "s")
		check(w[1:])
		check(w[:len(w)-1])
		n++
	}
	for _, w := range []string{"", "kettle", "refund", "yourselvesx", "Thanks", "1st", "é", "zz", "the\x00"} {
		check(w)
	}
	if n < 200 {
		t.Fatalf("only %d stop words", n)
	}
}
