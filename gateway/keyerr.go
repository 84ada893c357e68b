package gateway

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
)

// fileKeyError is err, a problem with the file the config's key (a path
// of mapping keys) names, at that key's value in the config file
// ("frontdesk.yaml:5:18: outbound.dkim.key_file: …"), as fileErrors places
// rules_file's and every other config error is placed. Problems the file's
// own lines show (a users file's "agents.passwd:1:7: …") keep their
// places; with no config file (the defaults) it is "key: …". nil stays nil.
func fileKeyError(cfg *config.Config, err error, key ...string) error {
	if err == nil {
		return nil
	}
	var list adminfile.List
	var one *adminfile.Error
	if errors.As(err, &list) && len(list) > 0 && list[0].Line > 0 || errors.As(err, &one) && one.Line > 0 {
		return err
	}
	msg := err.Error()
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		msg = pe.Error() // "open x.pem: no such file or directory", as fileErrors says it
	}
	name := strings.Join(key, ".")
	if e := cfg.KeyError(name+": "+msg, key...); e != nil {
		e.Err = err
		return e
	}
	return &keyErr{msg: name + ": " + msg, err: err}
}

// keyErr is a config key's message about err, which it wraps.
type keyErr struct {
	msg string
	err error
}

func (e *keyErr) Error() string { return e.msg }
func (e *keyErr) Unwrap() error { return e.err }
