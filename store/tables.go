package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4/fb"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/y"
	"google.golang.org/protobuf/proto"
)

// checkTables reads what Badger (v4.9.6) reads of each table file when it
// opens a store — the footer, the index and its checksum, the first and
// the last block — and checks it the way Badger will use it. Badger opens
// tables in goroutines of its own and slices these bytes without bounds
// checks: a table cut short or overwritten made Open panic where no
// recover can reach, and serve died with a goroutine dump instead of
// saying that the store is damaged. Tables are not compressed nor
// encrypted here (Open's options).
func checkTables(dir string) error {
	tables, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		return err
	}
	for _, path := range tables {
		if err := checkTable(path); err != nil {
			return fmt.Errorf("%w: table %s: %w", ErrUnopenable, filepath.Base(path), err)
		}
	}
	return nil
}

func checkTable(path string) (err error) {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	read := func(pos, n int64) ([]byte, error) {
		if pos < 0 || n < 0 || pos+n > size {
			return nil, errors.New("cut short or damaged: its footer points outside the file")
		}
		b := make([]byte, n)
		if _, err := f.ReadAt(b, pos); err != nil && !(errors.Is(err, io.EOF) && pos+n == size) {
			return nil, err
		}
		return b, nil
	}
	u32 := func(pos int64) (int64, error) {
		b, err := read(pos, 4)
		if err != nil {
			return 0, err
		}
		return int64(binary.BigEndian.Uint32(b)), nil
	}
	// Footer: … index, index length (4), checksum, checksum length (4).
	pos := size - 4
	chkLen, err := u32(pos)
	if err != nil {
		return err
	}
	pos -= chkLen
	chk, err := read(pos, chkLen)
	if err != nil {
		return err
	}
	var sum pb.Checksum
	if err := proto.Unmarshal(chk, &sum); err != nil {
		return fmt.Errorf("index checksum: %w", err)
	}
	pos -= 4
	indexLen, err := u32(pos)
	if err != nil {
		return err
	}
	if indexLen == 0 {
		return errors.New("empty index")
	}
	pos -= indexLen
	index, err := read(pos, indexLen)
	if err != nil {
		return err
	}
	if err := y.VerifyChecksum(index, &sum); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	indexStart := pos
	// The index is a flatbuffer: read it under a recover, since its
	// accessors slice without checks too.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("index does not decode: %v", p)
		}
	}()
	ti := fb.GetRootAsTableIndex(index, 0)
	n := ti.OffsetsLength()
	if n == 0 {
		return errors.New("index lists no block")
	}
	for _, i := range []int{0, n - 1} {
		var bo fb.BlockOffset
		if !ti.Offsets(&bo, i) {
			return fmt.Errorf("block %d: not in the index", i)
		}
		off, l := int64(bo.Offset()), int64(bo.Len())
		if off+l > indexStart {
			return fmt.Errorf("block %d: beyond the data", i)
		}
		b, err := read(off, l)
		if err != nil {
			return fmt.Errorf("block %d: %w", i, err)
		}
		if err := checkBlock(b); err != nil {
			return fmt.Errorf("block %d: %w", i, err)
		}
	}
	return nil
}

// checkBlock checks an uncompressed block: … entry offsets, entry count
// (4), checksum, checksum length (4); the checksum covers everything
// before it.
func checkBlock(b []byte) error {
	if len(b) < 8 {
		return errors.New("too short")
	}
	chkLen := int(binary.BigEndian.Uint32(b[len(b)-4:]))
	if chkLen > len(b)-8 {
		return errors.New("bad checksum length")
	}
	end := len(b) - 4 - chkLen
	var sum pb.Checksum
	if err := proto.Unmarshal(b[end:len(b)-4], &sum); err != nil {
		return fmt.Errorf("checksum: %w", err)
	}
	if err := y.VerifyChecksum(b[:end], &sum); err != nil {
		return err
	}
	if n := int64(binary.BigEndian.Uint32(b[end-4 : end])); n*4 > int64(end-4) {
		return errors.New("bad entry count")
	}
	return nil
}
