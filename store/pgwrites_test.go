package store

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestCoalesceWrites: each run of single-key writes between other
// statements becomes one statement per kind, in key order, with the last
// write of each key; a kind written once keeps its statement.
func TestCoalesceWrites(t *testing.T) {
	set := func(k, v string) *pgx.QueuedQuery {
		return &pgx.QueuedQuery{SQL: sqlSet, Arguments: []any{[]byte(k), []byte(v)}}
	}
	ttl := func(k, v string, d time.Duration) *pgx.QueuedQuery {
		return &pgx.QueuedQuery{SQL: sqlSetTTL, Arguments: []any{[]byte(k), []byte(v), d}}
	}
	del := func(k string) *pgx.QueuedQuery {
		return &pgx.QueuedQuery{SQL: sqlDeleteKey, Arguments: []any{[]byte(k)}}
	}
	putMail := func(id, data string) *pgx.QueuedQuery {
		return &pgx.QueuedQuery{SQL: sqlPutMail, Arguments: []any{id, []byte(data)}}
	}
	delMail := func(id string) *pgx.QueuedQuery {
		return &pgx.QueuedQuery{SQL: sqlDeleteMail, Arguments: []any{id}}
	}
	other := func(sql string) *pgx.QueuedQuery { return &pgx.QueuedQuery{SQL: sql} }
	b := func(s ...string) byteaRows {
		out := make(byteaRows, len(s))
		for i, x := range s {
			out[i] = []byte(x)
		}
		return out
	}
	for _, c := range []struct {
		name string
		in   []*pgx.QueuedQuery
		want []*pgx.QueuedQuery
	}{
		{"Empty", nil, nil},
		{"One", []*pgx.QueuedQuery{other("BEGIN"), set("a", "1"), other("COMMIT")},
			[]*pgx.QueuedQuery{other("BEGIN"), set("a", "1"), other("COMMIT")}},
		{"KeysInOrder", []*pgx.QueuedQuery{set("c", "3"), set("a", "1"), set("b", "2")},
			[]*pgx.QueuedQuery{{SQL: sqlSetMany, Arguments: []any{b("a", "b", "c"), b("1", "2", "3")}}}},
		{"LastWriteWins", []*pgx.QueuedQuery{
			set("x", "1"), del("y"), ttl("x", "2", time.Second), set("y", "3"), del("z"), set("z", "4"), del("z"),
			putMail("m", "one"), delMail("m"), putMail("n", "two"), putMail("n", "three"), delMail("o"),
		}, []*pgx.QueuedQuery{
			{SQL: sqlDeleteKey, Arguments: []any{[]byte("z")}},
			{SQL: sqlSet, Arguments: []any{[]byte("y"), []byte("3")}},
			{SQL: sqlSetTTL, Arguments: []any{[]byte("x"), []byte("2"), time.Second}},
			{SQL: sqlDeleteMails, Arguments: []any{[]string{"m", "o"}}},
			{SQL: sqlPutMail, Arguments: []any{"n", []byte("three")}},
		}},
		{"Many", []*pgx.QueuedQuery{
			ttl("t2", "b", time.Minute), ttl("t1", "a", 1500*time.Microsecond), del("d2"), del("d1"), putMail("m2", "B"), putMail("m1", "A"),
		}, []*pgx.QueuedQuery{
			{SQL: sqlDeleteKeys, Arguments: []any{b("d1", "d2")}},
			{SQL: sqlSetTTLMany, Arguments: []any{b("t1", "t2"), b("a", "b"), []int64{1500, 60e6}}},
			{SQL: sqlPutMails, Arguments: []any{[]string{"m1", "m2"}, b("A", "B")}},
		}},
		// A read, a savepoint's end: the runs on either side stay apart,
		// since what is between them reads or undoes the first.
		{"RunsApart", []*pgx.QueuedQuery{
			set("a", "1"), set("b", "1"), other("SELECT"), set("a", "2"), set("c", "2"), other("RELEASE SAVEPOINT fn"), del("a"),
		}, []*pgx.QueuedQuery{
			{SQL: sqlSetMany, Arguments: []any{b("a", "b"), b("1", "1")}},
			other("SELECT"),
			{SQL: sqlSetMany, Arguments: []any{b("a", "c"), b("2", "2")}},
			other("RELEASE SAVEPOINT fn"),
			del("a"),
		}},
	} {
		got := coalesceWrites(c.in)
		if len(got) != len(c.want) {
			t.Errorf("%s: %d statements, want %d: %s", c.name, len(got), len(c.want), describe(got))
			continue
		}
		for i := range got {
			if got[i].SQL != c.want[i].SQL || !reflect.DeepEqual(got[i].Arguments, c.want[i].Arguments) {
				t.Errorf("%s: statement %d = %s, want %s", c.name, i, describe(got[i:i+1]), describe(c.want[i:i+1]))
			}
		}
	}
}

func describe(qs []*pgx.QueuedQuery) string {
	s := ""
	for _, q := range qs {
		s += fmt.Sprintf("[%.30q %q] ", q.SQL, q.Arguments)
	}
	return s
}

// TestPresizeByteaRows: with presizeByteaRows on the type map, a
// byteaRows argument encodes to the same bytes as its [][]byte (empty
// elements, NULL ones and a NULL array included), into a buffer grown
// once: the bytes allocated per encoding are about the array's size, not
// the several times that growing it per element made, and the
// allocations a few, not one or more per element.
func TestPresizeByteaRows(t *testing.T) {
	m := pgtype.NewMap()
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{presizeByteaRows}, m.TryWrapEncodePlanFuncs...)
	encode := func(m *pgtype.Map, v any) []byte {
		b, err := m.Encode(pgtype.ByteaArrayOID, pgtype.BinaryFormatCode, v, make([]byte, 0, 256))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rows := byteaRows{[]byte("key/1"), {}}
	for range 16 {
		rows = append(rows, bytes.Repeat([]byte("x"), 4096))
	}
	for _, c := range []byteaRows{rows, {[]byte("a"), nil, []byte("b")}, {}, nil} {
		want := encode(pgtype.NewMap(), [][]byte(c))
		if got := encode(m, c); !bytes.Equal(got, want) {
			t.Fatalf("%d rows: byteaRows encodes to %x, [][]byte to %x", len(c), got, want)
		}
	}
	want := encode(pgtype.NewMap(), [][]byte(rows))
	if len(want) != rows.binarySize() {
		t.Errorf("binarySize %d, encoded %d bytes", rows.binarySize(), len(want))
	}
	allocated := func(m *pgtype.Map, v any) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 10 {
			encode(m, v)
		}
		runtime.ReadMemStats(&after)
		return (after.TotalAlloc - before.TotalAlloc) / 10
	}
	plain := allocated(pgtype.NewMap(), [][]byte(rows))
	presized := allocated(m, rows)
	t.Logf("bytes allocated per encoding of a %d-byte array: %d grown per element, %d presized", len(want), plain, presized)
	if presized > uint64(len(want))*5/4 {
		t.Errorf("presized encoding allocates %d bytes for a %d-byte array", presized, len(want))
	}
	allocs := testing.AllocsPerRun(10, func() { encode(m, rows) })
	plainMap := pgtype.NewMap()
	t.Logf("allocations per encoding of %d rows: %.0f as [][]byte, %.0f presized", len(rows),
		testing.AllocsPerRun(10, func() { encode(plainMap, [][]byte(rows)) }), allocs)
	if allocs > 6 {
		t.Errorf("%.0f allocations per encoding of %d rows", allocs, len(rows))
	}
}
