package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/store"
)

// StoreCheck is the answer of `store check`; its JSON is `store check
// --json`.
type StoreCheck struct {
	OK       bool               `json:"ok"`
	DataDir  string             `json:"data_dir"`
	Identity store.Identity     `json:"identity"`
	Lost     string             `json:"lost,omitempty"` // the store cannot be opened: why
	Report   *store.CheckReport `json:"report,omitempty"`
	Repair   *StoreRepair       `json:"repair,omitempty"`
}

// StoreRepair is what `store check --repair` did.
type StoreRepair struct {
	MovedAside  string   `json:"moved_aside,omitempty"`
	Removed     []string `json:"removed"`
	TicketFloor uint64   `json:"ticket_floor,omitempty"` // learned from the spool
}

// CheckStore reads the whole store of cfg's stopped server and its mail,
// telling progress how it goes. With repair it first moves a store
// without its MANIFEST aside, keeps ticket numbers above every one the
// spool names, and removes the records it cannot read. An error means
// the check could not be made; a store that is lost or has problems is
// in the answer, with OK false.
func CheckStore(ctx context.Context, cfg *config.Config, repair bool, log *slog.Logger, progress func(store.CheckProgress)) (*StoreCheck, error) {
	if cfg.Store.Postgres() {
		return nil, errors.New("store.backend is postgres: store check reads Badger's files; the database checks its own (pg_amcheck), and `frontdesk store migrate` its schema")
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(dataDir); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	res := &StoreCheck{DataDir: dataDir}
	dir := filepath.Join(dataDir, "store")
	o := StoreOptions(dataDir, true, log)
	if repair {
		if res.Repair, err = prepareRepair(dir); err != nil {
			return nil, err
		}
		o.Repair = true
	}
	st, err := store.Open(dir, o)
	if repair && errors.Is(err, store.ErrUnopenable) {
		// Nothing in it can be read through Badger: set it aside whole,
		// as a store without its MANIFEST is, and go on with a new one.
		if res.Repair.MovedAside, err = store.MoveAside(dir, time.Now()); err != nil {
			return nil, err
		}
		st, err = store.Open(dir, o)
	}
	if errors.Is(err, store.ErrLost) || errors.Is(err, store.ErrUnopenable) {
		res.Lost = err.Error()
		return res, nil
	}
	if err != nil {
		if storeInUse(err) {
			err = errors.New("the store is in use: stop the server first (a check reads everything, and a repair writes)")
		}
		return nil, err
	}
	defer st.Close()
	if repair {
		if err := raiseTicketFloor(st, o.SpoolDir, cfg.Tickets.TagPrefix, res.Repair); err != nil {
			return nil, err
		}
	}
	co := store.CheckOptions{Mail: true, Decoders: StoreDecoders(), Progress: progress}
	r, err := st.Check(ctx, co)
	if err != nil {
		return nil, err
	}
	if repair {
		for _, p := range r.Problems {
			if p.Key != "" && (p.What == "value" || p.What == "record" || p.Missing) {
				res.Repair.Removed = append(res.Repair.Removed, p.Key)
			}
		}
		if err := st.RemoveKeys(res.Repair.Removed); err != nil {
			return nil, err
		}
		if r, err = st.Check(ctx, co); err != nil {
			return nil, err
		}
	}
	res.Report, res.Identity = r, st.Identity()
	res.OK = len(r.Problems) == 0
	return res, nil
}

// prepareRepair moves a store without its MANIFEST out of the way: Badger
// would open it as a new store and delete the tables it does not know.
func prepareRepair(dir string) (*StoreRepair, error) {
	res := &StoreRepair{Removed: []string{}}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err == nil {
		return res, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) == 0 {
		return res, nil // nothing there
	}
	res.MovedAside, err = store.MoveAside(dir, time.Now())
	return res, err
}

// raiseTicketFloor keeps ticket numbers above every one the spool's mail
// names, for a repair whose identity file was lost with the store: the
// gateway's own mail (acknowledgements, replies, escalations) and the
// customers' follow-ups carry the tag, in the subject, a header or the
// reply address. A number a sender made up costs a gap, never a reuse.
func raiseTicketFloor(st *store.Store, spoolDir, prefix string, res *StoreRepair) error {
	n, err := maxTicketInSpool(spoolDir, prefix)
	if err != nil {
		return err
	}
	var floor uint64 // the sequence's next value
	if n >= TicketBase {
		floor = n - TicketBase + 1
	}
	// Mail kept inline (store.inline_mail) left no tag in the spool:
	// the identity file's copy there has the mark.
	floor = max(floor, store.SpoolMarks(spoolDir)[TicketSeqKey])
	if floor == 0 {
		return nil
	}
	res.TicketFloor = TicketBase + floor
	return st.RaiseSequence(TicketSeqKey, floor)
}

func maxTicketInSpool(dir, prefix string) (uint64, error) {
	segs, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		return 0, err
	}
	re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(prefix) + `-([0-9]{1,19})\b`)
	var top uint64
	const overlap = 64 // longer than any tag: one cut by a chunk's end is whole in the next
	buf := make([]byte, 1<<20)
	for _, seg := range segs {
		f, err := os.Open(seg)
		if err != nil {
			return 0, err
		}
		keep := 0
		for {
			n, rerr := io.ReadFull(f, buf[keep:])
			chunk := buf[:keep+n]
			for _, m := range re.FindAllSubmatch(chunk, -1) {
				if v, err := strconv.ParseUint(string(m[1]), 10, 64); err == nil && v > top {
					top = v
				}
			}
			if rerr != nil {
				if !errors.Is(rerr, io.EOF) && !errors.Is(rerr, io.ErrUnexpectedEOF) {
					f.Close()
					return 0, fmt.Errorf("%s: %w", seg, rerr)
				}
				break
			}
			keep = copy(buf, chunk[len(chunk)-overlap:])
		}
		f.Close()
	}
	return top, nil
}

