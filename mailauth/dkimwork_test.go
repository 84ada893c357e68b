package mailauth

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/authres"
)

// foldedSubject is a Subject of n folded lines of one encoded word each.
func foldedSubject(n int) string {
	return "Subject: " + strings.Repeat("=?utf-8?B?w6k=?=\r\n ", n) + "end\r\n"
}

// pickBomb is a DKIM-Signature whose h= names h fields, over fields
// fields of its own.
func pickBomb(h, fields int) string {
	var b strings.Builder
	b.WriteString("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; c=relaxed/relaxed;\r\n h=")
	for i := range h {
		if i > 0 {
			b.WriteString(":")
		}
		if i%20 == 19 {
			b.WriteString("\r\n ")
		}
		if i == 0 {
			b.WriteString("from") // the verifier requires it
		} else {
			b.WriteString("x")
		}
	}
	b.WriteString(";\r\n bh=RHI91NDg1Go8f6isolS2HCe2tXiflhd+gsgHAECfFTU=; b=AAAA\r\n")
	for i := range fields {
		fmt.Fprintf(&b, "X-%d: v\r\n", i)
	}
	return b.String()
}

// Issue 17: go-msgauth's DKIM verifier reads a header in time quadratic in
// a field's continuation lines: a 1.9 MB Subject folded over 100,000 lines
// held a CPU for 37 s, with or without a DKIM-Signature. A mail without a
// signature is no longer given to the verifier, and one whose header would
// cost it more than MaxDKIMWork gets permerror at once; real signed mail
// still verifies.
func TestDKIMHeaderBombsAreCheap(t *testing.T) {
	s := testSigner(t, "example.com")
	r := withKey(zones(nil), s)
	signed := sign(t, s, msg("a@example.com", "hi\r\n"))
	if w := dkimWork(fieldsOf(signed)); w > 64<<10 {
		t.Errorf("a real signed mail costs %d bytes of work", w)
	}
	fold := foldedSubject(100000)
	for _, c := range []struct {
		name   string
		raw    []byte
		reason string // "" for no DKIM result
	}{
		{"folded Subject, no signature", []byte("From: a@example.com\r\n" + fold + "\r\nhi\r\n"), ""},
		{"folded Subject beside a signature", append([]byte(fold), signed...), "too costly"},
		{"h= naming 40,000 fields over 20,000 fields", []byte(pickBomb(40000, 20000) + string(msg("a@example.com", "hi\r\n"))), "too costly"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t0 := time.Now()
			res := Check(t.Context(), r, inside, "x", "a@example.com", c.raw)
			d := time.Since(t0)
			// Before, the first took 37 s and the others more; the
			// margin is for a loaded machine and the race detector.
			if d > 3*time.Second {
				t.Errorf("Check took %v", d)
			}
			if c.reason == "" {
				if len(res.DKIM) != 0 {
					t.Errorf("DKIM = %+v, want no result", res.DKIM)
				}
				return
			}
			if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPermError || !strings.Contains(res.DKIM[0].Reason, c.reason) {
				t.Errorf("DKIM = %+v, want one permerror %q", res.DKIM, c.reason)
			}
		})
	}
	// A long but real header (a References field of 200 folded ids, 40
	// Received fields) is verified as before.
	long := "References:" + strings.Repeat(" <0123456789abcdef@mail.example.com>\r\n", 200) + strings.Repeat("Received: from a by b; Mon, 23 Nov 2026 10:00:00 +0800\r\n", 40)
	raw := sign(t, s, []byte(long+string(msg("a@example.com", "hi\r\n"))))
	res := Check(t.Context(), r, inside, "x", "a@example.com", raw)
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass {
		t.Errorf("long real header: DKIM = %+v, want pass", res.DKIM)
	}
}

// At MaxDKIMWork the verifier itself spends a small fraction of a second
// on either kind of bomb: the bound measures what it says.
func TestDKIMWorkAtTheLimitIsCheap(t *testing.T) {
	// The key is published and the body hash right, so that the verifier
	// gets as far as picking the signed fields.
	r := withKey(zones(nil), testSigner(t, "example.com"))
	for _, c := range []struct {
		name string
		raw  []byte
	}{
		{"folded lines", []byte(pickBomb(1, 0) + foldedSubject(1800) + "\r\nhi\r\n")},
		{"picks", []byte(pickBomb(1200, 1200) + "\r\nhi\r\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := dkimWork(fieldsOf(c.raw))
			if w > MaxDKIMWork || w < MaxDKIMWork/2 {
				t.Fatalf("work %d, want just under %d", w, MaxDKIMWork)
			}
			best := time.Hour
			for range 3 {
				t0 := time.Now()
				verifyDKIM(t.Context(), r, c.raw)
				best = min(best, time.Since(t0))
			}
			t.Logf("work %d MB: verifier %v", w>>20, best)
			if best > 500*time.Millisecond {
				t.Errorf("verifier took %v at %d bytes of work", best, w)
			}
		})
	}
}

func fieldsOf(raw []byte) []field {
	f, _ := splitHeader(raw)
	return f
}
