package smtpd

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzSession feeds raw bytes to a session, whole and cut short, and checks
// what an outsider can observe: no reply reports a panic, every "250 …
// queued" is a filed message and every filed message had its 250, and the
// session cut short files nothing the whole session does not file too — a
// message whose end was not received (a fragment) is never filed.
//
// The difference between the two runs is the oracle: a message complete in
// the cut session is complete, byte for byte, in the whole one; a fragment
// filed from the cut session is not among the whole session's messages.
func FuzzSession(f *testing.F) {
	body := "Subject: fuzz\r\n\r\nforty bytes of a body, give or take.\r\n"
	for _, s := range []struct {
		script string
		drop   uint16
	}{
		{envelope + "BDAT 56 LAST\r\n" + body, 5},
		{envelope + "BDAT 20\r\n" + body[:20] + "BDAT 36 LAST\r\n" + body[20:], 0},
		{envelope + "BDAT 20\r\n" + body[:20] + "BDAT 36 LAST\r\n" + body[20:], 30},
		{envelope + "DATA\r\n" + body + ".\r\n", 0},
		{envelope + "DATA\r\n" + body + "..leading dot\r\n.\r\nMAIL FROM:<b@customer.example>\r\nRCPT TO:<postmaster>\r\nBDAT 3 LAST\r\nabc", 1},
		{envelope + "DATA\r\n" + body + ".\r", 10},
		// SMTP smuggling and a dot-CR line (TestSmuggledEndMarkersAreData).
		{envelope + "DATA\r\n" + body + "x\n.\r\nMAIL FROM:<b@customer.example>\r\n.\r\n", 3},
		{envelope + "DATA\r\n" + body + ".\r\r\n.\r\nMAIL FROM:<b@customer.example>\r\n", 0},
		{envelope + "BDAT 0 LAST\r\n", 0},
		{"EHLO x\r\nNOOP\r\nRSET\r\nVRFY a\r\nBDAT 99999999999\r\nDATA\r\nQUIT\r\n", 20},
	} {
		f.Add([]byte(s.script), s.drop)
	}
	// drop is how many bytes the cut session lacks at its end.
	f.Fuzz(func(t *testing.T, script []byte, drop uint16) {
		if len(script) > 16<<10 || len(script) == 0 {
			return
		}
		whole := fileSession(t, script)
		cut := len(script) - 1 - int(drop)%len(script)
		part := fileSession(t, script[:cut])
		if len(part) > len(whole) {
			t.Fatalf("cut at %d: %d messages filed, whole session %d", cut, len(part), len(whole))
		}
		for i := range part {
			if !bytes.Equal(part[i], whole[i]) {
				t.Fatalf("cut at %d: filed %q, which the whole session files as %q", cut, part[i], whole[i])
			}
		}
	})
}

// fileSession runs script on a fresh server and returns what it filed.
func fileSession(t *testing.T, script []byte) [][]byte {
	rec := &recorder{}
	// Lines longer than any input: go-smtp checks line length on whatever
	// each read returns, so an over-long line beyond the cut would end the
	// whole session at a point that depends on how TCP split the bytes.
	s, addr := startRaw(t, Config{MaxLineLength: 1 << 20, MaxMessageBytes: 8 << 10, MaxRecipients: 3}, rec)
	lines := rawSession(t, addr, string(script))
	waitFor(t, "the server to close the session", func() bool { return s.openConns() == 0 })
	queued := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "250 2.0.0 OK: queued") {
			queued++
		}
		if strings.Contains(l, "Internal server error") {
			t.Fatalf("a panic was recovered: %q", lines)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if queued != len(rec.msgs) {
		t.Fatalf("%d replies 250 queued, %d messages filed\nreplies: %q", queued, len(rec.msgs), lines)
	}
	return rec.msgs
}
