package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// The ticket-lifecycle commands agents write on the first line of a reply
// (docs/design.md): ownership, merge, and the answers to a held-reply
// notice. None of them sends anything to the customer.
const (
	cmdTake   = "#take"
	cmdAssign = "#assign" // #assign ADDRESS
	cmdMerge  = "#merge"  // #merge TAG
	cmdSend   = "#send"
	cmdDrop   = "#drop"
	cmdMove   = "#move" // #move DEPARTMENT (move.go)
	// cmdFAQ is #faq ID [ID…]: the reply that follows goes to the customer
	// with those entries' links (faqcmd.go). It is read here with the
	// other commands that take arguments, but it is a reply, not a
	// lifecycle command: acceptAgent handles it.
	cmdFAQ = "#faq"
)

// NoticeMailbox is the relay mailbox of the gateway's notices to agents
// (held replies, refused commands) when the relay target is Maildir.
const NoticeMailbox = "notices"

// Lifecycle configures ownership, collision holds and ratings; the zero
// value holds nothing and links no rating.
type Lifecycle struct {
	// CollisionWindow: an agent's reply within this long of another
	// agent's reply to the same ticket is held (tickets.collision_window;
	// 0: never).
	CollisionWindow time.Duration
	// RatingFooter is the text added to the mail that resolves a ticket:
	// the one-click rating links in the customer's language ("" none).
	RatingFooter func(t *ticket.Ticket) string
	// ResolveNotice queues, inside the transaction that resolves t
	// through Resolve (the API), the customer's notice that it was
	// resolved, with the rating links; it returns the queued item, nil
	// when none went out (an address nobody reads: the reason is in t's
	// timeline). nil: no notice.
	ResolveNotice func(txn *store.Txn, t *ticket.Ticket, now time.Time) (*queue.Item, error)
}

// PendingCloser is implemented by a Router that knows each department's
// sla.pending_close.
type PendingCloser interface {
	PendingClose(department string) sla.Duration
}

