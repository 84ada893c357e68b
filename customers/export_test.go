package customers

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// TestExportLeavesOutOtherCustomersWords: Dan's ticket merged into Eve's
// brings Dan's mail and the agent's answers to him into her timeline. A
// request for Eve's data must not hand over Dan's: his words (a
// participant's entries) and what agents wrote to him are left out of her
// export, while her own entries, the agents' answers to her and the
// system's entries stay.
func TestExportLeavesOutOtherCustomersWords(t *testing.T) {
	st := open(t, t.TempDir())
	conversation(t, st, "SUP-1", "eve@example.org", "evekettle")
	conversation(t, st, "SUP-2", "dan@example.net", "dancardnumber")
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		eve, err := ticket.Get(txn, "SUP-1")
		if err != nil {
			return err
		}
		dan, err := ticket.Get(txn, "SUP-2")
		if err != nil {
			return err
		}
		eve.Timeline = append(eve.Timeline, ticket.Entry{At: t0.Add(1), Kind: ticket.KindAgent, From: "ann@example.com", Text: "evereply"})
		dan.Timeline = append(dan.Timeline, ticket.Entry{At: t0.Add(2), Kind: ticket.KindAgent, From: "ann@example.com", Text: "danreply"})
		oldDan := dan.Clone()
		oldEve := eve.Clone()
		if err := dan.MergeInto(eve, "ann@example.com", t0.Add(3)); err != nil {
			return err
		}
		if err := ticket.Put(txn, oldDan, dan); err != nil {
			return err
		}
		return ticket.Put(txn, oldEve, eve)
	})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ExportOf(st, "eve@example.org")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ex.Tickets)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{"evekettle", "evereply", "merged SUP-2 into this ticket"} {
		if !strings.Contains(got, want) {
			t.Errorf("Eve's export lacks %q: %s", want, got)
		}
	}
	for _, not := range []string{"dancardnumber", "danreply"} {
		if strings.Contains(got, not) {
			t.Errorf("Eve's export holds Dan's %q: %s", not, got)
		}
	}
	// The store itself keeps them: the agents still see Dan's words.
	err = st.View(func(txn *store.Txn) error {
		eve, err := ticket.Get(txn, "SUP-1")
		if err != nil {
			return err
		}
		b, _ := json.Marshal(eve.Timeline)
		if !strings.Contains(string(b), "dancardnumber") || !strings.Contains(string(b), "danreply") {
			t.Errorf("the survivor lost Dan's entries: %s", b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExportSummaryJSON: `customers export --json` lists missing mail as
// [] when none is missing, not null (audit item 22).
func TestExportSummaryJSON(t *testing.T) {
	for _, c := range []struct {
		ex   Export
		want string
	}{
		{Export{Address: "a@x.example", MailIDs: []string{"m1", "m2"}},
			`{"address":"a@x.example","dir":"d","mail":2,"missing":[],"tickets":0}`},
		{Export{Address: "a@x.example", MailIDs: []string{"m1", "m2"}, Missing: []string{"m2"}, Tickets: make([]*ticket.Ticket, 1)},
			`{"address":"a@x.example","dir":"d","mail":1,"missing":["m2"],"tickets":1}`},
	} {
		b, err := json.Marshal(c.ex.Summary("d"))
		if err != nil || string(b) != c.want {
			t.Errorf("got %s (%v), want %s", b, err, c.want)
		}
	}
}

// TestExportMboxLeavesOutAParticipantsMail: a stranger who writes into
// Ann's ticket (a participant) is left out of her mail.mbox as out of
// her tickets.json (audit 2 item 4); her own mail, the gateway's
// acknowledgement and an agent's mail of the ticket stay.
func TestExportMboxLeavesOutAParticipantsMail(t *testing.T) {
	st := open(t, t.TempDir())
	conversation(t, st, "SUP-1", "ann@example.com", "annkettle")
	put := func(rec *store.Message, raw string, kind string) {
		t.Helper()
		sp, err := st.Spool([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		err = st.Update(context.Background(), func(txn *store.Txn) error {
			if err := txn.PutMessage(rec, sp); err != nil {
				return err
			}
			tk, err := ticket.Get(txn, "SUP-1")
			if err != nil {
				return err
			}
			old := tk.Clone()
			tk.Timeline = append(tk.Timeline, ticket.Entry{At: rec.Received, Kind: kind, MsgID: rec.ID, From: rec.From, Text: raw})
			return ticket.Put(txn, old, tk)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	at := t0.Add(time.Minute)
	put(&store.Message{ID: store.NewID(at), Received: at, MailFrom: "stranger@other.example", From: "stranger@other.example", Ticket: "SUP-1", Disposition: "relay"},
		"From: stranger@other.example\r\nSubject: Re: [SUP-1]\r\n\r\nI am someone else\r\n", ticket.KindParticipant)
	at = at.Add(time.Minute)
	put(&store.Message{ID: store.NewID(at), Received: at, MailFrom: "ooo@other.example", From: "ooo@other.example", Ticket: "SUP-1", Disposition: "relay"},
		"From: ooo@other.example\r\nSubject: Out of office\r\n\r\nAway until Monday, call my deputy\r\n", ticket.KindAuto)
	at = at.Add(time.Minute)
	put(&store.Message{ID: store.NewID(at), Received: at, MailFrom: "alice@example.com", From: "alice@example.com", Ticket: "SUP-1", Disposition: "agent"},
		"From: alice@example.com\r\nSubject: Re: [SUP-1]\r\n\r\nagentanswer\r\n", ticket.KindAgent)
	ex, err := ExportOf(st, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	mbox := string(ex.Mbox)
	for _, want := range []string{"annkettle", "We got it.", "agentanswer"} {
		if !strings.Contains(mbox, want) {
			t.Errorf("Ann's mbox lacks %q", want)
		}
	}
	b, _ := json.Marshal(ex.Tickets)
	for _, not := range []string{"someone else", "stranger@other.example", "deputy", "ooo@other.example"} {
		if strings.Contains(mbox, not) {
			t.Errorf("Ann's mbox holds another person's %q", not)
		}
		if strings.Contains(string(b), not) {
			t.Errorf("Ann's tickets hold another person's %q", not)
		}
	}
	if len(ex.MailIDs) != 3 || ex.Summary("d").Mail != 3 {
		t.Errorf("mail ids %v, want Ann's mail, the acknowledgement and the agent's", ex.MailIDs)
	}
}
