package message

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText turns the HTML of a mail with no text part into the text its
// reader sees: the words as they stand, a line for each block (a <div>,
// a table row, a list item, a line of a <pre>), a blank line after a paragraph, "> " before
// the lines of a <blockquote>, nothing of <head>, <style>, <script> or
// <title>, nothing of an element the reader is not shown (hidden), and
// entities decoded (&nbsp; a space).
//
// It replaces enmime's converter (html2text), which put a space between
// any two runs of text (a run ends at every tag: "<span>滤</span><span>网
// </span>" read "滤 网", and Outlook and Foxmail wrap runs in spans at
// every change of font or language, often inside a word), wrote a link's
// address after its text ("help ( https://…/faq/returns )": words of the
// address read as the customer's) and bold as "*…*". Here text runs that
// touch stay touching, a link is its text, bold is its text.
func htmlText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	w := &textWriter{}
	w.node(doc)
	return w.String()
}

// textWriter builds the text: lines, each with its quote depth, whose
// words are written as they come and whose whitespace is collapsed.
type textWriter struct {
	lines []textLine
	cur   strings.Builder
	depth int  // the <blockquote> depth of the text being written
	pre   int  // the <pre> depth: its line breaks are the text's
	space bool // whitespace was seen after the last word of cur
}

type textLine struct {
	depth int
	text  string
}

// skipped are the elements whose content is no text of the mail.
var skipped = map[atom.Atom]bool{atom.Head: true, atom.Style: true, atom.Script: true, atom.Title: true, atom.Template: true, atom.Noscript: true, atom.Object: true, atom.Svg: true, atom.Math: true}

// blocks are the elements that stand on lines of their own.
var blocks = map[atom.Atom]bool{
	atom.Div: true, atom.Tr: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Caption: true, atom.Center: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true,
	atom.Address: true, atom.Form: true, atom.Fieldset: true, atom.Figure: true, atom.Main: true, atom.Hr: true,
	atom.Body: true, atom.Html: true, atom.Blockquote: true, atom.Pre: true,
}

// paragraphs are the blocks followed by a blank line.
var paragraphs = map[atom.Atom]bool{atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if skipped[n.DataAtom] || hidden(n) {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			w.endLine(true)
			return
		case atom.Td, atom.Th:
			w.space = true // cells of a row are apart
		case atom.Img:
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block, para := blocks[n.DataAtom], paragraphs[n.DataAtom]
	if block || para {
		w.endLine(false)
	}
	if n.DataAtom == atom.Blockquote {
		w.depth++
	}
	if n.DataAtom == atom.Pre {
		w.pre++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if n.DataAtom == atom.Pre {
		w.pre--
	}
	if n.DataAtom == atom.Blockquote {
		w.endLine(false)
		w.depth--
	}
	if block {
		w.endLine(false)
	}
	if para {
		w.endLine(false)
		w.blank()
	}
}

// hidden reports whether an element is not shown to the reader: the
// hidden attribute, or a style of display:none, visibility:hidden or
// Outlook's mso-hide:all. A marketing mail's preheader is such text, and
// so is text put there to steer a filter (or the gateway's routing) with
// words nobody sees; the customer's words are what the customer sees.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "style":
			st := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			for _, decl := range strings.Split(st, ";") {
				decl = strings.TrimSuffix(decl, "!important")
				if decl == "display:none" || decl == "visibility:hidden" || decl == "mso-hide:all" {
					return true
				}
			}
		}
	}
	return false
}

// text writes the words of a text node: whitespace collapsed to one
// space, none before the first word of a line. Inside a <pre> (a mail
// written as preformatted text, line by line) a line break ends the line.
func (w *textWriter) text(s string) {
	for _, r := range s {
		if r == '\n' && w.pre > 0 {
			w.endLine(true)
			continue
		}
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\u00a0':
			w.space = true
			continue
		case '\u200b', '\u2060', '\ufeff', '\u00ad': // invisible
			continue
		}
		if w.space && w.cur.Len() > 0 {
			w.cur.WriteByte(' ')
		}
		w.space = false
		w.cur.WriteRune(r)
	}
}

// endLine ends the current line; an empty one only when hard (a <br>).
func (w *textWriter) endLine(hard bool) {
	if w.cur.Len() > 0 || hard {
		w.lines = append(w.lines, textLine{w.depth, w.cur.String()})
	}
	w.cur.Reset()
	w.space = false
}

// blank ends a paragraph with an empty line, unless one is there.
func (w *textWriter) blank() {
	if n := len(w.lines); n > 0 && w.lines[n-1].text != "" {
		w.lines = append(w.lines, textLine{w.depth, ""})
	}
}

// String is the text: the lines, quoted lines with "> " for each level,
// at most one blank line in a row, none at the ends.
func (w *textWriter) String() string {
	w.endLine(false)
	var out []string
	blankRun := true // no blank line at the start
	words := 0       // the lines of out up to its last with words
	for _, l := range w.lines {
		t := l.text
		if t == "" {
			if blankRun {
				continue
			}
			blankRun = true
		} else {
			blankRun = false
		}
		if l.depth > 0 {
			t = strings.TrimRight(strings.Repeat("> ", l.depth)+t, " ")
		}
		out = append(out, t)
		if !blankRun {
			words = len(out)
		}
	}
	return strings.Join(out[:words], "\n")
}
