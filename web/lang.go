package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"unicode"

	mlang "github.com/frontdesk-mail/frontdesk/message"
	"golang.org/x/text/language"
)

// negotiate picks the page language: ?lang= when it names English or
// Chinese (explicit, so links carry it on), else the first of those two in
// Accept-Language by weight, else fallback when there is no
// Accept-Language at all and it names one of the two, else English.
func negotiate(r *http.Request, fallback string) (lang mlang.Language, explicit bool) {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		return l, true
	}
	h := r.Header.Get("Accept-Language")
	if l, ok := parseLang(fallback); ok && strings.TrimSpace(h) == "" {
		return l, false
	}
	return acceptLanguage(h), false
}

// parseLang maps a language tag a person or a link may use (zh, zh-CN,
// zh-TW, zh-Hant, cn, en-GB, …) to "zh" or "en".
func parseLang(v string) (mlang.Language, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" || len(v) > 35 {
		return "", false
	}
	if v == "cn" || v == "chinese" || v == "中文" {
		return mlang.Chinese, true
	}
	if v == "english" {
		return mlang.English, true
	}
	t, err := language.Parse(v)
	if err != nil {
		return "", false
	}
	return pageLang(t)
}

// pageLang is the page language for a language tag: Chinese for zh and
// for the Chinese languages a browser or a person may name on their own
// (Cantonese yue, as Hong Kong browsers send, Mandarin cmn, Min Nan,
// Hakka, Wu, …), English for en.
func pageLang(t language.Tag) (mlang.Language, bool) {
	b, _ := t.Base()
	switch s := b.String(); s {
	case string(mlang.Chinese), string(mlang.English):
		return mlang.Language(s), true
	case "yue", "cmn", "nan", "hak", "wuu", "gan", "hsn", "cjy", "cdo", "cpx", "czh", "czo", "mnp", "lzh":
		return mlang.Chinese, true
	}
	return "", false
}

// acceptLanguage returns "zh" or "en", whichever comes first by weight in
// an Accept-Language header; "en" when neither is there. Traditional
// Chinese readers get the Chinese pages (the search folds Traditional to
// Simplified, and Simplified pages read far better to them than English).
func acceptLanguage(h string) mlang.Language {
	if len(h) > 512 {
		h = h[:512]
	}
	tags, _, _ := language.ParseAcceptLanguage(h)
	for _, t := range tags {
		if l, ok := pageLang(t); ok {
			return l
		}
	}
	return mlang.English
}

// ui holds every string a page shows that is not content, in one language.
// TestUITranslated checks that the Chinese set is complete.
type ui struct {
	Lang          mlang.Language
	HTMLLang      string // <html lang>
	OtherLang     mlang.Language
	OtherHTMLLang string
	SwitchTo      string // the link to the other language, in that language
	SwitchHint    string
	LanguageNav   string
	SkipToContent string
	HelpCentre    string
	Footer        string

	SearchLabel       string
	SearchPlaceholder string
	SearchButton      string

	IndexTitle   string
	IndexIntro   string
	BrowseTitle  string
	OtherTopics  string
	ContactTitle string
	ContactText  string

	EntryBack      string
	EntryDept      string
	Related        string
	StillNeedHelp  string
	StillNeedText  string
	HelpfulWriteTo string

	SearchTitle      string
	EmptyQuery       string
	NoResultsTitle   string
	NoResultsHint    string
	NoResultsContact string
	ResultsFooter    string

	NotFoundTitle  string
	NotFoundText   string
	NotFoundBack   string
	TooManyTitle   string
	TooManyText    string
	ErrorTitle     string
	ErrorText      string
	StatusTitle    string
	StatusTicket   string
	StatusDept     string
	StatusOpened   string
	PromisesTitle  string
	FirstResponse  string
	Resolution     string
	NoPromise      string
	PromiseBy      string
	OutcomeMet     string
	OutcomeMissed  string
	OutcomePending string
	OutcomeLate    string
	OutcomeStopped string // a promise no longer owed: the ticket was resolved before it was due
	LateApology    string
	TimelineTitle  string
	TimelineEmpty  string
	WhoCustomer    string
	StatusReply    string

	MergedText      string // "This request was merged into"
	RatingTitle     string
	RateQuestion    string
	RateGood        string
	RateBad         string
	RateComment     string
	RateConfirm     string
	RateGiven       string
	RateThanks      string
	RateClosed      string
	RateChoose      string
	RateNotResolved string

	States     map[string]string // status → label
	StateTexts map[string]string // status → one-line explanation
	statsFmt   string            // "%d answers for %s"
	statOne    string            // "1 answer for %s"
	noResFmt   string            // "No answers for %s"
	writeFmt   string            // "Write to %s"
	answerFmt  string            // "answered %s"
	resolveFmt string            // "resolved %s"
	depts      map[string]string // built-in names of the demo departments
}

