package message

import "strings"

// joinAttributions returns text with each attribution line that a mail
// client wrapped ("On Mon, Dec 7, 2026 at 8:00 PM Customer Support <" and
// "support@shop.test> wrote:" on the next line, as Gmail's text part
// writes any attribution longer than its 78 columns) joined into one
// line, so that it reads as the quote marker it is. Left in two, neither
// line is a marker: the attribution read as the customer's words, and
// the quoted mail below it as theirs too (the history ranked for ties
// leaves out only quoted mails whose marker names the help desk).
//
// An attribution begins with "On " and ends with "wrote:" within three
// lines, all at the same quote depth and with words, and has a digit (its
// date or time); the lines are joined with a space, or with nothing after
// a "<" or an "@" (an address cut). Only line breaks change.
func joinAttributions(text string) string {
	if !strings.Contains(text, "rote:") && !strings.Contains(text, "ROTE:") {
		return text
	}
	lines := strings.Split(text, "\n")
	out := lines[:0:0]
	for i := 0; i < len(lines); i++ {
		prefix, t := quotePrefix(lines[i])
		if n := wrappedAttribution(prefix, t, lines[i+1:]); n > 0 {
			joined := strings.TrimRight(lines[i], " \r")
			for _, l := range lines[i+1 : i+1+n] {
				_, c := quotePrefix(l)
				c = strings.TrimRight(strings.TrimSpace(c), "\r")
				if strings.HasSuffix(joined, "<") || strings.HasSuffix(joined, "@") {
					joined += c
				} else {
					joined += " " + c
				}
			}
			if strings.HasSuffix(lines[i+n], "\r") {
				joined += "\r"
			}
			out = append(out, joined)
			i += n
			continue
		}
		out = append(out, lines[i])
	}
	return strings.Join(out, "\n")
}

// quotePrefix splits a line into its "> " quoting and the rest.
func quotePrefix(l string) (prefix, rest string) {
	i := 0
	for i < len(l) && (l[i] == '>' || l[i] == ' ') {
		i++
	}
	return strings.ReplaceAll(l[:i], " ", ""), l[i:]
}

// wrappedAttribution returns how many of the lines rest continue an
// attribution that begins on a line whose text is t at quote depth
// prefix and is cut there: 0 when t is no such beginning.
func wrappedAttribution(prefix, t string, rest []string) int {
	t = strings.TrimRight(t, " \r")
	if !hasPrefixFold(t, "on ") || hasSuffixFold(t, "wrote:") {
		return 0
	}
	digit := strings.ContainsAny(t, "0123456789")
	size := len(t)
	for n := 1; n <= 2 && n <= len(rest); n++ {
		p, c := quotePrefix(rest[n-1])
		c = strings.TrimRight(c, " \r")
		if p != prefix || c == "" || hasPrefixFold(c, "on ") {
			return 0
		}
		digit = digit || strings.ContainsAny(c, "0123456789")
		if size += len(c); size > 300 {
			return 0
		}
		if hasSuffixFold(c, "wrote:") {
			if !digit {
				return 0
			}
			return n
		}
	}
	return 0
}
