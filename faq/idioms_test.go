package faq

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDropIdioms(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Bit of a mistake on my part", "Bit of a mistake ,         "},
		{"You took the money straight away.", "You took the money ,            ."},
		{"By the way, my number is the same", ",         , my number is the same"},
		{"BY THE WAY", ",         "},
		{"the way it works", "the way it works"},                   // not the idiom
		{"standby the way", "standby the way"},                     // "by" inside a word
		{"no problems with delivery", "no problems with delivery"}, // "problem" inside a word
		{"straight awayward", "straight awayward"},
		{"", ""},
		{"它坏了 a bit 吧", "它坏了 ,     吧"},
		{"a lot a lot", ",     ,    "},
	} {
		if got := dropIdioms(c.in); got != c.want {
			t.Errorf("dropIdioms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDropIdiomsRanking: an idiom's nouns no longer match an entry. "on
// my part" named the missing parts of damaged-on-arrival; without it the
// return entry comes first.
func TestDropIdiomsRanking(t *testing.T) {
	c := Demo()
	q := func(s string) []qterm { return c.idx.query([]zone{{dropIdioms(s), 1}}) }
	for _, tq := range q("a mistake on my part, I want to send it back") {
		if tq.term == "part" {
			t.Errorf("the idiom's noun is a query term: %+v", tq)
		}
	}
	found := false
	for _, tq := range q("a mistake in the part, I want to send it back") {
		found = found || tq.term == "part"
	}
	if !found {
		t.Error("a literal part is not a query term")
	}
}

func FuzzDropIdioms(f *testing.F) {
	for _, s := range []string{"by the way", "On my part.", "straight away", "a bit 坏了", "no problem!", "\xff at all"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := dropIdioms(s)
		if len(got) != len(s) {
			t.Fatalf("length %d, want %d", len(got), len(s))
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("valid UTF-8 became invalid: %q", got)
		}
		for i := 0; i < len(s); i++ {
			if got[i] != s[i] && got[i] != ' ' && got[i] != ',' {
				t.Fatalf("byte %d changed to %q", i, got[i])
			}
			if got[i] != s[i] && s[i] >= utf8.RuneSelf {
				t.Fatalf("non-ASCII byte %d blanked", i)
			}
		}
		if again := dropIdioms(got); strings.Count(again, ",") != strings.Count(got, ",") {
			t.Fatalf("not idempotent: %q → %q", got, again)
		}
	})
}
