package faq

import (
	"frontdesk/message"
)

// Hit is one ranked entry.
type Hit struct {
	ID    string
	Score float64
	Title string // in the language asked for
}

// Zone weights of a mail. The subject is the customer's own one-line summary,
// so its words count double; the fresh body (the customer's words this time)
// counts once; quoted history is mostly our own earlier mail and only breaks
// ties.
const (
	subjectWeight = 2.0
	freshWeight   = 1.0
	quotedWeight  = 0.1
)

// candidates ranks all entries for a mail (no threshold).
func (c *Catalog) candidates(m *message.Message) ([]qterm, []scored) {
	fresh := m.Fresh()
	q := c.idx.query([]zone{
		{m.Subject, subjectWeight},
		{fresh, freshWeight},
		{m.Text, quotedWeight},
	})
	return q, c.idx.scoreAll(q)
}

func (c *Catalog) hit(s scored, lang string) Hit {
	e := c.entries[s.doc]
	return Hit{ID: e.ID, Score: s.score, Title: e.In(lang).Title}
}
