package evaltest

import (
	"slices"
	"testing"
)

func TestShortAndWorseThan(t *testing.T) {
	f := Figures{Recall: 0.95, Top1: 0.84, NoLink: 0.80, Dept: 0.91, Relevant: 60, None: 20, N: 80}
	got := f.Short(Targets{Recall: 0.95, Top1: 0.85, NoLink: 0.80, Dept: 0.92})
	want := []string{"top-1 0.840, below the target 0.85", "department 0.910, below the target 0.92"}
	if !slices.Equal(got, want) {
		t.Errorf("Short = %q, want %q", got, want)
	}
	// one mail's worth is noise: top-1 one mail lower is not worse, two are
	then := Figures{Recall: 0.95, Top1: 0.84 + 1.0/60, NoLink: 0.80 + 2.0/20, Dept: 0.91, Relevant: 60, None: 20, N: 80}
	if got := f.WorseThan(then); !slices.Equal(got, []string{"no-link"}) {
		t.Errorf("WorseThan = %q, want [no-link]", got)
	}
	var c Counts
	c.Add(Figures{Recall: 1, Top1: 0.5, NoLink: 1, Dept: 1, Relevant: 2, None: 1, N: 3})
	c.Add(Figures{Recall: 0, Top1: 0, NoLink: 0, Dept: 0, Relevant: 2, None: 1, N: 3})
	if p := c.Figures(); p.Recall != 0.5 || p.Top1 != 0.25 || p.NoLink != 0.5 || p.Dept != 0.5 || p.N != 6 {
		t.Errorf("pooled %+v", p)
	}
}
