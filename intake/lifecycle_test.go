package intake

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// byMail sends body from agent to the ticket tag's reply address over
// authenticated submission and returns the notices it queued (the
// gateway's answers to the agent, their decoded text) and the error
// Accept returned.
func byMail(t *testing.T, in *Intake, st *store.Store, agent, tag, body string) ([]string, error) {
	t.Helper()
	before := noticeIDs(t, st)
	e := &Envelope{MailFrom: agent, Rcpt: []string{"support+" + strings.ToLower(tag) + "@support.test"}, Auth: agent}
	raw := fmt.Sprintf("From: %s\r\nSubject: Re: [%s] charged twice\r\n\r\n%s\r\n", agent, tag, body)
	_, err := in.Accept(context.Background(), e, []byte(raw))
	var out []string
	items, _ := queue.List(st)
	for _, it := range items {
		if it.Kind != queue.Notice || slices.Contains(before, it.ID) {
			continue
		}
		if it.To[0] != agent {
			t.Errorf("a notice for %s's mail went to %v", agent, it.To)
		}
		if err := st.View(func(txn *store.Txn) error {
			raw, err := txn.GetRaw(it.BodyID)
			if err != nil {
				return err
			}
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				return err
			}
			var r io.Reader = m.Body
			if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
				r = quotedprintable.NewReader(r)
			}
			text, err := io.ReadAll(r)
			out = append(out, string(text))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	return out, err
}

func noticeIDs(t *testing.T, st *store.Store) []string {
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		if it.Kind == queue.Notice {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func replies(t *testing.T, st *store.Store) int {
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		if it.Kind == queue.Reply {
			n++
		}
	}
	return n
}

// TestAgentOfTwoDepartmentsWorksTicketsOfBoth: agent@ is an agent of
// support (listed first) and of finance; a ticket moved to finance is
// still theirs to answer, take and assign within finance, while an agent
// of support alone is refused, and #assign names only finance's agents.
func TestAgentOfTwoDepartmentsWorksTicketsOfBoth(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#move finance"); err != nil {
		t.Fatal(err)
	}
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "Your refund is on its way."); err != nil || len(n) != 0 {
		t.Fatalf("the reply of an agent of finance (and support) to a finance ticket: %v %q", err, n)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if tk.Owner != "agent@agents.test" || replies(t, st) != 1 {
		t.Fatalf("after the first reply: owner %q, %d replies queued; want agent@ and 1", tk.Owner, replies(t, st))
	}
	if _, err := byMail(t, in, st, "finance-agent@agents.test", "SUP-1001", "#take"); err != nil {
		t.Fatal(err)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Owner != "finance-agent@agents.test" {
		t.Fatalf("owner %q after #take", tk.Owner)
	}
	n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#assign support-agent@agents.test")
	if err != nil || len(n) != 1 || !strings.Contains(n[0], "only an agent of the department finance") ||
		!strings.Contains(n[0], "support-agent@agents.test cannot have SUP-1001") {
		t.Fatalf("#assign to an agent of another department: %v, notices %q", err, n)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Owner != "finance-agent@agents.test" {
		t.Fatalf("a refused #assign changed the owner to %q", tk.Owner)
	}
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#assign Agent@Agents.Test"); err != nil {
		t.Fatal(err)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Owner != "agent@agents.test" {
		t.Fatalf("owner %q after #assign Agent@Agents.Test", tk.Owner)
	}
	var rej *RejectedError
	if _, err := byMail(t, in, st, "support-agent@agents.test", "SUP-1001", "#take"); !errors.As(err, &rej) || !strings.Contains(rej.Text, "belongs to finance") {
		t.Fatalf("#take by an agent of support only on a finance ticket: %v", err)
	}
}

// TestMergeByMailRefusalsSayWhy: every #merge that cannot be done leaves
// both tickets as they were and tells the agent why, in a notice.
func TestMergeByMailRefusalsSayWhy(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	for _, c := range []string{"b", "c", "d", "e"} {
		raw := fmt.Sprintf("From: %s@customer.test\r\nSubject: help %s\r\n\r\nplease\r\n", c, c)
		if _, err := in.Accept(context.Background(), &Envelope{MailFrom: c + "@customer.test", Rcpt: []string{"support@support.test"}}, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	// SUP-1002 b, SUP-1003 c (resolved), SUP-1004 d (merged into SUP-1002), SUP-1005 e.
	if _, err := in.Resolve(context.Background(), "SUP-1003", "agent@agents.test", false); err != nil {
		t.Fatal(err)
	}
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1004", "#merge SUP-1002"); err != nil || len(n) != 0 {
		t.Fatalf("a good merge: %v, notices %q", err, n)
	}
	if tk, _ := getTicket(st, "SUP-1004"); tk.MergedInto != "SUP-1002" {
		t.Fatalf("SUP-1004 merged into %q", tk.MergedInto)
	}
	for _, c := range []struct{ on, body, want string }{
		{"SUP-1001", "#merge SUP-1001", "cannot merge SUP-1001 into itself"},
		{"SUP-1001", "#merge SUP-9999", "There is no ticket SUP-9999."},
		{"SUP-1001", "#merge INV-12", `"INV-12" is not a ticket tag of this gateway (SUP-…)`},
		{"SUP-1001", "#merge", "#merge needs the tag of the ticket to merge into"},
		{"SUP-1001", "#merge SUP-1002 SUP-1005", "#merge needs the tag of the ticket to merge into"},
		{"SUP-1001", "#merge SUP-1003", "cannot merge into SUP-1003: it is resolved, and SUP-1001 is not; merge SUP-1003 into SUP-1001 instead"},
		{"SUP-1001", "#merge SUP-1004", "cannot merge into SUP-1004: it was merged into SUP-1002; merge into that one"},
		{"SUP-1004", "#merge SUP-1005", "SUP-1004 was merged into SUP-1002 already; to merge SUP-1002, write #merge to SUP-1002's address."},
	} {
		t.Run(c.on+" "+c.body, func(t *testing.T) {
			before := map[string]*ticket.Ticket{}
			for _, tag := range []string{"SUP-1001", "SUP-1002", "SUP-1003", "SUP-1004", "SUP-1005"} {
				before[tag], _ = getTicket(st, tag)
			}
			n, err := byMail(t, in, st, "agent@agents.test", c.on, c.body)
			if err != nil {
				t.Fatal(err)
			}
			if len(n) != 1 || !strings.Contains(strings.ReplaceAll(n[0], "\r\n", " "), c.want) || !strings.Contains(n[0], "Nothing was changed") {
				t.Fatalf("notices %q, want one saying %q", n, c.want)
			}
			for tag, old := range before {
				now, _ := getTicket(st, tag)
				if now.MergedInto != old.MergedInto || len(now.MergedFrom) != len(old.MergedFrom) || now.Status != old.Status {
					t.Errorf("%s changed: merged into %q from %v, %s; was %q %v %s", tag, now.MergedInto, now.MergedFrom, now.Status,
						old.MergedInto, old.MergedFrom, old.Status)
				}
			}
		})
	}
	// The other way round is fine: the resolved ticket joins the open one.
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1003", "#merge SUP-1001"); err != nil || len(n) != 0 {
		t.Fatalf("merging the resolved ticket into the open one: %v, notices %q", err, n)
	}
	// A chain: SUP-1002 (with SUP-1004 in it) into SUP-1001; mail to
	// SUP-1004's address lands at the end of the chain.
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1002", "#merge SUP-1001"); err != nil || len(n) != 0 {
		t.Fatalf("merging SUP-1002 into SUP-1001: %v, notices %q", err, n)
	}
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1004", "#note via the oldest address"); err != nil {
		t.Fatal(err)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if !slices.Equal(tk.MergedFrom, []string{"SUP-1003", "SUP-1002"}) || !strings.Contains(fmt.Sprint(tk.Timeline), "via the oldest address") ||
		tk.Status == ticket.Resolved {
		t.Fatalf("end of the chain: merged from %v, status %s, timeline %+v", tk.MergedFrom, tk.Status, tk.Timeline)
	}
}

// TestHeldReplySendAndDrop: a second agent's reply inside the collision
// window is held and its notice quotes the first; #send (answering the
// notice, quoted under an attribution line) queues it once and adds no
// note; #drop queues nothing; neither leaves a held reply behind.
func TestHeldReplySendAndDrop(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	in.CollisionWindow = 10 * time.Minute
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "We refunded one charge."); err != nil {
		t.Fatal(err)
	}
	n, err := byMail(t, in, st, "support-agent@agents.test", "SUP-1001", "Both charges are refunded.")
	if err != nil || len(n) != 1 || !strings.Contains(n[0], "> We refunded one charge.") || !strings.Contains(n[0], "> Both charges are refunded.") {
		t.Fatalf("the held reply's notice: %v %q", err, n)
	}
	if r := replies(t, st); r != 1 {
		t.Fatalf("%d replies queued, want the first agent's only", r)
	}
	quoted := "#send\r\n\r\nOn Mon, 2 Mar 2026 at 11:00, Frontdesk <frontdesk@mx.test> wrote:\r\n> Your reply to SUP-1001 was NOT sent\r\n"
	if n, err := byMail(t, in, st, "support-agent@agents.test", "SUP-1001", quoted); err != nil || len(n) != 0 {
		t.Fatalf("#send: %v %q", err, n)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if r := replies(t, st); r != 2 || len(tk.Held) != 0 {
		t.Fatalf("after #send: %d replies queued, held %+v; want 2 and none", r, tk.Held)
	}
	for _, e := range tk.Timeline {
		if e.Kind == ticket.KindNote {
			t.Errorf("#send over a quoted notice added a note: %q", e.Text)
		}
	}
	// The first agent answers again within the window of the released
	// reply: held, then dropped.
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "Anything else?"); err != nil || len(n) != 1 {
		t.Fatalf("the second hold: %v %q", err, n)
	}
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#drop"); err != nil || len(n) != 0 {
		t.Fatalf("#drop: %v %q", err, n)
	}
	tk, _ = getTicket(st, "SUP-1001")
	if r := replies(t, st); r != 2 || len(tk.Held) != 0 || !strings.Contains(tk.Timeline[len(tk.Timeline)-1].Text, "dropped by its agent, not sent") {
		t.Fatalf("after #drop: %d replies queued, held %+v, last %+v", r, tk.Held, tk.Timeline[len(tk.Timeline)-1])
	}
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#drop"); err != nil || len(n) != 1 || !strings.Contains(n[0], "no held reply on SUP-1001 to drop") {
		t.Fatalf("a second #drop: %v %q", err, n)
	}
}

