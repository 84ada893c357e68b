package faq

import (
	"testing"
)

// A question asked before buying (intent.prospective) must match its best
// entry in more than the product's name and model code: a code names the
// product asked about, and the catalog answers nothing more of it. The
// same codes with a word of what is asked ("which", "sleep mode") keep
// the link.
func TestPreSaleFocusCodes(t *testing.T) {
	c := Demo()
	checkFirstLinks(t, c, []firstLinkCase{
		{"S8", "想买S8扫地机器人，S8支持HomeKit吗？", ""},
		{"S8", "想买S8扫地机器人，S8支持小爱同学吗？", ""},
		{"WP800", "想买WP800 RO净水器，WP800 RO的废水比是多少？", ""},
		{"AP400 or AP600", "想买空气净化器，AP400和AP600选哪个？", "choosing-a-model"},
		{"AP400", "Thinking of buying the AP400. How loud is it in sleep mode?", "energy-noise-specs"},
	})
}
