package intake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/frontdesk-mail/frontdesk/internal/zhconv"
	"github.com/frontdesk-mail/frontdesk/message"
)

// faqBlock is the text #faq ID… adds to an agent's reply: each entry's
// title and URL in the customer's language, in Traditional characters for
// a customer who writes them (traditional: the ticket remembers it), as
// their acknowledgement was. An id the catalog in force does not have
// refuses the whole reply: a customer must never get a reply whose
// promised link is missing, so nothing is sent until the agent fixes it.
func (in *Intake) faqBlock(ids []string, lang message.Language, traditional bool) (string, error) {
	if in.Links == nil {
		return "", &refusal{"#faq is not available: this gateway has no FAQ catalog."}
	}
	var unknown []string
	var b strings.Builder
	zh := func(s string) string { return s }
	if lang == message.Chinese && traditional {
		zh = zhconv.ToTraditional // the titles and the intro; the URLs are left as they are
	}
	if lang == message.Chinese {
		b.WriteString(zh("\n\n以下帮助中心文章可以解答您的问题：\n"))
	} else {
		b.WriteString("\n\nThese articles of our help centre answer your question:\n")
	}
	for _, id := range ids {
		title, url, ok := in.Links.Link(id, lang)
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		fmt.Fprintf(&b, "- %s\n  %s\n", zh(title), url)
	}
	if len(unknown) > 0 {
		return "", &refusal{fmt.Sprintf("Your reply was NOT sent: the FAQ has no entry %s. Check the ids (they are in the help centre's URLs, /faq/ID) and send the reply again.",
			strings.Join(quoteAll(unknown), ", "))}
	}
	return b.String(), nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// linkedEntries are the entries a sent reply gives the customer: those of
// #faq and those whose help-centre page the agent linked in the text.
func (in *Intake) linkedEntries(ids []string, text string) []string {
	out := slices.Clone(ids)
	if in.Links != nil {
		for _, id := range in.Links.Linked(text) {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}
