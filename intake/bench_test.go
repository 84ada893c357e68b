package intake

import (
	"context"
	"fmt"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testmail"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// BenchmarkAccept measures the whole of Accept for one message (parse,
// routing, ticket, spool write and the store commit, no delivery worker)
// at the sizes of issue 21: plain 4 KB, 256 KB with a JPEG and a PDF, and
// 1 MB with three attachments. The store is on disk without fsync, so the
// figure is CPU, not the disk.
func BenchmarkAccept(b *testing.B) {
	for _, c := range []struct {
		name    string
		size, n int
	}{{"4k-text", 4 << 10, 0}, {"256k-jpeg-pdf", 256 << 10, 2}, {"1m-3att", 1 << 20, 3}} {
		raw, _ := testmail.WithAttachments(c.size, c.n, 1)
		if c.n == 0 {
			raw = testmail.Plain(c.size)
		}
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			st, err := store.Open(dir+"/db", store.Options{SpoolDir: dir + "/spool"})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			q := queue.New(st, queue.Config{}, nil, nil, nil)
			in := New(Options{Store: st, Queue: q, Router: fixed{Decision{Department: "support", Priority: "normal"}}, Hostname: "mx.test",
				Numbers: &counter{}, Domain: "support.test"})
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				e := &Envelope{MailFrom: fmt.Sprintf("c%d@customer.test", i), Rcpt: []string{"support@support.test"}, RemoteAddr: "127.0.0.1:5555", Helo: "client.test"}
				if _, err := in.Accept(context.Background(), e, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
