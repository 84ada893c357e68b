package smtp

import (
	"bytes"
	"errors"
	"io"
	"net/textproto"
	"strings"
	"testing"
)

// writeCounter records what the client wrote, one entry per write (a
// flush of its buffer): the commands a write carried went in one round
// trip.
type writeCounter struct {
	io.Reader
	writes []string
}

func (w *writeCounter) Write(b []byte) (int, error) {
	w.writes = append(w.writes, string(b))
	return len(b), nil
}

func TestMailRcptData(t *testing.T) {
	crlf := func(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }
	for _, c := range []struct {
		name       string
		pipelining bool
		to         []string
		replies    string
		wantWrites []string // the commands, as written
		wantErr    string   // the CommandError's command ("" for none)
		wantCode   int
	}{
		{
			name: "one recipient, one round trip", pipelining: true, to: []string{"b@y.example"},
			replies:    crlf("250 ok", "250 ok", "354 go on", "250 queued"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "DATA")},
		},
		{
			name: "recipient refused, DATA refused after it", pipelining: true, to: []string{"b@y.example"},
			replies:    crlf("250 ok", "550 5.1.1 no such user", "503 5.5.1 no valid recipients"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "DATA")},
			wantErr:    "RCPT TO", wantCode: 550,
		},
		{
			name: "recipient refused, DATA accepted all the same: ended with a lone dot", pipelining: true, to: []string{"b@y.example"},
			replies:    crlf("250 ok", "550 5.1.1 no such user", "354 go on", "554 5.5.1 no valid recipients"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "DATA"), ".\r\n"},
			wantErr:    "RCPT TO", wantCode: 550,
		},
		{
			name: "sender refused", pipelining: true, to: []string{"b@y.example"},
			replies:    crlf("451 4.3.0 try later", "503 5.5.1 sender first", "503 5.5.1 sender first"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "DATA")},
			wantErr:    "MAIL FROM", wantCode: 451,
		},
		{
			name: "DATA refused", pipelining: true, to: []string{"b@y.example"},
			replies:    crlf("250 ok", "250 ok", "554 5.3.4 not now"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "DATA")},
			wantErr:    "DATA", wantCode: 554,
		},
		{
			name: "two recipients: DATA after both are accepted", pipelining: true, to: []string{"b@y.example", "c@y.example"},
			replies:    crlf("250 ok", "250 ok", "250 ok", "354 go on", "250 queued"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "RCPT TO:<c@y.example>"), crlf("DATA")},
		},
		{
			name: "two recipients, the second refused: no DATA", pipelining: true, to: []string{"b@y.example", "c@y.example"},
			replies:    crlf("250 ok", "250 ok", "452 4.2.2 mailbox full"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>", "RCPT TO:<b@y.example>", "RCPT TO:<c@y.example>")},
			wantErr:    "RCPT TO", wantCode: 452,
		},
		{
			name: "no PIPELINING: one command at a time", pipelining: false, to: []string{"b@y.example"},
			replies:    crlf("250 ok", "250 ok", "354 go on", "250 queued"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>"), crlf("RCPT TO:<b@y.example>"), crlf("DATA")},
		},
		{
			name: "no PIPELINING, recipient refused", pipelining: false, to: []string{"b@y.example"},
			replies:    crlf("250 ok", "550 5.1.1 no such user"),
			wantWrites: []string{crlf("MAIL FROM:<a@x.example>"), crlf("RCPT TO:<b@y.example>")},
			wantErr:    "RCPT TO", wantCode: 550,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			wc := &writeCounter{Reader: strings.NewReader(c.replies)}
			fake := faker{ReadWriter: wc}
			cl := &Client{text: textproto.NewConn(fake), conn: fake, localName: "localhost", didHello: true,
				ext: map[string]string{}}
			if c.pipelining {
				cl.ext["PIPELINING"] = ""
			}
			dc, err := cl.MailRcptData("a@x.example", nil, c.to)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("MailRcptData: %v", err)
				}
				if got := strings.Join(wc.writes, ""); got != strings.Join(c.wantWrites, "") || len(wc.writes) != len(c.wantWrites) {
					t.Errorf("writes %q, want %q", wc.writes, c.wantWrites)
				}
				io.WriteString(dc, "Subject: x\r\n\r\nbody\r\n")
				if err := dc.Close(); err != nil {
					t.Fatalf("end of data: %v", err)
				}
				if !strings.HasSuffix(wc.writes[len(wc.writes)-1], "body\r\n.\r\n") {
					t.Errorf("the message's end: %q", wc.writes[len(wc.writes)-1])
				}
				return
			}
			var ce *CommandError
			var se *SMTPError
			if !errors.As(err, &ce) || ce.Command != c.wantErr || !errors.As(err, &se) || se.Code != c.wantCode {
				t.Fatalf("MailRcptData error %v, want %s refused with %d", err, c.wantErr, c.wantCode)
			}
			if dc != nil {
				t.Error("a DataCommand with the error")
			}
			if len(wc.writes) != len(c.wantWrites) || strings.Join(wc.writes, "") != strings.Join(c.wantWrites, "") {
				t.Errorf("writes %q, want %q", wc.writes, c.wantWrites)
			}
			// Every reply was read: nothing of the script is left for
			// the next command.
			if rest, _ := io.ReadAll(cl.text.R); len(rest) != 0 {
				t.Errorf("replies left unread: %q", rest)
			}
		})
	}
}

func TestMailRcptDataRefusesInjection(t *testing.T) {
	wc := &writeCounter{Reader: bytes.NewReader(nil)}
	fake := faker{ReadWriter: wc}
	cl := &Client{text: textproto.NewConn(fake), conn: fake, localName: "localhost", didHello: true, ext: map[string]string{"PIPELINING": ""}}
	for _, to := range [][]string{{"b@y.example>\r\nDATA"}, {}} {
		if _, err := cl.MailRcptData("a@x.example", nil, to); err == nil {
			t.Errorf("MailRcptData to %q: no error", to)
		}
	}
	if _, err := cl.MailRcptData("a@x.example\r\nRSET", nil, []string{"b@y.example"}); err == nil {
		t.Error("MailRcptData from a CR LF: no error")
	}
	if len(wc.writes) != 0 {
		t.Errorf("wrote %q", wc.writes)
	}
}
