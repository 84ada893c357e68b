package faq

import (
	"strings"
)

// synonymTable maps the words customers use to the words a help centre
// writes. It is general vocabulary for home appliances and online shops —
// regional Chinese names (Taiwan, Hong Kong, Cantonese), colloquial forms and
// English paraphrases — not the answer to any particular mail. Each line is
// "canonical: variant | variant ...". Chinese is written in Simplified form
// (matching happens after Traditional→Simplified folding); English variants
// match on stems with stop words removed, so "send it back" and "sending
// back" are both "send back".
const synonymTable = `
扫地机器人: 扫地机 | 扫地机械人 | 吸尘机器人 | 机械人吸尘机 | 扫拖机器人
除湿机: 抽湿机 | 去湿机 | 除湿器
空气净化器: 空气清净机 | 空气清新机 | 清净机 | 清新机 | 净化机
电饭煲: 电饭锅 | 电子锅 | 饭煲
电水壶: 热水壶 | 烧水壶 | 水煲 | 热水煲 | 快煲
滤芯: 滤心 | 过滤网
保修期: 保养期 | 保固期 | 质保期
保修: 保固
充电: 叉电
充电座: 充电桩 | 座充 | 充电底座
短信: 简讯 | 手机讯息
网络: 网路
账号: 帐号 | 帐户 | 账户
登录: 登入 | 登陆
固件: 韧体
上门安装: 上门装 | 装机
退款: 退钱 | 回款
退货: 退掉 | 退机 | 退回去 | 退给你们
换货: 换一台 | 换台新 | 换一个新 | 换个新 | 换新的 | 换一部 | 换部新 | 调换
快递员: 速递员 | 派件员 | 送货员
维修点: 维修中心 | 服务中心 | 维修站 | 售后网点
自媒体: 博主 | 网红 | 达人
寄修: 送修 | 送机 | 寄回维修 | 拿去修
refund: money back | reimburse payment
return: send back | ship back | post back | take back
return shipping: postage | return postage
shipping fee: delivery cost | delivery charge | delivery fee | shipping cost | shipping charge
robot vacuum: hoover | robovac | robot cleaner | vacuum robot | robotic vacuum
wifi: wi fi | wlan | wireless network
log in: signin | logon
manual: user guide | instruction manual | instructions | handbook
noise: loud | noisy | hum | humming | quietness
power consumption: electricity bill | running cost | energy use | electricity use | power usage
leak: leaking | dripping | puddle
resume: cv
distributor: reseller | stockist | wholesaler | dealership
repair: fix | mend | service centre | service center
charged twice: double charged | billed twice | charged two times | two charges | duplicate charge
unsubscribe: stop sending | opt out | promotional email
delete: erase | remove data
verification code: sms code | otp | one time code
firmware update: software update | system update
parcel: package | shipment
import duty: duties | customs charges | import tax
photo: picture | pic | photograph
`

type synonym struct {
	variant  []string // stems (English) or one folded string (Chinese)
	han      bool
	canon    []token // terms of the canonical form (spans unset)
	canonHan []rune  // the canonical form, folded (Chinese only)
	varHan   []rune  // the variant, folded (Chinese only)
}

// synonyms is filled by init: building it tokenizes, and tokenize uses it.
// synByWord and synByRune index it by the first stem (English) or first
// rune (Chinese) of the variant, so a text is scanned once, not once per
// synonym.
var (
	synonyms  []synonym
	synByWord map[string][]int
	synByRune map[rune][]int
)

func init() {
	synonyms = buildSynonyms()
	synByWord, synByRune = map[string][]int{}, map[rune][]int{}
	for k, s := range synonyms {
		if s.han {
			synByRune[s.varHan[0]] = append(synByRune[s.varHan[0]], k)
		} else {
			synByWord[s.variant[0]] = append(synByWord[s.variant[0]], k)
		}
	}
}

func buildSynonyms() []synonym {
	var out []synonym
	for _, line := range strings.Split(synonymTable, "\n") {
		canon, vars, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		ct := tokenizePlain(canon)
		for _, v := range strings.Split(vars, "|") {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			s := synonym{canon: ct}
			if isHan([]rune(v)[0]) {
				s.han = true
				s.varHan = foldRunes(v)
				s.variant = []string{string(s.varHan)}
				s.canonHan = foldRunes(strings.TrimSpace(canon))
			} else {
				for _, t := range tokenizePlain(v) {
					if !strings.Contains(t.term, "_") {
						s.variant = append(s.variant, t.term)
					}
				}
			}
			if len(s.variant) > 0 {
				out = append(out, s)
			}
		}
	}
	return out
}

// tokenizePlain tokenizes without synonym expansion (used to build the
// synonym table itself).
func tokenizePlain(s string) []token { return tokenizeWith(s, false, nil, nil) }

// addSynonyms appends the canonical terms of every variant wording found in
// the text (fc, tokenized as toks[first:]), spanning the variant (so
// highlighting marks the customer's word).
func addSynonyms(toks []token, first int, fc []fchar, sc *scratch) []token {
	// English: runs of single stems in token order; a variant may overlap
	// another match.
	words := sc.syn[:0]
	defer func() { sc.syn = words[:0] }()
	for _, t := range toks[first:] {
		if sc.noEnSyn {
			break
		}
		if !strings.Contains(t.term, "_") && t.term != "" && t.term[0] < 0x80 {
			words = append(words, t)
		}
	}
	for i, w := range words {
		for _, k := range synByWord[w.term] {
			s := synonyms[k]
			if i+len(s.variant) > len(words) {
				continue
			}
			match := true
			for j, v := range s.variant[1:] {
				if words[i+1+j].term != v {
					match = false
					break
				}
			}
			if match {
				for _, c := range s.canon {
					toks = append(toks, token{c.term, w.start, words[i+len(s.variant)-1].end})
				}
			}
		}
	}
	// Chinese: occurrences of one variant do not overlap each other, and a
	// variant inside its own canonical word (扫地机 in 扫地机器人) is not one.
	var runes []rune
	for _, c := range fc {
		if isHan(c.r) {
			runes = sc.runes[:0]
			for _, c := range fc {
				runes = append(runes, c.r)
			}
			sc.runes = runes
			break
		}
	}
	var next map[int]int // synonym → first position its next match may start at
	for i, r := range runes {
		for _, k := range synByRune[r] {
			s := synonyms[k]
			v := s.varHan
			if i+len(v) > len(runes) || i < next[k] || !equalRunes(runes[i:i+len(v)], v) || insideWord(runes, i, len(v), s.canonHan) {
				continue
			}
			for _, c := range s.canon {
				toks = append(toks, token{c.term, fc[i].start, fc[i+len(v)-1].end})
			}
			if next == nil {
				next = map[int]int{}
			}
			next[k] = i + len(v)
		}
	}
	if sc.phrases != nil && len(runes) > 0 {
		toks = sc.phrases.add(toks, runes, fc)
	}
	return toks
}

func equalRunes(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func foldRunes(s string) []rune {
	var rs []rune
	for _, c := range fold(s) {
		rs = append(rs, c.r)
	}
	return rs
}

// insideWord reports whether runes[i:i+n] lies inside an occurrence of w
// (扫地机 inside 扫地机器人): the text already has the canonical word.
func insideWord(runes []rune, i, n int, w []rune) bool {
	for j := max(0, i+n-len(w)); j <= i && j+len(w) <= len(runes); j++ {
		if equalRunes(runes[j:j+len(w)], w) {
			return true
		}
	}
	return false
}
