package learn

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
)

// ReadMaildir reads an archive of answered mail — the shared mailbox a
// team is moving away from — into examples (not stored). Every file under
// dir is a mail, but for the files beside a Maildir's cur/ and new/ (the
// IMAP server's own: dovecot-uidlist, dovecot.index*, maildirfolder,
// subscriptions) and those in tmp/ (still being delivered); a mail's folder
// is its directory relative to dir without a Maildir's cur/new and a
// Maildir++ leading dot. A conversation starts with a customer's mail that
// answers nothing in the archive; a mail that answers one of the
// conversation (In-Reply-To, followed back to its start) and is not from
// that customer is an agent's reply. The customer's first mail is the
// example (as a ticket's first mail is for #move and #faq), its department
// the folder it was filed in (mapped by folders, else the folder's own name
// when it is a department), its FAQ entries those the agents' replies link
// in their own words (links; not in the history they quote). The
// customer's follow-ups teach nothing of their own: what they quote is the
// agent's words. A conversation that gives neither is skipped and named by
// its customer's first mail.
// A dir that is no directory, or has no cur/ or new/ folder anywhere (no
// Maildir), is an error.
func ReadMaildir(dir string, folders map[string]string, depts []string, links Links, now time.Time, progress io.Writer) ([]Example, []string, error) {
	type mail struct {
		path, folder string
		raw          []byte
		m            *message.Message
	}
	for _, f := range slices.Sorted(maps.Keys(folders)) {
		if d := folders[f]; len(depts) > 0 && !contains(depts, d) {
			return nil, nil, fmt.Errorf("--map %s=%s: no department %q (the departments are %s)", f, d, d, strings.Join(depts, ", "))
		}
	}
	deptOf := func(folder string) string {
		if d := folders[folder]; d != "" {
			return d
		}
		if contains(depts, folder) {
			return folder
		}
		return ""
	}
	byID := map[string]*mail{}
	var all []*mail
	maildirs := map[string]bool{} // directory → it has a cur/ subdirectory
	beside := func(dir string) bool {
		is, ok := maildirs[dir]
		if !ok {
			fi, err := os.Stat(filepath.Join(dir, "cur"))
			is = err == nil && fi.IsDir()
			maildirs[dir] = is
		}
		return is
	}
	if fi, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("--maildir %s: no such directory", dir)
	} else if err != nil {
		return nil, nil, fmt.Errorf("--maildir %s: %w", dir, err)
	} else if !fi.IsDir() {
		return nil, nil, fmt.Errorf("--maildir %s: not a directory (want a Maildir archive: folders with cur/ and new/)", dir)
	}
	isMaildir := false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && (d.Name() == "cur" || d.Name() == "new") {
			isMaildir = true
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if beside(filepath.Dir(p)) {
			return nil // the IMAP server's files beside cur/ and new/
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(p))
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if n := len(parts); n > 0 && (parts[n-1] == "cur" || parts[n-1] == "new") {
			parts = parts[:n-1]
		} else if n > 0 && parts[n-1] == "tmp" {
			return nil // being delivered: not mail yet
		}
		folder := strings.TrimPrefix(strings.Join(parts, "/"), ".")
		if folder == "" {
			folder = "."
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m, _ := message.Parse(raw)
		ml := &mail{path: p, folder: folder, raw: raw, m: m}
		all = append(all, ml)
		if k := strings.ToLower(m.MessageID); k != "" {
			// The same mail filed twice (left in the inbox and copied to
			// a department's folder): the copy whose folder names a
			// department is the one that says where it belongs.
			if prev := byID[k]; prev == nil || (deptOf(prev.folder) == "" && deptOf(folder) != "") {
				byID[k] = ml
			}
		}
		if len(all)%500 == 0 {
			fmt.Fprintf(progress, "learn import: %d mails read\n", len(all))
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("--maildir %s: %w", dir, err)
	}
	if !isMaildir {
		return nil, nil, fmt.Errorf("--maildir %s: not a Maildir archive (no cur/ or new/ folder in it)", dir)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].path < all[j].path })
	var out []Example
	var skipped []*mail           // conversations' starts, in the order first skipped
	skipWhy := map[*mail]string{} // … and why
	seen := map[*mail]int{}       // customer mail → its example
	parentOf := func(m *mail) *mail {
		for _, id := range m.m.InReplyTo {
			if p := byID[strings.ToLower(id)]; p != nil && p != m {
				return p
			}
		}
		return nil
	}
	for _, reply := range all {
		parent := parentOf(reply)
		if parent == nil {
			continue
		}
		// The conversation's start: its customer's first mail.
		for steps := 0; steps < len(all); steps++ {
			p := parentOf(parent)
			if p == nil {
				break
			}
			parent = p
		}
		if customer := parent.m.From.Address; customer != "" && strings.EqualFold(reply.m.From.Address, customer) {
			continue // the customer's follow-up, not an answer
		}
		dept := deptOf(parent.folder)
		entries := links.Linked(message.FreshOnly(reply.m.Text))
		if dept == "" && len(entries) == 0 {
			if _, ok := skipWhy[parent]; !ok {
				skipped = append(skipped, parent)
				skipWhy[parent] = "neither a department (folder " + parent.folder + ") nor an FAQ link"
			}
			continue
		}
		if i, ok := seen[parent]; ok { // a second reply in the conversation adds its links
			for _, e := range entries {
				if !contains(out[i].Entries, e) {
					out[i].Entries = append(out[i].Entries, e)
				}
			}
			continue
		}
		rel, _ := filepath.Rel(dir, parent.path)
		ex := FromMail(parent.raw, now.Add(time.Duration(len(out))*time.Microsecond), SourceImport, dept, entries, "maildir:"+rel)
		seen[parent] = len(out)
		out = append(out, ex)
	}
	var skips []string // a conversation another reply of which taught something is not skipped
	for _, m := range skipped {
		if _, ok := seen[m]; !ok {
			rel, _ := filepath.Rel(dir, m.path)
			skips = append(skips, rel+": "+skipWhy[m])
		}
	}
	fmt.Fprintf(progress, "learn import: %d mails read, %d threads learned from\n", len(all), len(out))
	return out, skips, nil
}
