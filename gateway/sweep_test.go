package gateway

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// On a shared store an erasure reaches every node's Maildirs: the node
// that erases removes the copies under its own data dir, and each other
// node removes those under its own when it sees the erasure (audit 4: with
// Maildir targets on two nodes, `customers erase` on node A left the
// customer's relayed mail and acknowledgements in node B's mailboxes/ and
// outbox/, and its report counted only A's). Another customer's mail that
// names the erased one as a recipient stays, as on one node; a node
// applies each erasure once, and a new node applies those made before it
// joined.
func TestErasureSweepsOtherNodesMaildirs(t *testing.T) {
	nodes := storetest.PostgresNodes(t, 2)
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct{ tag, customer string }{{"SUP-1", "ann@example.com"}, {"SUP-2", "bob@example.org"}} {
		tk := ticket.New(ticket.NewParams{Tag: c.tag, Customer: c.customer, Subject: "s"},
			ticket.Entry{At: now, Kind: ticket.KindCustomer, From: c.customer, Text: "words"}, now, nil)
		if err := nodes[0].Update(ctx, func(txn *store.Txn) error { return ticket.Put(txn, nil, tk) }); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{ // name → mail, in node B's data dir
		"mailboxes/support/new/relay":       "Return-Path: <ann@example.com>\r\nX-Frontdesk-Ticket: SUP-1\r\nFrom: Ann <ann@example.com>\r\nSubject: kettle\r\n\r\nann's words\r\n",
		"outbox/new/ack":                    "From: \"Support\" <support@example.com>\r\nTo: <ann@example.com>\r\nSubject: [SUP-1] Re: kettle\r\n\r\nWe got it.\r\n",
		"mailboxes/support/cur/participant": "From: ANN@Example.COM.\r\nX-Frontdesk-Ticket: SUP-2\r\nSubject: me too\r\n\r\nann in bob's ticket\r\n",
		"mailboxes/escalations/new/warning": "From: frontdesk@mx.example\r\nX-Frontdesk-Ticket: SUP-1\r\nSubject: SLA warning\r\n\r\nann@example.com waits\r\n",
	}
	keep := map[string]string{
		"mailboxes/support/new/bob": "From: bob@example.org\r\nCc: ann@example.com\r\nX-Frontdesk-Ticket: SUP-2\r\nSubject: printer\r\n\r\nbob's words\r\n",
		"outbox/new/bobs-ack":       "From: support@example.com\r\nTo: bob@example.org\r\nSubject: [SUP-2] Re: printer\r\n\r\nWe got it.\r\n",
	}
	dirA, dirB := t.TempDir(), t.TempDir()
	write := func(dir string, m map[string]string) {
		for name, body := range m {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(dirB, files)
	write(dirB, keep)
	rep, err := customers.Erase(ctx, nodes[0], "ann@example.com", customers.EraseOptions{Now: now, By: "test", Maildirs: Maildirs(dirA)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Notes(), func(n string) bool { return strings.Contains(n, "other nodes") }) {
		t.Errorf("the erasure's notes %q do not say how the other nodes' Maildirs are reached", rep.Notes())
	}
	exists := func(dir, name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}
	for name := range files {
		if !exists(dirB, name) {
			t.Fatalf("%s gone before node B swept: the test proves nothing", name)
		}
	}
	n, err := SweepErased(nodes[1], dirB)
	if err != nil {
		t.Fatal(err)
	}
	for name := range files {
		if exists(dirB, name) {
			t.Errorf("node B still holds %s of the erased customer", name)
		}
	}
	for name := range keep {
		if !exists(dirB, name) {
			t.Errorf("node B lost %s, another customer's mail", name)
		}
	}
	if n != len(files) {
		t.Errorf("node B removed %d files, want %d", n, len(files))
	}

	// Applied once: a second look walks nothing, removes nothing.
	write(dirB, map[string]string{"mailboxes/support/new/late": files["mailboxes/support/new/relay"]})
	if n, err := SweepErased(nodes[1], dirB); err != nil || n != 0 {
		t.Errorf("second sweep on node B: %d files, %v; want 0, nil", n, err)
	}
	// A node that joins later (an empty record of sweeps) applies it.
	dirC := t.TempDir()
	write(dirC, files)
	if n, err := SweepErased(nodes[1], dirC); err != nil || n != len(files) {
		t.Errorf("sweep on a new node: %d files, %v; want %d", n, err, len(files))
	}
}
