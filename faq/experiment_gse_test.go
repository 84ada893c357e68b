//go:build experiment

package faq

import (
	"os"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// The Chinese segmenter experiment (issue 19): go-ego/gse's dictionary
// segmentation beside or instead of character bigrams. Its 49 MB of
// embedded dictionaries are why it is behind a build tag: run it with
//
//	FRONTDESK_EXPERIMENT=1 go test -tags experiment ./faq -run TestExperimentSegmenter -v

// gseSeg is go-ego/gse's dictionary segmenter (its embedded Simplified
// dictionary, no HMM), for the experiments only.
type gseSeg struct {
	seg   *gse.Segmenter
	cross bool
}

var gseOnce = sync.OnceValue(func() *gse.Segmenter {
	var s gse.Segmenter
	if err := s.LoadDictEmbed("zh_s"); err != nil {
		panic(err)
	}
	return &s
})

func (g gseSeg) crossBigrams() bool { return g.cross }
func (g gseSeg) split(dst []int, run []rune) []int {
	total := 0
	start := len(dst)
	for _, w := range g.seg.Cut(string(run), false) {
		n := utf8.RuneCountInString(w)
		dst = append(dst, n)
		total += n
	}
	if total != len(run) {
		return append(dst[:start], len(run))
	}
	return dst
}

func TestExperimentSegmenter(t *testing.T) {
	if os.Getenv("FRONTDESK_EXPERIMENT") == "" {
		t.Skip("set FRONTDESK_EXPERIMENT=1")
	}
	g := gseOnce()
	add, in := defaultMethod, defaultMethod
	add.seg = gseSeg{g, true}
	in.seg = gseSeg{g, false}
	runVariants(t, []variant{{"bigrams", defaultMethod}, {"gse+bigrams", add}, {"gse in-word", in}})
}
