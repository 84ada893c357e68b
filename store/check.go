package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// CheckOptions say what Check reads.
type CheckOptions struct {
	// Mail reads every mail a record points to in the spool and checks
	// its CRC; without it only the records are read, and the spool's
	// segments are checked to exist and be long enough for the mail they
	// should hold (serve's start-up).
	Mail bool
	// Decoders check the values under a key prefix (JSON records of other
	// packages); a value under msg/ is checked as a Message, under raw/
	// as a spool pointer, without one.
	Decoders map[string]func([]byte) error
	// Progress, if set, is called now and then with the keys read so far.
	Progress func(CheckProgress)
}

// CheckProgress is how far a Check is.
type CheckProgress struct {
	Keys, MailChecked int
	MailBytes         int64
	Elapsed           time.Duration
}

// Problem is one thing Check found wrong.
type Problem struct {
	Key string `json:"key,omitempty"`
	// What is "value" (unreadable: a checksum or a missing value-log
	// file), "record" (does not decode), "mail" (missing or damaged in
	// the spool) or "tables" (an LSM table fails its checksum).
	What string `json:"what"`
	Err  string `json:"error"`
	// Missing: the mail's bytes are not in the spool at all (its segment
	// is missing or cut short), which serve's start-up finds without
	// reading mail; a repair removes the record, since only a backup of
	// the spool can bring the mail back.
	Missing bool `json:"missing,omitempty"`
}

// CheckReport is what Check found.
type CheckReport struct {
	Keys        int            `json:"keys"`
	ByPrefix    map[string]int `json:"by_prefix"`
	MailChecked int            `json:"mail_checked"`
	MailBytes   int64          `json:"mail_bytes"`
	Problems    []Problem      `json:"problems"`
	Elapsed     time.Duration  `json:"elapsed_ns"`
}

// maxProblems bounds a report: a store damaged everywhere says so in the
// first thousand.
const maxProblems = 1000

// Check reads every table block, key and value (values are checked
// against their CRC as they are read), decodes every record it has a
// decoder for and, with o.Mail, reads every mail in the spool that a
// record points to. Problems go into the report; the error is for a
// check that could not run to its end.
func (s *Store) Check(ctx context.Context, o CheckOptions) (*CheckReport, error) {
	if s.pg != nil {
		return nil, errNotOnPostgres("store check")
	}
	start := time.Now()
	r := &CheckReport{ByPrefix: map[string]int{}, Problems: []Problem{}}
	add := func(p Problem) {
		if len(r.Problems) < maxProblems {
			r.Problems = append(r.Problems, p)
		}
	}
	if err := verifyTables(s.db); err != nil {
		add(Problem{What: "tables", Err: err.Error()})
	}
	progress := func() {
		if o.Progress != nil {
			o.Progress(CheckProgress{Keys: r.Keys, MailChecked: r.MailChecked, MailBytes: r.MailBytes, Elapsed: time.Since(start)})
		}
	}
	last := time.Now()
	segs := map[uint32]int64{} // spool segment sizes, for spool.present
	err := s.db.View(func(t *badger.Txn) error {
		it := t.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			item := it.Item()
			key := string(item.KeyCopy(nil))
			r.Keys++
			r.ByPrefix[prefixOf(key)]++
			v, err := valueOf(item)
			if err != nil {
				add(Problem{Key: key, What: "value", Err: err.Error()})
				continue
			}
			if p, ok := decodeSpooled(v); ok && s.spool != nil && strings.HasPrefix(key, PrefixRaw) {
				if err := s.spool.present(p, segs); err != nil {
					add(Problem{Key: key, What: "mail", Err: err.Error(), Missing: true})
					continue
				}
			}
			if err := s.checkValue(key, v, o); err != nil {
				what := "record"
				if errors.Is(err, errMail) {
					what = "mail"
				}
				add(Problem{Key: key, What: what, Err: err.Error()})
			}
			if strings.HasPrefix(key, PrefixRaw) {
				if p, ok := decodeSpooled(v); ok && o.Mail {
					r.MailChecked++
					r.MailBytes += int64(p.n)
				}
			}
			if time.Since(last) > time.Second {
				last = time.Now()
				progress()
			}
		}
		return nil
	})
	r.Elapsed = time.Since(start)
	progress()
	return r, err
}

var errMail = errors.New("mail")

// verifyTables is DB.VerifyChecksum with a panic turned into an error:
// Badger slices a damaged block before it checks the block's checksum.
func verifyTables(db *badger.DB) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("a table does not decode: %v", firstLine(fmt.Sprint(p)))
		}
	}()
	return db.VerifyChecksum()
}

func (s *Store) checkValue(key string, v []byte, o CheckOptions) error {
	switch {
	case strings.HasPrefix(key, PrefixRaw):
		p, ok := decodeSpooled(v)
		if !ok {
			if len(v) > 0 && v[0] == 0 {
				return fmt.Errorf("neither mail nor a spool pointer")
			}
			return nil // mail kept in Badger
		}
		if !o.Mail {
			return nil
		}
		if s.spool == nil {
			return fmt.Errorf("%w: in the spool, and the store was opened without it", errMail)
		}
		if _, err := s.spool.read(p, nil); err != nil {
			return fmt.Errorf("%w: %w", errMail, err)
		}
		return nil
	case strings.HasPrefix(key, PrefixMessage):
		var m Message
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		if m.ID != strings.TrimPrefix(key, PrefixMessage) {
			return fmt.Errorf("record of message %q under another key", m.ID)
		}
		return nil
	}
	for prefix, dec := range o.Decoders {
		if strings.HasPrefix(key, prefix) {
			return dec(v)
		}
	}
	return nil
}

// prefixOf names a key's family for the report: "t/", "ix/mid/", …
func prefixOf(key string) string {
	i := strings.IndexByte(key, '/')
	if i < 0 {
		return "other"
	}
	if key[:i+1] == PrefixIndex {
		if j := strings.IndexByte(key[i+1:], '/'); j >= 0 {
			return key[:i+1+j+1]
		}
	}
	return key[:i+1]
}

// RemoveKeys deletes keys (those a Check found unreadable or undecodable,
// for a repair), in batches. Each goes, so a store whose value log lost a
// record opens and serves the rest.
func (s *Store) RemoveKeys(keys []string) error {
	if s.pg != nil {
		return errNotOnPostgres("remove keys")
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range keys {
		if err := wb.Delete([]byte(k)); err != nil {
			return fmt.Errorf("remove %s: %w", k, err)
		}
	}
	return wb.Flush()
}

// MoveAside renames a damaged store directory out of the way (to
// dir.lost-<time>), so that a repair creates a new store without Badger
// deleting what is left of the old one; it returns the new name.
func MoveAside(dir string, now time.Time) (string, error) {
	to := dir + ".lost-" + now.UTC().Format("20060102T150405Z")
	if err := os.Rename(dir, to); err != nil {
		return "", fmt.Errorf("move damaged store aside: %w", err)
	}
	return to, nil
}