// lifecycleCommand reads a lifecycle command from the first non-empty line
// of an agent's text: its name (lower case), its argument, and the text
// after that line. ok is false when the line is no lifecycle command; err
// says what is wrong with one that is (a missing or extra argument).
func lifecycleCommand(text string) (cmd, arg, rest string, ok bool, err error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	first, rest, _ := strings.Cut(strings.TrimLeft(text, " \t\n"), "\n")
	fields := strings.Fields(commandLine(first))
	if len(fields) == 0 {
		return "", "", text, false, nil
	}
	cmd = strings.ToLower(fields[0])
	args := fields[1:]
	rest = strings.TrimLeft(rest, "\n")
	switch cmd {
	case cmdTake, cmdSend, cmdDrop:
		if len(args) > 0 {
			return cmd, "", rest, true, fmt.Errorf("%s takes no argument (got %q)", cmd, strings.Join(args, " "))
		}
		return cmd, "", rest, true, nil
	case cmdAssign, cmdMerge:
		if len(args) == 1 {
			arg = strings.Trim(strings.TrimRight(args[0], ".,;:!。，；：！"), "<>[]")
		}
		if arg == "" { // none, several, or punctuation alone ("#merge !")
			want := "an agent's address, as in #assign alice@example.com"
			if cmd == cmdMerge {
				want = "the tag of the ticket to merge into, as in #merge SUP-1234"
			}
			return cmd, "", rest, true, fmt.Errorf("%s needs %s", cmd, want)
		}
		if cmd == cmdAssign {
			a, perr := mail.ParseAddress(arg)
			if perr != nil || a.Address != arg {
				return cmd, "", rest, true, fmt.Errorf("#assign: %q is not a mail address", args[0])
			}
			return cmd, strings.ToLower(arg), rest, true, nil
		}
		return cmd, strings.ToUpper(arg), rest, true, nil
	case cmdMove:
		if len(args) == 1 {
			// a sentence's full stop after the department is not part of it
			arg = strings.ToLower(strings.TrimRight(args[0], ".,;:!。，；：！"))
		}
		if arg == "" {
			return cmd, "", rest, true, fmt.Errorf("#move needs one department, as in #move finance")
		}
		return cmd, arg, rest, true, nil
	case cmdFAQ:
		// ids may be separated by spaces or commas (a Chinese agent's
		// ， or 、 too); each is kept once, a sentence's full stop after
		// the last one is not part of it
		var ids []string
		for _, a := range args {
			for _, id := range strings.FieldsFunc(a, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
				if id = strings.TrimRight(strings.TrimSpace(id), ".;:!。；：！"); id != "" && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		if len(ids) == 0 {
			return cmd, "", rest, true, fmt.Errorf("#faq needs the ids of FAQ entries, as in #faq refund-timing")
		}
		return cmd, strings.Join(ids, " "), rest, true, nil
	}
	name := strings.TrimRight(cmd, ".,;:!。，；：！")
	switch {
	case name == cmdResolve || name == cmdNote || name == cmdWait:
		return "", "", text, false, nil // agentCommand reads them
	case commandWord(name):
		// A misspelt or unknown command (#reslove, #frobnicate) is the
		// agent's mistake, never words for the customer: refused with a
		// notice like a command with a wrong argument.
		return name, "", rest, true, fmt.Errorf("%s is no command. The commands are: %s", name, commandList)
	}
	return "", "", text, false, nil
}

// commandList names the commands an agent's first line may hold, for the
// notice that refuses an unknown one.
const commandList = "#resolve, #wait, #note, #faq ID…, #take, #assign ADDRESS, #merge TAG, #move DEPARTMENT, #send, #drop"

// commandWord says whether w (lower case, a first line's first word) is
// written as a command: # and a letter, then letters, digits, - or _.
// "#1" or "#" alone is no command word, and stays the reply's text.
func commandWord(w string) bool {
	r := []rune(w)
	if len(r) < 2 || r[0] != '#' || !unicode.IsLetter(r[1]) {
		return false
	}
	for _, c := range r[2:] {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// commandLine is the first line of an agent's text as the commands are
// read from it: a line that starts with the full-width number sign (＃,
// which Chinese and Japanese input methods type) is read in its narrow
// form, so ＃note and ＃ｔａｋｅ are the commands #note and #take and
// never go to the customer as words. Other lines are returned as they are.
func commandLine(first string) string {
	if strings.HasPrefix(strings.TrimLeftFunc(first, unicode.IsSpace), "＃") {
		return width.Fold.String(first)
	}
	return first
}

// refusal is a lifecycle command that could not be carried out: the agent
// gets a notice saying why, and nothing else changes.
type refusal struct{ text string }

func (r *refusal) Error() string { return r.text }

// acceptLifecycle carries out #take, #assign, #merge, #send or #drop from
// an agent of dept on the ticket tag, in one commit with the agent's mail.
func (in *Intake) acceptLifecycle(ctx context.Context, env *Envelope, msg *message.Message, trace string, data []byte, id, tag string,
	dept Department, cmd, arg, rest string, perr error, now time.Time, log *slog.Logger) error {
	rec := &store.Message{ID: id, Received: now, MailFrom: env.MailFrom, Rcpt: env.Rcpt, RemoteAddr: env.RemoteAddr,
		Helo: env.Helo, Size: len(data), MessageID: msg.MessageID, Subject: msg.Subject, From: msg.From.Address,
		Department: dept.Key, Ticket: tag, Disposition: "agent"}
	mail, err := in.spool(trace, data, log)
	if err != nil {
		return err
	}
	agent := strings.ToLower(msg.From.Address)
	var out outcome
	var refused string
	var heldOutcome string
	var merged *ticket.Ticket
	err = in.Store.Update(ctx, func(txn *store.Txn) error {
		out, refused, heldOutcome, merged = outcome{}, "", "", nil
		t, err := ticket.Get(txn, tag)
		if ticket.IsNotFound(err) {
			return &rejectInTxn{"No ticket " + tag + " here: check the reply address"}
		}
		if err == nil {
			t, err = ticket.Survivor(txn, t)
		}
		if err != nil {
			return err
		}
		d, ok := in.ticketDepartment(t, agent, dept)
		if !ok {
			return &rejectInTxn{fmt.Sprintf("Ticket %s belongs to %s; you are not one of its agents", t.Tag, t.Department)}
		}
		dept = d
		rec.Department = d.Key
		rec.Ticket = t.Tag
		if err := txn.PutMessage(rec, mail); err != nil {
			return err
		}
		old := t.Clone()
		out.ticket, out.agent = t, "command"
		var cerr error
		if perr != nil {
			text := perr.Error()
			if cmd == cmdMove {
				// #move without its department (or with several) names
				// the ones it takes, as a department it does not know does
				text = strings.TrimSpace(text + ". " + in.departmentList())
			}
			cerr = &refusal{text}
		} else {
			switch cmd {
			case cmdTake:
				t.SetOwner(agent, agent, now)
			case cmdAssign:
				if !isAgent(dept, arg) {
					cerr = &refusal{fmt.Sprintf("%s cannot have %s: only an agent of the department %s can (%s)", arg, t.Tag, dept.Key, strings.Join(dept.Agents, ", "))}
					break
				}
				t.SetOwner(arg, agent, now)
			case cmdMove:
				cerr = in.move(txn, &out, t, arg, agent, now)
			case cmdMerge:
				if t.Tag != tag {
					// Written to a merged ticket's address: its mail goes on
					// in the survivor, but merging the survivor was not asked.
					cerr = &refusal{fmt.Sprintf("%s was merged into %s already; to merge %s, write #merge to %s's address.", tag, t.Tag, t.Tag, t.Tag)}
					break
				}
				if cerr = in.merge(txn, t, arg, agent, now); cerr == nil {
					merged = t
				}
			case cmdSend:
				heldOutcome, cerr = in.release(txn, &out, t, dept, agent, now)
			case cmdDrop:
				h, ok := t.TakeHeld(agent, "")
				if !ok {
					cerr = &refusal{"You have no held reply on " + t.Tag + " to drop."}
					break
				}
				t.Dropped(h, now)
				heldOutcome = "dropped"
			}
		}
		var rf *refusal
		if errors.As(cerr, &rf) {
			refused = rf.text
			return in.queueNotice(txn, &out, t, agent, "Not done: "+cmd, rf.text+"\r\n\r\nNothing was changed and nothing was sent to the customer.", now)
		}
		if cerr != nil {
			return cerr
		}
		// Only the agent's own words after the command make a note, not
		// the quoted notice a mail client adds to the answer.
		if note := message.FreshOnly(rest); note != "" {
			t.AddNote(ticket.Entry{At: now, Kind: ticket.KindNote, MsgID: id, MessageID: msg.MessageID, From: agent, Subject: msg.Subject,
				Text: ticket.Snippet(note, 2000)}, now)
		}
		return ticket.Put(txn, old, t)
	})
	if err := in.agentCommitted(err, id, log); err != nil {
		return err
	}
	if refused != "" {
		log.Info("agent command refused", "ticket", out.ticket.Tag, "command", cmd, "reason", refused)
	} else {
		log.Info("agent command", "ticket", out.ticket.Tag, "command", cmd, "arg", arg, "owner", out.ticket.Owner)
	}
	if in.m != nil && in.m.Tickets != nil {
		if heldOutcome != "" {
			in.m.Tickets.HeldReply(out.ticket.Department, heldOutcome)
		}
		if merged != nil {
			in.m.Tickets.Merged(merged)
		}
	}
	in.after(out, log, len(data), nil)
	return nil
}

// merge folds t, the ticket the agent wrote to, into the ticket into and
// writes the survivor; the caller writes t.
func (in *Intake) merge(txn *store.Txn, t *ticket.Ticket, into, agent string, now time.Time) error {
	if !strings.HasPrefix(into, in.TagPrefix+"-") {
		return &refusal{fmt.Sprintf("%q is not a ticket tag of this gateway (%s-…)", into, in.TagPrefix)}
	}
	survivor, err := ticket.Get(txn, into)
	if ticket.IsNotFound(err) {
		return &refusal{"There is no ticket " + into + "."}
	}
	if err != nil {
		return err
	}
	if survivor.Department != t.Department {
		sd, _ := in.Router.Department(survivor.Department)
		if !isAgent(sd, agent) {
			return &refusal{fmt.Sprintf("%s belongs to %s, and you are not one of its agents.", survivor.Tag, survivor.Department)}
		}
	}
	oldSurvivor := survivor.Clone()
	if err := t.MergeInto(survivor, agent, now); err != nil {
		return &refusal{err.Error() + "."}
	}
	if err := ticket.Put(txn, oldSurvivor, survivor); err != nil {
		return err
	}
	return nil
}

// release sends the agent's held reply on t: the stored mail is queued
// unchanged, exactly once (the held entry goes in the same commit).
func (in *Intake) release(txn *store.Txn, out *outcome, t *ticket.Ticket, dept Department, agent string, now time.Time) (string, error) {
	h, ok := t.TakeHeld(agent, "")
	if !ok {
		return "", &refusal{"You have no held reply on " + t.Tag + " to send (it was sent, dropped or expired: see the ticket's timeline)."}
	}
	t.AddAgentReply(ticket.Entry{At: now, Kind: ticket.KindAgent, MsgID: h.MsgID, MessageID: h.MessageID, From: h.From, Subject: h.Subject, Text: h.Text}, now)
	out.agent = "reply"
	switch h.Command {
	case cmdResolve:
		out.resolved = t.Status != ticket.Resolved // another agent may have resolved it meanwhile
		t.Resolve(now, h.From)
	case cmdWait:
		t.SetWaiting(now)
		in.startPendingClose(t, now)
	}
	it := &queue.Item{ID: store.NewID(now), BodyID: h.ReplyID, Target: queue.Outbound, Kind: queue.Reply,
		From: dept.Address(in.Domain), To: []string{t.Customer}, Ticket: t.Tag, Received: now, Created: now}
	if err := queue.Add(txn, it); err != nil {
		return "", err
	}
	out.items = append(out.items, it)
	return "sent", nil
}

// holdIfCollision holds the agent's reply (already composed and stored as
// replyID) when another agent answered t within the collision window, and
// queues the notice that quotes that answer. It reports whether it held.
func (in *Intake) holdIfCollision(txn *store.Txn, out *outcome, t *ticket.Ticket, e ticket.Entry, cmd, replyID, mid string, now time.Time) (bool, error) {
	first := t.Collision(e.From, now, in.CollisionWindow)
	if first == nil {
		return false, nil
	}
	h := ticket.Held{ReplyID: replyID, MessageID: mid, MsgID: e.MsgID, From: strings.ToLower(e.From), Subject: e.Subject, Text: e.Text,
		Command: cmd, At: now}
	t.Hold(h)
	out.agent = "held"
	ago := now.Sub(first.At).Round(time.Second)
	body := fmt.Sprintf("Your reply to %s was NOT sent: %s answered the customer %s ago.\r\n\r\n"+
		"Their reply:\r\n%s\r\n\r\nYour reply (held):\r\n%s\r\n\r\n"+
		"To send yours anyway, reply to this mail with #send as the first line.\r\n"+
		"To discard it, reply with #drop. Unanswered, it expires unsent in %s (the ticket's timeline keeps it).\r\n",
		t.Tag, first.From, ago, quote(first.Text), quote(e.Text), ticket.HeldExpiry)
	return true, in.queueNotice(txn, out, t, h.From, "Held: "+first.From+" has just answered", body, now)
}

func quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	return "> " + strings.Join(lines, "\r\n> ")
}

// queueNotice queues a mail from the gateway to one agent about t,
// answerable at the ticket's reply address (so #send and #drop reach it).
func (in *Intake) queueNotice(txn *store.Txn, out *outcome, t *ticket.Ticket, to, subject, body string, now time.Time) error {
	dept, _ := in.Router.Department(t.Department)
	local := dept.Local()
	if local == "" {
		local = t.Department
	}
	raw, _, err := compose.Composer{Hostname: in.Hostname}.Notice(compose.Notice{To: to, ReplyTo: ticket.ReplyAddress(local, t.Tag, in.Domain),
		TicketTag: t.Tag, Owner: t.Owner, Subject: subject, Text: body, Now: now})
	if err != nil {
		return fmt.Errorf("compose notice: %w", err)
	}
	bodyID := store.NewID(now)
	if err := txn.PutRaw(bodyID, raw); err != nil {
		return err
	}
	it := &queue.Item{ID: store.NewID(now), BodyID: bodyID, Target: queue.Agents, Kind: queue.Notice, Mailbox: NoticeMailbox,
		To: []string{to}, Ticket: t.Tag, Received: now, Created: now}
	if err := queue.Add(txn, it); err != nil {
		return err
	}
	out.items = append(out.items, it)
	return nil
}

// startPendingClose starts the auto-close clock of a ticket an agent just
// set waiting, with its department's sla.pending_close in force now.
func (in *Intake) startPendingClose(t *ticket.Ticket, now time.Time) {
	var d sla.Duration
	if pc, ok := in.Router.(PendingCloser); ok {
		d = pc.PendingClose(t.Department)
	}
	cal, _ := in.Router.Calendar(t.Policy.Calendar)
	t.StartPendingClose(now, d, cal)
}

// ratingFooter is the rating links for a mail that resolves t ("" none).
func (in *Intake) ratingFooter(t *ticket.Ticket) string {
	if in.RatingFooter == nil {
		return ""
	}
	if f := in.RatingFooter(t); f != "" {
		return "\n\n" + f
	}
	return ""
}

// ownerHeader is the X-Frontdesk-Owner header of a relayed copy: on every
// copy, "none" while nobody owns the ticket (the word `tickets list
// --owner none` takes), so that agents' filters can tell an unowned
// ticket from a copy without the header.
func ownerHeader(t *ticket.Ticket) []queue.Header {
	owner := t.Owner
	if owner == "" {
		owner = "none"
	}
	return []queue.Header{{Name: "X-Frontdesk-Owner", Value: owner}}
}
