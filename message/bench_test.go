package message

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testmail"
)

// BenchmarkParse measures Parse on support mail with photos and PDFs
// attached (issue 21): bytes/s, ns/op and allocations per mail.
func BenchmarkParse(b *testing.B) {
	for _, c := range []struct {
		name    string
		size, n int
	}{{"4k-text", 4 << 10, 0}, {"256k-jpeg-pdf", 256 << 10, 2}, {"1m-3att", 1 << 20, 3}} {
		raw, _ := testmail.WithAttachments(c.size, c.n, 1)
		if c.n == 0 {
			raw = testmail.Plain(c.size)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
