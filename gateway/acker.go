package gateway

import (
	"errors"
	"log/slog"
	netmail "net/mail"
	"time"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/mailauth"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/ticket"
	"github.com/frontdesk-mail/frontdesk/web"
)

// acker builds acknowledgements: RFC 3834 suppression, the customer's
// language (Chinese in Traditional characters for a customer who writes
// them), the promised first-response time, the FAQ entries that most
// likely answer the question and the ticket's status link, DKIM-signed
// when a key is configured. It is pure but for a log line; intake calls it
// inside the commit.
type acker struct {
	templates func() *ack.Templates // the set in force (templates_dir is reloaded)
	log       *slog.Logger
	faq       func() *faq.Catalog
	ours      ack.Ours
	publicURL string
	hostname  string
	domain    string
	tokens    *web.Tokens
	signer    *mailauth.Signer
}

// Prepare implements intake.Acker: the checks and the FAQ ranking, which
// do not need the ticket.
func (a *acker) Prepare(m *message.Message, env *message.Envelope) intake.AckPlan {
	if reason, ok := ack.Suppress(m, env.MailFrom, a.ours); ok {
		return intake.AckPlan{Suppressed: reason}
	}
	if env.Forged {
		return intake.AckPlan{Suppressed: ack.ReasonForged}
	}
	lang := m.Lang()
	var links []ack.Link
	if cat := a.faq(); cat != nil {
		for _, h := range cat.Suggest(m) {
			if e, ok := cat.Entry(h.ID); ok {
				links = append(links, ack.Link{Title: e.In(lang).Title, URL: cat.URL(e, a.publicURL, lang)})
			}
		}
	}
	return intake.AckPlan{Links: links}
}

// Ack implements intake.Acker.
func (a *acker) Ack(t *ticket.Ticket, dept intake.Department, m *message.Message, plan intake.AckPlan, template string, now time.Time) ([]byte, string, error) {
	lang := m.Lang()
	var due time.Time
	if d := t.Deadline(sla.FirstResponse); d != nil {
		due = d.Due
	}
	status := ""
	if a.tokens != nil {
		status = a.tokens.URL(a.publicURL, t.Tag, lang)
	}
	// The envelope sender that intake admitted (ack.Recipient), never
	// another address of the mail.
	to := &netmail.Address{Name: t.CustomerName, Address: plan.To}
	if plan.To == "" {
		return nil, "", errors.New("acknowledgement without a recipient")
	}
	templates := a.templates()
	if template != "" && !templates.Has(template) {
		// A rule names a template that is not there (a typo, or a file
		// removed since): the customer still gets the default
		// acknowledgement, and the admin a line that says why.
		a.log.Warn("acknowledgement template not found; using the default", "template", template, "ticket", t.Tag, "department", dept.Key)
		template = ack.DefaultName
	}
	raw, err := ack.Build(templates, ack.Input{
		Template: template, Department: dept.Key, DepartmentName: dept.Name,
		DepartmentAddress: dept.Address(a.domain), Original: m, To: to, Lang: lang, Traditional: m.Traditional(),
		TicketTag: t.Tag, Due: due, FAQ: plan.Links, StatusURL: status, Hostname: a.hostname, Date: now,
	})
	if err != nil {
		return nil, "", err
	}
	if a.signer != nil {
		if raw, err = a.signer.Sign(raw); err != nil {
			return nil, "", err
		}
	}
	return raw, "", nil
}
