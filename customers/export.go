package customers

import (
	"bytes"
	"encoding/json"
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
	var mbox bytes.Buffer
	missing, err := WriteMbox(&mbox, st, h)
	if err != nil {
		return nil, err
	}
	tickets := make([]*ticket.Ticket, 0, len(h.Tickets))
	for _, t := range h.Tickets {
		c := t.Clone()
		c.Timeline = slices.DeleteFunc(c.Timeline, func(e ticket.Entry) bool { return othersWords(e, h.Address) })
		tickets = append(tickets, c)
	}
	return &Export{Address: h.Address, Tickets: tickets, MailIDs: h.Mail, Missing: missing, Mbox: mbox.Bytes()}, nil
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
	return e.OtherCustomer || (e.Kind == ticket.KindParticipant && !same(e.From, canon))
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
