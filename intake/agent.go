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

	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/internal/rfc5322"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Departments lists every department (for finding agents).
type Departments interface {
	Departments() []Department
}

// agentReply reports whether msg is an authorised agent writing to a
// ticket address: the sender is an agent of some department and is either
// the authenticated submission user or passed SPF/DKIM aligned with its
// own domain on the MX. A forged agent is treated as anyone else.
func (in *Intake) agentReply(env *Envelope, msg *message.Message) (string, Department, bool) {
	tag := in.replyTag(env)
	if tag == "" {
		return "", Department{}, false
	}
	sender := strings.ToLower(msg.From.Address)
	for _, d := range in.agentOf(sender) {
		trusted := env.Auth != "" && strings.EqualFold(env.Auth, sender)
		if !trusted && env.Auth == "" && env.Aligned != nil {
			trusted = env.Aligned(domainOf(sender))
		}
		if trusted {
			return tag, d, true
		}
	}
	return "", Department{}, false
}

// replyTag is the ticket tag of the first recipient that is a ticket's
// reply address, "" when none is.
func (in *Intake) replyTag(env *Envelope) string {
	for _, r := range env.Rcpt {
		if tag := ticket.AddressTag(r, in.TagPrefix); tag != "" {
			return tag
		}
	}
	return ""
}

// agentOf is the departments sender (lower case) is an agent of.
func (in *Intake) agentOf(sender string) []Department {
	ds, ok := in.Router.(Departments)
	if !ok || sender == "" {
		return nil
	}
	var out []Department
	for _, d := range ds.Departments() {
		if isAgent(d, sender) {
			out = append(out, d)
		}
	}
	return out
}

// errAgentAuthUnknown answers an agent's mail from the MX whose domain's
// SPF or DKIM could not be checked (DNS trouble): filed as anyone's, its
// command would be lost and the reply kept from the customer, so the
// agent's server is told to try again (RFC 7208 §8.6: temperror is a
// temporary failure).
var errAgentAuthUnknown = &RejectedError{Code: 451, Enhanced: [3]int{4, 7, 0}, Reason: "auth_tempfail",
	Text: "Temporary failure checking the sender: SPF or DKIM of the agent's domain could not be looked up; please try again later"}

// agentAuthUnknown reports whether msg, to a ticket address, claims an
// agent's From that the MX could not vouch for because the lookups failed
// (Envelope.AlignedUnknown).
func (in *Intake) agentAuthUnknown(env *Envelope, msg *message.Message) bool {
	sender := strings.ToLower(msg.From.Address)
	return env.Auth == "" && env.AlignedUnknown != nil && in.replyTag(env) != "" && len(in.agentOf(sender)) > 0 &&
		env.AlignedUnknown(domainOf(sender))
}

// agentRefusal is the sentence (after 550 5.7.1) refusing an
// authenticated submission that agentReply did not take, naming what is
// wrong: no ticket reply address among the recipients, a From header that
// is not the authenticated login, or a login that is no department's
// agent.
func (in *Intake) agentRefusal(env *Envelope, msg *message.Message) string {
	if in.replyTag(env) == "" {
		return "Agents write to a ticket's reply address (for example support+" + strings.ToLower(in.TagPrefix) + "-1042@" + in.Domain + ")"
	}
	from := msg.From.Address
	if from == "" {
		return "The message has no From address; it must be the authenticated agent's, " + env.Auth
	}
	if !strings.EqualFold(from, env.Auth) {
		return "The From address must be the authenticated agent's, " + env.Auth + ", not " + from
	}
	return env.Auth + " is not an agent of any department, so it cannot answer tickets"
}

// ticketDepartment is the department of t when sender is one of its
// agents (dept when it is that department): an agent of several
// departments answers each one's tickets as its agent, whichever of them
// agentReply found first.
func (in *Intake) ticketDepartment(t *ticket.Ticket, sender string, dept Department) (Department, bool) {
	if t.Department == dept.Key {
		return dept, true
	}
	d, ok := in.Router.Department(t.Department)
	if !ok || !isAgent(d, sender) {
		return Department{}, false
	}
	return d, true
}

