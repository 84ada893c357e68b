package faq

import "strings"

// idioms are English multiword adverbials and discourse markers whose
// words do not carry their literal sense ("by the way" is about no way,
// "on my part" about no part, "straight away" about nothing that is
// straight): the usual ones of a grammar of spoken and written English
// (Carter and McCarthy, Cambridge Grammar of English, on discourse
// markers and fixed adverbial phrases). In a mail's text they are blanked
// before the words are read, so that their nouns cannot match an entry
// by accident.
var idioms = strings.Split(strings.TrimSpace(`
by the way|straight away|right away|right now|at the moment|at the end of the day|in the end|at least|at last|at all|at once|all the same|after all|as well|in fact|in any case|of course|on my part|for my part|on the other hand|in the meantime|for the time being|more or less|so far|all of a sudden|to be honest|to be fair|in a way|no problem|no worries|first of all|once again|at the same time|now and then|from time to time|in general|in particular|for example|for instance|kind of|sort of|a bit|a lot|lots of|a little|as long as|as soon as|in the first place|at first`), "|")

// phrasals are the synonym table's lines whose customer wording needs a
// word the tokenizer drops as a stop word ("locked out": "out" is one, and
// "locked" alone is also a child lock's): matched on the text, like the
// idioms, and replaced by the catalog's words.
var phrasals = map[string]string{
	"locked out": "account locked",
}

// idiomByFirst indexes idioms and phrasals by their first byte.
var idiomByFirst = func() (m [128][]string) {
	for _, w := range idioms {
		m[w[0]] = append(m[w[0]], w)
	}
	for w := range phrasals {
		m[w[0]] = append(m[w[0]], w)
	}
	return m
}()

// dropIdioms returns s with every idiom (whole words, ASCII case folded)
// replaced by a comma and spaces, which also ends a phrase there, and
// every phrasal by its catalog words.
func dropIdioms(s string) string {
	var out []byte
	last := 0 // s[:last] is in out
	for i := 0; i < len(s); i++ {
		c := lower(s[i])
		if c >= 128 || len(idiomByFirst[c]) == 0 || (i > 0 && isWordByte(s[i-1])) {
			continue
		}
		for _, w := range idiomByFirst[c] {
			if i+len(w) > len(s) || (i+len(w) < len(s) && isWordByte(s[i+len(w)])) || !asciiFoldEq(s[i:i+len(w)], w) {
				continue
			}
			if out == nil {
				out = make([]byte, 0, len(s)+16)
			}
			out = append(out, s[last:i]...)
			if r, ok := phrasals[w]; ok {
				out = append(out, r...)
			} else {
				out = append(out, ',')
				for k := 1; k < len(w); k++ {
					out = append(out, ' ')
				}
			}
			last = i + len(w)
			i += len(w) - 1
			break
		}
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

// asciiFoldEq reports whether a equals the lower-case ASCII b, ignoring
// ASCII case.
func asciiFoldEq(a, b string) bool {
	for k := 0; k < len(b); k++ {
		if lower(a[k]) != b[k] {
			return false
		}
	}
	return true
}
