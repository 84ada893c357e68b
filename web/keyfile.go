package web

import (
	"crypto/rand"
	"path/filepath"
)

// NewKey returns a new random status-link key, for a store that keeps the
// key itself (PostgreSQL, shared by every node) instead of a file.
func NewKey() []byte {
	key := make([]byte, keySize)
	rand.Read(key) // never fails on Linux
	return key
}

// ReadKey reads <dataDir>/status.key without creating it: an error
// satisfying errors.Is(err, fs.ErrNotExist) when there is none, and an
// error for a key of the wrong size.
func ReadKey(dataDir string) ([]byte, error) { return readKey(filepath.Join(dataDir, KeyFile)) }

// ValidKey reports whether key has the size of a status-link key.
func ValidKey(key []byte) bool { return len(key) == keySize }
