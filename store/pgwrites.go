package store

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The writes of a transaction, one statement per key or mail as the
// functions make them (pgTxn.set, delete, putMail).
const (
	sqlSet = `INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, NULL)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = NULL`
	sqlSetTTL = `INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, now() + $3::interval)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`
	sqlDeleteKey  = `DELETE FROM kv WHERE key = $1`
	sqlPutMail    = `INSERT INTO mail (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = excluded.data`
	sqlDeleteMail = `DELETE FROM mail WHERE id = $1`
)

// The same writes for many keys or mails in one statement (coalesceWrites):
// arrays of the keys and values, in key order.
const (
	sqlSetMany = `INSERT INTO kv (key, value, expires_at)
		SELECT k, v, NULL FROM unnest($1::bytea[], $2::bytea[]) AS u(k, v)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = NULL`
	// TTLs in microseconds, interval's precision.
	sqlSetTTLMany = `INSERT INTO kv (key, value, expires_at)
		SELECT k, v, now() + us * interval '1 microsecond' FROM unnest($1::bytea[], $2::bytea[], $3::bigint[]) AS u(k, v, us)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`
	sqlDeleteKeys  = `DELETE FROM kv WHERE key = ANY($1)`
	sqlPutMails    = `INSERT INTO mail (id, data) SELECT i, d FROM unnest($1::text[], $2::bytea[]) AS u(i, d) ON CONFLICT (id) DO UPDATE SET data = excluded.data`
	sqlDeleteMails = `DELETE FROM mail WHERE id = ANY($1)`
)

// coalesceWrites rewrites each run of writes in qs (statements of the
// kinds above, one key or mail each, with nothing between them that reads
// or ends a savepoint) as at most one statement of each kind: the last
// write of a key or mail in the run is the one that counts, as it would
// have been had each gone alone. A round trip that commits a batch of
// mail thus sends five statements instead of some ten per mail (the
// upserts of each function, four deletes of delivered queue items, two
// mail rows each), which cost both ends per statement. Within a statement
// keys are in order: two nodes writing the same keys lock them in the
// same order.
func coalesceWrites(qs []*pgx.QueuedQuery) []*pgx.QueuedQuery {
	out := qs[:0:0]
	for i := 0; i < len(qs); {
		if writeKind(qs[i].SQL) == 0 {
			out = append(out, qs[i])
			i++
			continue
		}
		j := i
		for j < len(qs) && writeKind(qs[j].SQL) != 0 {
			j++
		}
		out = append(out, coalesceRun(qs[i:j])...)
		i = j
	}
	return out
}

// writeKind tells the single-key writes coalesceWrites puts together:
// 1 the writes of kv (by key), 3 those of mail (by id), 0 anything else.
func writeKind(sql string) int {
	switch sql {
	case sqlSet, sqlSetTTL, sqlDeleteKey:
		return 1
	case sqlPutMail, sqlDeleteMail:
		return 3
	}
	return 0
}

// coalesceRun is coalesceWrites of one run of writes: a run of one
// statement of a kind stays as it was.
func coalesceRun(run []*pgx.QueuedQuery) []*pgx.QueuedQuery {
	if len(run) == 1 {
		return run
	}
	// The last write of each key and mail.
	keys := make(map[string]*pgx.QueuedQuery, len(run))
	mails := make(map[string]*pgx.QueuedQuery)
	for _, q := range run {
		if writeKind(q.SQL) == 1 {
			keys[string(q.Arguments[0].([]byte))] = q
		} else {
			mails[q.Arguments[0].(string)] = q
		}
	}
	bySQL := make(map[string][]*pgx.QueuedQuery, 5)
	for _, q := range keys {
		bySQL[q.SQL] = append(bySQL[q.SQL], q)
	}
	for _, q := range mails {
		bySQL[q.SQL] = append(bySQL[q.SQL], q)
	}
	var out []*pgx.QueuedQuery
	for _, sql := range []string{sqlDeleteKey, sqlSet, sqlSetTTL, sqlDeleteMail, sqlPutMail} {
		qs := bySQL[sql]
		if len(qs) == 0 {
			continue
		}
		if writeKind(sql) == 1 {
			slices.SortFunc(qs, func(a, b *pgx.QueuedQuery) int {
				return bytes.Compare(a.Arguments[0].([]byte), b.Arguments[0].([]byte))
			})
		} else {
			slices.SortFunc(qs, func(a, b *pgx.QueuedQuery) int {
				return strings.Compare(a.Arguments[0].(string), b.Arguments[0].(string))
			})
		}
		if len(qs) == 1 {
			out = append(out, qs[0])
			continue
		}
		out = append(out, manyWrites(sql, qs))
	}
	return out
}