// isAgent reports whether addr is one of d's agents.
func isAgent(d Department, addr string) bool {
	return slices.ContainsFunc(d.Agents, func(a string) bool { return strings.EqualFold(a, addr) })
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

// agent commands on the first line of a reply.
const (
	cmdResolve = "#resolve"
	cmdNote    = "#note"
	cmdWait    = "#wait"
)

// agentCommand reads #resolve, #wait or #note from the first non-empty
// line of an agent's text: the command and the text after that line. The
// punctuation a sentence ends with may follow the command ("#resolve.",
// "＃resolve。"). Words after #note on its line are the note's first
// words; words after #resolve or #wait are an error (the reply goes to
// the customer, so what the agent meant is not guessed): the caller
// refuses the mail and sends the customer nothing.
func agentCommand(text string) (cmd, rest string, err error) {
	norm := strings.ReplaceAll(text, "\r\n", "\n")
	first, rest, _ := strings.Cut(strings.TrimLeft(norm, " \t\n"), "\n")
	line := strings.TrimSpace(commandLine(first))
	word, after := line, ""
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		word, after = line[:i], strings.TrimSpace(line[i:])
	}
	switch cmd = strings.TrimRight(strings.ToLower(word), ".,;:!。，；：！"); cmd {
	case cmdResolve, cmdNote, cmdWait:
	default:
		return "", text, nil
	}
	rest = strings.TrimLeft(rest, "\n")
	switch {
	case after == "":
		return cmd, rest, nil
	case cmd == cmdNote:
		if rest != "" {
			after += "\n" + rest
		}
		return cmd, after, nil
	}
	return cmd, "", fmt.Errorf("%s must be alone on its line, with your reply below it (you wrote %q)", cmd, line)
}

type rejectInTxn struct{ text string }

func (e *rejectInTxn) Error() string { return e.text }

