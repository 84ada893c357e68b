package rules

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a rules file, at the position of the offending
// YAML node (1-based line and column).
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is every problem Parse found, ordered by position. Its Error
// method prints one "file:line:col: message" line per problem.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
}

// synonyms maps words admins reach for to the keys the format uses.
var synonyms = map[string]string{
	"sender": "from", "recipient": "to", "recipients": "to", "rcpt": "to", "cc": "to",
	"text": "body", "content": "body", "language": "lang", "attachments": "attachment",
	"headers": "header", "tag": "tags", "dept": "department", "match": "matches",
	"regex": "matches", "regexp": "matches", "is": "equals", "equal": "equals",
	"or": "any", "and": "all", "when": "if", "do": "then", "actions": "then",
	"timezone_name": "timezone", "tz": "timezone", "zone": "timezone", "address": "addresses",
}

// didYouMean suggests the known word closest to s, or "".
func didYouMean(s string, known []string) string {
	if w, ok := synonyms[strings.ToLower(s)]; ok && contains(known, w) {
		return w
	}
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, k := range known {
		if d := editDistance(strings.ToLower(s), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