var uiEN = &ui{
	Lang: mlang.English, HTMLLang: "en", OtherLang: mlang.Chinese, OtherHTMLLang: "zh-CN",
	SwitchTo: "中文", SwitchHint: "阅读中文版", LanguageNav: "Language",
	SkipToContent: "Skip to content",
	HelpCentre:    "Help Centre",
	Footer:        "Answers from our support team. Reply to any of our emails to reach a person.",

	SearchLabel:       "Search the help centre",
	SearchPlaceholder: "Describe your question, e.g. my kettle will not heat",
	SearchButton:      "Search",

	IndexTitle:   "How can we help?",
	IndexIntro:   "Search our answers in your own words, or browse the topics below.",
	BrowseTitle:  "Browse by topic",
	OtherTopics:  "Other questions",
	ContactTitle: "Can’t find your answer?",
	ContactText:  "Write to us and a member of our team will reply.",

	EntryBack:      "All questions",
	EntryDept:      "Topic",
	Related:        "Related questions",
	StillNeedHelp:  "Still need help?",
	StillNeedText:  "Write to us and a member of our team will reply. Mention this article so we can pick up where it left off.",
	HelpfulWriteTo: "Contact",

	SearchTitle:      "Search",
	EmptyQuery:       "Type a few words about your question, in English or Chinese.",
	NoResultsTitle:   "No answers found",
	NoResultsHint:    "Try other words or a shorter question — or ask us directly.",
	NoResultsContact: "A member of our team will read your message and reply by email.",
	ResultsFooter:    "Not what you were looking for?",

	NotFoundTitle:  "Page not found",
	NotFoundText:   "This page does not exist, or the link has expired or was copied incompletely.",
	NotFoundBack:   "Go to the help centre",
	TooManyTitle:   "Too many tries",
	TooManyText:    "Too many links from your network could not be opened. Please wait a few minutes and try again.",
	ErrorTitle:     "Something went wrong",
	ErrorText:      "We could not show this page right now. Please try again in a moment.",
	StatusTitle:    "Your request",
	StatusTicket:   "Reference",
	StatusDept:     "Team",
	StatusOpened:   "Received",
	PromisesTitle:  "Our promises",
	FirstResponse:  "First reply",
	Resolution:     "Resolution",
	NoPromise:      "No fixed deadline",
	PromiseBy:      "by",
	OutcomeMet:     "Kept",
	OutcomeMissed:  "Late",
	OutcomePending: "On track",
	OutcomeLate:    "Overdue",
	OutcomeStopped: "Not needed",
	LateApology:    "Sorry, we are late with this one.",
	TimelineTitle:  "Conversation",
	TimelineEmpty:  "No messages yet.",
	WhoCustomer:    "You",
	StatusReply:    "To add something, reply to any of our emails about this request and keep the reference in the subject line.",

	MergedText:      "This request was merged into another one, where we carry on with it:",
	RatingTitle:     "How did we do?",
	RateQuestion:    "Your rating",
	RateGood:        "Good",
	RateBad:         "Bad",
	RateComment:     "Anything you would like to tell us? (optional)",
	RateConfirm:     "Confirm my rating",
	RateGiven:       "Your rating:",
	RateThanks:      "Thank you: your rating is recorded. You can change it for 7 days.",
	RateClosed:      "This rating can no longer be changed: ratings can be changed for 7 days.",
	RateChoose:      "Please choose Good or Bad.",
	RateNotResolved: "This request is not resolved yet: you can rate it once it is.",
	States: map[string]string{
		"open": "Open", "answered": "Answered", "waiting": "Waiting for you", "resolved": "Resolved",
	},
	StateTexts: map[string]string{
		"open":     "We have your message and a member of our team is on it.",
		"answered": "We have replied by email. Reply to that email if you need anything else.",
		"waiting":  "We need a little more information from you: please reply to our last email.",
		"resolved": "This request is resolved. Reply to any of our emails to reopen it.",
	},
	statsFmt: "%d answers for %s", statOne: "1 answer for %s", noResFmt: "We found no answers for %s.",
	writeFmt: "Write to %s", answerFmt: "replied %s", resolveFmt: "resolved %s",
	depts: map[string]string{
		"support": "Customer Support", "sales": "Sales", "finance": "Billing", "hr": "Human Resources", "pr": "Press Office",
	},
}

