package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lowerChanges reports whether unicode.ToLower changes r. Han, kana and
// Hangul (most of a Chinese mail) have no case: skip the table lookup.
func lowerChanges(r rune) bool {
	if r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7A3 {
		return false
	}
	return unicode.ToLower(r) != r
}

// toLower maps every rune to its lower case (unicode.ToLower), returning
// s itself when nothing changes. Invalid bytes are kept as they are.
func toLower(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if lowerChanges(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError && lowerChanges(r) {
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
