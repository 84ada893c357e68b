package gateway

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// leftBadger returns the parts of a Badger install (store/, mail/) that
// remain in the data dir of a node serving from PostgreSQL: `store copy`
// copies them and leaves them where they were, and nothing the node does
// afterwards reaches them, erasures and retention included.
func leftBadger(dataDir string) []string {
	var out []string
	for _, d := range []string{"store", "mail"} {
		p := filepath.Join(dataDir, d)
		if ents, err := os.ReadDir(p); err == nil && len(ents) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// leftBadgerNote says what leftBadger found, "" when nothing.
func leftBadgerNote(dataDir string) string {
	left := leftBadger(dataDir)
	if len(left) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: a Badger store left from before the move to PostgreSQL still holds the mail and tickets it had; "+
		"erasures and retention do not reach it: delete it (or move it off the host) once the database serves", strings.Join(left, ", "))
}