var uiZH = &ui{
	Lang: mlang.Chinese, HTMLLang: "zh-CN", OtherLang: mlang.English, OtherHTMLLang: "en",
	SwitchTo: "English", SwitchHint: "Read this page in English", LanguageNav: "语言",
	SkipToContent: "跳到正文",
	HelpCentre:    "帮助中心",
	Footer:        "答案由我们的客服团队整理。回复我们的任何一封邮件即可联系人工客服。",

	SearchLabel:       "搜索帮助中心",
	SearchPlaceholder: "用自己的话描述问题，例如：电水壶不加热",
	SearchButton:      "搜索",

	IndexTitle:   "有什么可以帮您？",
	IndexIntro:   "用您自己的话搜索答案，或按下面的主题浏览。",
	BrowseTitle:  "按主题浏览",
	OtherTopics:  "其他问题",
	ContactTitle: "没有找到答案？",
	ContactText:  "给我们写信，客服人员会尽快回复您。",

	EntryBack:      "全部问题",
	EntryDept:      "主题",
	Related:        "相关问题",
	StillNeedHelp:  "仍需要帮助？",
	StillNeedText:  "给我们写信，客服人员会回复您。请在邮件中提到本文，我们可以接着为您处理。",
	HelpfulWriteTo: "联系",

	SearchTitle:      "搜索",
	EmptyQuery:       "请输入几个词描述您的问题，中文或英文均可。",
	NoResultsTitle:   "没有找到答案",
	NoResultsHint:    "换个说法或缩短问题再试试，也可以直接问我们。",
	NoResultsContact: "客服人员会阅读您的来信并通过邮件回复。",
	ResultsFooter:    "没有找到需要的内容？",

	NotFoundTitle:  "页面不存在",
	NotFoundText:   "该页面不存在，或者链接已失效、复制不完整。",
	NotFoundBack:   "返回帮助中心",
	TooManyTitle:   "尝试次数过多",
	TooManyText:    "您所在网络有太多链接无法打开。请稍等几分钟再试。",
	ErrorTitle:     "出错了",
	ErrorText:      "暂时无法显示此页面，请稍后再试。",
	StatusTitle:    "您的请求",
	StatusTicket:   "工单编号",
	StatusDept:     "处理团队",
	StatusOpened:   "收到时间",
	PromisesTitle:  "我们的承诺",
	FirstResponse:  "首次回复",
	Resolution:     "解决",
	NoPromise:      "无固定时限",
	PromiseBy:      "最晚",
	OutcomeMet:     "已兑现",
	OutcomeMissed:  "已超时",
	OutcomePending: "按计划进行",
	OutcomeLate:    "已逾期",
	OutcomeStopped: "无需回复",
	LateApology:    "很抱歉，我们已超过承诺的时间。",
	TimelineTitle:  "往来记录",
	TimelineEmpty:  "暂无消息。",
	WhoCustomer:    "您",
	StatusReply:    "如需补充信息，请直接回复我们关于此请求的任何一封邮件，并保留主题中的工单编号。",

	MergedText:      "此请求已合并到另一个工单，我们将在那里继续处理：",
	RatingTitle:     "您对我们的服务满意吗？",
	RateQuestion:    "您的评价",
	RateGood:        "满意",
	RateBad:         "不满意",
	RateComment:     "还有什么想告诉我们的吗？（选填）",
	RateConfirm:     "确认评价",
	RateGiven:       "您的评价：",
	RateThanks:      "谢谢！您的评价已记录，7 天内可以修改。",
	RateClosed:      "此评价已无法修改：评价只能在 7 天内修改。",
	RateChoose:      "请选择“满意”或“不满意”。",
	RateNotResolved: "此请求尚未解决，解决后即可评价。",
	States: map[string]string{
		"open": "处理中", "answered": "已回复", "waiting": "等待您的回复", "resolved": "已解决",
	},
	StateTexts: map[string]string{
		"open":     "我们已收到您的来信，客服人员正在处理。",
		"answered": "我们已通过邮件回复您。如还需要帮助，请直接回复那封邮件。",
		"waiting":  "我们还需要您补充一些信息，请回复我们的最新邮件。",
		"resolved": "此请求已解决。回复我们的任何一封邮件即可重新打开。",
	},
	statsFmt: "找到 %d 条与%s相关的答案", statOne: "找到 1 条与%s相关的答案", noResFmt: "没有找到与%s相关的答案。",
	writeFmt: "写信给%s", answerFmt: "%s 已回复", resolveFmt: "%s 已解决",
	depts: map[string]string{
		"support": "客户服务部", "sales": "销售部", "finance": "财务部", "hr": "人力资源部", "pr": "公关部",
	},
}

