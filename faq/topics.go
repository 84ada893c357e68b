package faq

import (
	"sort"

	"github.com/frontdesk-mail/frontdesk/message"
)

// Topic is a department a mail is about, as the FAQ catalog understands
// it: the departments of the entries the mail matches, with a confidence.
type Topic struct {
	Department string
	// Confidence is in [0, 1]: the department's share of the score of the
	// entries that compete for the mail, times how clearly the best of
	// them is matched at all (1 from the linking bar up).
	Confidence float64
	// Entries are the ids of the entries behind it, best first.
	Entries []string
	// Also are the other departments the best of those entries lists:
	// teams that deal with the matter too (price protection is support's
	// and finance's). The rules' "about" uses them to keep a mail with the
	// department of its address when that department is one of them.
	Also []string
}

// Topics tells what departments m is about, most likely first; nil when
// it matches no entry. It reads the mail as Suggest does (the same reading,
// kept on the message, so a mail is ranked once for both), but does
// not ask whether the mail asks anything: a job application or a press
// pitch needs no FAQ link, yet it plainly concerns the careers or press
// entry, and so hr or pr.
//
// The constants behind it come from the catalog and the linking decision,
// not from labelled mail: an entry's department is the first one the
// catalog lists for it (the owner; the others are departments that also
// deal with it), the competing entries are those scoring at least relFrac
// of the best (the rule that decides which entries are linked together),
// and the clarity factor is the best score over the linking bar
// (minEvidence idf units), capped at 1.
func (c *Catalog) Topics(m *message.Message) []Topic {
	if c == nil || m == nil || len(c.entries) == 0 {
		return nil
	}
	r := c.read(m)
	return c.topics(r.cat, r.depts)
}

// topics turns the catalog's ranking res and the examples' evidence per
// department into topics. A department's share is its best entry's score
// plus what the examples say for it.
func (c *Catalog) topics(res []scored, learned map[string]float64) []Topic {
	if (len(res) == 0 || res[0].score <= 0) && len(learned) == 0 {
		return nil
	}
	var best float64
	if len(res) > 0 {
		best = max(0, res[0].score)
	}
	var total float64
	share := map[string]float64{}
	var order []string
	ids := map[string][]string{}
	also := map[string][]string{}
	for _, r := range res {
		if r.score < relFrac*best {
			break
		}
		e := c.entries[r.doc]
		if len(e.Departments) == 0 {
			continue
		}
		d := e.Departments[0]
		if _, ok := share[d]; !ok {
			order = append(order, d)
			// a department counts with its best entry only: support owns
			// most of the catalog, and summing would make it win every
			// mail that matches several of its entries weakly
			share[d] = r.score
			total += r.score
			also[d] = e.Departments[1:]
		}
		ids[d] = append(ids[d], e.ID)
	}
	for d, v := range learned {
		if _, ok := share[d]; !ok {
			order = append(order, d)
		}
		share[d] += v
		total += v
		// agents put mail like this in d itself: that the entry is
		// other departments' too does not hold it back
		also[d] = nil
	}
	if total == 0 {
		return nil
	}
	top := 0.0
	for _, v := range share {
		top = max(top, v)
	}
	clarity := min(1, top/(minEvidence*c.idx.maxIDF()))
	out := make([]Topic, 0, len(order))
	for _, d := range order {
		out = append(out, Topic{Department: d, Confidence: clarity * share[d] / total, Entries: ids[d], Also: also[d]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Confidence != out[j].Confidence {
			return out[i].Confidence > out[j].Confidence
		}
		return out[i].Department < out[j].Department // map order must not decide
	})
	return out
}
