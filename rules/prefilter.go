package rules

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
)

// maxPrefilter bounds the number of alternative literals of a prefilter.
const maxPrefilter = 16

// requiredLiterals returns lower-case strings of which every match of the
// regular expression contains at least one, or ok=false when it cannot
// tell. Evaluation skips a regular expression whose literals are all absent
// from the (lower-cased) text, found by the same one-pass keyword scan as
// "contains", so that most body patterns cost nothing on most mails.
//
// Lower-casing is sound because the keyword scan runs on the lower-cased
// text: a substring of the text lower-cases to a substring of the lower-
// cased text. For case-insensitive literals only runes whose case folding
// is plain lower-casing are used (ASCII and uncased scripts such as Han);
// others give up.
func requiredLiterals(src string) ([]string, bool) {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil, false
	}
	return required(re.Simplify())
}

func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		var b strings.Builder
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && r >= 0x80 && unicode.SimpleFold(r) != r {
				return nil, false
			}
			b.WriteRune(unicode.ToLower(r))
		}
		if b.Len() == 0 {
			return nil, false
		}
		return []string{b.String()}, true
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Runs of children with exact literal sets combine into their
		// cross product (退(款|钱) gives 退款, 退钱); any child's set will do,
		// so take the most selective.
		var best, run []string
		consider := func(l []string) {
			if l != nil && !slices.Contains(l, "") && better(l, best) {
				best = l
			}
		}
		for _, s := range re.Sub {
			if ex, ok := exact(s); ok {
				if run == nil {
					run = ex
				} else if p := cross(run, ex); p != nil {
					run = p
				} else {
					consider(run)
					run = ex
				}
				continue
			}
			consider(run)
			run = nil
			if l, ok := required(s); ok {
				consider(l)
			}
		}
		consider(run)
		return best, best != nil
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			l, ok := required(s)
			if !ok {
				return nil, false
			}
			all = append(all, l...)
		}
		if len(all) > maxPrefilter {
			return nil, false
		}
		return all, true
	}
	return nil, false
}

// exact returns a small set of literals that holds every string re
// matches: all of them, or more (a zero-width assertion counts as the empty
// string, which is what it consumes). Concatenated, such sets give required
// literals that span optional parts: order[ -]?ref gives "orderref",
// "order ref" and "order-ref".
func exact(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return []string{""}, true
	case syntax.OpQuest:
		l, ok := exact(re.Sub[0])
		if !ok || len(l) >= maxPrefilter {
			return nil, false
		}
		if slices.Contains(l, "") {
			return l, true
		}
		return append(l, ""), true
	case syntax.OpLiteral:
		return required(re)
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpCharClass:
		// Pairs of ranges lo..hi; small classes expand (退[款钱]).
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= maxPrefilter {
					return nil, false
				}
				if l := string(unicode.ToLower(r)); !slices.Contains(out, l) {
					out = append(out, l)
				}
			}
		}
		return out, len(out) > 0
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			l, ok := exact(s)
			if !ok {
				return nil, false
			}
			all = append(all, l...)
		}
		return all, len(all) <= maxPrefilter
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			l, ok := exact(s)
			if !ok {
				return nil, false
			}
			if out = cross(out, l); out == nil {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

func cross(a, b []string) []string {
	if len(a)*len(b) > maxPrefilter {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// better prefers longer shortest literals (more selective), then fewer
// alternatives.
func better(a, b []string) bool {
	if b == nil {
		return true
	}
	if minLen(a) != minLen(b) {
		return minLen(a) > minLen(b)
	}
	return len(a) < len(b)
}

func minLen(l []string) int {
	m := int(^uint(0) >> 1)
	for _, s := range l {
		m = min(m, len(s))
	}
	return m
}