func uiFor(lang mlang.Language) *ui {
	if lang == mlang.Chinese {
		return uiZH
	}
	return uiEN
}

// quoted is q escaped and set in quotation marks (the same in both
// languages), as HTML.
func (u *ui) quoted(q string) string {
	return "“<strong>" + template.HTMLEscapeString(q) + "</strong>”"
}

// ResultsFor is the heading over search results: the count and the query.
func (u *ui) ResultsFor(n int, q string) template.HTML {
	if n == 1 {
		return template.HTML(fmt.Sprintf(u.statOne, u.quoted(q)))
	}
	return template.HTML(fmt.Sprintf(u.statsFmt, n, u.quoted(q)))
}

// NoResultsFor says that nothing matched q.
func (u *ui) NoResultsFor(q string) template.HTML {
	return template.HTML(fmt.Sprintf(u.noResFmt, u.quoted(q)))
}

// WriteTo is the label of a mailto: link to a department.
func (u *ui) WriteTo(dept string) string { return fmt.Sprintf(u.writeFmt, dept) }

// Answered and Resolved say when a promise was kept or broken.
func (u *ui) Answered(when string) string { return fmt.Sprintf(u.answerFmt, when) }
func (u *ui) Resolved(when string) string { return fmt.Sprintf(u.resolveFmt, when) }

// State and StateText translate a ticket status; an unknown one is shown
// as it is.
func (u *ui) State(s string) string {
	if v, ok := u.States[s]; ok {
		return v
	}
	return s
}

func (u *ui) StateText(s string) string { return u.StateTexts[s] }

// RateLabel translates a rating.
func (u *ui) RateLabel(r string) string {
	switch r {
	case "good":
		return u.RateGood
	case "bad":
		return u.RateBad
	}
	return r
}

// deptName is a department's display name in the page's language: the
// configured name, except that on Chinese pages a name without any Chinese
// in it (rules files name departments once, usually in English) gives way
// to the built-in Chinese name of a well-known department id.
func (s *Server) deptName(dept string, u *ui) string {
	var name string
	if s.opts.DepartmentName != nil {
		name = s.opts.DepartmentName(dept, u.Lang)
	}
	if name != "" && (u.Lang != mlang.Chinese || hasHan(name) || u.depts[dept] == "") {
		return name
	}
	if v := u.depts[dept]; v != "" {
		return v
	}
	if name != "" {
		return name
	}
	if dept == "" {
		return u.OtherTopics
	}
	return strings.ToUpper(dept[:1]) + dept[1:]
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