func (in *Intake) acceptAgent(ctx context.Context, env *Envelope, msg *message.Message, trace string, data []byte, id, tag string, agentDept Department, now time.Time, log *slog.Logger) error {
	rec := &store.Message{ID: id, Received: now, MailFrom: env.MailFrom, Rcpt: env.Rcpt, RemoteAddr: env.RemoteAddr,
		Helo: env.Helo, Size: len(data), MessageID: msg.MessageID, Subject: msg.Subject, From: msg.From.Address,
		Department: agentDept.Key, Ticket: tag, Disposition: "agent"}
	body := msg.Text
	var faqIDs []string
	if lc, arg, rest, ok, perr := lifecycleCommand(body); ok {
		if lc != cmdFAQ || perr != nil {
			return in.acceptLifecycle(ctx, env, msg, trace, data, id, tag, agentDept, lc, arg, rest, perr, now, log)
		}
		faqIDs, body = strings.Fields(arg), rest // #faq ID…, then the reply (which may start with #resolve or #wait)
	}
	cmd, text, cerr := agentCommand(body)
	if cerr == nil && faqIDs == nil && (cmd == cmdResolve || cmd == cmdWait) {
		// #faq on the line after #resolve or #wait, the other order of
		// the two: the command is not the customer's to read
		if lc, arg, rest, ok, perr := lifecycleCommand(text); ok && lc == cmdFAQ {
			if perr != nil {
				return in.acceptLifecycle(ctx, env, msg, trace, data, id, tag, agentDept, lc, arg, rest, perr, now, log)
			}
			faqIDs, text = strings.Fields(arg), rest
		}
	}
	if cerr != nil {
		// refused with a notice to the agent; nothing goes to the customer
		return in.acceptLifecycle(ctx, env, msg, trace, data, id, tag, agentDept, cmd, "", "", cerr, now, log)
	}
	mail, err := in.spool(trace, data, log)
	if err != nil {
		return err
	}
	var out outcome
	err = in.Store.Update(ctx, func(txn *store.Txn) error {
		out = outcome{}
		t, err := ticket.Get(txn, tag)
		if ticket.IsNotFound(err) {
			return &rejectInTxn{"No ticket " + tag + " here: check the reply address"}
		}
		if err == nil {
			t, err = ticket.Survivor(txn, t) // a merged ticket's mail goes on in the survivor
		}
		if err != nil {
			return err
		}
		d, ok := in.ticketDepartment(t, msg.From.Address, agentDept)
		if !ok {
			return &rejectInTxn{fmt.Sprintf("Ticket %s belongs to %s; you are not one of its agents", tag, t.Department)}
		}
		if !t.Erased.IsZero() {
			return &rejectInTxn{fmt.Sprintf("Ticket %s's customer data was erased on request on %s; nothing can be sent from it (a new mail from the customer opens a new ticket)",
				t.Tag, t.Erased.UTC().Format("2006-01-02"))}
		}
		agentDept, rec.Department = d, d.Key
		// The reply address picks the customer; the mail the agent
		// answers must be of the same conversation, or the answer to one
		// customer (a mistyped or stale reply address) goes to another.
		for _, mid := range msg.InReplyTo {
			other, err := ticket.ByMessageID(txn, mid)
			if err != nil {
				return err
			}
			if other != "" && other != t.Tag && other != t.LinkedFrom {
				return &rejectInTxn{fmt.Sprintf("Your mail answers a message of ticket %s but is addressed to ticket %s; nothing was sent to %s's customer", other, t.Tag, t.Tag)}
			}
		}
		old := t.Clone()
		out.ticket = t
		if err := txn.PutMessage(rec, mail); err != nil {
			return err
		}
		entry := ticket.Entry{At: now, MsgID: id, MessageID: msg.MessageID, From: msg.From.Address, Subject: msg.Subject,
			Text: ticket.Snippet(message.Fresh(text), 2000)}
		if cmd == cmdNote {
			entry.Kind = ticket.KindNote
			t.AddNote(entry, now)
			out.agent = "note"
			return ticket.Put(txn, old, t)
		}
		// What the agent wrote for the customer, for the learning below:
		// not the history it quotes, whose help-centre links are the
		// customer's or an earlier reply's, not this agent's choice.
		sent := message.FreshOnly(text)
		if len(faqIDs) > 0 {
			block, err := in.faqBlock(faqIDs, t.Lang, t.Traditional)
			var rf *refusal
			if errors.As(err, &rf) {
				out.agent = "refused"
				if err := in.queueNotice(txn, &out, t, strings.ToLower(msg.From.Address), "Not sent: #faq", rf.text, now); err != nil {
					return err
				}
				return ticket.Put(txn, old, t)
			}
			if err != nil {
				return err
			}
			text = withBlock(text, block)
		}
		if cmd == cmdResolve {
			if f := in.ratingFooter(t); f != "" {
				// one blank line between the reply's last words and the links
				text = strings.TrimRight(text, " \t\r\n") + f
			}
		}
		replyRaw, mid, err := in.composeReply(t, agentDept, msg, data, cmd != "" || len(faqIDs) > 0, text, now)
		if err != nil {
			return err
		}
		replyID := store.NewID(now)
		if err := txn.PutRaw(replyID, replyRaw); err != nil {
			return err
		}
		// Indexed under the ticket now, not only when queued: a reply
		// held and then dropped is the ticket's mail all the same, for
		// retention and for the customer's erasure.
		if err := txn.IndexTicketMail(t.Tag, replyID); err != nil {
			return err
		}
		entry.Kind = ticket.KindAgent
		entry.MessageID = mid
		if held, err := in.holdIfCollision(txn, &out, t, entry, cmd, replyID, mid, now); err != nil || held {
			if err != nil {
				return err
			}
			return ticket.Put(txn, old, t)
		}
		t.AddAgentReply(entry, now)
		out.agent = "reply"
		if entries := in.linkedEntries(faqIDs, sent); len(entries) > 0 {
			out.linked = entries
			for _, id := range t.AckLinks {
				if slices.Contains(entries, id) {
					out.judged[0]++
				} else {
					out.judged[1]++
				}
			}
			t.AckLinks = nil
			learned, err := in.learnFrom(txn, t, learn.SourceFAQ, "", entries, msg.From.Address, now)
			if err != nil {
				return err
			}
			out.learned = learned
		}
		switch cmd {
		case cmdResolve:
			// a ticket resolved already is not resolved again: no
			// second count of its resolution
			out.resolved = t.Status != ticket.Resolved
			t.Resolve(now, msg.From.Address)
		case cmdWait:
			t.SetWaiting(now)
			in.startPendingClose(t, now)
		}
		it := &queue.Item{ID: store.NewID(now), BodyID: replyID, Target: queue.Outbound, Kind: queue.Reply,
			From: agentDept.Address(in.Domain), To: []string{t.Customer}, Ticket: t.Tag, Received: now, Created: now}
		if err := queue.Add(txn, it); err != nil {
			return err
		}
		out.items = append(out.items, it)
		return ticket.Put(txn, old, t)
	})
	if err := in.agentCommitted(err, id, log); err != nil {
		return err
	}
	log.Info("agent "+out.agent, "ticket", tag, "command", cmd)
	in.after(out, log, len(data), nil)
	return nil
}

