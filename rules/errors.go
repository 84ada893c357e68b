package rules

import "github.com/frontdesk-mail/frontdesk/internal/adminfile"

// Error is one problem in a rules file, at the position of the offending
// YAML node (1-based line and column).
type Error = adminfile.Error

// ErrorList is every problem Parse found, ordered by position. Its Error
// method prints one "file:line:col: message" line per problem.
type ErrorList = adminfile.List

// synonyms maps words admins reach for to the keys the format uses.
var synonyms = map[string]string{
	"sender": "from", "recipient": "to", "recipients": "to", "rcpt": "to", "cc": "to",
	"text": "body", "content": "body", "language": "lang", "attachments": "attachment",
	"headers": "header", "tag": "tags", "dept": "department", "match": "matches",
	"regex": "matches", "regexp": "matches", "is": "equals", "equal": "equals",
	"or": "any", "and": "all", "when": "if", "do": "then", "actions": "then",
	"timezone_name": "timezone", "tz": "timezone", "zone": "timezone", "address": "addresses",
}

// didYouMean suggests the known word closest to s, or "".
func didYouMean(s string, known []string) string {
	return adminfile.Suggest(s, known, synonyms)
}
