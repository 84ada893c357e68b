package customers

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func open(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "store"), store.Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// conversation stores what intake stores for one customer mail: the
// mail, its ticket (its timeline quoting the mail), the relay and the
// acknowledgement with their queue items. It returns the relay item.
func conversation(t *testing.T, st *store.Store, tag, from, text string) *queue.Item {
	t.Helper()
	id := store.NewID(t0)
	raw := "From: " + from + "\r\nTo: support@example.com\r\nSubject: about " + text + "\r\n\r\n" + strings.Repeat(text+" ", 200) + "\r\n"
	sp, err := st.Spool([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	tk := ticket.New(ticket.NewParams{Tag: tag, Customer: from, Subject: "about " + text},
		ticket.Entry{At: t0, Kind: ticket.KindCustomer, MsgID: id, MessageID: "m." + tag + "@example.com", From: from, Text: strings.Repeat(text+" ", 100)}, t0, nil)
	relay := &queue.Item{ID: store.NewID(t0), BodyID: id, Target: "agents", Kind: "relay", To: []string{"team@example.com"}, Ticket: tag, Created: t0}
	ackID := store.NewID(t0)
	ackItem := &queue.Item{ID: store.NewID(t0), BodyID: ackID, Target: "outbound", Kind: "ack", To: []string{from}, Ticket: tag, Created: t0}
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.PutMessage(&store.Message{ID: id, Received: t0, MailFrom: from, From: from, Subject: "about " + text, Ticket: tag}, sp); err != nil {
			return err
		}
		if err := txn.PutRaw(ackID, []byte("To: "+from+"\r\nSubject: ["+tag+"] about "+text+"\r\n\r\nWe got it.\r\n")); err != nil {
			return err
		}
		if err := txn.SetTTL([]byte(store.PrefixMisc+"ackrate/"+strings.ToLower(from)), []byte("1"), time.Hour); err != nil {
			return err
		}
		if err := queue.Add(txn, relay); err != nil {
			return err
		}
		if err := queue.Add(txn, ackItem); err != nil {
			return err
		}
		return ticket.Put(txn, nil, tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	return relay
}

func TestEraseLeavesNoTrace(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	const token = "TOKEN-q8Zr2Lk"
	conversation(t, st, "SUP-1", "Ann@Example.com", token)
	conversation(t, st, "SUP-2", "ann@example.com", token+"-again")
	other := conversation(t, st, "SUP-3", "bob@example.org", "bobs-own-words")
	// A copy the gateway delivered into its Maildir.
	md := filepath.Join(dir, "mailboxes", "support", "new")
	os.MkdirAll(md, 0o700)
	os.WriteFile(filepath.Join(md, "1.eml"), []byte("X-Frontdesk-Ticket: SUP-1\r\nFrom: ann@example.com\r\n\r\n"+token+"\r\n"), 0o600)
	os.WriteFile(filepath.Join(md, "2.eml"), []byte("X-Frontdesk-Ticket: SUP-3\r\nFrom: bob@example.org\r\n\r\nbob\r\n"), 0o600)
	if len(testenv.FilesContaining(t, dir, []byte(token))) < 2 {
		t.Fatal("the token is not on disk: the test proves nothing")
	}

	h, err := Find(st, "ANN@example.com.")
	if err != nil || len(h.Tickets) != 2 || len(h.Mail) != 4 || len(h.QueueItems) != 4 {
		t.Fatalf("find: %+v %v", h, err)
	}
	var mbox bytes.Buffer
	if missing, err := WriteMbox(&mbox, st, h); err != nil || len(missing) > 0 || strings.Count(mbox.String(), "\nFrom frontdesk ") != 3 {
		t.Fatalf("mbox (%v %v):\n%s", missing, err, mbox.String())
	}

	dry, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test", DryRun: true, Maildirs: []string{filepath.Join(dir, "mailboxes")}})
	if err != nil || dry.Audit.Mail != 4 || dry.Audit.MaildirCopies != 1 || len(testenv.FilesContaining(t, dir, []byte(token))) == 0 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	rep, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test", Maildirs: []string{filepath.Join(dir, "mailboxes")}})
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Audit
	if a.Tickets != 2 || a.Mail != 4 || a.QueueItems != 4 || a.RateLimits != 1 || a.MaildirCopies != 1 || a.By != "test" {
		t.Errorf("audit = %+v", a)
	}
	if rep.PurgePending {
		t.Error("the purge of an open store is reported pending")
	}
	// Gone from every file while the store is open (a running server) ...
	for _, needle := range []string{token, "ann@example.com", "Ann@Example.com"} {
		if hits := testenv.FilesContaining(t, dir, []byte(needle)); len(hits) > 0 {
			t.Errorf("%q still in %v", needle, hits)
		}
	}
	// ... and nothing is left for the next start to finish.
	st.Close()
	st = open(t, dir)
	if done, err := FinishPurge(context.Background(), st); err != nil || done {
		t.Fatalf("finish purge after a complete one: %v %v", done, err)
	}
	// The other customer's mail is intact and still queued.
	err = st.View(func(txn *store.Txn) error {
		raw, err := txn.GetRaw(other.BodyID)
		if err != nil || !bytes.Contains(raw, []byte("bobs-own-words")) {
			t.Errorf("bob's mail: %v", err)
		}
		if _, err := queue.Get(txn, other.ID); err != nil {
			t.Errorf("bob's relay item: %v", err)
		}
		tk, err := ticket.Get(txn, "SUP-1")
		if err != nil || tk.Erased.IsZero() || tk.Customer != ticket.ErasedCustomer {
			t.Errorf("SUP-1 after erasure: %+v %v", tk, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(md, "2.eml")); err != nil {
		t.Errorf("bob's delivered copy: %v", err)
	}
	audits, err := Audits(st)
	if err != nil || len(audits) != 1 || audits[0].Mail != 4 {
		t.Errorf("audits = %+v %v", audits, err)
	}
	if h, err := Find(st, "ann@example.com"); err != nil || len(h.Mail)+len(h.Tickets) != 0 {
		t.Errorf("after erasure Find = %+v %v", h, err)
	}
}

// A customer who wrote into another customer's ticket (a participant's
// reply, Cc'd on the thread) has those words erased there too: the entry
// is blanked and its mail removed, the other customer's ticket and words
// stay. Before, the participant entry kept the erased customer's text in
// the other ticket's record (found by an outside grep of the data dir).
func TestEraseReachesOtherCustomersTickets(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	const token = "TOKEN-elsewhere-k3P"
	conversation(t, st, "SUP-1", "ann@example.com", "anns-own")
	conversation(t, st, "SUP-3", "bob@example.org", "bobs-own-words")
	// Ann replies into Bob's ticket.
	id := store.NewID(t0.Add(time.Minute))
	raw := "From: Ann <ann@example.com>\r\nSubject: Re: [SUP-3] about bobs-own-words\r\n\r\nMe too: " + token + "\r\n"
	sp, err := st.Spool([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.PutMessage(&store.Message{ID: id, Received: t0, MailFrom: "ann@example.com", From: "Ann <ann@example.com>", Ticket: "SUP-3"}, sp); err != nil {
			return err
		}
		tk, err := ticket.Get(txn, "SUP-3")
		if err != nil {
			return err
		}
		old := tk.Clone()
		tk.AddCustomer(ticket.Entry{At: t0.Add(time.Minute), Kind: ticket.KindParticipant, MsgID: id, MessageID: "ann.reply@example.com",
			From: "ann@example.com", Subject: "Re: [SUP-3] about bobs-own-words", Text: "Me too: " + token}, t0.Add(time.Minute), nil)
		tk.MessageIDs = append(tk.MessageIDs, "ann.reply@example.com")
		return ticket.Put(txn, old, tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(testenv.FilesContaining(t, dir, []byte(token))) == 0 {
		t.Fatal("the token is not on disk: the test proves nothing")
	}
	rep, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Audit.OtherTickets != 1 || rep.Audit.Tickets != 1 {
		t.Errorf("audit = %+v", rep.Audit)
	}
	if hits := testenv.FilesContaining(t, dir, []byte(token)); len(hits) > 0 {
		t.Errorf("the token is still in %v", hits)
	}
	err = st.View(func(txn *store.Txn) error {
		tk, err := ticket.Get(txn, "SUP-3")
		if err != nil {
			return err
		}
		if tk.Customer != "bob@example.org" || !strings.Contains(tk.Timeline[0].Text, "bobs-own-words") {
			t.Errorf("bob's ticket lost its own data: %+v", tk)
		}
		last := tk.Timeline[len(tk.Timeline)-1]
		if last.Kind != ticket.KindParticipant || last.From != "" || last.Text != "" || slices.Contains(tk.MessageIDs, "ann.reply@example.com") {
			t.Errorf("ann's entry in bob's ticket: %+v, message ids %v", last, tk.MessageIDs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// An erasure cut short (a crash, an error) is finished at the next start:
// cut after the customer's mail was deleted, nothing could find that mail
// again to zero its bytes, so the mark written before the deletion says
// where they are and FinishPurge zeroes them; cut before anything was
// deleted, FinishPurge zeroes nothing that mail still refers to.
func TestEraseCutShortIsFinished(t *testing.T) {
	for _, stop := range []string{"marked", "deleted"} {
		t.Run(stop, func(t *testing.T) {
			dir := t.TempDir()
			st := open(t, dir)
			const token = "TOKEN-cut-short-Zq4"
			relay := conversation(t, st, "SUP-1", "ann@example.com", token)
			other := conversation(t, st, "SUP-3", "bob@example.org", "bobs-own-words")
			crash := errors.New("crash")
			_, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test", stop: func(s string) error {
				if s == stop {
					return crash
				}
				return nil
			}})
			if !errors.Is(err, crash) {
				t.Fatalf("erase stopped with %v", err)
			}
			st.Close()
			st = open(t, dir)
			if done, err := FinishPurge(context.Background(), st); err != nil || !done {
				t.Fatalf("finish: %v %v", done, err)
			}
			err = st.View(func(txn *store.Txn) error {
				if raw, err := txn.GetRaw(other.BodyID); err != nil || !bytes.Contains(raw, []byte("bobs-own-words")) {
					t.Errorf("bob's mail: %v", err)
				}
				raw, err := txn.GetRaw(relay.BodyID)
				if stop == "marked" && (err != nil || !bytes.Contains(raw, []byte(token))) {
					t.Errorf("nothing was erased yet, but ann's mail reads %v", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if stop == "deleted" {
				if hits := testenv.FilesContaining(t, dir, []byte(token)); len(hits) > 0 {
					t.Errorf("the token is still in %v", hits)
				}
			}
			if done, err := FinishPurge(context.Background(), st); err != nil || done {
				t.Errorf("a second finish: %v %v", done, err)
			}
		})
	}
}

// An erasure removes the Maildir copies of its customer's mail and of no
// one else's: an address that merely contains the erased one
// (bob@x.example in bob@x.example.com, xbob@x.example, bob@x.example-shop.com)
// is another customer. Before, the copies were found by a substring match
// of the address in their header, and erasing bob@x.example deleted the
// delivered copies of those other customers' mail.
func TestEraseMaildirCopiesOnlyTheCustomers(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	conversation(t, st, "SUP-1", "bob@x.example", "bobs-words")
	md := filepath.Join(dir, "mailboxes", "support", "new")
	os.MkdirAll(md, 0o700)
	files := map[string]string{
		"own.eml":        "From: Bob <BOB@X.Example>\r\nSubject: hi\r\n\r\nbody\r\n",
		"own-dot.eml":    "From: bob@x.example.\r\nSubject: hi\r\n\r\nbody\r\n",
		"own-tag.eml":    "X-Frontdesk-Ticket: SUP-1\r\nFrom: someone@agents.test\r\n\r\nbody\r\n",
		"com.eml":        "From: bob@x.example.com\r\nSubject: hi\r\n\r\nbody\r\n",
		"xbob.eml":       "From: \"X\" <xbob@x.example>\r\nSubject: hi\r\n\r\nbody\r\n",
		"hyphen.eml":     "From: bob@x.example-shop.com\r\nSubject: hi\r\n\r\nbody\r\n",
		"plus.eml":       "From: bob+news@x.example\r\nSubject: hi\r\n\r\nbody\r\n",
		"other-body.eml": "From: ann@y.example\r\nSubject: hi\r\n\r\nwrite to bob@x.example\r\n",
		// Another customer's mail that names bob as a recipient is theirs:
		// the store keeps it, and so does the agents' mailbox.
		"other-cc.eml":     "Return-Path: <ann@y.example>\r\nFrom: ann@y.example\r\nCc: bob@x.example\r\nSubject: hi\r\n\r\nann's words\r\n",
		"other-to.eml":     "From: ann@y.example\r\nTo: support@example.com,\r\n bob@x.example\r\nSubject: hi\r\n\r\nann's words\r\n",
		"own-folded.eml":   "Return-Path: <>\r\nFrom: \"Bob\"\r\n <bob@x.example>\r\nSubject: hi\r\n\r\nbody\r\n",
		"own-envelope.eml": "Return-Path: <bob@x.example>\r\nFrom: Robert <robert@x.example>\r\nSubject: hi\r\n\r\nbody\r\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(md, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Erase(context.Background(), st, "bob@x.example", EraseOptions{Now: t0, By: "test", Maildirs: []string{filepath.Join(dir, "mailboxes")}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Audit.MaildirCopies != 5 {
		t.Errorf("maildir copies = %d, want 5 (own*)", rep.Audit.MaildirCopies)
	}
	for name := range files {
		_, err := os.Stat(filepath.Join(md, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != strings.HasPrefix(name, "own") {
			t.Errorf("%s: removed = %v", name, gone)
		}
	}
}

func TestContainsAddress(t *testing.T) {
	for _, c := range []struct {
		head, addr string
		want       bool
	}{
		{"from: bob@x.example\n", "bob@x.example", true},
		{"from: <bob@x.example>", "bob@x.example", true},
		{"bob@x.example", "bob@x.example", true},
		{"to: a@b.example, bob@x.example.\n", "bob@x.example", true},
		{"from: bob@x.example.com\n", "bob@x.example", false},
		{"from: bob@x.example..com\n", "bob@x.example", false},
		{"from: xbob@x.example\n", "bob@x.example", false},
		{"from: x.bob@x.example\n", "bob@x.example", false},
		{"from: bob@x.example-shop.com\n", "bob@x.example", false},
		{"from: bob@x.example.com, bob@x.example\n", "bob@x.example", true},
		{"from: j\u00fcrgen <user@b\u00fccher.example>\n", "user@b\u00fccher.example", true},
		{"from: user@b\u00fccher.examples\n", "user@b\u00fccher.example", false},
		{"", "bob@x.example", false},
	} {
		if got := containsAddress([]byte(c.head), []byte(c.addr)); got != c.want {
			t.Errorf("containsAddress(%q, %q) = %v, want %v", c.head, c.addr, got, c.want)
		}
	}
}

func FuzzContainsAddress(f *testing.F) {
	f.Add([]byte("from: bob@x.example.com, bob@x.example.\n"), []byte("bob@x.example"))
	f.Fuzz(func(t *testing.T, head, addr []byte) {
		got := containsAddress(head, addr)
		if got && !bytes.Contains(head, addr) {
			t.Fatalf("containsAddress(%q, %q) without the address", head, addr)
		}
		if len(addr) > 0 && !containsAddress(append(append([]byte("<"), addr...), '>'), addr) && addr[0] != '.' && addr[len(addr)-1] != '.' {
			t.Fatalf("<%s> does not contain %q", addr, addr)
		}
	})
}

func TestSenderFields(t *testing.T) {
	for _, c := range []struct{ head, want string }{
		{"return-path: <a@b.example>\nfrom: c@d.example\ncc: e@f.example\n", "<a@b.example>\nc@d.example\n"},
		{"from: \"bob\"\n <bob@x.example>\nto: y@z.example\n", "\"bob\" <bob@x.example>\n"},
		{"to: bob@x.example,\n\tann@y.example\nsubject: from: bob@x.example\n", ""},
		{"x-from: bob@x.example\nfrom:bob@x.example", "bob@x.example\n"},
		{"\tfolded first\nfrom: a@b.example\n", "a@b.example\n"},
		{"", ""},
	} {
		if got := string(senderFields([]byte(c.head))); got != c.want {
			t.Errorf("senderFields(%q) = %q, want %q", c.head, got, c.want)
		}
	}
}

func FuzzSenderFields(f *testing.F) {
	f.Add([]byte("return-path: <a@b.example>\nfrom: \"x\"\n <c@d.example>\ncc: e@f.example\n"))
	f.Fuzz(func(t *testing.T, head []byte) {
		out := senderFields(head)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			t.Fatalf("senderFields(%q) = %q: not whole lines", head, out)
		}
		if !bytes.Contains(head, []byte("from")) && !bytes.Contains(head, []byte("return-path")) && len(out) > 0 {
			t.Fatalf("senderFields(%q) = %q without a sender field", head, out)
		}
	})
}

// An address that is no customer's (the gateway's own, a department's
// mailbox, an agent: EraseOptions.NotCustomer says why) is refused with
// ErrNotCustomer, and nothing is erased, dry or not. Before, erasing the
// department address support@ removed every acknowledgement it had sent
// (their From) from the outbox, other customers' mail, and erasing an
// agent blanked their replies in every customer's ticket.
func TestEraseRefusesOurOwnAddresses(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	conversation(t, st, "SUP-1", "ann@example.com", "anns-words")
	md := filepath.Join(dir, "outbox", "new")
	os.MkdirAll(md, 0o700)
	ackCopy := filepath.Join(md, "1.eml")
	os.WriteFile(ackCopy, []byte("Return-Path: <>\r\nFrom: \"Support\" <support@support.test>\r\nTo: ann@example.com\r\n\r\nWe got it.\r\n"), 0o600)
	notCustomer := func(canon string) string {
		if strings.HasSuffix(canon, "@support.test") {
			return "one of the gateway's own addresses"
		}
		return ""
	}
	for _, dry := range []bool{true, false} {
		rep, err := Erase(context.Background(), st, "Support@Support.test", EraseOptions{Now: t0, By: "test", DryRun: dry,
			Maildirs: []string{filepath.Join(dir, "outbox")}, NotCustomer: notCustomer})
		if !errors.Is(err, ErrNotCustomer) || rep != nil || !strings.Contains(err.Error(), "support@support.test is one of the gateway's own addresses") {
			t.Fatalf("erase support@ (dry %v): %+v %v", dry, rep, err)
		}
	}
	if _, err := os.Stat(ackCopy); err != nil {
		t.Fatalf("the acknowledgement's copy: %v", err)
	}
	if audits, err := Audits(st); err != nil || len(audits) != 0 {
		t.Fatalf("audits after a refusal: %+v %v", audits, err)
	}
	// A customer is erased as before.
	rep, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test", Maildirs: []string{filepath.Join(dir, "outbox")}, NotCustomer: notCustomer})
	if err != nil || rep.Audit.Tickets != 1 || rep.Audit.MaildirCopies != 0 {
		t.Fatalf("erase ann: %+v %v", rep, err)
	}
}

// TestCanonical: every spelling an admin may paste of one address is that
// address, display-name forms included; what is not an address says so.
func TestCanonical(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"bob@x.example", "bob@x.example"},
		{"  BOB@X.Example.  ", "bob@x.example"},
		{"<bob@x.example>", "bob@x.example"},
		{"Bob <BOB@x.example>", "bob@x.example"},
		{"\"Bob, the builder\" <bob@x.example.>", "bob@x.example"},
		{"Bob <BOB@x.example.>", "bob@x.example"},
		{"user@B\u00dcCHER.example", "user@xn--bcher-kva.example"},
		{"J\u00fcrgen <user@b\u00fccher.example.>", "user@xn--bcher-kva.example"},
		{"root@localhost", "root@localhost"},
		{"not an address", ""},
		{"", ""},
		{"Bob <>", ""},
	} {
		got, err := Canonical(c.in)
		if got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("Canonical(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"bob@x.example", "Bob <BOB@x.example.>", "<a@b>", "\"x\" <user@b\u00fccher.example>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Canonical(s)
		if err != nil {
			return
		}
		if again, err := Canonical(c); err != nil || again != c {
			t.Fatalf("Canonical(%q) = %q, but Canonical(%q) = %q, %v", s, c, c, again, err)
		}
	})
}

// TestEraseTakesAParticipantsMailOfTheirTicket: erasure and export draw
// different lines on purpose. A stranger's mail into Ann's ticket is left
// out of Ann's export (it is not hers to receive), but Ann's erasure
// removes it with the rest of the ticket's mail, as the README says
// ("every mail of their tickets"): such a reply names her ticket and
// usually quotes her, and the ticket left is an anonymous record. The
// stranger's own ticket is not touched.
func TestEraseTakesAParticipantsMailOfTheirTicket(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	const token = "TOKEN-stranger-in-ann-W7"
	conversation(t, st, "SUP-1", "ann@example.com", "anns-own")
	conversation(t, st, "SUP-2", "stranger@other.example", "strangers-own-ticket")
	id := store.NewID(t0.Add(time.Minute))
	sp, err := st.Spool([]byte("From: stranger@other.example\r\nSubject: Re: [SUP-1] about anns-own\r\n\r\n" + token + "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.PutMessage(&store.Message{ID: id, Received: t0, MailFrom: "stranger@other.example", From: "stranger@other.example", Ticket: "SUP-1", Disposition: "relay"}, sp); err != nil {
			return err
		}
		tk, err := ticket.Get(txn, "SUP-1")
		if err != nil {
			return err
		}
		old := tk.Clone()
		tk.Timeline = append(tk.Timeline, ticket.Entry{At: t0.Add(time.Minute), Kind: ticket.KindParticipant, MsgID: id, From: "stranger@other.example", Text: token})
		return ticket.Put(txn, old, tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ExportOf(st, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ex.Mbox, []byte(token)) || slices.Contains(ex.MailIDs, id) {
		t.Errorf("Ann's export holds the stranger's mail")
	}
	if len(testenv.FilesContaining(t, dir, []byte(token))) == 0 {
		t.Fatal("the token is not on disk: the test proves nothing")
	}
	rep, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Audit.Tickets != 1 || rep.Audit.Mail != 3 {
		t.Errorf("audit = %+v, want 1 ticket and 3 mails (hers, its acknowledgement, the stranger's)", rep.Audit)
	}
	if hits := testenv.FilesContaining(t, dir, []byte(token)); len(hits) > 0 {
		t.Errorf("the stranger's mail into the erased ticket is still in %v", hits)
	}
	if h, err := Find(st, "stranger@other.example"); err != nil || len(h.Tickets) != 1 || len(h.Mail) != 2 {
		t.Errorf("the stranger's own ticket after Ann's erasure: %+v %v", h, err)
	}
}

// A copy that a delivery under way puts into a Maildir after the erasure
// first looked there (its worker had the mail before the queue items were
// deleted) is removed too, and counted (audit 4: the Maildirs were walked
// once, before anything was deleted, and such a copy stayed).
func TestEraseRemovesACopyDeliveredMeanwhile(t *testing.T) {
	dir := t.TempDir()
	st := open(t, dir)
	const token = "TOKEN-late-Hw3"
	conversation(t, st, "SUP-1", "ann@example.com", token)
	md := filepath.Join(dir, "mailboxes", "support", "new")
	if err := os.MkdirAll(md, 0o700); err != nil {
		t.Fatal(err)
	}
	copy1 := "X-Frontdesk-Ticket: SUP-1\r\nFrom: ann@example.com\r\n\r\n" + token + "\r\n"
	if err := os.WriteFile(filepath.Join(md, "1.eml"), []byte(copy1), 0o600); err != nil {
		t.Fatal(err)
	}
	late := filepath.Join(md, "2.eml")
	rep, err := Erase(context.Background(), st, "ann@example.com", EraseOptions{Now: t0, By: "test",
		Maildirs: []string{filepath.Join(dir, "mailboxes")},
		stop: func(step string) error {
			if step == "marked" { // the relay worker finishes its delivery now
				return os.WriteFile(late, []byte(copy1), 0o600)
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(late); err == nil {
		t.Error("the copy delivered during the erasure is still in the Maildir")
	}
	if hits := testenv.FilesContaining(t, dir, []byte(token)); len(hits) > 0 {
		t.Errorf("%q still in %v", token, hits)
	}
	if rep.Audit.MaildirCopies != 2 {
		t.Errorf("audit counts %d Maildir copies, want 2", rep.Audit.MaildirCopies)
	}
	audits, err := Audits(st)
	if err != nil || len(audits) != 1 || audits[0].MaildirCopies != 2 {
		t.Errorf("stored audit records: %+v, %v; want one counting 2 copies", audits, err)
	}
}

// Mail that intake threads into the customer's ticket while the erasure
// runs (a reply committed after Find and before the tickets' erasure,
// which ends threading into them) is erased too, with its queue item
// (audit 4: it stayed, in the store and on its way to the agents, under
// the erased ticket).
func TestEraseTakesMailThreadedMeanwhile(t *testing.T) {
	for _, backend := range []string{"badger", "postgres"} {
		t.Run(backend, func(t *testing.T) { testEraseTakesMailThreadedMeanwhile(t, backend) })
	}
}

func testEraseTakesMailThreadedMeanwhile(t *testing.T, backend string) {
	dir := t.TempDir()
	var st *store.Store
	if backend == "badger" {
		st = open(t, dir)
	} else {
		st = storetest.PostgresNodes(t, 1)[0]
	}
	ctx := context.Background()
	conversation(t, st, "SUP-1", "ann@example.com", "TOKEN-first-Jd2")
	other := conversation(t, st, "SUP-3", "bob@example.org", "bobs-own-words")
	const token = "TOKEN-meanwhile-p4X"
	var lateID, lateItem string
	rep, err := Erase(ctx, st, "ann@example.com", EraseOptions{Now: t0, By: "test",
		stop: func(step string) error {
			if step != "marked" {
				return nil
			}
			// intake: ann's reply threads into SUP-1, relayed to the agents
			id := store.NewID(t0)
			sp, err := st.Spool([]byte("From: ann@example.com\r\nSubject: Re: [SUP-1]\r\n\r\n" + strings.Repeat(token+" ", 100) + "\r\n"))
			if err != nil {
				return err
			}
			it := &queue.Item{ID: store.NewID(t0), BodyID: id, Target: "agents", Kind: "relay", To: []string{"team@example.com"}, Ticket: "SUP-1", Created: t0}
			lateID, lateItem = id, it.ID
			return st.Update(ctx, func(txn *store.Txn) error {
				if err := txn.PutMessage(&store.Message{ID: id, Received: t0, MailFrom: "ann@example.com", From: "ann@example.com", Ticket: "SUP-1"}, sp); err != nil {
					return err
				}
				tk, err := ticket.Get(txn, "SUP-1")
				if err != nil {
					return err
				}
				old := tk.Clone()
				tk.Timeline = append(tk.Timeline, ticket.Entry{At: t0, Kind: ticket.KindCustomer, MsgID: id, From: "ann@example.com", Text: token})
				if err := ticket.Put(txn, old, tk); err != nil {
					return err
				}
				return queue.Add(txn, it)
			})
		}})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(txn *store.Txn) error {
		if _, err := txn.GetRaw(lateID); err == nil {
			t.Error("the mail threaded during the erasure is still in the store")
		}
		if _, err := queue.Get(txn, lateItem); err == nil {
			t.Error("its relay is still queued")
		}
		if _, err := queue.Get(txn, other.ID); err != nil {
			t.Errorf("bob's relay: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if hits := testenv.FilesContaining(t, dir, []byte(token)); backend == "badger" && len(hits) > 0 {
		t.Errorf("%q still in %v", token, hits)
	}
	if a := rep.Audit; a.Mail != 3 || a.QueueItems != 3 {
		t.Errorf("audit counts %d mail and %d queue items, want 3 and 3 (2 and 2, and the one threaded meanwhile)", a.Mail, a.QueueItems)
	}
}