// WriteText writes the check as `store check` prints it; the commands it
// suggests name cfgFile with -c.
func (res *StoreCheck) WriteText(w io.Writer, cfgFile string) {
	c := ""
	if cfgFile != "" {
		c = " -c " + cfgFile
	}
	if res.Lost != "" {
		fmt.Fprintf(w, "LOST: %s\n", res.Lost)
		fmt.Fprintf(w, "restore the data dir from a backup, or run `frontdesk store check --repair%s`\n", c)
		return
	}
	if rp := res.Repair; rp != nil {
		if rp.MovedAside != "" {
			fmt.Fprintf(w, "repair: the store, which could not be opened as it was, was moved to %s\n", rp.MovedAside)
		}
		if rp.TicketFloor > 0 {
			fmt.Fprintf(w, "repair: new tickets are numbered from at least %d (the spool's mail names tickets up to %d)\n", rp.TicketFloor, rp.TicketFloor-1)
		}
		fmt.Fprintf(w, "repair: removed %d unreadable record(s)\n", len(rp.Removed))
		for _, k := range rp.Removed {
			fmt.Fprintf(w, "  removed %s\n", k)
		}
	}
	id := res.Identity
	fmt.Fprintf(w, "store %s (lifetime %d, since %s) in %s\n", id.ID, id.Lifetime, id.Created.Format(time.RFC3339), res.DataDir)
	r := res.Report
	fmt.Fprintf(w, "%d keys, %d mails (%d bytes) read in %s\n", r.Keys, r.MailChecked, r.MailBytes, r.Elapsed.Round(time.Millisecond))
	for _, p := range r.Problems {
		fmt.Fprintf(w, "PROBLEM %s %s: %s\n", p.What, p.Key, p.Err)
	}
	if res.OK {
		fmt.Fprintln(w, "ok")
	} else {
		fmt.Fprintf(w, "%d problem(s)", len(r.Problems))
		if res.Repair == nil {
			fmt.Fprintf(w, ": `frontdesk store check --repair%s` removes unreadable records; mail that is damaged or missing can only come back from a backup", c)
		}
		fmt.Fprintln(w)
	}
}
