package message

// Envelope is what the SMTP session knows about a message besides its
// bytes: the SMTP envelope and what sender authentication found. The SMTP
// server (package smtpd) fills it and intake reads it; it lives here so
// that neither imports the other.
type Envelope struct {
	MailFrom   string
	Rcpt       []string
	RemoteAddr string
	Helo       string
	TLS        bool
	// UTF8 is set when the client sent the mail with SMTPUTF8 (RFC 6531).
	UTF8 bool
	// Auth is the authenticated submission user ("" on the MX).
	Auth string
	// Aligned reports whether SPF or DKIM passed aligned with a domain
	// (nil when sender authentication was not checked).
	Aligned func(domain string) bool
	// AlignedUnknown reports whether SPF or DKIM could not be checked
	// (DNS trouble) for a domain that nothing vouched for (nil when not
	// checked): an agent's mail then waits for a retry.
	AlignedUnknown func(domain string) bool
	// SPFAligned reports whether SPF passed for the envelope sender and
	// its domain is aligned with domain (nil when not checked): an
	// acknowledgement goes to the envelope sender only when the From
	// agrees with it (ack.Recipient).
	SPFAligned func(domain string) bool
	// AuthResults is the Authentication-Results header to add ("" none).
	AuthResults string
	// Forged is set when sender authentication failed per policy: no
	// acknowledgement goes to such a sender.
	Forged bool
}