// composeReply rewrites an agent's mail as the department's reply to the
// customer: our From, the customer as To, the tag in the subject, threading
// headers that point at the customer's last mail, and the agent's body. A
// command line is removed by rebuilding the body as plain text. It is
// DKIM-signed when a key is configured.
func (in *Intake) composeReply(t *ticket.Ticket, dept Department, msg *message.Message, raw []byte, rebuild bool, text string, now time.Time) ([]byte, string, error) {
	subject := msg.Subject
	if ticket.SubjectTag(subject, in.TagPrefix) != t.Tag {
		subject = "[" + t.Tag + "] Re: " + ticket.CleanSubject(subject)
	}
	refs := t.MessageIDs
	if len(refs) > 10 {
		refs = refs[len(refs)-10:]
	}
	m := &compose.Mail{
		From:       mail.Address{Name: dept.Name, Address: dept.Address(in.Domain)},
		To:         []mail.Address{{Name: t.CustomerName, Address: t.Customer}},
		ReplyTo:    ticket.ReplyAddress(dept.Local(), t.Tag, in.Domain),
		Subject:    subject,
		MessageID:  fmt.Sprintf("reply.%s@%s", store.NewID(now), in.Hostname),
		Date:       now,
		InReplyTo:  t.LastCustomerMessageID(),
		References: refs,
		Headers:    []compose.Header{{Name: "X-Frontdesk-Ticket", Value: t.Tag}},
	}
	if rebuild {
		m.Text = []byte(text)
	} else {
		// Keep the agent's MIME structure: its content headers and body.
		head, body := splitMessage(raw)
		e := &compose.Entity{Body: body}
		for _, name := range []string{"MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Language"} {
			if v := headerFrom(head, name); v != "" {
				e.Header = append(e.Header, compose.Header{Name: name, Value: v})
			}
		}
		m.Entity = e
	}
	out, err := compose.Composer{Hostname: in.Hostname, Sign: in.Sign}.ToCustomer(m)
	if err != nil {
		// Nothing the agent can fix by sending again (the ticket's
		// customer address, the signing key): say so, do not defer.
		return nil, "", &rejectInTxn{fmt.Sprintf("Your reply to %s could not be sent to its customer: %v", t.Tag, err)}
	}
	return out, m.MessageID, nil
}