// manyWrites is the one statement of qs's writes, all of the kind sql.
func manyWrites(sql string, qs []*pgx.QueuedQuery) *pgx.QueuedQuery {
	switch sql {
	case sqlDeleteKey, sqlSet, sqlSetTTL:
		keys := make(byteaRows, len(qs))
		for i, q := range qs {
			keys[i] = q.Arguments[0].([]byte)
		}
		if sql == sqlDeleteKey {
			return &pgx.QueuedQuery{SQL: sqlDeleteKeys, Arguments: []any{keys}}
		}
		vals := make(byteaRows, len(qs))
		for i, q := range qs {
			vals[i] = q.Arguments[1].([]byte)
		}
		if sql == sqlSet {
			return &pgx.QueuedQuery{SQL: sqlSetMany, Arguments: []any{keys, vals}}
		}
		us := make([]int64, len(qs))
		for i, q := range qs {
			us[i] = q.Arguments[2].(time.Duration).Microseconds()
		}
		return &pgx.QueuedQuery{SQL: sqlSetTTLMany, Arguments: []any{keys, vals, us}}
	default:
		ids := make([]string, len(qs))
		for i, q := range qs {
			ids[i] = q.Arguments[0].(string)
		}
		if sql == sqlDeleteMail {
			return &pgx.QueuedQuery{SQL: sqlDeleteMails, Arguments: []any{ids}}
		}
		data := make(byteaRows, len(qs))
		for i, q := range qs {
			data[i] = q.Arguments[1].([]byte)
		}
		return &pgx.QueuedQuery{SQL: sqlPutMails, Arguments: []any{ids, data}}
	}
}

// byteaRows is a bytea[] argument (the keys, values and mails of
// manyWrites) that pgx encodes into a buffer grown once to the array's
// size (presizeByteaRows). pgx starts each statement's parameters in a
// buffer of 256 bytes and appends element after element, so an array of
// a batch's mails grew through a copy per mail or so: some 50 KB
// allocated per 4 KB mail, and as much more for the collector to do.
type byteaRows [][]byte

// binarySize is the size of rows in PostgreSQL's binary array format: a
// header of 20 bytes (one dimension), then each element's length and
// bytes.
func (rows byteaRows) binarySize() int {
	n := 20
	for _, r := range rows {
		n += 4 + len(r)
	}
	return n
}

// presizeByteaRows is a pgtype.TryWrapEncodePlanFunc for byteaRows:
// pgPoolConfig puts it first on each connection's type map. Its plan
// grows the buffer to the array's size and leaves the encoding to pgx's
// array plan, given the rows as a byteaArray; on a connection without
// it, byteaRows is encoded as its underlying [][]byte, the same bytes.
func presizeByteaRows(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	rows, ok := value.(byteaRows)
	if !ok {
		return nil, nil, false
	}
	return &presizePlan{}, byteaArray(rows), true
}

type presizePlan struct{ next pgtype.EncodePlan }

func (p *presizePlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *presizePlan) Encode(value any, buf []byte) ([]byte, error) {
	rows := value.(byteaRows)
	if n := rows.binarySize(); cap(buf)-len(buf) < n {
		buf = append(make([]byte, 0, len(buf)+n), buf...)
	}
	return p.next.Encode(byteaArray(rows), buf)
}

// byteaArray is byteaRows as pgx's array plan takes them
// (pgtype.ArrayGetter): each element a pointer, which an interface holds
// without an allocation. pgx's own view of a [][]byte goes through
// reflection and allocates for every element.
type byteaArray [][]byte

func (a byteaArray) Dimensions() []pgtype.ArrayDimension {
	if a == nil {
		return nil // NULL, as pgx encodes a nil [][]byte
	}
	return []pgtype.ArrayDimension{{Length: int32(len(a)), LowerBound: 1}}
}

func (a byteaArray) Index(i int) any { return (*byteaElem)(&a[i]) }

func (a byteaArray) IndexType() any { return (*byteaElem)(nil) }

// byteaElem is an element of a byteaArray; pgx encodes it as bytea
// (pgtype.BytesValuer), NULL when nil as it does a nil []byte.
type byteaElem []byte

func (e *byteaElem) BytesValue() ([]byte, error) { return *e, nil }
