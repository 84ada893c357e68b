package sla

// Kind names one of a ticket's deadlines. The values are the rules file's
// keys and the strings stored in tickets, shown by the API and used as
// metric labels; they must not change.
type Kind string

// The deadlines a ticket can have.
const (
	FirstResponse Kind = "first_response" // the first agent reply to a new ticket
	NextResponse  Kind = "next_response"  // an agent reply after the customer wrote again
	Resolution    Kind = "resolution"     // the ticket resolved
	// PendingClose is the auto-close clock of a ticket waiting for the
	// customer (sla.pending_close); it never warns or escalates.
	PendingClose Kind = "pending_close"
)

// Kinds returns the deadlines that warn and escalate, in the order a
// ticket meets them.
func Kinds() []Kind { return []Kind{FirstResponse, NextResponse, Resolution} }

// Name is the deadline as staff read it: "first response"; in Chinese
// (lang "zh"…) "首次回复".
func (k Kind) Name(lang string) string {
	zh := isZh(lang)
	switch k {
	case FirstResponse:
		if zh {
			return "首次回复"
		}
		return "first response"
	case NextResponse:
		if zh {
			return "后续回复"
		}
		return "next response"
	case Resolution:
		if zh {
			return "解决"
		}
		return "resolution"
	case PendingClose:
		if zh {
			return "待客户回复自动关闭"
		}
		return "auto-close"
	}
	return string(k)
}
