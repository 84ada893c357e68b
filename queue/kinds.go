package queue

// TargetName names a configured target in Item.Target. The values are
// stored in queue items and shown by `queue list` and the API; they must
// not change.
type TargetName string

// The targets every gateway has.
const (
	Agents   TargetName = "agents"   // relay.target: department mailboxes, notices, escalations
	Outbound TargetName = "outbound" // outbound.target: mail to customers
)

// Kind says why a queued mail is sent (Item.Kind). The values are stored
// in queue items, shown by `queue list`, logged, and are the kind label of
// frontdesk_queue_delivery_seconds; they must not change.
type Kind string

// The mails the gateway queues.
const (
	Relay      Kind = "relay"      // a customer's mail to its department
	Ack        Kind = "ack"        // the acknowledgement of a new ticket
	Reply      Kind = "reply"      // an agent's reply to the customer
	Warning    Kind = "warning"    // an SLA warning to the escalation address
	Escalation Kind = "escalation" // an SLA breach to the escalation address
	Notice     Kind = "notice"     // the gateway to an agent: held reply, refused command
	AutoClose  Kind = "autoclose"  // the customer's notice that a waiting ticket closed
	Resolved   Kind = "resolved"   // the customer's notice that a ticket was resolved (API)
	Rating     Kind = "rating"     // a customer's rating, to the department
)
