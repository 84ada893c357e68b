package message

import "strings"

// unflow decodes a text/plain part sent with format=flowed (RFC 3676):
// a line that ends in a space is soft-broken and continues on the next
// line of the same quote depth, so mail clients (Thunderbird, Apple Mail,
// K-9, many webmails) wrap long paragraphs at 72 or 78 columns without
// changing the words. Read as it is, every soft break would end a
// sentence for the FAQ ranking, and a paragraph would read differently
// from the same paragraph sent unwrapped. unflow joins soft-broken lines
// (deleting the trailing space too with delsp=yes, as for Chinese, where
// words have no space between them), removes the space a client stuffs
// before a line that begins with a space, ">" or "From ", and keeps the
// quote depth ("> " lines stay quoted). The signature separator "-- " is
// not a soft break. Line ends come out as "\n".
func unflow(text string, delsp bool) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var b strings.Builder
	b.Grow(len(text))
	open := false // the last line written was soft-broken
	openDepth := 0
	for _, l := range lines {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		c := l[depth:]
		c = strings.TrimPrefix(c, " ") // stuffing (or the space after ">")
		if open && depth != openDepth {
			// a quote depth change ends the paragraph (RFC 3676 4.5)
			b.WriteByte('\n')
			open = false
		}
		if !open && depth > 0 {
			b.WriteString(strings.Repeat(">", depth) + " ")
		}
		soft := strings.HasSuffix(c, " ") && c != "-- "
		if soft && delsp {
			c = c[:len(c)-1]
		}
		b.WriteString(c)
		if soft {
			open, openDepth = true, depth
			continue
		}
		open = false
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}
