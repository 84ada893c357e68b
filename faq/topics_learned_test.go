package faq

import (
	"math"
	"testing"
)

// TestLearnedTopicsSayWhatWasLearned: Topic.Learned is the part of each
// confidence the examples give (s times the department's share of the
// votes), so that `rules test` can say it; the confidences themselves are
// what they were.
func TestLearnedTopicsSayWhatWasLearned(t *testing.T) {
	cat := []Topic{{Department: "support", Confidence: 0.6, Entries: []string{"a"}}, {Department: "sales", Confidence: 0.4, Entries: []string{"b"}}}
	got := learnedTopics(cat, map[string]float64{"finance": 0.6, "support": 0.2}, 0.8)
	want := map[string][2]float64{ // confidence, learned
		"finance": {0.8 * 0.75, 0.8 * 0.75},
		"support": {0.2*0.6 + 0.8*0.25, 0.8 * 0.25},
		"sales":   {0.2 * 0.4, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("topics %+v", got)
	}
	for _, tp := range got {
		w := want[tp.Department]
		if math.Abs(tp.Confidence-w[0]) > 1e-9 || math.Abs(tp.Learned-w[1]) > 1e-9 {
			t.Errorf("%s: confidence %.4f learned %.4f, want %.4f %.4f", tp.Department, tp.Confidence, tp.Learned, w[0], w[1])
		}
	}
	if cat := learnedTopics(cat, nil, 0); cat[0].Learned != 0 {
		t.Errorf("without examples: %+v", cat)
	}
}
