package gateway

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
	"golang.org/x/crypto/bcrypt"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// agentUsers is the submission users file: `user:bcrypt-hash` lines (as
// written by `htpasswd -nbB` or `mkpasswd -m bcrypt`), # for comments. A
// file without a user is an error (loadUsers).
type agentUsers map[string][]byte

func loadUsers(path string) (agentUsers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("submission users: %w", err)
	}
	users := agentUsers{}
	var errs adminfile.List
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		col := utf8.RuneCountInString(sc.Text()[:strings.Index(sc.Text(), line)]) + 1
		switch {
		case !ok || user == "":
			errs = append(errs, &adminfile.Error{File: path, Line: n, Col: col, Msg: "want user:bcrypt-hash"})
		case func() bool { _, err := bcrypt.Cost([]byte(hash)); return err != nil }():
			errs = append(errs, &adminfile.Error{File: path, Line: n, Col: col + utf8.RuneCountInString(user) + 1,
				Msg: fmt.Sprintf("the password of %q is not a bcrypt hash", user)})
		default:
			users[strings.ToLower(user)] = []byte(hash)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(users) == 0 {
		// An empty file has no sensible meaning: the listener would run
		// and refuse every login. Not wanting agents' submission is said
		// by leaving submission.listen out.
		return nil, adminfile.List{{File: path, Msg: "no agents: the file has no user:bcrypt-hash line, so nobody could log in to submission.listen; " +
			"add one per agent (htpasswd -nbB USER PASSWORD) or remove submission.listen"}}
	}
	return users, nil
}

// Check implements smtpd.Users.
func (u agentUsers) Check(user, password string) bool {
	h, ok := u[strings.ToLower(user)]
	if !ok {
		// Spend the same time as a wrong password, so user names cannot
		// be probed by timing.
		bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z5Q5Jv5oW2Y2lq2cJ8pG6G1e"), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword(h, []byte(password)) == nil
}

// agentRcpt lets agents write only to ticket reply addresses: the gateway
// sends mail only to a ticket's customer, never wherever an agent asks.
func agentRcpt(prefix, domain string) func(string) *smtp.SMTPError {
	return func(addr string) *smtp.SMTPError {
		if ticket.AddressTag(addr, prefix) != "" {
			return nil
		}
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: fmt.Sprintf("Agents can only write to a ticket's reply address, such as support+%s-1042@%s", strings.ToLower(prefix), domain)}
	}
}

func loadTLS(cfg *config.Config) (*tls.Config, error) {
	certFile, keyFile := cfg.SMTP.TLS.CertFile, cfg.SMTP.TLS.KeyFile
	if certFile == "" {
		return nil, nil
	}
	// Each file is read on its own, so that a problem is placed at the
	// key that names the file it is in.
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fileKeyError(cfg, err, "smtp", "tls", "cert_file")
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fileKeyError(cfg, err, "smtp", "tls", "key_file")
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		key, file := tlsFileAt(err.Error()), certFile
		if key == "key_file" {
			file = keyFile
		}
		return nil, fileKeyError(cfg, fmt.Errorf("%s: %w", file, err), "smtp", "tls", key)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// tlsFileAt is the smtp.tls key whose file crypto/tls's X509KeyPair error
// is about: "… in certificate input …" and a certificate that does not
// parse are cert_file's; "… key input …", a key that does not parse or
// that does not match the certificate are key_file's.
func tlsFileAt(msg string) string {
	switch {
	case strings.Contains(msg, "certificate input"):
		return "cert_file"
	case strings.Contains(msg, "key input"), strings.Contains(msg, "private key"):
		return "key_file"
	}
	return "cert_file"
}
