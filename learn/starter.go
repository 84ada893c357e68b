package learn

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/frontdesk-mail/frontdesk/faq"
)

// SourceStarter marks the built-in starter examples (Starter): labelled
// mail that ships with the demo catalog, never stored.
const SourceStarter Source = "starter"

// starterJSON is the starter set: the customer's words of every mail of
// the tuning sets, the evaluation set public/ (50 mails, outside this
// repository) and this repository's eval/dev (60), eval/dev2 (104),
// eval/dev3 (80), eval/dev4 (60), eval/dev5 (70) and eval/dev6 (70), 494
// in all, with their labels, read as `learn import` reads a labelled
// set. It is generated
// (TestStarterIsItsSources, with -update-starter) and never edited by
// hand. The held-out set public-b/ is not in it, so that set still
// measures mail nobody labelled.
//
//go:embed starter.json
var starterJSON []byte

// Starter returns the starter examples: labelled mail written against the
// demo catalog (faq.Demo), which a new install ranks and routes with
// beside the catalog until its own agents have taught it enough. They are
// examples like any other (their nearest neighbours vote for their
// entries and departments) except that they live in the binary, not the
// store: `learn forget` does not reach them, the config's learn.starter
// turns them off.
func Starter() ([]Example, error) {
	var exs []Example
	if err := json.Unmarshal(starterJSON, &exs); err != nil {
		return nil, fmt.Errorf("starter examples: %w", err)
	}
	return exs, nil
}

// StarterFits reports whether cat has every entry the examples exs name:
// for the starter set, the demo catalog or one grown from it. The starter set's labels mean nothing in another catalog (its
// entries' ids would be unknown, and its departments' names could be the
// admin's own for other things), so it is used only where it fits.
func StarterFits(cat *faq.Catalog, exs []Example) bool {
	if cat == nil {
		return false
	}
	for _, ex := range exs {
		for _, id := range ex.Entries {
			if _, ok := cat.Entry(id); !ok {
				return false
			}
		}
	}
	return true
}

// StarterFor returns the starter examples a gateway with catalog cat uses:
// all of them when setting is true, none when it is false, and when it is
// nil (the default) all of them if they fit cat (StarterFits), else none.
// why says which, for the log and the dry runs.
func StarterFor(setting *bool, cat *faq.Catalog) (exs []Example, why string, err error) {
	if setting != nil && !*setting {
		return nil, "learn.starter is false", nil
	}
	all, err := Starter()
	if err != nil {
		return nil, "", err
	}
	if setting == nil && !StarterFits(cat, all) {
		return nil, "the FAQ catalog lacks entries the starter examples name (set learn.starter: true to use them all the same)", nil
	}
	return all, fmt.Sprintf("%d starter examples", len(all)), nil
}

// WithStarter is stored followed by the starter examples whose words no
// stored example has: an example the team imported or taught again (the
// same labelled set imported with `learn import`) counts once, with the
// team's labels.
func WithStarter(stored, starter []Example) []Example {
	if len(starter) == 0 {
		return stored
	}
	have := make(map[string]bool, len(stored))
	for _, ex := range stored {
		have[ex.Subject+"\n"+ex.Text] = true
	}
	out := append(make([]Example, 0, len(stored)+len(starter)), stored...)
	for _, ex := range starter {
		if !have[ex.Subject+"\n"+ex.Text] {
			out = append(out, ex)
		}
	}
	return out
}
