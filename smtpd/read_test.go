package smtpd

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// readMessage must return exactly the bytes read, whatever the sizes of the
// reads and wherever the message ends relative to its chunks, and must
// pass on a read error with the bytes that came before it.
func TestReadMessage(t *testing.T) {
	s := &Server{}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3 * chunkSize, 3*chunkSize + 17, 300 << 10} {
		want := make([]byte, size)
		for i := range want {
			want[i] = byte(rng.Uint32())
		}
		readers := map[string]func() io.Reader{
			"whole":         func() io.Reader { return bytes.NewReader(want) },
			"one byte":      func() io.Reader { return iotest.OneByteReader(bytes.NewReader(want)) },
			"half":          func() io.Reader { return iotest.HalfReader(bytes.NewReader(want)) },
			"data with EOF": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(want)) },
		}
		for name, r := range readers {
			// Twice, so that the second read gets the first one's pooled
			// chunks, still holding its bytes.
			for range 2 {
				got, err := s.readMessage(r(), nil)
				if err != nil {
					t.Fatalf("%d bytes, %s: %v", size, name, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("%d bytes, %s: got %d bytes, not the ones sent", size, name, len(got))
				}
				if cap(got) != size {
					t.Errorf("%d bytes, %s: capacity %d, want exactly the size", size, name, cap(got))
				}
			}
		}
	}

	boom := errors.New("connection reset")
	got, err := s.readMessage(io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("x"), chunkSize+5)), iotest.ErrReader(boom)), nil)
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if len(got) != chunkSize+5 {
		t.Errorf("got %d bytes before the error, want %d", len(got), chunkSize+5)
	}
}
