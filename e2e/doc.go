// Package e2e holds end-to-end tests: they build the real frontdesk binary
// once, start it on loopback with a config of the test's own, and talk to
// it with real clients (swaks, Go's net/smtp and textproto) while real
// peers (Postfix's smtp-sink, Dovecot LMTP) play the agents' mailboxes.
package e2e
