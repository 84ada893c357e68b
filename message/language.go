package message

// Language is a customer's language: what Lang judges a mail to be in,
// and what tickets, templates, FAQ entries and the help centre are
// written in. Its JSON and template value is the code itself ("en", "zh").
type Language string

// The languages Frontdesk writes and reads.
const (
	English Language = "en"
	Chinese Language = "zh"
)
