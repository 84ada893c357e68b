// Package customers answers a customer's request about their data: Export
// writes everything the gateway holds about one address (their mail as an
// mbox, their tickets with their timelines as JSON), and Erase removes it,
// keeping only an audit record that says when, by whom and how many items
// (no address, no content).
//
// What belongs to a customer: every ticket whose customer is the address,
// every mail of those tickets (theirs, the agents', and the gateway's own
// acknowledgements and replies), and every other mail the address sent
// (mail discarded by a rule has no ticket). Addresses are compared in
// their canonical form (ack.CanonicalAddress).
//
// Erased mail leaves the disk at once: its bytes in the spool are
// overwritten with zeros, Badger is made to drop the old versions of what
// was deleted or rewritten (store.Purge), and copies the gateway
// delivered into Maildirs under its data dir (relay and outbox targets)
// are removed. Other stores of customer data (learned examples, when they
// exist) plug in through Eraser.
package customers

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/internal/rfc5322"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Canonical returns addr as the gateway compares addresses, or an error
// that says why it is not an address.
func Canonical(addr string) (string, error) {
	// A display-name form ("Bob" <bob@x.example.>) is its angle address:
	// net/mail refuses the trailing dot that the canonical form drops.
	if t := strings.TrimSpace(addr); strings.HasSuffix(t, ">") {
		if i := strings.LastIndexByte(t, '<'); i > 0 && strings.Contains(t[i:], "@") {
			if c, err := ack.CanonicalAddress(t[i:]); err == nil {
				return c, nil
			}
		}
	}
	c, err := ack.CanonicalAddress(strings.TrimSpace(addr))
	if err != nil {
		// Internal or literal addresses are customers' too; lower case is
		// how tickets keep them.
		a, perr := mail.ParseAddress(addr)
		if perr != nil {
			return "", fmt.Errorf("%q is not a mail address: %w", addr, perr)
		}
		return strings.ToLower(strings.TrimSuffix(a.Address, ".")), nil
	}
	return c, nil
}

func same(addr, canon string) bool {
	if addr == "" {
		return false
	}
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	c, err := Canonical(addr)
	return err == nil && c == canon
}

// Held is what the store holds about one customer.
type Held struct {
	Address string           `json:"address"`
	Tickets []*ticket.Ticket `json:"tickets"`
	// Mail are the ids of their mail, oldest first.
	Mail []string `json:"mail"`
	// QueueItems still to deliver mail of theirs.
	QueueItems []string `json:"queue_items"`
	// RateLimits are the acknowledgement rate-limit records of the
	// address (keys).
	RateLimits []string `json:"-"`
	// Elsewhere are the tags of other customers' tickets whose timeline
	// quotes mail of theirs (a reply they sent into it, as a participant).
	Elsewhere []string `json:"-"`
	mailTag   map[string]string
}

// theirs says whether a timeline entry of another customer's ticket is
// about mail of h's customer.
func (h *Held) theirs(e *ticket.Entry) bool {
	if _, ok := h.mailTag[e.MsgID]; ok && e.MsgID != "" {
		return true
	}
	return same(e.From, h.Address)
}

