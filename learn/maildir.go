package learn

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
)

// ReadMaildir reads an archive of answered mail — the shared mailbox a
// team is moving away from — into examples (not stored). Every file under
// dir is a mail; its folder is its directory relative to dir without a
// Maildir's cur/new/tmp and a Maildir++ leading dot. A mail that answers
// another of the archive (In-Reply-To) is an agent's reply to a customer:
// the customer's words are the example, the department is the folder the
// customer's mail was filed in (mapped by folders, else the folder's own
// name when it is a department), and the FAQ entries are those the reply
// links (links). A thread that gives neither is skipped and named.
func ReadMaildir(dir string, folders map[string]string, depts []string, links Links, now time.Time, progress io.Writer) ([]Example, []string, error) {
	type mail struct {
		path, folder string
		raw          []byte
		m            *message.Message
	}
	byID := map[string]*mail{}
	var all []*mail
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
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
		if m.MessageID != "" {
			byID[strings.ToLower(m.MessageID)] = ml
		}
		if len(all)%500 == 0 {
			fmt.Fprintf(progress, "learn import: %d mails read\n", len(all))
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", dir, err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].path < all[j].path })
	var out []Example
	var skipped []string
	seen := map[*mail]int{} // customer mail → its example
	for _, reply := range all {
		var parent *mail
		for _, id := range reply.m.InReplyTo {
			if p := byID[strings.ToLower(id)]; p != nil && p != reply {
				parent = p
				break
			}
		}
		if parent == nil {
			continue
		}
		dept := folders[parent.folder]
		if dept == "" && contains(depts, parent.folder) {
			dept = parent.folder
		}
		entries := links.Linked(reply.m.Text)
		if dept == "" && len(entries) == 0 {
			rel, _ := filepath.Rel(dir, reply.path)
			skipped = append(skipped, rel+": neither a department (folder "+parent.folder+") nor an FAQ link")
			continue
		}
		if i, ok := seen[parent]; ok { // a second reply to the same mail adds its links
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
	fmt.Fprintf(progress, "learn import: %d mails read, %d threads learned from\n", len(all), len(out))
	return out, skipped, nil
}
