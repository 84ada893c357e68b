package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Key prefixes. Each is owned by one package; they live here so that no two
// packages can pick the same one.
const (
	PrefixMessage = "msg/"  // msg/<id> → Message (JSON)
	PrefixRaw     = "raw/"  // raw/<id> → a mail the gateway wrote (received mail is in the spool)
	PrefixQueue   = "q/"    // q/<id> → queue.Item (JSON)
	PrefixSched   = "qs/"   // qs/<time><id> → "" : queue items by next attempt
	PrefixTicket  = "t/"    // ticket records
	PrefixIndex   = "ix/"   // secondary indexes
	PrefixDue     = "dl/"   // SLA deadline index
	PrefixMisc    = "misc/" // sequences, keys, rate limits
)

// Message is the record of one accepted message.
type Message struct {
	ID         string    `json:"id"`
	Received   time.Time `json:"received"`
	MailFrom   string    `json:"mail_from"`
	Rcpt       []string  `json:"rcpt"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
	Helo       string    `json:"helo,omitempty"`
	Size       int       `json:"size"`
	MessageID  string    `json:"message_id,omitempty"` // the Message-ID header
	Subject    string    `json:"subject,omitempty"`
	From       string    `json:"from,omitempty"`
	Department string    `json:"department,omitempty"`
	Priority   string    `json:"priority,omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	Rules      []string  `json:"rules,omitempty"`
	Ticket     string    `json:"ticket,omitempty"`
	// Disposition is "relay", "discard" or "quarantine" (unparseable).
	Disposition string `json:"disposition"`
	ParseError  string `json:"parse_error,omitempty"`
}

// PutMessage stores the record of a message whose mail Store.Spool has
// written.
func (t *Txn) PutMessage(m *Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := t.Set([]byte(PrefixMessage+m.ID), b); err != nil {
		return fmt.Errorf("put message %s: %w", m.ID, err)
	}
	return nil
}

// PutRecord rewrites a message record without touching its raw bytes.
func (t *Txn) PutRecord(m *Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return t.Set([]byte(PrefixMessage+m.ID), b)
}

// GetMessage loads a message record.
func (t *Txn) GetMessage(id string) (*Message, error) {
	b, err := t.Get([]byte(PrefixMessage + id))
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("message %s: %w", id, err)
	}
	return &m, nil
}

// GetRaw loads the raw bytes of a mail: one the gateway wrote (an
// acknowledgement, a reply, an escalation: small, kept in Badger under
// PrefixRaw, as received mail was before the spool) or a received one from
// the spool.
func (t *Txn) GetRaw(id string) ([]byte, error) {
	b, err := t.Get([]byte(PrefixRaw + id))
	if errors.Is(err, ErrNotFound) && t.spool != nil {
		b, err = t.spool.read(id)
	}
	if err != nil {
		return nil, fmt.Errorf("raw message %s: %w", id, err)
	}
	return b, nil
}
