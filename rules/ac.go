package rules

import "strings"

// acMatcher finds which of a fixed set of byte patterns occur in a text, in
// one pass over the text (Aho–Corasick). The automaton is compiled to a
// dense transition table over byte classes (bytes that occur in no pattern
// share class 0), so scanning costs one table load per byte. Patterns are
// matched as given: callers fold case and width on both sides beforehand.
//
// When the dense table would be unreasonably large (tens of thousands of
// long patterns over many distinct bytes), the matcher falls back to one
// strings.Contains per pattern: slower, same answers.
type acMatcher struct {
	pats   []string
	class  [256]uint16
	nclass int
	delta  []int32 // state*nclass+class → state
	own    [][]int32
	dict   []int32 // nearest proper suffix state with output, or -1
	naive  bool
}

// maxDenseEntries bounds the transition table (4 bytes an entry).
const maxDenseEntries = 1 << 23

func newACMatcher(pats []string) *acMatcher {
	m := &acMatcher{pats: pats}
	if len(pats) == 0 {
		return m
	}
	// Byte classes.
	var used [256]bool
	for _, p := range pats {
		for i := 0; i < len(p); i++ {
			used[p[i]] = true
		}
	}
	m.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			m.class[b] = uint16(m.nclass)
			m.nclass++
		}
	}
	// Trie with sparse edges.
	type edge struct {
		c    uint16
		next int32
	}
	children := [][]edge{nil}
	own := [][]int32{nil}
	child := func(s int32, c uint16) int32 {
		for _, e := range children[s] {
			if e.c == c {
				return e.next
			}
		}
		return -1
	}
	for id, p := range pats {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := m.class[p[i]]
			n := child(s, c)
			if n < 0 {
				n = int32(len(children))
				children = append(children, nil)
				own = append(own, nil)
				children[s] = append(children[s], edge{c, n})
			}
			s = n
		}
		own[s] = append(own[s], int32(id))
	}
	nstates := len(children)
	if nstates*m.nclass > maxDenseEntries {
		m.naive = true
		return m
	}
	m.own = own
	m.delta = make([]int32, nstates*m.nclass)
	m.dict = make([]int32, nstates)
	fail := make([]int32, nstates)
	m.dict[0] = -1
	// BFS: transitions of a state are its trie edges, else those of its
	// failure state (already complete, being shallower).
	queue := make([]int32, 0, nstates)
	for _, e := range children[0] {
		m.delta[int(e.c)] = e.next
		fail[e.next] = 0
		m.dict[e.next] = -1
		queue = append(queue, e.next)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := fail[s]
		copy(m.delta[int(s)*m.nclass:int(s+1)*m.nclass], m.delta[int(f)*m.nclass:int(f+1)*m.nclass])
		for _, e := range children[s] {
			m.delta[int(s)*m.nclass+int(e.c)] = e.next
			nf := m.delta[int(f)*m.nclass+int(e.c)]
			fail[e.next] = nf
			if len(own[nf]) > 0 {
				m.dict[e.next] = nf
			} else {
				m.dict[e.next] = m.dict[nf]
			}
			queue = append(queue, e.next)
		}
	}
	// Encode targets as row offsets, complemented when the target state
	// (or one of its suffixes) ends a pattern.
	for i, t := range m.delta {
		v := t * int32(m.nclass)
		if len(own[t]) > 0 || m.dict[t] >= 0 {
			v = ^v
		}
		m.delta[i] = v
	}
	return m
}

// scan sets hits[id] for every pattern id occurring in text. hits must have
// at least len(pats) bits; bits already set stay set.
func (m *acMatcher) scan(text string, hits bitset) {
	if len(m.pats) == 0 {
		return
	}
	if m.naive {
		for id, p := range m.pats {
			if !hits.has(id) && strings.Contains(text, p) {
				hits.set(id)
			}
		}
		return
	}
	// delta holds row offsets (state*nclass), complemented for states
	// where some pattern ends: one load and one sign test per byte.
	delta, class := m.delta, &m.class
	s := int32(0)
	for i := 0; i < len(text); i++ {
		n := delta[s+int32(class[text[i]])]
		if n < 0 {
			n = ^n
			m.report(n/int32(m.nclass), hits)
		}
		s = n
	}
}

// report marks the patterns ending at state s and at its dictionary
// suffixes. A state whose own patterns are already marked had its whole
// chain reported before, so the walk stops there.
func (m *acMatcher) report(s int32, hits bitset) {
	for t := s; t >= 0; t = m.dict[t] {
		o := m.own[t]
		if len(o) > 0 {
			if hits.has(int(o[0])) {
				return
			}
			for _, id := range o {
				hits.set(int(id))
			}
		}
	}
}

// bitset is a fixed-size set of small integers.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
