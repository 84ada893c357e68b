package ticket

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// Timeline entry kinds of the ticket lifecycle.
const (
	KindHeld   = "held"   // an agent's reply held because another agent had just answered
	KindRating = "rating" // the customer rated the resolution
)

// DeadlinePendingClose is the clock of a ticket waiting on the customer:
// when it runs out the ticket is resolved for them (auto-close).
const DeadlinePendingClose = sla.PendingClose

// DefaultPendingClose is how long a ticket waits on the customer before it
// is closed when the department's sla sets no pending_close: seven working
// days.
var DefaultPendingClose = sla.Duration{Days: 7}

// HeldExpiry is how long a held reply waits for #send or #drop.
const HeldExpiry = 24 * time.Hour

// RatingWindow is how long after the first rating of a resolution the
// customer may change it.
const RatingWindow = 7 * 24 * time.Hour

// Ratings a customer can give.
const (
	RatingGood = "good"
	RatingBad  = "bad"
)

// Lifecycle is what a ticket carries for ownership, collision holds,
// merges and the customer's rating. It is embedded in Ticket, so its
// fields are the ticket's own in JSON.
type Lifecycle struct {
	// Owner is the agent who has the ticket: the first whose reply went
	// to the customer, or whoever #take or #assign named since.
	Owner string `json:"owner,omitempty"`
	// MergedInto is the ticket this one was folded into (#merge); its
	// conversation and later mail live there.
	MergedInto string   `json:"merged_into,omitempty"`
	MergedFrom []string `json:"merged_from,omitempty"`
	// Held are agents' replies held by collision detection, waiting for
	// #send or #drop.
	Held []Held `json:"held,omitempty"`
	// Rating is the customer's rating of the latest resolution it rates.
	Rating *Rating `json:"rating,omitempty"`
}

// Held is one agent reply held back because another agent answered the
// ticket moments before. Its mail to the customer is already composed and
// stored (ReplyID); #send queues it unchanged.
type Held struct {
	ReplyID   string    `json:"reply_id"`   // the stored mail to the customer
	MessageID string    `json:"message_id"` // its Message-ID
	MsgID     string    `json:"msg_id"`     // the agent's own mail
	From      string    `json:"from"`
	Subject   string    `json:"subject,omitempty"`
	Text      string    `json:"text,omitempty"`
	Command   string    `json:"command,omitempty"` // #resolve or #wait to apply on release
	At        time.Time `json:"at"`
	Expires   time.Time `json:"expires"`
}