func splitMessage(raw []byte) (head, body []byte) {
	head, body, _ = rfc5322.Split(raw)
	return head, body
}

// headerFrom returns the unfolded value of a header in a header block.
func headerFrom(head []byte, name string) string {
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		k, v, ok := strings.Cut(lines[i], ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), name) {
			continue
		}
		for i+1 < len(lines) && len(lines[i+1]) > 0 && (lines[i+1][0] == ' ' || lines[i+1][0] == '\t') {
			i++
			v += " " + strings.TrimSpace(lines[i])
		}
		return strings.TrimSpace(v)
	}
	return ""
}

// headerValue is headerFrom on a whole message, angle brackets removed
// for ids.
func headerValue(raw []byte, name string) string {
	head, _ := splitMessage(raw)
	return strings.Trim(headerFrom(head, name), "<> ")
}

// Resolve resolves a ticket from the API. With notify (and a
// ResolveNotice), the customer's notice that it was resolved, carrying
// the rating links, is queued in the same transaction. A ticket resolved
// already is returned as it is: no second resolution, no second notice.
func (in *Intake) Resolve(ctx context.Context, tag, by string, notify bool) (*ticket.Ticket, error) {
	now := in.Now()
	var t *ticket.Ticket
	var changed bool
	var notice *queue.Item
	err := in.Store.Update(ctx, func(txn *store.Txn) error {
		notice = nil // a retried transaction starts again
		var err error
		t, err = ticket.Get(txn, tag)
		if err != nil {
			return err
		}
		changed = t.Status != ticket.Resolved
		if !changed {
			return nil // resolved already: no second notice
		}
		old := t.Clone()
		t.Resolve(now, by)
		if notify && in.ResolveNotice != nil {
			if notice, err = in.ResolveNotice(txn, t, now); err != nil {
				return fmt.Errorf("resolution notice for %s: %w", t.Tag, err)
			}
		}
		return ticket.Put(txn, old, t)
	})
	if err != nil {
		return nil, err
	}
	if changed {
		in.observeTicket(outcome{ticket: t, resolved: true})
		in.Log.Info("ticket resolved", "ticket", t.Tag, "by", by, "notify", notify)
		if notice != nil {
			in.Log.Info("queued", "ticket", t.Tag, "queue_id", notice.ID, "kind", notice.Kind)
			if in.m != nil && in.m.Tickets != nil {
				in.m.Tickets.ResolveNotice(t.Department)
			}
			if in.Queue != nil {
				in.Queue.Ready(notice.ID)
			}
		}
		if in.Committed != nil {
			in.Committed()
		}
	}
	return t, nil
}

// agentCommitted answers an agent's mail once its transaction is over: a
// refusal decided inside it, a failed commit (451), or accepted.
func (in *Intake) agentCommitted(err error, id string, log *slog.Logger) error {
	var rej *rejectInTxn
	if errors.As(err, &rej) {
		in.count("rejected", "agent_target")
		return &RejectedError{Text: rej.text}
	}
	if err != nil {
		return in.commitFailed(id, err, log)
	}
	in.count("accepted", "agent")
	return nil
}

// withBlock puts #faq's block after the agent's own words: before the
// history the reply quotes and the agent's signature when those follow
// the words whole (as mail clients write a reply), else at the end. At
// the end, below a long quote, customers did not see the links.
func withBlock(text, block string) string {
	norm := strings.ReplaceAll(text, "\r\n", "\n")
	fresh := message.FreshOnly(norm)
	lead := strings.TrimLeft(norm, " \t\n")
	if fresh != "" && strings.HasPrefix(lead, fresh) {
		if rest := strings.TrimLeft(lead[len(fresh):], " \t\n"); rest != "" {
			return fresh + block + "\n" + rest
		}
	}
	return strings.TrimRight(text, "\r\n ") + block
}
