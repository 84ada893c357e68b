// Package learn keeps what agents teach the gateway — a customer's words
// with the department an agent moved the ticket to (#move) or the FAQ
// entries an agent answered with (#faq, or a help-centre link in the
// reply) — and makes the FAQ ranking and content routing use it.
// A labelled set imported with `learn import` may also say that no entry
// answers a mail (`faq: []`): a no-link example (Example.NoLink), which
// weighs against linking mail like it.
//
// Examples live in the store under their own key prefix (store.PrefixLearn),
// never in the admin's files: the catalog and the rules stay what the admin
// wrote, and `frontdesk learn list|forget` shows and undoes what was
// learned. Each example names its customer, so erasing a customer's data
// removes the examples made from their mail (Eraser); retention removes
// those taught longer ago than retention.learned_examples, when it is set
// (Expire; by default they are kept).
//
// How examples count is faq.Catalog.WithExamples: a second index over the
// examples, whose nearest neighbours of a mail (by cosine similarity) vote
// for their entries and departments beside the catalog's own ranking.
//
// Beside the stored examples, a gateway whose catalog is the demo one
// ranks and routes with the starter examples (Starter, StarterFor): the
// labelled mail of the tuning sets, built into the binary, so that a new
// install does not start from the catalog alone. They are never stored,
// and a stored example with the same words takes their place.
package learn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Source says how an example was learned.
type Source string

const (
	SourceMove   Source = "move"   // #move DEPARTMENT
	SourceFAQ    Source = "faq"    // #faq ID… or a help-centre link in an agent's reply
	SourceImport Source = "import" // frontdesk learn import
	SourceAPI    Source = "api"    // POST /api/learn, for an example that names no source
)

// maxText bounds the words kept of one mail: the ranking reads no more of
// a mail than this either (faq's maxBodyBytes is of the same order).
const maxText = 4000

// Example is one thing agents taught: these words are about Department
// (when set) and answered by Entries (when any), or by no entry at all
// (NoLink).
type Example struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	Source     Source    `json:"source"`
	Department string    `json:"department,omitempty"`
	Entries    []string  `json:"entries,omitempty"`
	// NoLink: no FAQ entry answers these words (the agents linked
	// nothing), so mail like them should get no link. Only a labelled
	// set's explicit `faq: []` says so (ReadLabels); a #move, a #faq and
	// an archived reply without a help-centre link (ReadMaildir) never
	// do. Never set with Entries.
	NoLink bool `json:"no_link,omitempty"`
	// Customer is whose words these are (lower case), for erasure.
	Customer string           `json:"customer,omitempty"`
	Lang     message.Language `json:"lang,omitempty"`
	Subject  string           `json:"subject,omitempty"`
	Text     string           `json:"text"`
	Ticket   string           `json:"ticket,omitempty"`
	By       string           `json:"by,omitempty"` // the agent, or the file imported
}

func key(id string) []byte { return []byte(store.PrefixLearn + id) }

// stampKey holds a new value after every change to the examples, in the
// change's own transaction: nodes sharing one database compare it to
// learn of the changes other nodes made (Live.Poll).
var stampKey = []byte(store.PrefixMisc + "learned-stamp")

// touch marks the examples changed.
func touch(txn *store.Txn) error {
	return txn.Set(stampKey, []byte(store.NewID(time.Now())))
}

// Stamp is the examples' change mark: it differs after any change.
func Stamp(st *store.Store) (string, error) {
	var v string
	err := st.View(func(txn *store.Txn) error {
		b, err := txn.Get(stampKey)
		if errors.Is(err, store.ErrNotFound) {
			v = ""
			return nil
		}
		v = string(b)
		return err
	})
	return v, err
}

// Put stores ex inside txn, giving it an id when it has none.
func Put(txn *store.Txn, ex *Example) error {
	if ex.ID == "" {
		ex.ID = store.NewID(ex.At)
	}
	ex.Customer = strings.ToLower(ex.Customer)
	if len(ex.Entries) > 0 {
		ex.NoLink = false // entries answer it: not a no-link example
	}
	if len(ex.Text) > maxText {
		ex.Text = cut(ex.Text, maxText)
	}
	b, err := json.Marshal(ex)
	if err != nil {
		return err
	}
	if err := txn.Set(key(ex.ID), b); err != nil {
		return fmt.Errorf("learn: store example %s: %w", ex.ID, err)
	}
	return touch(txn)
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n-- // not inside a UTF-8 sequence
	}
	return s[:n]
}

// List reads every example, oldest first (ids are time-ordered).
func List(st *store.Store) ([]Example, error) {
	var out []Example
	err := st.View(func(txn *store.Txn) error {
		out = out[:0]
		return txn.Iterate([]byte(store.PrefixLearn), nil, true, func(k, v []byte) error {
			var ex Example
			if err := json.Unmarshal(v, &ex); err != nil {
				return fmt.Errorf("learn: example %s: %w", k, err)
			}
			out = append(out, ex)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// ErrNoExample is returned by Forget for an id that is not stored.
var ErrNoExample = errors.New("no such learned example")

// Forget removes the examples with the given ids (all of them when all is
// set) and returns how many it removed.
func Forget(ctx context.Context, st *store.Store, ids []string, all bool) (int, error) {
	n := 0
	err := st.Update(ctx, func(txn *store.Txn) error {
		n = 0
		if all {
			var keys [][]byte
			if err := txn.Iterate([]byte(store.PrefixLearn), nil, false, func(k, _ []byte) error {
				keys = append(keys, append([]byte(nil), k...))
				return nil
			}); err != nil {
				return err
			}
			for _, k := range keys {
				if err := txn.Delete(k); err != nil {
					return err
				}
				n++
			}
			if n == 0 {
				return nil
			}
			return touch(txn)
		}
		for _, id := range ids {
			ok, err := txn.Has(key(id))
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: %s", ErrNoExample, id)
			}
			if err := txn.Delete(key(id)); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		return touch(txn)
	})
	return n, err
}

// ForFAQ turns stored examples into what the ranking reads.
func ForFAQ(exs []Example) []faq.Example {
	out := make([]faq.Example, 0, len(exs))
	for _, ex := range exs {
		out = append(out, faq.Example{ID: ex.ID, Department: ex.Department, Entries: ex.Entries, NoLink: ex.NoLink && len(ex.Entries) == 0, Text: ex.Subject + "\n" + ex.Text})
	}
	return out
}