// TestFullWidthCommands: a Chinese input method types the full-width
// number sign (＃, U+FF03) and full-width spaces; the commands written so
// are commands. Before, "＃note …" went to the customer as a reply (an
// internal note mailed to the customer) and "＃take" mailed the customer
// the word.
func TestFullWidthCommands(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "＃note　\n客户很着急，内部备注"); err != nil || len(n) != 0 {
		t.Fatalf("＃note: %v %q", err, n)
	}
	if r := replies(t, st); r != 0 {
		t.Fatalf("＃note queued %d replies to the customer", r)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if last := tk.Timeline[len(tk.Timeline)-1]; last.Kind != ticket.KindNote || !strings.Contains(last.Text, "内部备注") {
		t.Fatalf("＃note made %+v", last)
	}
	if _, err := byMail(t, in, st, "support-agent@agents.test", "SUP-1001", "＃ｔａｋｅ"); err != nil {
		t.Fatal(err)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Owner != "support-agent@agents.test" || replies(t, st) != 0 {
		t.Fatalf("after ＃ｔａｋｅ: owner %q, %d replies", tk.Owner, replies(t, st))
	}
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "＃assign　agent@agents.test。"); err != nil {
		t.Fatal(err)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Owner != "agent@agents.test" || replies(t, st) != 0 {
		t.Fatalf("after ＃assign: owner %q, %d replies", tk.Owner, replies(t, st))
	}
}

// TestAgentReplyToErasedTicket: an agent's answer to a ticket whose
// customer's data was erased is refused saying so (before: "compose: no
// recipient address"), and nothing is queued for anyone.
func TestAgentReplyToErasedTicket(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		tk, err := ticket.Get(txn, "SUP-1001")
		if err != nil {
			return err
		}
		return ticket.Erase(txn, tk, time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = byMail(t, in, st, "agent@agents.test", "SUP-1001", "Your refund is on its way.")
	var rej *RejectedError
	if !errors.As(err, &rej) || !strings.Contains(rej.Text, "SUP-1001") || !strings.Contains(rej.Text, "erased") {
		t.Fatalf("reply to an erased ticket: %v", err)
	}
	if r := replies(t, st); r != 0 {
		t.Fatalf("%d replies queued", r)
	}
}

// TestAutoReplyChangesNoStatus: the customer's out-of-office answer to an
// agent's #wait reply (Auto-Submitted: auto-replied, as Exchange and Gmail
// send it) is kept in the timeline and relayed, but the ticket stays
// waiting (its pending_close clock runs on), and one to a resolved ticket
// does not reopen it; the customer's own next mail does. Before, every
// autoresponder reopened the ticket, so a customer on holiday kept a
// #wait ticket from ever closing.
func TestAutoReplyChangesNoStatus(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#wait\nPlease send the receipt."); err != nil {
		t.Fatal(err)
	}
	customer := func(extra, body string) {
		t.Helper()
		e := &Envelope{MailFrom: "a@customer.test", Rcpt: []string{"support+sup-1001@support.test"}}
		raw := "From: a@customer.test\r\n" + extra + "Subject: Re: [SUP-1001] charged twice\r\n\r\n" + body + "\r\n"
		if _, err := in.Accept(context.Background(), e, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	for _, auto := range []string{"Auto-Submitted: auto-replied\r\n", "X-Autoreply: yes\r\nPrecedence: auto_reply\r\n"} {
		customer(auto, "I am out of the office until Monday.")
		tk, _ := getTicket(st, "SUP-1001")
		last := tk.Timeline[len(tk.Timeline)-1]
		if tk.Status != ticket.Waiting || last.Kind != ticket.KindAuto || !strings.Contains(last.Text, "out of the office") {
			t.Fatalf("after an automatic answer (%q): status %s, last entry %+v", auto, tk.Status, last)
		}
	}
	customer("", "Here is the receipt.")
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Open {
		t.Fatalf("the customer's own mail left the ticket %s", tk.Status)
	}
	// Resolved: an automatic answer leaves it resolved.
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#resolve\nDone."); err != nil {
		t.Fatal(err)
	}
	customer("Auto-Submitted: auto-replied\r\n", "Out of office.")
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Resolved {
		t.Fatalf("an automatic answer to a resolved ticket left it %s", tk.Status)
	}
	// Past the reopen window an automatic answer opens no new ticket.
	in.Now = func() time.Time { return time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC) }
	customer("Auto-Submitted: auto-replied\r\n", "Out of office again.")
	if _, err := getTicket(st, "SUP-1002"); err == nil {
		t.Fatal("an automatic answer past the reopen window opened SUP-1002")
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Resolved || tk.Timeline[len(tk.Timeline)-1].Kind != ticket.KindAuto {
		t.Fatalf("SUP-1001 after a late automatic answer: %s %+v", tk.Status, tk.Timeline[len(tk.Timeline)-1])
	}
}

// TestCommandWithWordsOnItsLine: "#note" with the note on the same line
// is a note, and "#resolve"/"#wait" with words after them on their line
// are refused with a notice saying how to write them; before, all three
// went to the customer as written: the agents' internal note mailed to
// the customer, and a ticket neither resolved nor waiting.
func TestCommandWithWordsOnItsLine(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	if n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#note customer threatens to sue, careful"); err != nil || len(n) != 0 {
		t.Fatalf("#note on one line: %v %q", err, n)
	}
	tk, _ := getTicket(st, "SUP-1001")
	if last := tk.Timeline[len(tk.Timeline)-1]; last.Kind != ticket.KindNote || !strings.Contains(last.Text, "threatens to sue") {
		t.Fatalf("#note on one line made %+v", last)
	}
	for _, body := range []string{"#resolve Thanks, all done!", "#wait: could you send a photo?"} {
		n, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", body)
		if err != nil || len(n) != 1 || !strings.Contains(n[0], "alone on its line") || !strings.Contains(n[0], "nothing was sent to the customer") {
			t.Fatalf("%q: %v %q", body, err, n)
		}
	}
	if r := replies(t, st); r != 0 {
		t.Fatalf("%d replies queued to the customer", r)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Open {
		t.Fatalf("status %s", tk.Status)
	}
	// with the punctuation a sentence ends with, the command is taken
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#resolve.\nAll done."); err != nil {
		t.Fatal(err)
	}
	if tk, _ := getTicket(st, "SUP-1001"); tk.Status != ticket.Resolved || replies(t, st) != 1 {
		t.Fatalf("#resolve.: status %s, %d replies", tk.Status, replies(t, st))
	}
}

// TestRatingFooterFollowsTheReplyAfterOneBlankLine: the rating links of a
// #resolve reply follow its last words after one blank line, however many
// blank lines the agent's mail client left at the end; before, the
// customer's mail had four blank lines before them.
func TestRatingFooterFollowsTheReplyAfterOneBlankLine(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	in.RatingFooter = func(*ticket.Ticket) string { return "-- \nHow did we do? http://help.test/t/x?rate=good" }
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#resolve\nDone.\n\n\n \n"); err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(strings.NewReader(queuedBody(t, st, queue.Reply)))
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	body, _ := io.ReadAll(r)
	text := strings.ReplaceAll(string(body), "\r\n", "\n")
	if !strings.Contains(text, "Done.\n\n-- \nHow did we do?") {
		t.Fatalf("the reply with its rating footer:\n%q", text)
	}
}

// TestResolveReplyAndNoticeEndWithCRLF: the #resolve reply, whose rating
// links are its last line, and a notice to the agent end with CRLF like
// every other mail we write; before, both stopped after their last
// character.
func TestResolveReplyAndNoticeEndWithCRLF(t *testing.T) {
	in, st, _, _ := newMoveIntake(t)
	in.RatingFooter = func(*ticket.Ticket) string { return "-- \nHow did we do? http://help.test/t/x?rate=good" }
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#move billing"); err != nil {
		t.Fatal(err)
	}
	if _, err := byMail(t, in, st, "agent@agents.test", "SUP-1001", "#resolve\nDone."); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []queue.Kind{queue.Notice, queue.Reply} {
		if raw := queuedBody(t, st, kind); !strings.HasSuffix(raw, "\r\n") {
			t.Errorf("the %s ends with %q", kind, raw[max(0, len(raw)-30):])
		}
	}
}
