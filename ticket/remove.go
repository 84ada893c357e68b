package ticket

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// Remove deletes a ticket with its indexes (threading, customer history
// and count, deadlines); its mail is the caller's to remove. Retention
// removes resolved tickets this way.
func Remove(txn *store.Txn, t *Ticket) error {
	for _, k := range dueKeys(t) {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	for _, id := range t.MessageIDs {
		if err := deleteMid(txn, id, t.Tag); err != nil {
			return err
		}
	}
	if err := uncount(txn, t); err != nil {
		return err
	}
	if err := txn.Delete(ticketKey(t.Tag)); err != nil {
		return fmt.Errorf("remove ticket %s: %w", t.Tag, err)
	}
	return nil
}

// deleteMid removes a threading key if it still names tag (a Message-ID
// another ticket took over stays with it).
func deleteMid(txn *store.Txn, id, tag string) error {
	v, err := txn.Get(midKey(id))
	if err != nil || string(v) != tag {
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	return txn.Delete(midKey(id))
}

// uncount removes t from its customer's index and count.
func uncount(txn *store.Txn, t *Ticket) error {
	ck := custKey(t.Customer, t.Created, t.Tag)
	has, err := txn.Has(ck)
	if err != nil || !has {
		return err
	}
	if err := txn.Delete(ck); err != nil {
		return err
	}
	n, err := customerTickets(txn, t.Customer)
	if err != nil {
		return err
	}
	if n <= 1 {
		return txn.Delete(custCountKey(t.Customer))
	}
	return txn.Set(custCountKey(t.Customer), strconv.AppendInt(nil, int64(n-1), 10))
}

// ErasedCustomer replaces the address of a ticket whose customer was
// erased.
const ErasedCustomer = "erased"

// Erase removes what a ticket says about its customer (a customer's data
// erased on request): the address, name and subject, and the sender,
// subject and text of every timeline entry; what remains is when things
// happened and what kind they were, for the statistics. Its threading
// keys go too (Message-IDs name hosts and often people), so a later mail
// of the customer opens a new ticket. The status page no longer shows it
// (Erased). A ticket still open is resolved, its running clocks stopped
// as StoppedErased (neither met nor breached). Mail is the caller's to
// remove.
func Erase(txn *store.Txn, t *Ticket, now time.Time) error {
	old := t.Clone()
	if err := uncount(txn, old); err != nil {
		return err
	}
	for _, id := range old.MessageIDs {
		if err := deleteMid(txn, id, t.Tag); err != nil {
			return err
		}
	}
	t.Customer, t.CustomerName, t.Subject = ErasedCustomer, "", ""
	t.MessageIDs, t.LinkedFrom = nil, ""
	for i := range t.Timeline {
		e := &t.Timeline[i]
		e.From, e.Subject, e.Text, e.MessageID = "", "", "", ""
	}
	// The lifecycle keeps words too: held agents' replies quote the
	// conversation, and a rating may carry the customer's comment.
	for i := range t.Held {
		h := &t.Held[i]
		h.From, h.Subject, h.Text, h.MessageID = "", "", "", ""
	}
	if t.Rating != nil {
		t.Rating.Comment = ""
	}
	t.Erased = now
	// Nobody can answer it now (no address, no thread): resolved, it
	// leaves the open counts and its deadlines stop.
	if t.Status != Resolved {
		t.stopClocks(now, StoppedErased) // not met: nobody answered
		t.Resolve(now, "")
		t.Timeline[len(t.Timeline)-1].Text = "resolved: the customer's data was erased"
	}
	// Put would index the ticket under its new customer; the deadline
	// keys are rewritten as they are.
	for _, k := range dueKeys(old) {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	for _, k := range dueKeys(t) {
		if err := txn.Set(k, nil); err != nil {
			return err
		}
	}
	return putRecord(txn, t)
}

// putRecord writes the ticket record alone.
func putRecord(txn *store.Txn, t *Ticket) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return txn.Set(ticketKey(t.Tag), b)
}

// EraseEntries removes, from a ticket that is not the erased customer's,
// what its timeline says about that customer's mail (a reply they sent
// into another customer's ticket, as a participant): the sender, subject,
// text and Message-ID of every entry match selects, and that Message-ID's
// threading key. It returns how many entries it blanked; the ticket is
// written only when there were some.
func EraseEntries(txn *store.Txn, t *Ticket, match func(*Entry) bool) (int, error) {
	n := 0
	gone := map[string]bool{}
	for i := range t.Timeline {
		e := &t.Timeline[i]
		if !match(e) || (e.From == "" && e.Subject == "" && e.Text == "" && e.MessageID == "") {
			continue
		}
		if e.MessageID != "" {
			gone[e.MessageID] = true
			if err := deleteMid(txn, e.MessageID, t.Tag); err != nil {
				return 0, err
			}
		}
		e.From, e.Subject, e.Text, e.MessageID = "", "", "", ""
		n++
	}
	if n == 0 {
		return 0, nil
	}
	t.MessageIDs = slices.DeleteFunc(t.MessageIDs, func(id string) bool { return gone[id] })
	return n, putRecord(txn, t)
}