// Rating is a customer's verdict on one resolution.
type Rating struct {
	Value   string    `json:"value"` // good | bad
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`    // last given or changed
	First   time.Time `json:"first"` // first given: changes are allowed for RatingWindow
	// Resolution is the ResolvedAt it rates: a reopened and resolved again
	// ticket can be rated anew.
	Resolution time.Time `json:"resolution"`
}

func (l Lifecycle) clone() Lifecycle {
	l.MergedFrom = slices.Clone(l.MergedFrom)
	l.Held = slices.Clone(l.Held)
	if l.Rating != nil {
		r := *l.Rating
		l.Rating = &r
	}
	return l
}

// SetOwner gives the ticket to owner and records who did it.
func (t *Ticket) SetOwner(owner, by string, now time.Time) {
	owner = strings.ToLower(owner)
	if owner == t.Owner {
		return
	}
	t.Owner = owner
	t.Updated = now
	text := "owner: " + owner
	if !strings.EqualFold(by, owner) {
		text += " (assigned by " + strings.ToLower(by) + ")"
	}
	t.Timeline = append(t.Timeline, Entry{At: now, Kind: KindSystem, From: by, Text: text})
}

// Collision returns the latest reply another agent than agent sent to the
// customer less than window before now, or nil: a reply from agent now
// would be the customer's second answer by accident.
func (t *Ticket) Collision(agent string, now time.Time, window time.Duration) *Entry {
	if window <= 0 {
		return nil
	}
	for i := len(t.Timeline) - 1; i >= 0; i-- {
		e := &t.Timeline[i]
		if now.Sub(e.At) >= window {
			return nil
		}
		if e.Kind == KindAgent && !strings.EqualFold(e.From, agent) {
			return e
		}
	}
	return nil
}

// Hold records h, a reply held back; the timeline shows it, and it
// expires HeldExpiry after h.At.
func (t *Ticket) Hold(h Held) {
	if h.Expires.IsZero() {
		h.Expires = h.At.Add(HeldExpiry)
	}
	t.Held = append(t.Held, h)
	t.Updated = h.At
	t.Timeline = append(t.Timeline, Entry{At: h.At, Kind: KindHeld, MsgID: h.MsgID, From: h.From, Subject: h.Subject,
		Text: "held: another agent had just replied; #send sends it, #drop discards it\n" + h.Text})
}

// TakeHeld removes and returns agent's latest held reply (with id "" ) or
// the one with that reply id.
func (t *Ticket) TakeHeld(agent, id string) (Held, bool) {
	for i := len(t.Held) - 1; i >= 0; i-- {
		h := t.Held[i]
		if (id == "" && strings.EqualFold(h.From, agent)) || (id != "" && h.ReplyID == id) {
			t.Held = slices.Delete(t.Held, i, i+1)
			return h, true
		}
	}
	return Held{}, false
}

// Dropped records that a held reply was discarded by its agent.
func (t *Ticket) Dropped(h Held, now time.Time) {
	t.Updated = now
	t.Timeline = append(t.Timeline, Entry{At: now, Kind: KindSystem, From: h.From,
		Text: "held reply of " + h.At.UTC().Format(time.RFC3339) + " dropped by its agent, not sent"})
}

// ExpireHeld removes the held replies whose time ran out by now and
// records each in the timeline (never lost silently).
func (t *Ticket) ExpireHeld(now time.Time) []Held {
	var out []Held
	t.Held = slices.DeleteFunc(t.Held, func(h Held) bool {
		if h.Expires.After(now) {
			return false
		}
		out = append(out, h)
		return true
	})
	for _, h := range out {
		t.Updated = now
		t.Timeline = append(t.Timeline, Entry{At: h.Expires, Kind: KindSystem, From: h.From,
			Text: "held reply of " + h.At.UTC().Format(time.RFC3339) + " expired unsent (no #send within a day)\n" + h.Text})
	}
	return out
}

func heldKeys(t *Ticket) [][]byte {
	var out [][]byte
	for _, h := range t.Held {
		out = append(out, dueKey(h.Expires, t.Tag, "held", "expire"))
	}
	return out
}

// StartPendingClose starts the auto-close clock of a ticket that now waits
// on the customer: d of business time on cal (DefaultPendingClose when d
// is zero).
func (t *Ticket) StartPendingClose(now time.Time, d sla.Duration, cal *sla.Calendar) {
	if t.Status != Waiting {
		return
	}
	if d == (sla.Duration{}) {
		d = DefaultPendingClose
	}
	t.stopPendingClose()
	due := cal.Due(now, d)
	if due.IsZero() {
		return
	}
	t.Deadlines = append(t.Deadlines, Deadline{Kind: DeadlinePendingClose, Start: now, Due: due})
}

// stopPendingClose removes the auto-close clock: the customer answered,
// an agent wrote without #wait, or the ticket was resolved.
func (t *Ticket) stopPendingClose() {
	t.Deadlines = slices.DeleteFunc(t.Deadlines, func(d Deadline) bool { return d.Kind == DeadlinePendingClose })
}

// AutoClose resolves a ticket that waited on the customer until its
// pending_close clock ran out at now. It reports false (and changes
// nothing) when the ticket no longer waits.
func (t *Ticket) AutoClose(now time.Time) bool {
	d := t.Deadline(DeadlinePendingClose)
	if t.Status != Waiting || d == nil || now.Before(d.Due) {
		return false
	}
	since := d.Start
	t.Resolve(now, "auto-close")
	t.Timeline[len(t.Timeline)-1].Text = "resolved: no reply from the customer since " + since.UTC().Format(time.RFC3339)
	return true
}

// ErrMerge is wrapped by the reasons a merge is refused.
var ErrMerge = errors.New("cannot merge")

// MergeInto folds t into survivor: t's conversation and Message-IDs join
// survivor (so later mail threads there), t is resolved with MergedInto
// set and its clocks stop; survivor's clocks go on as they were. It
// refuses (ErrMerge) a merge into t itself, of a ticket merged already,
// into a merged ticket, and of an open ticket into a resolved one. Mail of
// another customer than survivor's joins as a participant's, and the
// agents' answers to another customer are marked OtherCustomer, so the
// survivor's status page never shows one customer another's words or
// what was written to them.
func (t *Ticket) MergeInto(survivor *Ticket, by string, now time.Time) error {
	switch {
	case survivor.Tag == t.Tag:
		return fmt.Errorf("%w %s into itself", ErrMerge, t.Tag)
	case t.MergedInto != "":
		return fmt.Errorf("%w %s: it was merged into %s already", ErrMerge, t.Tag, t.MergedInto)
	case survivor.MergedInto != "":
		return fmt.Errorf("%w into %s: it was merged into %s; merge into that one", ErrMerge, survivor.Tag, survivor.MergedInto)
	case survivor.Status == Resolved && t.Status != Resolved:
		// The open conversation would end in a closed ticket, unanswered
		// and with no clock running.
		return fmt.Errorf("%w into %s: it is resolved, and %s is not; merge %s into %s instead (#merge %s in a reply to %s)",
			ErrMerge, survivor.Tag, t.Tag, survivor.Tag, t.Tag, t.Tag, survivor.Tag)
	}
	moved := make([]Entry, 0, len(t.Timeline))
	other := !strings.EqualFold(t.Customer, survivor.Customer)
	for _, e := range t.Timeline {
		if e.Kind == KindCustomer && !strings.EqualFold(e.From, survivor.Customer) {
			e.Kind = KindParticipant
		}
		if other && e.Kind == KindAgent {
			// written to t's customer, often about them: not for the
			// survivor's customer to read on their status page
			e.OtherCustomer = true
		}
		moved = append(moved, e)
	}
	survivor.Timeline = append(survivor.Timeline, moved...)
	sort.SliceStable(survivor.Timeline, func(i, j int) bool { return survivor.Timeline[i].At.Before(survivor.Timeline[j].At) })
	survivor.Timeline = append(survivor.Timeline, Entry{At: now, Kind: KindSystem, From: by, Text: "merged " + t.Tag + " into this ticket"})
	for _, id := range t.MessageIDs {
		if !slices.Contains(survivor.MessageIDs, id) {
			survivor.MessageIDs = append(survivor.MessageIDs, id)
		}
	}
	// Held replies wait on in the survivor, where #send and #drop now go
	// (mail to t's address reaches it) and where they expire.
	survivor.Held = append(survivor.Held, t.Held...)
	t.Held = nil
	survivor.MergedFrom = append(survivor.MergedFrom, t.Tag)
	survivor.Updated = now

	t.MergedInto = survivor.Tag
	t.stopPendingClose()
	t.stopClocks(now, StoppedMerged) // not met: the survivor's clocks go on
	t.Resolve(now, by)
	t.Timeline[len(t.Timeline)-1].Text = "merged into " + survivor.Tag
	return nil
}

// Errors of Rate.
var (
	ErrNotResolved  = errors.New("the ticket is not resolved")
	ErrRatingClosed = errors.New("the rating can no longer be changed")
	ErrBadRating    = errors.New("a rating is good or bad")
	// ErrRatingSame: the rating in force, with its comment, sent again (a
	// double click, a resubmitted form): nothing to record.
	ErrRatingSame = errors.New("the same rating again")
)

// Rate records the customer's rating of the current resolution. A second
// rating of the same resolution replaces the first within RatingWindow of
// it; previous is the value it replaced ("" for a first rating).
func (t *Ticket) Rate(value, comment string, now time.Time) (previous string, err error) {
	if value != RatingGood && value != RatingBad {
		return "", ErrBadRating
	}
	if t.Status != Resolved {
		return "", ErrNotResolved
	}
	if t.MergedInto != "" {
		// Closed by the merge, not resolved: the survivor is rated.
		return "", fmt.Errorf("%w: it was merged into %s", ErrNotResolved, t.MergedInto)
	}
	comment = Snippet(comment, 2000)
	r := t.Rating
	if r != nil && r.Resolution.Equal(t.ResolvedAt) {
		if now.Sub(r.First) > RatingWindow {
			return "", ErrRatingClosed
		}
		if r.Value == value && r.Comment == comment {
			return r.Value, ErrRatingSame
		}
		previous = r.Value
		r.Value, r.Comment, r.At = value, comment, now
	} else {
		t.Rating = &Rating{Value: value, Comment: comment, At: now, First: now, Resolution: t.ResolvedAt}
	}
	t.Updated = now
	text := "rated " + value
	if previous != "" {
		text = "changed the rating from " + previous + " to " + value
	}
	if comment != "" {
		text += ": " + comment
	}
	t.Timeline = append(t.Timeline, Entry{At: now, Kind: KindRating, From: t.Customer, Text: text})
	return previous, nil
}
