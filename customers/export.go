package customers

import (
	"bytes"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Export is what `customers export` writes, and what the API
// answers: the tickets with their timelines, and the mail as an mbox.
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
	return &Export{Address: h.Address, Tickets: h.Tickets, MailIDs: h.Mail, Missing: missing, Mbox: mbox.Bytes()}, nil
}
