package learn

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
)

// TestReadMaildirConversations: an archive laid out as an IMAP server
// keeps it — the customers' mail filed in department folders, the agents'
// replies in Sent, Dovecot's own files beside cur/ and new/, a mail in
// tmp/ — gives one example per conversation: the customer's first mail,
// with the links the agents wrote themselves. Before, a customer's
// follow-up quoting the agent's link made the agent's reply an example of
// that entry (with the agent as its customer), and Dovecot's files were
// read as mails.
func TestReadMaildirConversations(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"cur", "new", "tmp", ".billing/cur", ".billing/new", ".Sent/cur"} {
		os.MkdirAll(filepath.Join(dir, d), 0o700)
	}
	write(".billing/cur/1:2,S", "From: c@customer.test\r\nMessage-ID: <c1@customer.test>\r\nSubject: charged twice\r\n\r\nMy card was charged twice for order 55.\r\n")
	write(".Sent/cur/2:2,S", "From: agent@acme.test\r\nMessage-ID: <a1@acme.test>\r\nIn-Reply-To: <c1@customer.test>\r\nSubject: Re: charged twice\r\n\r\nSorry! See http://help.test/faq/refund-timing\r\n")
	// The customer's follow-up quotes the agent's link.
	write(".billing/cur/3:2,S", "From: C@Customer.test\r\nMessage-ID: <c2@customer.test>\r\nIn-Reply-To: <a1@acme.test>\r\nSubject: Re: charged twice\r\n\r\nStill two charges.\r\n\r\nOn Mon, agent wrote:\r\n> Sorry! See http://help.test/faq/refund-timing\r\n")
	// The agent's second answer, to the follow-up, links another entry.
	write(".Sent/cur/4:2,S", "From: agent@acme.test\r\nMessage-ID: <a2@acme.test>\r\nIn-Reply-To: <c2@customer.test>\r\nSubject: Re: charged twice\r\n\r\nHere is your invoice: http://help.test/faq/invoice-request\r\n\r\n> Still two charges.\r\n")
	write("dovecot-uidlist", "3 V1 N1\n1 1:2,S\n")
	write("subscriptions", "billing\nSent\n")
	write(".billing/maildirfolder", "")
	write(".billing/dovecot.index.log", "\x00\x01binary")
	write("tmp/5", "From: x@customer.test\r\nMessage-ID: <x1@customer.test>\r\n\r\nbeing delivered\r\n")

	var progress strings.Builder
	exs, skipped, err := ReadMaildir(dir, map[string]string{"billing": "finance"}, []string{"support", "finance"},
		Links{Catalog: faq.Demo, PublicURL: "http://help.test"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 1 || len(skipped) != 0 {
		t.Fatalf("want one example (the customer's first mail), got %d %+v, skipped %q", len(exs), exs, skipped)
	}
	ex := exs[0]
	if ex.Customer != "c@customer.test" || ex.Department != "finance" || !strings.Contains(ex.Text, "charged twice for order 55") ||
		strings.Join(ex.Entries, ",") != "refund-timing,invoice-request" {
		t.Errorf("example %+v", ex)
	}
	if !strings.Contains(progress.String(), "4 mails read") {
		t.Errorf("progress %q: want the 4 mails of cur/, not the IMAP server's files", progress.String())
	}
}

// TestReadMaildirMapToAnUnknownDepartment: --map naming a department the
// rules do not have is refused before anything is read. Before, the
// examples were stored with that department, which no routing can use.
func TestReadMaildirMapToAnUnknownDepartment(t *testing.T) {
	_, _, err := ReadMaildir(t.TempDir(), map[string]string{"billing": "finance", "Sent": "marketing"}, []string{"support", "finance"},
		Links{Catalog: faq.Demo}, time.Now(), io.Discard)
	if err == nil || !strings.Contains(err.Error(), `--map Sent=marketing: no department "marketing" (the departments are support, finance)`) {
		t.Fatalf("err %v", err)
	}
}

// TestReadMaildirMailFiledTwice: a customer's mail kept both in the inbox
// and in a department's folder (the same Message-ID) takes its department
// from that folder. Before, the copy read last won: the inbox's, which
// names no department, and the conversation was skipped.
func TestReadMaildirMailFiledTwice(t *testing.T) {
	dir := t.TempDir()
	customer := "From: c@customer.test\r\nMessage-ID: <c1@customer.test>\r\nSubject: charged twice\r\n\r\nMy card was charged twice.\r\n"
	for rel, body := range map[string]string{
		".billing/cur/1:2,S": customer,
		"cur/1:2,S":          customer,
		".Sent/cur/2:2,S":    "From: agent@acme.test\r\nMessage-ID: <a1@acme.test>\r\nIn-Reply-To: <c1@customer.test>\r\n\r\nWe are looking into it.\r\n",
	} {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	exs, skipped, err := ReadMaildir(dir, map[string]string{"billing": "finance"}, []string{"support", "finance"},
		Links{Catalog: faq.Demo}, time.Now(), io.Discard)
	if err != nil || len(exs) != 1 || exs[0].Department != "finance" {
		t.Fatalf("examples %+v, skipped %q, %v", exs, skipped, err)
	}
}

// An archived conversation whose agent reply has no help-centre link is
// an example of its department only, never a no-link one: in an archive
// silence is not a label (an agent may answer in their own words what an
// entry answers), only a labels file's explicit `faq: []` is.
func TestReadMaildirReplyWithoutLinkIsNotNoLink(t *testing.T) {
	dir := t.TempDir()
	for rel, body := range map[string]string{
		".billing/cur/1:2,S": "From: c@customer.test\r\nMessage-ID: <c1@customer.test>\r\nSubject: thank you\r\n\r\nThank you for sorting out my refund so quickly!\r\n",
		".Sent/cur/2:2,S":    "From: agent@acme.test\r\nMessage-ID: <a1@acme.test>\r\nIn-Reply-To: <c1@customer.test>\r\nSubject: Re: thank you\r\n\r\nYou are welcome, glad we could help.\r\n",
	} {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	exs, _, err := ReadMaildir(dir, map[string]string{"billing": "finance"}, []string{"support", "finance"},
		Links{Catalog: faq.Demo, PublicURL: "http://help.test"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 1 {
		t.Fatalf("want the conversation's example, got %+v", exs)
	}
	if ex := exs[0]; ex.NoLink || len(ex.Entries) > 0 || ex.Department != "finance" {
		t.Errorf("example %+v: want finance's, with neither entries nor no-link", ex)
	}
	if fe := ForFAQ(exs); fe[0].NoLink {
		t.Errorf("the ranking reads %+v as a no-link example", fe[0])
	}
}

// TestReadMaildirNotAMaildir: --maildir given a regular file, a missing
// directory or a directory with no cur/ or new/ anywhere is an error
// saying so, once. Before, a regular file read as 0 mails and exit 0, and
// a missing directory said "read X: lstat X: …".
func TestReadMaildirNotAMaildir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "dovecot-uidlist")
	os.WriteFile(file, []byte("3 V1 N1\n"), 0o600)
	plain := filepath.Join(dir, "plain")
	os.MkdirAll(filepath.Join(plain, "billing"), 0o700)
	os.WriteFile(filepath.Join(plain, "billing", "1.eml"), []byte("From: c@customer.test\r\nSubject: hi\r\n\r\nhello\r\n"), 0o600)
	for _, tc := range []struct{ path, want string }{
		{file, "--maildir " + file + ": not a directory"},
		{filepath.Join(dir, "nosuch"), "--maildir " + filepath.Join(dir, "nosuch") + ": no such directory"},
		{plain, "--maildir " + plain + ": not a Maildir archive (no cur/ or new/ folder in it)"},
	} {
		exs, _, err := ReadMaildir(tc.path, nil, []string{"support"}, Links{Catalog: faq.Demo}, time.Now(), io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || len(exs) != 0 {
			t.Errorf("ReadMaildir(%s): %d examples, %v; want an error %q", tc.path, len(exs), err, tc.want)
		}
	}
}

// TestReadMaildirSkippedNamesTheCustomersMail: a conversation that gives
// neither a department nor a link is skipped once, named by its
// customer's first mail (the example it would have been), however many
// replies it has; one whose later reply links an entry is not skipped.
// Before, each reply was named (the agent's mail, not the customer's),
// and a conversation learned from was listed as skipped too.
func TestReadMaildirSkippedNamesTheCustomersMail(t *testing.T) {
	dir := t.TempDir()
	for rel, body := range map[string]string{
		"misc/new/5.a": "From: d@customer.test\r\nMessage-ID: <d1@customer.test>\r\nSubject: hello\r\n\r\nhi\r\n",
		"misc/new/6.a": "From: agent@acme.test\r\nMessage-ID: <a1@acme.test>\r\nIn-Reply-To: <d1@customer.test>\r\n\r\nhello\r\n",
		"misc/new/7.a": "From: agent@acme.test\r\nMessage-ID: <a2@acme.test>\r\nIn-Reply-To: <d1@customer.test>\r\n\r\nanything else?\r\n",
		"misc/new/8.a": "From: e@customer.test\r\nMessage-ID: <e1@customer.test>\r\nSubject: refund\r\n\r\nwhere is my refund\r\n",
		"misc/new/9.a": "From: agent@acme.test\r\nMessage-ID: <a3@acme.test>\r\nIn-Reply-To: <e1@customer.test>\r\n\r\nlooking\r\n",
		"misc/new/9.b": "From: agent@acme.test\r\nMessage-ID: <a4@acme.test>\r\nIn-Reply-To: <e1@customer.test>\r\n\r\nSee http://help.test/faq/refund-timing\r\n",
	} {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	exs, skipped, err := ReadMaildir(dir, nil, []string{"support"}, Links{Catalog: faq.Demo, PublicURL: "http://help.test"}, time.Now(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("misc", "new", "5.a") + ": neither a department (folder misc) nor an FAQ link"
	if len(exs) != 1 || len(skipped) != 1 || skipped[0] != want {
		t.Errorf("%d example(s), skipped %q; want 1, and skipped [%q]", len(exs), skipped, want)
	}
}
