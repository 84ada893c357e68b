package intake

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// move carries out #move DEPARTMENT on t: the ticket goes to dept under
// that department's policy (deadlines counted again from the customer's
// first mail, ticket.Ticket.Move), the customer's mail of the ticket is
// relayed to dept's mailbox, and the customer's words become an example
// of dept. An unknown department is refused with the list of valid ones.
func (in *Intake) move(txn *store.Txn, out *outcome, t *ticket.Ticket, dept, agent string, now time.Time) error {
	nd, ok := in.Router.Department(dept)
	if ds, dok := in.Router.(Departments); dok && !ok {
		// The command's argument is read in lower case; a key written
		// with capitals in the rules (IT, HR) is found in any case.
		for _, d := range ds.Departments() {
			if strings.EqualFold(d.Key, dept) {
				nd, ok = d, true
			}
		}
	}
	if !ok {
		return &refusal{strings.TrimSpace(fmt.Sprintf("There is no department %q. %s", dept, in.departmentList()))}
	}
	if nd.Key == t.Department {
		return &refusal{fmt.Sprintf("%s is already with %s.", t.Tag, nd.Key)}
	}
	from := t.Department
	var p ticket.Policy
	if pp, ok := in.Router.(Policies); ok {
		p = pp.Policy(nd.Key, t.Priority)
	}
	cal, _ := in.Router.Calendar(p.Calendar)
	t.Move(nd.Key, p, agent, now, cal)
	if t.Owner != "" && !slices.ContainsFunc(nd.Agents, func(a string) bool { return strings.EqualFold(a, t.Owner) }) {
		t.Owner = "" // the new department's agents take it from here
	}
	hist, count, err := ticket.History(txn, t.Customer, t.Tag, 3)
	if err != nil {
		return err
	}
	for _, e := range t.Timeline {
		if e.Kind != ticket.KindCustomer || e.MsgID == "" {
			continue
		}
		rec, err := txn.GetMessage(e.MsgID)
		if err != nil {
			continue // erased or expired under retention: nothing to copy
		}
		it := in.relayItem(rec, t, nd, now, hist, count)
		it.Headers = append(it.Headers, queue.Header{Name: "X-Frontdesk-Moved-From", Value: from})
		if err := queue.Add(txn, it); err != nil {
			return err
		}
		out.items = append(out.items, it)
	}
	out.moved = &move{from: from, to: nd.Key}
	learned, err := in.learnFrom(txn, t, learn.SourceMove, nd.Key, nil, agent, now)
	out.learned = out.learned || learned
	return err
}

// departmentList is the sentence naming the departments #move accepts,
// for its refusals ("" when the router cannot list them).
func (in *Intake) departmentList() string {
	ds, ok := in.Router.(Departments)
	if !ok {
		return ""
	}
	var keys []string
	for _, d := range ds.Departments() {
		keys = append(keys, d.Key)
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	return "The departments are: " + strings.Join(keys, ", ") + "."
}

// move is a department correction, for the metrics.
type move struct{ from, to string }