// Find collects what st holds about addr.
func Find(st *store.Store, addr string) (*Held, error) {
	canon, err := Canonical(addr)
	if err != nil {
		return nil, err
	}
	h := &Held{Address: canon, Tickets: []*ticket.Ticket{}, Mail: []string{}, QueueItems: []string{}, mailTag: map[string]string{}}
	all, err := ticket.List(st, "", "")
	if err != nil {
		return nil, fmt.Errorf("customer %s: %w", canon, err)
	}
	tags := map[string]bool{}
	for _, t := range all {
		if same(t.Customer, canon) {
			h.Tickets = append(h.Tickets, t)
			tags[t.Tag] = true
			for _, held := range t.Held { // composed replies not sent yet
				if held.ReplyID != "" {
					h.mailTag[held.ReplyID] = t.Tag
				}
			}
		}
	}
	sort.Slice(h.Tickets, func(i, j int) bool { return h.Tickets[i].Number < h.Tickets[j].Number })
	err = st.View(func(txn *store.Txn) error {
		err := txn.Iterate([]byte(store.PrefixMessage), nil, true, func(k, v []byte) error {
			var m store.Message
			if json.Unmarshal(v, &m) != nil {
				return nil
			}
			if tags[strings.ToUpper(m.Ticket)] || same(m.MailFrom, canon) || same(m.From, canon) {
				h.mailTag[m.ID] = strings.ToUpper(m.Ticket)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for tag := range tags {
			ids, err := txn.TicketMail(tag)
			if err != nil {
				return err
			}
			for _, id := range ids {
				h.mailTag[id] = tag
			}
		}
		err = txn.Iterate([]byte(store.PrefixQueue), nil, true, func(k, v []byte) error {
			var it queue.Item
			if json.Unmarshal(v, &it) != nil {
				return nil
			}
			if _, ok := h.mailTag[it.BodyID]; ok || tags[it.Ticket] {
				h.QueueItems = append(h.QueueItems, it.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		k := []byte(store.PrefixMisc + "ackrate/" + ack.CapAddress(canon))
		if has, err := txn.Has(k); err != nil {
			return err
		} else if has {
			h.RateLimits = append(h.RateLimits, string(k))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer %s: %w", canon, err)
	}
	for id := range h.mailTag {
		h.Mail = append(h.Mail, id)
	}
	for _, t := range all {
		if !tags[t.Tag] && slices.ContainsFunc(t.Timeline, func(e ticket.Entry) bool { return h.theirs(&e) }) {
			h.Elsewhere = append(h.Elsewhere, t.Tag)
		}
	}
	sort.Strings(h.Mail) // ids are time-ordered
	return h, nil
}

// WriteMbox writes the mail of h as an mbox (mboxrd: a "From " line
// before each mail, ">" added to lines that start with ">*From ", LF line
// ends). Mail that cannot be read is skipped and returned in missing.
func WriteMbox(w io.Writer, st *store.Store, h *Held) (missing []string, err error) {
	bw := bufio.NewWriter(w)
	for _, id := range h.Mail {
		var raw []byte
		var at time.Time
		err := st.View(func(txn *store.Txn) error {
			var err error
			if raw, err = txn.GetRaw(id); err != nil {
				return err
			}
			if m, err := txn.GetMessage(id); err == nil {
				at = m.Received
			}
			return nil
		})
		if err != nil {
			missing = append(missing, id)
			continue
		}
		if at.IsZero() {
			at = store.IDTime(id)
		}
		fmt.Fprintf(bw, "From frontdesk %s\n", at.UTC().Format("Mon Jan _2 15:04:05 2006"))
		for line := range bytes.Lines(raw) {
			line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
			if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
				bw.WriteByte('>')
			}
			bw.Write(line)
			bw.WriteByte('\n')
		}
		bw.WriteByte('\n')
	}
	return missing, bw.Flush()
}

// Eraser erases what another part of the gateway keeps about a customer
// (learned examples from their mail, when the gateway learns): it returns
// how many items it removed, or would remove when dry.
type Eraser interface {
	Name() string
	EraseCustomer(ctx context.Context, st *store.Store, canon string, dry bool) (int, error)
}

// EraseOptions tune Erase.
type EraseOptions struct {
	Now    time.Time
	By     string // who asked, for the audit record
	DryRun bool
	// Maildirs are Maildir roots under the data dir that the gateway
	// delivers into (relay, outbox): copies of the customer's mail there
	// are removed.
	Maildirs []string
	Erasers  []Eraser
	// NotCustomer says why a canonical address is no customer's (the
	// gateway's own addresses and domains, a department's mailbox, an
	// agent), "" when it may be one: such an address is refused with
	// ErrNotCustomer, since the mail it names as its sender is other
	// customers' (acknowledgements, agents' replies). nil: every address
	// may be a customer's.
	NotCustomer func(canon string) string
	// stop, for tests, is called after the steps "marked" and "deleted";
	// an error stops the erasure there as a crash would.
	stop func(step string) error
}

// Audit is the record an erasure leaves: when, by whom, how many items.
// It names no address: AddressSHA256 lets an admin confirm that a given
// address was erased without the record saying whose it was.
type Audit struct {
	At            time.Time `json:"at"`
	By            string    `json:"by"`
	AddressSHA256 string    `json:"address_sha256"`
	Tickets       int       `json:"tickets"`
	Mail          int       `json:"mail"`
	QueueItems    int       `json:"queue_items"`
	RateLimits    int       `json:"rate_limits"`
	MaildirCopies int       `json:"maildir_copies"`
	// OtherTickets: other customers' tickets whose timeline quoted mail
	// of theirs (entries blanked, the tickets kept).
	OtherTickets int            `json:"other_tickets,omitempty"`
	Other        map[string]int `json:"other,omitempty"`
}

// EraseReport is what Erase did (or, dry, would do).
type EraseReport struct {
	DryRun bool  `json:"dry_run"`
	Audit  Audit `json:"audit"`
	// PurgePending: the store could not forget everything while open
	// (see store.Purge); it does at its next start.
	PurgePending bool `json:"purge_pending"`
	// Remains says what the store keeps on disk after its purge (its
	// deleted rows' bytes on PostgreSQL, store.PurgeLeaves); "" on Badger.
	Remains string `json:"remains,omitempty"`
	// OtherNodes says, on a shared store, how the copies in other nodes'
	// Maildirs go (SweepMaildirs); "" on Badger.
	OtherNodes string `json:"other_nodes,omitempty"`
	// NotReached names data on this host the erasure did not reach (a
	// Badger store left in data_dir after a move to PostgreSQL); set by
	// the caller, who knows the host.
	NotReached string `json:"not_reached,omitempty"`
}

// otherNodes is EraseReport.OtherNodes on a shared store.
const otherNodes = "copies in the Maildirs of the other nodes (their own data_dir) are removed by each node within about 10 s"

// Notes are what a person reading the report should know besides the
// counts: what the store keeps on disk, and a purge left for later.
func (r *EraseReport) Notes() []string {
	var out []string
	if r.Remains != "" {
		out = append(out, r.Remains)
	}
	if r.OtherNodes != "" {
		out = append(out, r.OtherNodes)
	}
	if r.NotReached != "" {
		out = append(out, r.NotReached)
	}
	if r.PurgePending {
		out = append(out, "the store forgets the last old versions at the server's next start")
	}
	return out
}

// PrefixErasure holds audit records: misc/erasure/<time><id> → Audit.
const PrefixErasure = store.PrefixMisc + "erasure/"

// pendingKey marks a purge to finish at the next start (FinishPurge).
var pendingKey = []byte(store.PrefixMisc + "purge-pending")

// ErrNotCustomer refuses the erasure of an address that is no customer's
// (EraseOptions.NotCustomer).
var ErrNotCustomer = errors.New("not a customer's address")

// Erase removes what st holds about addr.
func Erase(ctx context.Context, st *store.Store, addr string, o EraseOptions) (*EraseReport, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.NotCustomer != nil {
		canon, err := Canonical(addr)
		if err != nil {
			return nil, err
		}
		if why := o.NotCustomer(canon); why != "" {
			return nil, fmt.Errorf("%w: %s is %s, and the mail it sent is other customers' (nothing was erased)", ErrNotCustomer, canon, why)
		}
	}
	h, err := Find(st, addr)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(h.Address))
	rep := &EraseReport{DryRun: o.DryRun, Remains: st.PurgeLeaves(), Audit: Audit{At: o.Now, By: o.By, AddressSHA256: hex.EncodeToString(sum[:]),
		Tickets: len(h.Tickets), Mail: len(h.Mail), QueueItems: len(h.QueueItems), RateLimits: len(h.RateLimits),
		OtherTickets: len(h.Elsewhere)}}
	copies, err := maildirCopies(o.Maildirs, h)
	if err != nil {
		return nil, err
	}
	rep.Audit.MaildirCopies = len(copies)
	for _, e := range o.Erasers {
		n, err := e.EraseCustomer(ctx, st, h.Address, o.DryRun)
		if err != nil {
			return nil, fmt.Errorf("erase %s: %w", e.Name(), err)
		}
		if rep.Audit.Other == nil {
			rep.Audit.Other = map[string]int{}
		}
		rep.Audit.Other[e.Name()] = n
	}
	if st.Shared() {
		rep.OtherNodes = otherNodes
	}
	if o.DryRun {
		return rep, nil
	}
	locs := mailLocs(st, h.Mail)
	// Before anything is deleted, a mark says where the mail's bytes are:
	// an erasure cut short after its mail was deleted (a crash, an error)
	// is finished at the next start (FinishPurge), bytes zeroed included;
	// nothing would find that mail again to zero it.
	pending := append(append([]byte(nil), pendingKey...), "/"+store.NewID(o.Now)...)
	locsJSON, _ := json.Marshal(locs)
	if err := st.Update(ctx, func(txn *store.Txn) error { return txn.Set(pending, locsJSON) }); err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	if o.stop != nil {
		if err := o.stop("marked"); err != nil {
			return nil, err
		}
	}
	if err := deleteMail(ctx, st, h, h.QueueItems, h.Mail); err != nil {
		return nil, err
	}
	audit, _ := json.Marshal(rep.Audit)
	auditKey := []byte(PrefixErasure + store.NewID(o.Now))
	err = st.Update(ctx, func(txn *store.Txn) error {
		for _, t := range h.Tickets {
			cur, err := ticket.Get(txn, t.Tag)
			if ticket.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if err := ticket.Erase(txn, cur, o.Now); err != nil {
				return err
			}
		}
		for _, tag := range h.Elsewhere {
			cur, err := ticket.Get(txn, tag)
			if ticket.IsNotFound(err) {
				continue
			}
			if err != nil {
				return err
			}
			if _, err := ticket.EraseEntries(txn, cur, h.theirs); err != nil {
				return err
			}
		}
		for _, k := range h.RateLimits {
			if err := txn.Delete([]byte(k)); err != nil {
				return err
			}
		}
		if st.Shared() {
			// The other nodes' Maildirs are on their own disks: each
			// removes the copies there when it sees this (SweepMaildirs).
			sw, _ := json.Marshal(Sweep{At: o.Now, AddressSHA256: rep.Audit.AddressSHA256, Tags: ticketTags(h)})
			if err := txn.Set([]byte(PrefixSweep+store.NewID(o.Now)), sw); err != nil {
				return err
			}
		}
		return txn.Set(auditKey, audit)
	})
	if err != nil {
		return nil, fmt.Errorf("erase tickets: %w", err)
	}
	if o.stop != nil {
		if err := o.stop("deleted"); err != nil {
			return nil, err
		}
	}
	// Mail that intake threaded into their tickets while this erasure ran,
	// after Find and before the tickets' erasure (which ends threading into
	// them: a later mail opens a new ticket), goes the same way.
	more, items, err := latecomers(st, h)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	if len(more)+len(items) > 0 {
		locs = append(locs, mailLocs(st, more)...)
		locsJSON, _ := json.Marshal(locs)
		if err := st.Update(ctx, func(txn *store.Txn) error { return txn.Set(pending, locsJSON) }); err != nil {
			return nil, fmt.Errorf("erase: %w", err)
		}
		if err := deleteMail(ctx, st, h, items, more); err != nil {
			return nil, err
		}
		rep.Audit.Mail += len(more)
		rep.Audit.QueueItems += len(items)
	}
	// A delivery that was under way when the queue items went (its worker
	// had the mail) may have put a copy in a Maildir since the first look:
	// look again, now that nothing of theirs is left to deliver.
	late, err := maildirCopies(o.Maildirs, h)
	if err != nil {
		return nil, err
	}
	for _, p := range late {
		if !slices.Contains(copies, p) {
			copies = append(copies, p)
		}
	}
	rep.Audit.MaildirCopies = len(copies)
	if b, _ := json.Marshal(rep.Audit); !bytes.Equal(b, audit) {
		if err := st.Update(ctx, func(txn *store.Txn) error { return txn.Set(auditKey, b) }); err != nil {
			return nil, fmt.Errorf("erase: %w", err)
		}
	}
	if err := st.ZeroMail(locs); err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	for _, p := range copies {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("erase: %w", err)
		}
	}
	if err := st.Purge(ctx); err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	// Purged, the value-log file being written included: nothing is left
	// for the next start. The mark stays where the purge failed, so that
	// FinishPurge tries again then.
	if err := st.Update(ctx, func(txn *store.Txn) error { return txn.Delete(pending) }); err != nil {
		rep.PurgePending = true
	}
	return rep, nil
}

// mailLocs returns where the bytes of the mail ids are.
func mailLocs(st *store.Store, ids []string) []store.MailLoc {
	var locs []store.MailLoc
	st.View(func(txn *store.Txn) error {
		for _, id := range ids {
			if l, err := txn.MailLocation(id); err == nil {
				locs = append(locs, l)
			}
		}
		return nil
	})
	return locs
}

// deleteMail deletes the queue items, then the mail (with its index under
// its ticket): an item whose mail is gone could only fail.
func deleteMail(ctx context.Context, st *store.Store, h *Held, items, ids []string) error {
	for _, id := range items {
		if err := queue.Delete(ctx, st, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("erase: %w", err)
		}
	}
	for i := 0; i < len(ids); i += 200 {
		part := ids[i:min(i+200, len(ids))]
		err := st.Update(ctx, func(txn *store.Txn) error {
			for _, id := range part {
				if err := txn.DeleteMail(id); err != nil {
					return err
				}
				if tag := h.mailTag[id]; tag != "" {
					if err := txn.Delete(store.TicketMailKey(tag, id)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("erase mail: %w", err)
		}
	}
	return nil
}

// latecomers returns the mail of h's tickets, and the queue items of its
// mail or tickets, that Find did not see: what intake committed into
// those tickets after Find. It records their tickets in h.mailTag.
func latecomers(st *store.Store, h *Held) (mail, items []string, err error) {
	tags := map[string]bool{}
	for _, t := range h.Tickets {
		tags[t.Tag] = true
	}
	if len(tags) == 0 {
		return nil, nil, nil
	}
	add := func(id, tag string) {
		if _, ok := h.mailTag[id]; !ok {
			h.mailTag[id] = tag
			mail = append(mail, id)
		}
	}
	err = st.View(func(txn *store.Txn) error {
		for tag := range tags {
			ids, err := txn.TicketMail(tag)
			if err != nil {
				return err
			}
			for _, id := range ids {
				add(id, tag)
			}
		}
		err := txn.Iterate([]byte(store.PrefixMessage), nil, true, func(k, v []byte) error {
			var m store.Message
			if json.Unmarshal(v, &m) == nil && tags[strings.ToUpper(m.Ticket)] {
				add(m.ID, strings.ToUpper(m.Ticket))
			}
			return nil
		})
		if err != nil {
			return err
		}
		fresh := map[string]bool{}
		for _, id := range mail {
			fresh[id] = true
		}
		return txn.Iterate([]byte(store.PrefixQueue), nil, true, func(k, v []byte) error {
			var it queue.Item
			if json.Unmarshal(v, &it) != nil {
				return nil
			}
			if fresh[it.BodyID] || tags[it.Ticket] && !slices.Contains(h.QueueItems, it.ID) {
				items = append(items, it.ID)
			}
			return nil
		})
	})
	return mail, items, err
}

// FinishPurge completes the erasures whose own purge did not finish (the
// process stopped, an error): the spool bytes of their mail are zeroed
// where no mail refers to them now, and the store is purged. It does
// nothing when no erasure is pending.
func FinishPurge(ctx context.Context, st *store.Store) (bool, error) {
	var keys [][]byte
	var locs []store.MailLoc
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate(pendingKey, nil, true, func(k, v []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			var l []store.MailLoc
			if json.Unmarshal(v, &l) == nil { // an older mark says only "pending"
				locs = append(locs, l...)
			}
			return nil
		})
	})
	if err != nil || len(keys) == 0 {
		return false, err
	}
	if locs, err = unreferenced(st, locs); err != nil {
		return false, err
	}
	if err := st.ZeroMail(locs); err != nil {
		return false, fmt.Errorf("finish an erasure: %w", err)
	}
	err = st.Update(ctx, func(txn *store.Txn) error {
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return true, st.Purge(ctx)
}

// unreferenced keeps the locations no mail's pointer overlaps now (a
// segment number can be used again once its segment was deleted).
func unreferenced(st *store.Store, locs []store.MailLoc) ([]store.MailLoc, error) {
	if len(locs) == 0 {
		return nil, nil
	}
	live := map[uint32][]store.MailLoc{}
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixRaw), nil, false, func(k, _ []byte) error {
			if l, err := txn.MailLocation(string(k[len(store.PrefixRaw):])); err == nil && l.Segment != 0 {
				live[l.Segment] = append(live[l.Segment], l)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("finish an erasure: %w", err)
	}
	return slices.DeleteFunc(locs, func(l store.MailLoc) bool {
		return slices.ContainsFunc(live[l.Segment], func(o store.MailLoc) bool {
			return l.Offset < o.Offset+o.Size && o.Offset < l.Offset+l.Size
		})
	}), nil
}

// Audits returns the audit records of past erasures, oldest first.
func Audits(st *store.Store) ([]Audit, error) {
	out := []Audit{}
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(PrefixErasure), nil, true, func(_, v []byte) error {
			var a Audit
			if err := json.Unmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	return out, err
}

// maildirCopies finds the files in the Maildirs whose header names one of
// the customer's tickets, or the customer as the mail's sender (From or
// the envelope's Return-Path), as Find picks their mail: another
// customer's mail that merely names them as a recipient (Cc) is that
// customer's, kept in the store and in the agents' mailbox alike.
func maildirCopies(roots []string, h *Held) ([]string, error) {
	addrs := [][]byte{[]byte(h.Address)}
	if at := strings.LastIndexByte(h.Address, '@'); at > 0 {
		if d, err := idna.ToUnicode(h.Address[at+1:]); err == nil && d != h.Address[at+1:] {
			addrs = append(addrs, []byte(h.Address[:at+1]+d))
		}
	}
	needles := tagNeedles(ticketTags(h))
	return walkMaildirs(roots, func(head, sender []byte) bool {
		return slices.ContainsFunc(addrs, func(a []byte) bool { return containsAddress(sender, a) }) ||
			slices.ContainsFunc(needles, func(n []byte) bool { return bytes.Contains(head, n) })
	})
}

func ticketTags(h *Held) []string {
	tags := make([]string, 0, len(h.Tickets))
	for _, t := range h.Tickets {
		tags = append(tags, t.Tag)
	}
	return tags
}

// tagNeedles are what a (lower-cased, LF) header block of a mail of ticket
// tag holds: the X-Frontdesk-Ticket field, the subject tag, the reply
// address.
func tagNeedles(tags []string) [][]byte {
	var needles [][]byte
	for _, tag := range tags {
		tag = strings.ToLower(tag)
		needles = append(needles, []byte("x-frontdesk-ticket: "+tag+"\n"), []byte("["+tag+"]"), []byte("+"+tag+"@"))
	}
	return needles
}

// walkMaildirs returns the mail files of the Maildirs under roots whose
// header block (lower-cased, LF) and sender fields (senderFields) match.
func walkMaildirs(roots []string, match func(head, sender []byte) bool) ([]string, error) {
	var out []string
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil || d.IsDir() {
				return err
			}
			dir := filepath.Base(filepath.Dir(path))
			if dir != "new" && dir != "cur" && dir != "tmp" {
				return nil
			}
			head, err := readHeader(path)
			if err != nil {
				return err
			}
			head = bytes.ToLower(head)
			if match(head, senderFields(head)) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("erase: maildir %s: %w", root, err)
		}
	}
	return out, nil
}

// senderFields returns the values of the From and Return-Path fields of a
// (lower-cased, LF) header block, unfolded, one a line.
func senderFields(head []byte) []byte {
	var out []byte
	keep := false
	for line := range bytes.Lines(head) {
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if keep {
				out = append(append(out[:len(out)-1], ' '), bytes.TrimSpace(line)...)
				out = append(out, '\n')
			}
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		name = bytes.TrimSpace(name)
		keep = ok && (bytes.Equal(name, []byte("from")) || bytes.Equal(name, []byte("return-path")))
		if keep {
			out = append(append(out, bytes.TrimSpace(value)...), '\n')
		}
	}
	return out
}

// containsAddress says whether addr occurs in head as a whole address:
// not as the tail of a longer local part (xbob@x.example) nor the head of
// a longer domain (bob@x.example.com, bob@x.example-shop.com). A dot after
// it that ends a sentence does not lengthen it.
func containsAddress(head, addr []byte) bool {
	if len(addr) == 0 {
		return false
	}
	for i := 0; ; {
		j := bytes.Index(head[i:], addr)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(addr)
		before := start == 0 || !addrByte(head[start-1])
		after := end == len(head) || !addrByte(head[end]) && head[end] != '.' ||
			head[end] == '.' && (end+1 == len(head) || !addrByte(head[end+1]) && head[end+1] != '.')
		if before && after {
			return true
		}
		i = start + 1
	}
}

// addrByte says whether c can be part of an address next to another of
// its bytes: atext, a dot, '@', and the bytes of UTF-8 sequences.
func addrByte(c byte) bool {
	return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("!#$%&'*+/=?^_`{|}~-.@", c) >= 0
}

// readHeader returns the header block of a mail file (at most 256 KB).
func readHeader(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 256<<10))
	if err != nil {
		return nil, err
	}
	head, _, _ := rfc5322.Split(b)
	return bytes.ReplaceAll(head, []byte("\r\n"), []byte("\n")), nil
}
