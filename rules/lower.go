package rules

import (
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// lowerChanges reports whether unicode.ToLower changes r. Han, kana and
// Hangul (most of a Chinese mail) have no case: skip the table lookup.
func lowerChanges(r rune) bool {
	if r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3 {
		return false
	}
	return unicode.ToLower(r) != r
}

// unchangedRun returns the end of the run of s starting at i that
// lower-casing leaves as it is.
func unchangedRun(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if lowerChanges(r) {
			return i
		}
		i += n
	}
	return i
}

// toLower maps every rune to its lower case (unicode.ToLower, as
// strings.ToLower does), returning s itself when nothing changes. Invalid
// bytes are kept as they are.
func toLower(s string) string {
	i := unchangedRun(s, 0)
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c+('a'-'A'))
			i++
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, unicode.ToLower(r))
			i += n
		}
		j := unchangedRun(s, i)
		b = append(b, s[i:j]...)
		i = j
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
