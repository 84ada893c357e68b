package rules

import (
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// simple reports runes that are NFKC-stable starters which never combine
// with what precedes them: normalisation before such a rune can stop.
// They make up almost all of an English or Chinese mail.
func simple(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return true
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs
		return true
	case r == 0x3001 || r == 0x3002 || r >= 0x300C && r <= 0x300F: // 、。「」『』
		return true
	case r == 0x2014 || r >= 0x2018 && r <= 0x201D: // — ‘ ’ “ ”
		return true
	}
	return false
}

// nfkc is norm.NFKC.String with a fast path: runs of simple runes are
// copied as they are, and only the stretches between them (with the
// starter before each, which may combine with what follows) go through the
// normaliser. s itself is returned when nothing changes.
func nfkc(s string) string {
	var out []byte
	done := 0 // s[:done] is accounted for (in out when out != nil)
	prev := -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			prev = i
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if simple(r) {
			prev = i
			i += n
			continue
		}
		// A stretch of other runes starts at i; include the starter
		// before it and end before the next simple rune.
		start := i
		if prev >= done {
			start = prev
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if simple(r2) {
				break
			}
			j += n2
		}
		seg := s[start:j]
		if out == nil {
			if norm.NFKC.IsNormalString(seg) {
				// Unchanged so far: keep going without copying.
				prev = -1
				i = j
				continue
			}
			out = make([]byte, 0, len(s)+16)
			out = append(out, s[:start]...)
		} else {
			out = append(out, s[done:start]...)
		}
		out = norm.NFKC.AppendString(out, seg)
		done = j
		prev = -1
		i = j
	}
	if out == nil {
		return s
	}
	out = append(out, s[done:]...)
	return unsafe.String(unsafe.SliceData(out), len(out))
}
