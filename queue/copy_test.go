package queue

import (
	"testing"
)

func TestCopy(t *testing.T) {
	const body = "Received: from a\r\n\tby b\r\nAuthentication-Results: mx; spf=pass\r\n\tdkim=none\r\nSubject: hi\r\n\r\nline one\r\nX-Not-A-Header: in the body\r\n"
	tests := []struct {
		name string
		it   Item
		body string
		want string
	}{
		{"agents get the queue id and our headers", Item{ID: "q1", Target: "agents", Headers: []Header{{"X-Frontdesk-Ticket", "SUP-1"}}}, body,
			"X-Frontdesk-Queue-Id: q1\r\nX-Frontdesk-Ticket: SUP-1\r\n" + body},
		{"customers get no internal id", Item{ID: "q1", Target: "outbound"}, body, body},
		{"dropped header takes its continuation lines, the body keeps lookalikes", Item{ID: "q2", Target: "agents", DropHeaders: []string{"authentication-results", "X-Not-A-Header"}}, body,
			"X-Frontdesk-Queue-Id: q2\r\nReceived: from a\r\n\tby b\r\nSubject: hi\r\n\r\nline one\r\nX-Not-A-Header: in the body\r\n"},
		{"a prefix drops every field it starts, in any case", Item{ID: "q6", Target: "agents", Headers: []Header{{"X-Frontdesk-Ticket", "SUP-1"}},
			DropHeaders: []string{"x-frontdesk-*"}}, "X-Frontdesk-Owner: boss@x\r\nFrom: a@b\r\nx-frontdesk-queue-id: forged\r\n\tmore\r\nX-Frontdesk: short\r\n\r\nX-Frontdesk-Owner: in the body\r\n",
			"X-Frontdesk-Queue-Id: q6\r\nX-Frontdesk-Ticket: SUP-1\r\nFrom: a@b\r\nX-Frontdesk: short\r\n\r\nX-Frontdesk-Owner: in the body\r\n"},
		{"LF line ends", Item{ID: "q3", Target: "agents", DropHeaders: []string{"Subject"}}, "Subject: x\nFrom: a@b\n\nbody\n",
			"X-Frontdesk-Queue-Id: q3\r\nFrom: a@b\n\nbody\n"},
		{"no blank line: all header", Item{ID: "q4", Target: "agents", DropHeaders: []string{"Subject"}}, "From: a@b\r\nSubject: x\r\n",
			"X-Frontdesk-Queue-Id: q4\r\nFrom: a@b\r\n"},
		{"header value with CR LF is kept on one line", Item{ID: "q5", Target: "agents", Headers: []Header{{"X-Frontdesk-Tags", "a\r\nBcc: x@evil"}}}, "\r\nbody",
			"X-Frontdesk-Queue-Id: q5\r\nX-Frontdesk-Tags: a  Bcc: x@evil\r\n\r\nbody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := []byte(tc.body)
			head, rest := Copy(&tc.it, b)
			if got := string(head) + string(rest); got != tc.want {
				t.Errorf("Copy =\n%q\nwant\n%q", got, tc.want)
			}
			// The body after the header block is delivered from the
			// stored bytes, not from a copy of them.
			if len(rest) > 0 && &rest[len(rest)-1] != &b[len(b)-1] {
				t.Error("rest is a copy of the body")
			}
		})
	}
}
