package ticket

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// TestThreadKeys: the keys Thread reads first, which intake names for the
// store to read ahead: In-Reply-To and the last References (at most
// maxThreadKeys Message-IDs, lower-cased as the index keeps them), then
// the tickets a reply address and the subject tag name.
func TestThreadKeys(t *testing.T) {
	var refs []string
	for i := range 12 {
		refs = append(refs, fmt.Sprintf("<r%d@Customer.example>", i))
	}
	cases := []struct {
		name, raw string
		rcpt      []string
		want      []string
	}{
		{"new conversation", "Subject: kettle\r\n\r\nx\r\n", []string{"support@help.example"}, nil},
		{"reply", "Subject: Re: kettle\r\nIn-Reply-To: <A1@Help.example>\r\nReferences: <r0@c.example> <A1@Help.example>\r\n\r\nx\r\n", nil,
			[]string{"ix/mid/a1@help.example", "ix/mid/a1@help.example", "ix/mid/r0@c.example"}},
		{"long references", "Subject: x\r\nReferences: " + strings.Join(refs, " ") + "\r\n\r\nx\r\n", nil,
			[]string{"ix/mid/r11@customer.example", "ix/mid/r10@customer.example", "ix/mid/r9@customer.example", "ix/mid/r8@customer.example",
				"ix/mid/r7@customer.example", "ix/mid/r6@customer.example", "ix/mid/r5@customer.example", "ix/mid/r4@customer.example"}},
		{"tags", "Subject: Re: [SUP-1042] kettle\r\n\r\nx\r\n", []string{"support+sup-1041@help.example"},
			[]string{"t/SUP-1041", "t/SUP-1042"}},
	}
	for _, c := range cases {
		m, err := message.Parse([]byte(c.raw))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, k := range ThreadKeys(m, c.rcpt, "SUP") {
			got = append(got, string(k))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
