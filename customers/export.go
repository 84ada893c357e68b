package customers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Export is what `customers export` writes, and what the API
// answers: the tickets with their timelines (less other people's words,
// othersWords), and the mail as an mbox.
type Export struct {
	Address string           `json:"address"`
	Tickets []*ticket.Ticket `json:"tickets"`
	MailIDs []string         `json:"mail_ids"`
	Missing []string         `json:"missing,omitempty"`
	Mbox    []byte           `json:"mbox"` // base64 in JSON
}

// ExportOf gathers one customer's tickets and mail.
func ExportOf(st *store.Store, addr string) (*Export, error) {
	h, err := Find(st, addr)
	if err != nil {
		return nil, err
	}
	others, err := othersMail(st, h)
	if err != nil {
		return nil, err
	}
	theirs := *h
	theirs.Mail = slices.DeleteFunc(slices.Clone(h.Mail), func(id string) bool { return others[id] })
	var mbox bytes.Buffer
	missing, err := WriteMbox(&mbox, st, &theirs)
	if err != nil {
		return nil, err
	}
	tickets := make([]*ticket.Ticket, 0, len(h.Tickets))
	for _, t := range h.Tickets {
		c := t.Clone()
		c.Timeline = slices.DeleteFunc(c.Timeline, func(e ticket.Entry) bool { return othersWords(e, h.Address) })
		tickets = append(tickets, c)
	}
	return &Export{Address: h.Address, Tickets: tickets, MailIDs: theirs.Mail, Missing: missing, Mbox: mbox.Bytes()}, nil
}

// othersMail returns the ids of the mail of h's tickets that is another
// person's, left out of the mbox as othersWords leaves it out of the
// timelines: the mail of a timeline entry that othersWords leaves out, and
// any mail received from someone who is neither the customer nor an agent
// (a colleague or a stranger writing to the ticket, their out-of-office
// answer). The customer's own mail, the agents' and the gateway's stay.
func othersMail(st *store.Store, h *Held) (map[string]bool, error) {
	out := map[string]bool{}
	for _, t := range h.Tickets {
		for _, e := range t.Timeline {
			if e.MsgID != "" && othersWords(e, h.Address) {
				out[e.MsgID] = true
			}
		}
	}
	err := st.View(func(txn *store.Txn) error {
		for _, id := range h.Mail {
			m, err := txn.GetMessage(id)
			if errors.Is(err, store.ErrNotFound) {
				continue // the gateway's own mail (acknowledgements, replies) has no record
			}
			if err != nil {
				return err
			}
			if m.Disposition != "agent" && !same(m.MailFrom, h.Address) && !same(m.From, h.Address) {
				out[id] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer %s: %w", h.Address, err)
	}
	return out, nil
}

// ExportSummary is what `customers export --json` prints of an export
// written to Dir: Mail counts the messages written, Missing the ids of
// those the spool no longer has, [] when none.
type ExportSummary struct {
	Address string   `json:"address"`
	Dir     string   `json:"dir"`
	Mail    int      `json:"mail"`
	Missing []string `json:"missing"`
	Tickets int      `json:"tickets"`
}

// Summary is e's summary, written to dir.
func (e *Export) Summary(dir string) ExportSummary {
	return ExportSummary{Address: e.Address, Dir: dir, Mail: len(e.MailIDs) - len(e.Missing),
		Missing: append([]string{}, e.Missing...), Tickets: len(e.Tickets)}
}

// othersWords says whether a timeline entry of the customer's ticket
// holds another person's data, which a request for the customer's data
// must not hand over: what another participant wrote (a ticket of theirs
// merged in, a colleague writing to the ticket's address) and what agents
// wrote to another customer. The store keeps them for the agents.
func othersWords(e ticket.Entry, canon string) bool {
	return e.OtherCustomer || ((e.Kind == ticket.KindParticipant || e.Kind == ticket.KindAuto) && !same(e.From, canon))
}

// DefaultDir is where `customers export` writes addr's export when no
// directory is given: a name safe on every file system.
func DefaultDir(addr string) string {
	return "customer-" + strings.NewReplacer("/", "_", "@", "_at_").Replace(addr)
}

// WriteDir writes the export to dir as tickets.json and mail.mbox,
// readable only by the user running it: it is one customer's personal data.
func (ex *Export) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(map[string]any{"address": ex.Address, "tickets": ex.Tickets}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "tickets.json"), append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "mail.mbox"), ex.Mbox, 0o600)
}
