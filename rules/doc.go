// Package rules compiles a Frontdesk rules file (rules.yaml) and decides,
// for each received message, its department, priority, tags,
// acknowledgement and whether it is rejected or discarded.
//
// The file format is the one in docs/design.md: calendars, departments,
// default_department and an ordered list of rules, each with a name, an
// optional "if" condition, a "then" action map and an optional
// "continue: true". Parse reports every problem at once as an ErrorList of
// "file:line:col: message" errors positioned at the offending YAML node.
//
// # Conditions
//
// A condition is a map; several keys in one map must all hold. The keys:
//
//   - subject, body: a text spec (below). body is Message.Text: the text
//     part, or the HTML part turned to text.
//   - from, to: an address spec: a text spec plus "domain". to looks at the
//     envelope recipients (Message.Rcpt) and the To and Cc headers; it holds
//     when one of those addresses satisfies the whole spec. equals compares
//     the address (addr-spec) only; contains and matches look at the address
//     and at the display name; domain holds for the address's domain or any
//     subdomain of it ("domain: example.com" matches "mail.example.com");
//     an internationalized domain matches written in Unicode or in A-labels
//     ("domain: 例子.中国" holds for "xn--fsqu00a.xn--fiqs8s").
//   - header: {name: X-Spam-Flag, equals|contains|matches: …}: some value
//     of that header (decoded) satisfies the spec; with only name, the
//     header is present.
//   - attachment: {name: …, type: …}: some single attachment satisfies both
//     given specs; "attachment: true" (false) holds when the message has
//     (has no) attachments. type is the lower-case media type.
//   - lang: zh, en or a list: the message's language (Message.Lang).
//   - time: {in_hours: CALENDAR} or {outside_hours: CALENDAR}: whether the
//     evaluation time is inside an open range of that calendar.
//   - about: {department: KEY or [KEYS], confidence: 0.5}: what the gateway
//     understands of the message puts it in one of those departments with
//     at least that confidence (in (0, 1], required: the admin decides how
//     sure the gateway must be before content overrides the address). The
//     understanding comes from a Classifier passed to EvaluateWith — the
//     gateway, `rules test` and `faq suggest` pass the FAQ catalog in force
//     (faq.Catalog.Topics: the departments of the entries the mail
//     matches) — and is asked at most once per message, after every
//     cheaper condition. Without a classifier (Evaluate) it never holds.
//     When the leading topic's entry also lists the department of the
//     message's address (faq.Topic.Also), that department takes the
//     leading topic's place: content moves a mail away from its address
//     only when the address's department has nothing to do with it. (A
//     finance topic lists no other department when the mail reports a
//     refund or payment gone wrong, and a pitch is read by the careers
//     and press entries alone, a proposal of a kind — a job, coverage or
//     sponsorship, distribution — or a charge gone wrong by the entries
//     of that kind, whatever else it matches: see faq.Catalog.Topics.)
//     Decision.Topics keeps what the classifier said, for the trace; the
//     explanation names the department, its confidence against the
//     threshold and the FAQ entries behind it (and when the address's
//     department was kept, or when a question asked before buying had the
//     product's support entries count for sales: faq.Topic.PreSale).
//   - any: [conditions] (one holds), all: [conditions] (every one holds),
//     not: condition.
//
// A text spec is a map of equals, contains and matches (all given must hold
// on the same value), or a plain string or list, which means contains.
// contains and equals take a string or a list (any of them), compare case-
// insensitively after NFKC normalisation of both sides (full-width
// "ＲＥＦＵＮＤ" equals "refund"; half-width katakana become full-width); equals
// compares the whole value with surrounding spaces trimmed. matches is an
// RE2 regular expression (Go regexp syntax), compiled when the file is
// loaded, applied to the NFKC-normalised value without case folding: write
// (?i) for case-insensitive patterns. An empty string or list is an error
// (it would match everything).
//
// # Actions
//
// department (a department key), priority (low, normal, high, urgent), tags
// (a word or list of words), ack (a template name, or "none" for no
// acknowledgement), sla (overrides of the department's policy:
// first_response, next_response, resolution, calendar, warn_at,
// pause_when_waiting), reject: "text" (refuse with 550 5.7.1 and that text)
// and discard: true (accept, count, do not relay). reject and discard in one
// action are an error.
//
// # Order, continue, and how actions combine
//
// Rules are tried top to bottom. The first rule that matches decides, and
// evaluation stops there, unless that rule says "continue: true": then the
// rules below it are tried too, and the next matching rule is handled the
// same way, until one that does not continue has matched or the list ends.
// The actions of all matched rules combine field by field, and rule order is
// the precedence throughout, so that "the first match decides" holds for
// every field:
//
//   - department, ack: the first matched rule that sets it wins; later rules
//     cannot change it (a continuing rule near the top is an override, not a
//     default).
//   - reject / discard: the first matched rule that sets either wins; once a
//     message is rejected a later discard is ignored and vice versa.
//   - sla overrides: field by field, the first matched rule that sets a
//     field wins.
//   - priority: the highest priority any matched rule sets (rules raise
//     priority, they never lower one that an earlier rule raised); "normal"
//     when none sets one.
//   - tags: the union, in the order the rules add them, without duplicates.
//
// Decision.Matched lists every matched rule in order with the conditions
// that made it match (for example `subject contains "refund"`).
//
// When no matched rule sets a department, the department is the one owning
// the first envelope recipient that a department owns (DepartmentFor); when
// the message has no envelope recipients the To and Cc addresses are used
// the same way; when no recipient belongs to a department, it is
// default_department.
//
// Decision.SLA is the department's policy, with the per-priority override
// for the decided priority applied, then the rules' sla overrides.
//
// # SLA policies
//
// A department's sla map takes first_response, next_response and
// resolution (SLA durations: "4h", "90m", "1h30m" in business time, or whole
// working days "3d"), calendar (a calendar of the file; without one the
// clock is 24×7), warn_at ("75%" or 0.75: warn when that share of the time
// has passed), pause_when_waiting (true: the clock stops while the ticket
// waits for the customer), pending_close (how long a ticket may wait on the
// customer after an agent's #wait before it is resolved for them; an SLA
// duration, default 7d; a rule's sla cannot set it) and priorities,
// per-priority overrides of the durations and warn_at:
//
//	sla:
//	  first_response: 4h
//	  resolution: 3d
//	  calendar: office
//	  priorities:
//	    urgent: {first_response: 1h, resolution: 1d}
//	    low: {first_response: 1d}
//
// # Checks
//
// Besides unknown keys and wrong types, Parse reports: references to
// unknown departments (also in about) or calendars, a missing or
// out-of-range about confidence, bad regular expressions, durations,
// hours and dates, a date that is both a holiday and a workday, duplicate
// rule names, rules that can never be reached because an earlier rule
// without "continue" matches every message (no "if", or a condition that is
// always true), unknown priorities, empty condition maps and lists, reject
// together with discard, a missing or unknown default_department, and an
// address claimed by two departments.
//
// # Performance
//
// All "contains" keywords of all rules are gathered per field (subject,
// body, from, to, header values, attachment names and types) into one
// Aho–Corasick automaton each (a dense table over byte classes), so a field
// is normalised and scanned once per message whatever the number of rules,
// and only when a rule first needs it. Regular expressions are compiled
// once at load; each gets a prefilter of literals that every match must
// contain (from its syntax tree), registered in the same automaton, and is
// run only when one of them occurs. A regular expression whose literals do
// occur in a long body still costs a full regexp scan (about 2 ms for a
// case-insensitive pattern over 50 KB), and so does the first "lang"
// condition (Message.Lang reads the whole body). "all" and "any" try cheap
// conditions first; explanations keep the file's order.
package rules
