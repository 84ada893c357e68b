package faq

import (
	_ "embed"
	"strings"
)

//go:embed zh_stop.txt
var zhStopData string

// zhStopTerms are the two-character Chinese stop words (zh_stop.txt, a
// general list) as index terms: bigrams the index leaves out.
var zhStopTerms = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(zhStopData, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			for _, t := range tokenizePlain(w) {
				m[t.term] = true
			}
		}
	}
	return m
}()
