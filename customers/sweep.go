package customers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// PrefixSweep holds, on a shared store (several nodes on one PostgreSQL
// database), what every node must look for in its own Maildirs after an
// erasure made on any of them: misc/erasure-sweep/<id> → Sweep. The node
// that erases removes the copies under its own data dir at once; the
// others' Maildirs are on their own disks, out of its reach.
const PrefixSweep = store.PrefixMisc + "erasure-sweep/"

// Sweep is what identifies an erased customer's mail in a Maildir without
// naming them: the tags of their tickets (which stay, anonymous) and the
// SHA-256 of their canonical address, compared with the senders' (From,
// Return-Path).
type Sweep struct {
	ID            string    `json:"-"`
	At            time.Time `json:"at"`
	AddressSHA256 string    `json:"address_sha256"`
	Tags          []string  `json:"tags"`
}

// Sweeps returns the sweeps erasures left, oldest first.
func Sweeps(st *store.Store) ([]Sweep, error) {
	var out []Sweep
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(PrefixSweep), nil, true, func(k, v []byte) error {
			var sw Sweep
			if err := json.Unmarshal(v, &sw); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			sw.ID = string(k[len(PrefixSweep):])
			out = append(out, sw)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("erasure sweeps: %w", err)
	}
	return out, nil
}

// SweepMaildirs removes from the Maildirs under roots every copy of mail
// of the customers sws describe, chosen as an erasure chooses its own
// node's copies: a mail of one of their tickets, or one whose From or
// Return-Path is their address. It returns how many files it removed.
func SweepMaildirs(roots []string, sws []Sweep) (int, error) {
	if len(sws) == 0 {
		return 0, nil
	}
	hashes := map[string]bool{}
	var tags []string
	for _, sw := range sws {
		hashes[sw.AddressSHA256] = true
		tags = append(tags, sw.Tags...)
	}
	needles := tagNeedles(tags)
	files, err := walkMaildirs(roots, func(head, sender []byte) bool {
		return slices.ContainsFunc(needles, func(n []byte) bool { return bytes.Contains(head, n) }) ||
			slices.ContainsFunc(senderAddresses(sender), func(a string) bool {
				sum := sha256.Sum256([]byte(a))
				return hashes[hex.EncodeToString(sum[:])]
			})
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range files {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("erasure sweep: %w", err)
		}
		n++
	}
	return n, nil
}

// senderAddresses returns the canonical addresses in sender fields (one
// field value a line, as senderFields gives them).
func senderAddresses(sender []byte) []string {
	var out []string
	for _, line := range strings.Split(string(sender), "\n") {
		list, err := mail.ParseAddressList(line)
		if err != nil { // not RFC 5322: every word with an @ in it
			list = nil
			for _, w := range strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t<>,;\"()", r) }) {
				if strings.Contains(w, "@") {
					list = append(list, &mail.Address{Address: w})
				}
			}
		}
		for _, a := range list {
			if c, err := Canonical(a.Address); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}
