// Package zhconv writes Chinese text in Traditional characters for
// customers who write Traditional Chinese: ToTraditional converts
// Simplified text (a rendered template, an FAQ title) to Traditional
// characters in Taiwan forms (ToTraditionalKeeping leaves what a mail
// quotes of the customer as it is), and IsTraditional tells whether a text
// is written in Traditional characters. The tables are OpenCC's (see gen.go
// and the headers of s2t.txt and script.txt); package faq keeps its own
// Traditional → Simplified table for matching.
package zhconv

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run gen.go -opencc $OPENCC

//go:embed s2t.txt
var s2tData string

//go:embed script.txt
var scriptData string

// tables is s2t.txt and script.txt parsed, once, on first use.
type tables struct {
	chars   map[rune]rune
	phrases map[string]string
	// maxLen is the longest phrase, in runes, that starts with a rune;
	// absent for runes that start none.
	maxLen map[rune]int
	// script is +1 for a character written only in Traditional, -1 for
	// one written only in Simplified; dense is script for the common
	// block of Han characters, indexed by r-denseFirst.
	script map[rune]int8
	dense  []int8
}

// Nearly every Han character in mail is in CJK Unified Ideographs
// Extension A and the main block, U+3400-U+9FFF.
const (
	denseFirst = 0x3400
	denseLast  = 0x9FFF
)

var load = sync.OnceValue(parseTables)

func parseTables() *tables {
	t := &tables{chars: make(map[rune]rune, 4000), phrases: make(map[string]string, 13000), maxLen: map[rune]int{}, script: make(map[rune]int8, 7100)}
	for line := range strings.Lines(s2tData) {
		k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if n := utf8.RuneCountInString(k); n > 1 {
			t.phrases[k] = v
			r, _ := utf8.DecodeRuneInString(k)
			t.maxLen[r] = max(t.maxLen[r], n)
			continue
		}
		a, _ := utf8.DecodeRuneInString(k)
		b, _ := utf8.DecodeRuneInString(v)
		t.chars[a] = b
	}
	for line := range strings.Lines(scriptData) {
		var class int8
		switch {
		case strings.HasPrefix(line, "T "):
			class = 1
		case strings.HasPrefix(line, "S "):
			class = -1
		default:
			continue
		}
		for _, r := range strings.TrimSpace(line[2:]) {
			t.script[r] = class
		}
	}
	t.dense = make([]int8, denseLast-denseFirst+1)
	for r, class := range t.script {
		if denseFirst <= r && r <= denseLast {
			t.dense[r-denseFirst] = class
		}
	}
	return t
}

// ToTraditional converts Simplified Chinese in s to Traditional characters
// (Taiwan forms): phrases first, longest match first (头发 → 頭髮, 皇后
// stays), then character by character. Everything that is not a
// Simplified character — ASCII, Traditional text, punctuation, bytes that
// are not UTF-8 — is copied as it is, so markup, URLs and ticket tags keep
// their places; converting twice changes nothing more.
func ToTraditional(s string) string {
	t := load()
	var b strings.Builder
	done := 0 // s[:done] is written to b (once b is in use)
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if n := t.maxLen[r]; n > 0 {
			if k, v, ok := t.phrase(s[i:], n); ok {
				if k != v {
					b.WriteString(s[done:i])
					b.WriteString(v)
					done = i + len(k)
				}
				i += len(k)
				continue
			}
		}
		if v, ok := t.chars[r]; ok {
			b.WriteString(s[done:i])
			b.WriteRune(v)
			done = i + size
		}
		i += size
	}
	if done == 0 {
		return s // nothing converted
	}
	b.WriteString(s[done:])
	return b.String()
}

// ToTraditionalKeeping is ToTraditional but for keep: every occurrence of
// a keep string in s is left as it is, and the text between is converted
// piece by piece. A mail written for a customer converts its own wording
// but not what it quotes of theirs (a name 余 or 游 is not 餘 or 遊, the
// subject as they wrote it) nor a link. Keep strings are matched as they
// are: a caller that quotes one in HTML passes its escaped form too.
func ToTraditionalKeeping(s string, keep ...string) string {
	var ks []string
	for _, k := range keep {
		for i := 0; i < len(k); i++ {
			if k[i] >= utf8.RuneSelf { // all-ASCII strings are kept anyway
				ks = append(ks, k)
				break
			}
		}
	}
	if len(ks) == 0 {
		return ToTraditional(s)
	}
	// Longest first, so that of two starting at one place the longer is
	// kept whole.
	slices.SortFunc(ks, func(a, b string) int { return len(b) - len(a) })
	var b strings.Builder
	done := 0 // s[:done] is written to b
	for i := 0; i < len(s); {
		kept := false
		for _, k := range ks {
			if strings.HasPrefix(s[i:], k) {
				b.WriteString(ToTraditional(s[done:i]))
				b.WriteString(k)
				i += len(k)
				done, kept = i, true
				break
			}
		}
		if !kept {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	b.WriteString(ToTraditional(s[done:]))
	return b.String()
}

// phrase returns the longest phrase of at most n runes that s starts
// with, and its conversion.
func (t *tables) phrase(s string, n int) (key, value string, ok bool) {
	// ends[j] is the byte length of s's first j+1 runes.
	var buf [16]int
	ends := buf[:0]
	for i := 0; i < len(s) && len(ends) < n; {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		ends = append(ends, i)
	}
	for j := len(ends) - 1; j >= 1; j-- {
		if v, ok := t.phrases[s[:ends[j]]]; ok {
			return s[:ends[j]], v, true
		}
	}
	return "", "", false
}

// IsTraditional reports whether text is written in Traditional Chinese:
// whether its Han characters that exist only in Traditional writing (發,
// 後, 這, 機) outnumber those that exist only in Simplified writing (发,
// 这, 机). Characters both write alike (的, 我, 后, 只) and written
// Cantonese's own (唔, 冇, 咗, 嘅) count for neither; a text with no Han
// characters, or as many of each, is not Traditional.
func IsTraditional(text string) bool {
	t := load()
	score := 0
	for _, r := range text {
		switch {
		case r < denseFirst:
		case r <= denseLast:
			score += int(t.dense[r-denseFirst])
		default:
			score += int(t.script[r])
		}
	}
	return score > 0
}
