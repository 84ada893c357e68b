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
		{"Locked out of the app", "account locked of the app"},
		{"the child lock is on", "the child lock is on"},
		{"I locked it, out of reach", "I locked it, out of reach"},
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
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("valid UTF-8 became invalid: %q", got)
		}
		// the non-ASCII bytes are kept, in order: only ASCII idioms change
		if a, b := nonASCII(s), nonASCII(got); a != b {
			t.Fatalf("non-ASCII bytes changed: %q → %q", a, b)
		}
		if !strings.Contains(strings.ToLower(s), "locked out") && len(got) != len(s) {
			t.Fatalf("length %d, want %d", len(got), len(s))
		}
		if again := dropIdioms(got); again != got && !strings.Contains(strings.ToLower(got), "locked out") {
			t.Fatalf("not idempotent: %q → %q", got, again)
		}
	})
}

func nonASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// TestSessionSynonyms: the synonym lines of session 14 add the catalog's
// words, and only where the customer's word is there.
func TestSessionSynonyms(t *testing.T) {
	terms := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, tk := range appendTokens(nil, s, true, nil, nil, &scratch{}) {
			m[tk.term] = true
		}
		return m
	}
	for _, c := range []struct {
		text string
		want []string
		not  []string
	}{
		{"a couple of pictures and your logo", []string{"photo"}, nil},
		{"a pic of it", []string{"photo"}, nil},
		{"a picnic", nil, []string{"photo"}},
		{"我是小红书博主", []string{"媒体"}, nil},
		{"网红款", []string{"媒体"}, nil},
		{"我是记者", nil, []string{"媒体"}},
	} {
		got := terms(c.text)
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%q: no term %q in %v", c.text, w, got)
			}
		}
		for _, w := range c.not {
			if got[w] {
				t.Errorf("%q: term %q", c.text, w)
			}
		}
	}
}
