// Package compose writes every mail the gateway sends: acknowledgements,
// agents' replies forwarded to customers, SLA warnings and escalations,
// the auto-close notice, notices to agents (held replies, refused
// commands) and rating notes. One place decides what such a mail looks
// like on the wire — Message-ID, Date, From/To with RFC 2047 names, the
// subject in RFC 2047, In-Reply-To/References, Auto-Submitted (RFC 3834),
// text or multipart/alternative text and HTML, DKIM signing for mail to
// customers — so that a fix to one (header injection, threading, folding)
// is a fix to all.
//
// Mail is one message as data and Mail.Bytes its RFC 5322 form. Templates
// (Load) are the admin-editable wording: built-in English and Chinese
// templates (ack, autoclose, resolved, warning, escalation) that templates_dir can
// replace file by file, per department if need be, checked at load time
// so that a broken file is a file:line:col error and never a broken mail.
// A template's first line may set the subject ("Subject: …"). Chinese
// templates are Simplified; package ack converts an acknowledgement or a
// notice to Traditional characters for a customer who writes them (the
// ticket remembers it: ticket.Traditional). Composer
// ties the two together: Template renders a template into a Mail, and
// Warning, Escalation, Notice and Rating build the gateway's own mails
// from what their callers know.
//
// This is a package of its own rather than part of ack because ack decides
// whether and to whom a customer is acknowledged (RFC 3834 suppression,
// the recipient) and what an acknowledgement says; most mails composed
// here are no acknowledgement. Nothing here does I/O but Load reading
// templates_dir.
package compose
