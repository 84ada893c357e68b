package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// Key prefixes. Each is owned by one package; they live here so that no two
// packages can pick the same one.
const (
	PrefixMessage = "msg/"  // msg/<id> → Message (JSON)
	PrefixRaw     = "raw/"  // raw/<id> → where the spool has a received mail, or a mail the gateway wrote
	PrefixQueue   = "q/"    // q/<id> → queue.Item (JSON)
	PrefixSched   = "qs/"   // qs/<time><id> → "" : queue items by next attempt
	PrefixTicket  = "t/"    // ticket records
	PrefixIndex   = "ix/"   // secondary indexes
	PrefixDue     = "dl/"   // SLA deadline index
	PrefixMisc    = "misc/" // sequences, keys, rate limits
	PrefixLearn   = "lx/"   // lx/<id> → learn.Example (JSON): what agents taught, package learn
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

// PutMessage stores the record of a message and where Spool put its mail.
func (t *Txn) PutMessage(m *Message, mail Spooled) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := t.Set([]byte(PrefixMessage+m.ID), b); err != nil {
		return fmt.Errorf("put message %s: %w", m.ID, err)
	}
	if t.pg != nil {
		return t.pg.putMailKept(m.ID, mail.data) // Spool's own copy
	}
	v := mail.data
	if v == nil {
		v = mail.encode()
	}
	if err := t.Set([]byte(PrefixRaw+m.ID), v); err != nil {
		return fmt.Errorf("put message %s: %w", m.ID, err)
	}
	return nil
}

// PutRaw stores the raw bytes of a mail the gateway made itself (an
// acknowledgement, an agent's reply, an escalation) under id: in the spool
// when the store has one, synced with this transaction's commit, else in
// Badger (and so is one of at most Options.InlineMail bytes). Kept in
// Badger, every such mail went through its value log and that log's msync
// in the commit path, as received mail did before the spool. A transaction that runs again (a conflict, a failed batch) spools
// the mail again and leaves the first copy unreferenced.
func (t *Txn) PutRaw(id string, raw []byte) error {
	if t.pg != nil {
		return t.pg.putMail(id, raw)
	}
	v := raw
	if t.spool != nil && !t.spool.keepsInline(raw) {
		p, err := t.spool.write([][]byte{raw})
		if err != nil {
			return fmt.Errorf("put raw %s: spool: %w", id, err)
		}
		v = p.encode()
	}
	if err := t.Set([]byte(PrefixRaw+id), v); err != nil {
		return fmt.Errorf("put raw %s: %w", id, err)
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

// GetRaw loads the raw bytes of a mail: received mail from the spool, or
// one the gateway wrote (an acknowledgement, a reply, an escalation), which
// is small and kept in Badger itself, as received mail was before the
// spool.
func (t *Txn) GetRaw(id string) ([]byte, error) { return t.GetRawBuf(id, nil) }

// GetRawBuf is GetRaw reading mail from the spool into buf's storage when
// it is large enough (the queue reuses one buffer per delivery instead of
// allocating the whole mail for each). The result is buf's storage or a
// new slice, never memory the store keeps.
func (t *Txn) GetRawBuf(id string, buf []byte) ([]byte, error) {
	var b []byte
	var err error
	if t.pg != nil {
		var mail []byte
		var read bool
		b, mail, read, err = t.pg.getRaw(id)
		switch {
		case err != nil || string(b) != pgMailRef:
		case !read:
			return t.pg.getMail(id)
		case mail == nil:
			return nil, fmt.Errorf("mail %s: %w", id, ErrNotFound)
		default:
			return mail, nil
		}
	} else {
		b, err = t.Get([]byte(PrefixRaw + id))
	}
	if p, ok := decodeSpooled(b); err == nil && ok {
		if t.spool == nil {
			return nil, fmt.Errorf("raw message %s: in the spool, and the store was opened without it", id)
		}
		b, err = t.spool.read(p, buf)
	}
	if err != nil {
		return nil, fmt.Errorf("raw message %s: %w", id, err)
	}
	return b, nil
}
