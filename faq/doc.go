// Package faq holds the FAQ catalog and its ranking: one scorer for the
// links in acknowledgements (Suggest) and for the help centre's search box
// (Search).
//
// # Catalog
//
// Parse/Load read the faq.yaml format (a list of entries with id, url,
// departments, and en/zh blocks of title, keywords and answer) from yaml.Node
// trees, so every problem — unknown keys, a missing id or title, duplicate or
// malformed ids, an unknown language block — is reported at once as
// "file:line:col: message" (Errors). A Catalog is immutable and safe for
// concurrent use; reloading means parsing a new one and swapping the pointer.
//
// # Ranking
//
// Text is normalised rune by rune (NFKC, so full-width letters and digits
// become ASCII; case folding; the characters of written Cantonese that
// have a one-character Standard Chinese counterpart folded to it, 冇 没,
// 唔 不, 咗 了 …; Traditional and Taiwan/Hong Kong variant characters
// folded to Simplified with a table generated from OpenCC's
// dictionaries). English words lose stop words and are stemmed (Snowball);
// adjacent stems also form phrase terms. Runs of Han characters become
// overlapping bigrams, a one-character run a unigram. A bigram that is a
// common word of general Chinese weighs less: with a few dozen entries a
// function word one answer happens to have (所以, 不能, 一个) would get
// nearly the largest idf, so a bigram among the 2000 most frequent
// two-character words of a general dictionary (zh_freq.txt) has its idf
// multiplied by 0.25 for the most frequent (一个), rising linearly in
// ln(total/count) to 1 at rank 2000 (所以, 不能 about half, 只有 0.86,
// 地址 0.95; 拖布, 发票, 密码 are not in the table). A small table of
// general synonyms (regional names such as 抽湿机/除湿机, 空气清新机, 电子锅;
// paraphrases such as "money back" → refund; a thesaurus synset,
// picture/pic → photo; the internet's words for self-media authors,
// 博主/网红/达人 → 自媒体; a shop's words for what delivery costs,
// "delivery cost/charge/fee" → shipping fee, added in session 15 after
// an eval/dev2 miss: dev2 one mail up, public/ and eval/dev unchanged;
// the verbs of sending a product back or swapping it, 退掉, 退机, 退回去
// → 退货 and 换一台, 换个新, 换新的, 调换 → 换货, added in session 17
// for issue 19's "what the customer wants, not which product": Chinese
// asks for a return or an exchange with a verb and a measure word, the
// shop writes the noun) adds the catalog's word when a customer uses
// another.
//
// The verb lines, measured on the four tuning sets (TestEvalSuggestions;
// TestWantVerbsReachTheTransaction holds mails written for it): recall@3
// eval/dev2 74 → 75 of 84 and eval/dev3 48 → 49 of 59 (a Taiwanese
// kettle to be swapped, a purifier to be sent back: the entry now second),
// public/ and eval/dev unchanged; top-1, no-link and the demo rules'
// departments unchanged everywhere; the cross-validation over the 294
// mails: catalog alone recall@3 0.893 → 0.901, with the examples top-1
// 0.897 → 0.906, no-link (0.869, 0.852) and department (0.969)
// unchanged. A separate "want" signal — the mail's subject and asking or
// request sentences scored against titles and keywords alone, letting a
// transaction entry (not index.productSide) lead over a product entry or
// fused with the whole entry's score — was measured with these lines
// and not adopted: no variant gains a mail on public/, eval/dev or
// eval/dev2, the nested cross-validation chose the shipped ranking in
// every fold (TestEvalWantSignal has the figures).
//
// Before a mail's words are read, English discourse markers and fixed
// adverbials are blanked (dropIdioms, idioms.go: "by the way", "on my
// part", "straight away", "at all", "a bit" …): their nouns and
// adverbs carry no literal sense, yet "on my part" matched the missing
// parts of damaged-on-arrival and "straight away" the refund "straight
// away" of cancel-order. The catalog's own text keeps them (an editor
// writes "for example" on purpose, and it changes no mail's terms). The
// same pass replaces the paraphrases whose wording needs a stop word
// (phrasals: "locked out" → account locked; the synonym table, which
// matches stems without stop words, would read every "locked", a child
// lock's too).
//
// A word whose stem is a stop word's is a stop word too (isStopStem):
// "gets" and "getting" are the "get" the list drops, so the catalog's
// "Robot vacuum gets stuck" no longer keeps a "get" that "my card keeps
// getting declined" matched (session 16; the general rule of a stop
// list under stemming, not a word of any mail; measured with the
// other-product factor below).
//
// Entries are indexed as one document per entry over both languages (mixed
// mails are common), with BM25F field weights title 3 > keywords 2 > answer 1.
// A mail becomes a weighted query: subject ×2 (×1 for a reply, whose subject
// is usually ours), sentences that ask something ×1, the other sentences of
// the customer's fresh text ×0.6, and the quoted history ×0.1 (without
// quoted mails' header blocks, signatures and footers, and without the
// mails the help desk itself wrote: quoted); salutations, closings, phone
// signatures and legal footers are cut.
// Model numbers and codes count half: they name the product, not the
// question. So do product nouns (kettle, rice cooker, 净水器: a general
// list of appliance names, products.go, productWeight): "I want to
// return my water purifier" concerns the purifier and asks for a return,
// and the return entry, not the purifier's leak, should come first. The
// linking bar still counts product nouns in full (scored.extra): "my
// kettle is broken" is evidence the mail is about the catalog's products,
// though it no longer decides between entries.
//
// Counted half in every entry alike, a mail's product nouns cannot tell
// the entry of its product from another product's, and a symptom both
// share decides: "my robot keeps stopping" matched the dehumidifier's
// "keeps stopping" more than the robot's "gets stuck". So an entry whose
// title and keywords name products (the appliance names of products.go,
// less the generic ones — appliance, device, machine, 电器, 机器 — and
// the first words of compound names that are no name alone: water, air,
// rice), none of them one the mail names in its own words (a subject or
// sentence, not the quoted history alone), has its score multiplied by
// otherProductFactor 0.5 (index.otherProduct; in the passage ranking of
// the later links too). An entry whose head names a generic appliance
// ("your appliance") is about every product, and a mail that names no
// product of the catalog's changes nothing. Measured on the three tuning
// sets (session 16, TestEvalOtherProduct; top-1, recall@3 and no-link
// per set): with the stop-word inflections above, public/ top-1 0.929 →
// 0.952, eval/dev 0.792 → 0.812, eval/dev2 0.845 the same, recall@3 and
// no-link unchanged everywhere, the right entry's margin up on every set
// (0.485 / 0.258 / 0.352 → 0.498 / 0.274 / 0.357). Both changes against
// the ranking before them: public/ 0.952 the same, eval/dev 0.792 →
// 0.812, eval/dev2 0.833 → 0.845; the factor alone public/ the same,
// eval/dev +1 mail, eval/dev2 the same; the inflections alone public/
// −1 (a robot that "keeps getting stuck": its own "gets stuck" was the
// match), eval/dev2 +1 (a declined card), which the factor then gives
// back. The five-fold cross-validation over the 214 tuning mails
// (TestEvalExamplesTuningCV): catalog alone top-1 0.851 → 0.862,
// department 0.953 → 0.958; with the examples top-1 0.891 → 0.897,
// department 0.958 → 0.963; recall@3 (0.920, 0.971) and no-link (0.950,
// 0.925) unchanged. Cost: BenchmarkRankAndRoute4K within ±4% (an AND of
// 64-bit sets per entry touched: productBit).
// eval/dev3 (80 mails written blind, merged after these changes were
// made and measured before its mails were read): recall@3 0.814, top-1
// 0.729, no-link 0.667 and department 0.938 with and without them (and
// pitchFirst, below); the cross-validation over the 294 mails of the four
// tuning sets: catalog alone top-1 0.820 → 0.833, with the examples
// 0.888 → 0.897 and no-link 0.820 → 0.836, recall@3 (0.893, 0.961) and
// department (0.969) unchanged.
//
// Each term has a postings list (entry, precomputed BM25F weight without
// idf); a mail's score is accumulated in a dense per-entry array over the
// postings of its terms, and the ten best entries are kept (rankDepth), so
// the cost follows the mail's terms, not the catalog's size. That reading
// of a mail (its best entries and what it does) is kept on the message
// (message.Memo, keyed by the index): Topics for routing and Suggest for
// the acknowledgement rank each mail once between them.
//
// Whether to link at all is decided separately, because BM25 always ranks
// something. A mail that asks or reports nothing (no question, no request,
// no report of something that does not work) gets no link, nor does an
// autoresponder's mail or a thank-you note without an explicit question. Press and marketing
// pitches, job applications and complaints must clear a higher bar (a
// marketing-services pitch is read by its trade's words too: SEO,
// organic traffic, a free audit, lead generation; added in session 15
// after an eval/dev2 miss: dev2 no-link one mail up, public/ and eval/dev
// unchanged; and, in session 18, by the conventions of any cold sales
// mail: a short call offered ("quick call", "a 20-minute call", "book a
// call"), a client's case study, "brands like yours", "reply STOP" —
// eval/dev6 no link 13 → 14 of 16, department accuracy eval/dev4 and
// eval/dev6 one mail up each; public-b in aggregate no link 12 → 13 of 17
// with recall@3, top-1 and department the same). The bar
// itself is expressed in units of the catalog's largest idf, so it means the
// same for 40 entries or 40,000.
//
// A request includes English's polite conditional of wanting ("I'd like
// the extra one back", "I would appreciate a call"); in every cue phrase an
// apostrophe separates words as a space does, on raw text as on folded
// text (eval/dev2, written blind to this, read one mail more: recall@3
// and top-1 of the catalog alone 0.857 → 0.869 and 0.810 → 0.821;
// public/ and eval/dev unchanged).
//
// A question asked before buying (intent.prospective, below) whose best
// entry is a product's troubleshooting (index.troubleSide: an entry
// about a product whose title reports a fault, "Rice cooker shows E1",
// 净水器漏水) gets no link: troubleshooting answers the product's owner,
// and a pre-sale question that matches it best is one the catalog does
// not answer ("can it slow-cook for eight hours?"). Measured on the
// tuning sets: eval/dev2 no-link one mail up, nothing else changed.
//
// The best entry must also match the mail in more than the product's
// name (the focus gate, minFocus): in a mail that reports nothing, its
// score without the mail's product nouns (codes and every other word
// count) must reach 0.4 of the catalog's largest idf. "电水壶可以直接煮
// 牛奶吗？" (can the kettle boil milk?), "What water ratio should I use
// for brown rice?" (of a rice cooker), "Will the robot vacuum be cheaper
// on Double 11?" match the kettle's, the rice cooker's, the robot's
// troubleshooting by the product's name alone, and the bar, which
// counts product nouns in full, let them through: the catalog answers
// nothing of what is asked about the product. Learned examples' votes
// for the entry count as evidence of what is asked. A fault report is
// exempt: its product and symptom are the question, and the symptom is
// often in words the catalog lacks ("kettle dead", 我的电水壶坏了) —
// which is why the bar counts product nouns in full. Measured (TestNoLinkDecisionVariants and
// TestNoLinkMargins print it; TestNoLinkProbes holds the floor): on the
// tuning sets nothing changes, in any count or margin (public/, eval/dev,
// eval/dev2; the examples' cross-validation TestEvalExamplesTuningCV
// recall@3 0.971, top-1 0.891, no-link 0.925, department 0.958; the demo
// rules' departments 0.980 / 0.950 / 0.942): their mails that reach the
// bar and report nothing score at least 1.35 idf units without product
// nouns (eval/dev2's bedroom purifier; the others more). The probes
// (nolink_probe_test.go) are 106 short mails written for the test, not
// from any labelled set: 71 that need no link (questions the catalog
// does not answer, closing replies, rants, auto-replies without headers,
// notices, newsletters, applications, pitches, another maker's product)
// and 35 that look like them and need one (a thank-you ending in a real
// question, a complaint that asks for its refund, faults in few words,
// Chinese and mixed). The first 36 and 22 were written before any change
// was made; the rest while checking the changes, among them eleven short
// questions of a product's use to see what the gate costs. With the code
// before this session's changes they read no link 54/71, recall@3 20/35;
// with them (this gate, the cues below and relayMark) 64/71 and 22/35.
// The gate withholds six (the three above, a water purifier's
// wastewater ratio before buying, a child's school project on how the
// robot finds the stairs, an air purifier that smells odd), at most 0.21
// idf units without product nouns; the least of the
// probes it links scores 0.57 ("how long should the robot vacuum's
// battery last?"), and 0.4 is the middle of that gap (0.25 to 0.5 give
// the same counts, 0.6 loses the battery question, 0.2 withholds two
// fewer). Its first form asked for half the bar (0.75 idf units) and
// lost short questions answered by one keyword ("空气净化器亮红灯是什么
// 意思？", the filter light's 红灯, 0.62): a single distinctive term,
// saturated in a field, rarely scores more. Beside it, reportMark gained
// 卡在 (stuck at) and the signs of a fault one hears, beeping and alarms
// (beeps, 嘀嘀响, 响个不停, 报警): the gate alone lost a stuck robot
// vacuum told in mixed Chinese and English and a water purifier that
// keeps beeping, faults the cues did not read. A code shown on the
// display (显示, 出现, 跳 or 报 before a letter: 显示E1, 跳E3) and an
// "error" became fault signs too, one probe more linked ("煮到一半就显示
// E1了", which asked nothing before), and so did the habitual aspect of
// a recurring fault: "keeps" or "kept" before a verb in -ing ("keeps
// switching itself off", keepsDoing), 老是 and 动不动 (one more: "扫地机器
// 人老是在原地转圈"). On the tuning sets these signs change three mails'
// cues and no figure: public/'s "包裹卡在海關？" now reports, as it does
// (a parcel held at customs; as a thank-you it keeps the ordinary bar),
// and eval/dev2's dehumidifier that stops every half hour (its right
// entry 1.70 → 2.27 of the bar) and card declined again and again.
//
// A part absent from the delivery, told without "missing" ("there's no
// faucet in the box", 箱子里没有滤芯), is a fault report too
// (absentFromBox): "no" up to three words before "in the box", the
// package, parcel, carton or delivery — English's closed class of what a
// delivery comes in — or 箱子里/盒子里/包装里/包裹里 before 没有. Such a
// mail often asks nothing in words (a photo of the empty slot attached),
// and the "asks nothing" gate withheld its link. Measured: one tuning
// mail moves, right (eval/dev3 recall@3 0.881 → 0.898, top-1 0.797 →
// 0.814: a water purifier's tap absent from its box, now
// damaged-on-arrival first); public/, eval/dev, eval/dev2, no-link,
// probes and departments unchanged; CV recall@3 0.979 → 0.983, top-1
// 0.918 → 0.923, no-link 0.852 held. TestAbsentFromBox and
// FuzzAbsentFromBox.
//
// In a question asked before buying (intent.prospective) the focus gate
// leaves out model codes as it does product nouns (productPart with
// codes): a code names the product the buyer asks about, as its noun
// does, and a pre-sale mail that matches its best entry by "WP800 RO
// 净水器" or "S8 扫地机器人" alone asks what the catalog does not answer
// (a purifier's waste-water ratio, whether the robot works with
// HomeKit). An owner's question keeps its codes in the focus, a fault
// report stays exempt. Measured: one tuning mail moves, right (eval/dev3
// no-link 0.714 → 0.762: the RO waste-water ratio, choosing-a-model no
// longer linked); recall@3 and top-1 of every set, public/, eval/dev,
// eval/dev2, the probes and every pre-sale mail that needs its link
// unchanged (public/'s "AP400 or AP600?" keeps 1.24 idf units without
// codes, eval/dev's AP400 sleep-mode noise 7.18); CV no-link 0.869 →
// 0.885 (5 folds, 5 folds permuted), 0.852 → 0.869 (10 folds, contiguous
// fifths), 0.844 → 0.861 (one fold learned), 0.852 held (2 folds),
// recall@3 and top-1 held on every scheme; BenchmarkRankAndRoute4K
// within noise. TestPreSaleFocusCodes. Measured and not adopted: the
// pre-sale trouble gate widened to every entry about a product
// (productSide) withholds the entries buyers need, which are about a
// product too (choosing-a-model, energy-noise-specs, overseas-voltage,
// press-contact: six tuning mails' best and wanted entry, public/ 046,
// eval/dev 036, 040, 058, eval/dev2 066, eval/dev3 021, read off
// TestNoLinkMargins); leaving out buyMark's words and closed-class
// modals (buy, need, 可以) as well would not reach eval/dev3's ozone
// question (it keeps "part" of filters-spare-parts) nor its showroom
// visit ("size" of choosing-a-model), and no closed class reads those
// as words of buying. eval/dev3's HomeKit mail is read as a report, so
// no pre-sale rule reaches it.
//
// An autoresponder is known by its headers (RFC 3834's Auto-Submitted,
// X-Autoreply, Precedence) or its subject, and when it sends neither, by
// what it says of its own mail (autoBodyMark): "this is an automated
// message", "this mailbox is not monitored", "I am out of the office",
// 系统自动发送, 请勿直接回复, 正在休假 — in the first person or of "this"
// mail, so that a customer telling of an absence ("I was out of the
// office when the courier came") still asks. Such a mail asks nothing,
// whatever its words ("for questions about orders, please contact our
// purchasing team"). Measured: on the tuning sets the phrases occur in
// three mails, all autoresponders with headers (no count changes); on
// the probes one more no link (a no-reply mailbox's notice).
//
// On eval/dev3 (80 mails written blind, merged after these changes were
// built and measured on it in aggregate before any of its mails was
// read): no link 14/21 → 15/21, recall@3 48/59 (0.814) and top-1 0.729
// unchanged, department accuracy 0.938 unchanged; the one mail gained is
// autoBodyMark's (without it 14/21; the focus gate and relayMark alone
// change nothing there). The examples' cross-validation over the four
// tuning sets (294 mails, TestEvalExamplesTuningCV): no-link 0.820 →
// 0.836, recall@3 0.961, top-1 0.888 and department 0.969 unchanged.
//
// English asks without a question mark in two more ways of its grammar
// (session 18): a sentence that begins, capitalised, with an auxiliary
// verb and then its subject ("Can that be sorted before it ships",
// inverted; a wrapped line that begins "will not turn on" continues a
// sentence and is lower case), and "please" before any word but the set
// phrases that ask nothing of the reader (pleaseAsks, pleaseSetPhrases:
// please find attached, see below, note, consider the environment, do
// not reply, feel free, don't hesitate). Both count as asking (the
// "asks nothing" gate) and give their sentence the asking weight, but do
// not make a mail's thanks explicit. A closing with the writer's name
// after a comma ("Thanks, Priya") is a sign-off, not thanks. 想了解,
// 想知道 and 想咨询 ("I'd like to know") ask as 想问 does. Measured on
// eval/dev6 (70 mails written blind this session, scored in aggregate
// before any of its mails was read; with the catalog alone 0.778 /
// 0.741 / 0.875 recall@3 / top-1 / no link, its English recall 0.632):
// recall@3 42 → 45 of 54, top-1 0.741 → 0.796, no link 14 → 13 of 16 (a
// pre-sale question about ozone the catalog does not answer, asked by
// word order, is now read as asking and linked); eval/dev2 recall@3 77
// → 78; the other tuning sets unchanged; public-b in aggregate
// unchanged (0.921 / 0.825 / 0.706). Measured and dropped: "I/we need"
// and the conditional "I'd love", "we'd be grateful/keen" as asking
// (public-b no link 12 → 11 of 17, its recall and top-1 unchanged), and
// 请 at a clause's start as asking (eval/dev5 no link one lower, nothing
// gained).
//
// A thank-you note that asks only for the thanks to be passed on
// ("could you pass my thanks on to him?", "please let her manager know",
// 麻烦帮我转达一下谢意, 替我谢谢师傅: relayMark, general ways of relaying a
// message) does not ask explicitly, and so, as thanks, gets no link; a
// sentence besides that asks still counts (explicitBesides). 谢意, 感激
// and 致谢 joined the words of thanks. Measured: no tuning mail's cues
// change; on the probes no link 61/71 → 64/71 (the two thank-you notes
// for an installer, English and Chinese, and praise for an agent to her
// manager; before, "could you", "please let" or 麻烦 made them explicit
// and the installation entry, or the dealer's, was linked), recall@3 the
// same.
//
// A mail that takes back what an earlier one asked ("never mind", "please
// ignore my last email", "found it", 不用查了, 找到了, 没事了: retractMark)
// gets no link unless it also asks something explicitly, as a thank-you
// note does. 麻烦 asks explicitly except in the set phrase 麻烦(你们)了,
// thanks in advance or for trouble taken, which is neither a request nor
// thanks. "Not your brand" (不是你们这个牌子, 不是你们的品牌) names another
// maker's product. (eval/dev2, whose misses suggested them: no-link 0.750
// → 0.850; public/ and eval/dev unchanged.)
//
// Session 17 mended how the cues read wrapped and replied mail, by
// general rules of mail and of Chinese grammar:
//   - an English phrase crosses one line break (sepLen: mail is wrapped
//     at 72 to 78 columns; a blank line still ends it), and the body's
//     Chinese lines join between Han characters (joinHanWraps): "please
//     do not reply to this⏎message" and 请勿直接⏎回复 are what they say;
//   - Chinese A-not-A questions (能不能, 会不会, 是不是, 得唔得, 有冇) are
//     blanked for the cues (maskANotA): their negation asks, it reports
//     no fault ("能不能把报告发我");
//   - a reply's subject is the mail it answers, usually ours ("Re: How
//     did we do?"), so it gives no cue of asking;
//   - "not bought yet" (还没买, "have not ordered") is a purchase not
//     made and 是…买的 one made; "works fine now" and "I just wanted you
//     to know" (不用回复) read like a retraction, and "this is an
//     automated email/confirmation" as an autoresponder's.
//
// Measured on the tuning sets: eval/dev3 no-link 16/21 → 18/21 (the
// survey reply and the app rant, which suggested the last two), eval/dev4
// 11/16 → 12/16 (a ticket system's confirmation, wrapped), nothing else
// moved. Tried and dropped: "buy one" with its classifier (买一台) as
// pre-sale (eval/dev4 +1 no-link and +1 department, public-b one
// recalled mail less); joining wrapped English lines into one asking
// sentence for the zones (eval/dev4 top-1 +1, eval/dev2 no-link −1);
// Han unigrams for the characters no known bigram covers (eval/dev and
// eval/dev2 recall@3 −1 to −3 at every weight from 0.1); a vote split
// among an example's entries (the examples' cross-validation 787 → 784
// mails right); and putting the warranty or repair entry first for a
// fault report that names the maker's after-sale service (warranty,
// repair, 保修, 维修) when the first link is a product's troubleshooting
// — three tuning first links right and none wrong (public/ top-1 0.952
// → 0.976, eval/dev5 0.855 → 0.873, the examples' cross-validation 787 →
// 789), but public-b's top-1 one mail lower (0.825 → 0.810 with the
// catalog alone, 0.841 → 0.825 as shipped), a regression by issue 19's
// rule.
//
// A report is read widely, in closed classes of general language rather
// than in words of any mail: every negated English auxiliary (doesn't …
// couldn't, can't), "never" and the adverbs of "almost not" (barely,
// hardly, scarcely); the signs of a fault one sees, smells or hears (wet,
// dripping, smoke, a burning smell, overheating, tripped, rust, mould,
// beeping, an error, a code on the display; 湿了, 滴水, 冒烟, 异味, 跳闸,
// 生锈, 嘀嘀响, 报警 (an alarm), 显示E1 …; stuck, 卡住 and 卡在; a fault
// that recurs, "keeps stopping", 老是, 动不动); "not yet"
// with a verb of arriving (没到, 没收到, 还没, 尚未, 一直没 …); and a
// sentence that begins with a bare verb of request (an imperative: "Stop
// sending…", "Cancel my order"). A mail that reports so and is not
// thanks, a pitch or a complaint has its bar lowered (reportFactor ×0.75): a customer telling
// what went wrong is asking for help in fewer words than one asking a
// question. 帮我 is a request only where it begins a clause and is not in
// the perfective (了, 过: "师傅顺手帮我们换了垫片" tells what was done). A
// mail about another maker's product, said in the possessive or
// attributive form ("another brand's", "not one of yours", 别的牌子的,
// 其他品牌的; not the plural of a comparison), gets no link: the catalog
// answers for the shop's own products. Unless a sentence of it reports a
// fault of the shop's own product, named as the customer's ("your
// kettle", 你们的电水壶, 是你们的 with one of the general appliance names,
// yoursFaulty): "I switched from another brand's kettle. Now your kettle
// leaks" is about ours (an outside audit's case, session 14; the tuning
// sets' figures are the same with and without this exception).
//
// Which entries follow the first is decided by passage-level evidence
// (passages.go): the catalog's ten best entries are ranked again by their
// title and keywords plus their best answer sentence, scored as a BM25
// document of its own (MaxP: Callan 1994; Dai and Callan 2019), and the
// best of them other than the first link follow it, while they score at
// least half of the best (relFrac). A whole answer that covers several
// situations dilutes the sentence that answers a mail, so the entries that
// answer it in part rank low as whole documents; ranked by passages they
// come up, but one well-matching sentence also puts an entry first
// wrongly, so the first link stays the whole entry's. Measured
// (TestEvalPassages, TestEvalPassageFill): on public/ a tie (saturated);
// on public-b, recall@3 0.857 → 0.905 (en 0.80 → 0.84, zh 0.88 → 0.96),
// top-1 and no-link unchanged. Passages ranked alone had shown recall@3
// 0.905 and top-1 0.762 on public-b; this fusion was conceived after that,
// so public-b did not judge it blind. Its only constant is relFrac.
//
// A pitch (intent.pitch: a job application, a press or marketing pitch)
// that gets links at all has the best of them that is an entry for
// pitches (index.pitchSide: careers, press contact) first (pitchFirst),
// as Topics reads a pitch by those entries alone: a reporter asking about
// a recall is a press enquiry, which the recall notice does not answer.
// It uses the mail cues and the catalog's own titles and keywords that
// routing already reads; no constant. Measured on the three tuning sets
// (session 16): eval/dev2 top-1 0.845 → 0.857 (the one pitch of 214 with
// two links in another order), nothing else changed; the five-fold CV
// (TestEvalExamplesTuningCV) top-1 0.862 → 0.868 alone, 0.897 → 0.902
// with the examples, the other figures unchanged.
//
// A mail of a kind (intent.kinds: a job, coverage or sponsorship,
// distribution) either asks the way in or offers something, and only
// the first asks what its kind's entry gives: "are you hiring, who
// should I send my CV to?", "who is the right person for this?", "what
// are the conditions, and who handles new markets?", 有没有合作的机会,
// 怎么申请 — against "please find my CV attached", an interview or a
// statement wanted, an agency's call, audit or rate card, a logo "in
// return". kindAskMark is the closed class of questions about whom to
// address and how or on what terms to apply (who should/can I contact,
// send, write to; who handles; how to apply or become; is there a form,
// an opening, an opportunity; are you hiring; what are the conditions;
// 找谁, 谁负责, 怎么申请, 合作条件, and 有没有…机会 within maxChanceGap,
// 48 bytes, one clause); kindOfferMark the general ways of offering,
// proposing a call or asking a comment (attached, portfolio, interview,
// statement, rate card, in return, would you be open/interested, 附上,
// 请查收, 作为回报, 采访, 声明, 有没有兴趣) — general language, not words of
// a labelled mail; Chinese literals are folded as the text is (怎么 reads
// 怎幺: newFoldedLiterals). A mail that asks and does not offer
// (intent.wayIn, asksWayIn) is linked to the best entry of its kinds
// that shares a word with it (Catalog.wayInEntry: in the ten ranked, or
// else the best of the kinds' entries, as Topics reads a kind), first
// and with its kinds' entries alone; the pitch bar (pitchFactor), the
// evidence bar and the focus gate do not apply, the earlier gates (asks
// nothing, foreign, thanks) and the examples' no-link votes (against)
// do. Before it, every such ask was held to 2.5 times the bar, as the
// offers are, and the four that asked in few of the entry's words got no
// link (top/bar 0.36–0.59: TestNoLinkMargins, which now prints eval/dev3
// too). Measured on the tuning sets, catalog alone: five mails move
// right, none wrong — eval/dev2 recall@3 0.881 → 0.893, top-1 0.857 →
// 0.869 (a creator asking 有没有 brand collaboration 的机会); eval/dev3
// recall@3 0.814 → 0.881 (en 0.700 → 0.850), top-1 0.729 → 0.797 (a job
// asked at support@, a writer wanting product shots, an importer asking
// the conditions, a blogger's review-unit ask whose kind entry was below
// a filter entry); public/ and eval/dev unchanged, no-link unchanged on
// all four; the 294-mail CV (TestEvalExamplesTuningCV) recall@3 0.961 →
// 0.979, top-1 0.897 → 0.918, no-link 0.852 held (catalog alone 0.893 →
// 0.914, 0.833 → 0.854); probes (TestNoLinkProbes) 64/71 and 22/35
// unchanged; departments unchanged. TestWayInLinksItsKindsEntry checks
// both sides with mails written for it.
//
// The way-in questions are then read in the indirect order too ("let us
// know who we should speak to") and across a hard line break (the mail's
// folded text with its runs of white space made one space, for mails of
// a kind alone): two distributors' asks that had been wrapped or put
// indirectly move right, the dealer-partnership entry first where the
// shipping entries had been — eval/dev recall@3 0.917 → 0.938, top-1
// 0.812 → 0.833; eval/dev2 0.893 → 0.905, 0.869 → 0.881; public/ and
// eval/dev3 unchanged, no-link, probes and departments unchanged; CV
// recall@3 0.983 held, top-1 0.923 → 0.931, no-link 0.852 held.
// The ask and offer cues are read in the kinds' own pass (kindCues,
// kindReading), and the unwrapped second pass runs only for a mail of a
// proposal's kind (proposalKinds: a job, coverage, distribution — a
// charge gone wrong neither asks the way in nor offers) where the first
// found neither: read as a separate pass for every mail of a kind, they
// had cost BenchmarkRankAndRoute4K/demo (a mixed mail of the charge kind)
// about 10% (≈170 → 188 µs, alternated runs); now within noise of
// before (≈173 → 177 µs), no tuning figure changed.
//
// # Topics
//
// Topics tells the rules' "about" condition which departments a mail is
// about: each department scores its best entry among those scoring at least
// relFrac of the best (an entry belongs to the first department it lists),
// the scores are normalised to shares, and the shares are scaled by the
// best score over the linking bar, capped at 1. It ranks the whole mail,
// without the "does it ask anything" decision: a job application needs no
// link but concerns the careers entry all the same. A topic also names the
// other departments its best entry lists (Topic.Also): the rules keep a
// mail with its address's department when that is one of them. A
// department learned examples vote for has none where the examples
// outweigh the catalog (the nearest example's similarity s > ½, learnedMajority):
// agents put such mail there themselves. Nor has a finance topic when the mail reports
// something gone wrong or not happened (intent.report, reportMark:
// "still hasn't", 还没到账) and does not ask before buying: the policy
// gives finance refund status and payment and charge problems, so a
// refund that has not arrived goes to finance from support@ too, while
// a question of how refunds work stays with the address.
//
// A pitch (intent.pitch, pitchMark: a job application, a press or
// marketing pitch) is read by the entries for pitches alone: those whose
// title or keywords carry the same cue (index.pitchSide; careers and
// press contact in the demo catalog). The products a pitch names (a
// creator's favourite purifier) would otherwise pull it to support or
// sales; a pitch that matches no such entry has no topics, and its
// address decides. Both readings use the catalog's own text and the
// mail cues the linking decision already reads; no constant is new.
// Measured by the cross-validation over the tuning sets
// (TestEvalExamplesTuningCV, routing by the demo rules): department
// accuracy 0.945 → 0.964 (104 → 106 of 110 mails), with examples and
// with the catalog alone (public/ 0.960 → 0.980, eval/dev 0.933 →
// 0.950), recall@3, top-1 and no-link unchanged (links do not use
// Topics); each reading alone gains one mail. TestEvalTuningMisroutes
// lists the tuning mails still misrouted and what decided them.
// Measured and not adopted: a complaint (complaintMark) read without the
// pitch entries (0.973: one mail only, the rant), a
// reply's subject weighed 0.5 or 0.25 instead of 1 (no figure moves).
//
// A proposal is read by its kind (kinds.go): a job (jobKindMark:
// "hiring", "my CV", "internship", 招聘, 简历), coverage, marketing or
// sponsorship (pressKindMark: "journalist", "blogger", "review unit",
// "sponsor", "free audit", 博主, 部落客, 赞助, 测评合作) or a business
// proposal to distribute (tradeKindMark: "become your distributor",
// "carry your products", "stock your robot vacuums", 代理你们,
// 成为经销商), and so is a charge gone wrong (chargeKindMark: "card
// declined", "payment didn't go through", "charged twice", 支付失败,
// 扣了两次), which the policy gives finance. Each entry has the kinds its
// own title and keywords match (index.kinds: careers a job, press
// contact coverage, dealer partnership distribution, payment problems a
// charge in the demo catalog), and a mail of a kind some entry has is
// read by those entries alone
// (Catalog.kindTopics), with clarity 1: the mail's words meet the
// entry's title or keywords in the kind's cue, however little else of
// it they match (a distributor's country matched the shipping entries,
// dealer partnership was not among its ten best; an SEO agency's pitch
// matched careers before press). This reading comes before the pitch
// reading above, which stays for pitches of no kind (a supplier's "we
// manufacture", a remittance advice to a 供应商). The cues are general
// language, bound to a proposal where a customer uses the noun of
// something else (kinds.go lists them: 滤网红灯 holds 网红, 招商银行
// 招商, "distribution centre", "resume cleaning"); TestPitchKinds checks
// both sides, TestEntryKinds the entries' kinds. Measured on the tuning
// sets (routing by the demo rules, catalog alone): department accuracy
// eval/dev 0.950 → 0.967, eval/dev2 0.942 → 0.981, eval/dev3 0.887 →
// 0.912, public/ 0.980 unchanged; seven mails move right (three
// distributors, an SEO agency, a sponsorship ask and a blogger's review
// request sent to sales@ or support@, a job offer's check sent to
// support@), none wrong; in the five-fold cross-validation over the four
// sets (TestEvalExamplesTuningCV, 294 mails) 0.935 → 0.959 alone and
// 0.939 → 0.959 with examples; recall@3, top-1 and no-link unchanged on
// every set (links do not read the kinds). Two of
// TestDemoRoutingExamples' known misses, written before (a 招聘 question
// and a retailer who would "stock your products" to support@), now
// route right. The charge kind, added after, moves one more mail right
// (eval/dev2 0.981 → 0.990: a card declined while buying a robot vacuum,
// which the vacuum's troubleshooting entry led) and none wrong; the four
// other tuning mails with its cue (charged twice, a payment taken for an
// unpaid order) were finance's already; TestDemoRoutingExamples' known
// miss "Checkout problem" (a payment that didn't go through) now routes
// right; cross-validation 0.963 → 0.966 alone and with examples.
//
// A question asked before buying names a product, often one of its parts,
// and so matches that product's troubleshooting entries, which support
// owns; the policy puts pre-sale product questions with sales. When a mail
// asks before a purchase (buyMark: "thinking of buying", "before I
// order", "which model should", "a quote", 想买, 准备入手, 购买前, 买哪,
// 有没有货, 报价 …) and says nothing of one made (ownMark: "I bought",
// "my order", "my kettle", "I've had it", "stopped working", 买了, 订单,
// 收到, 我的电水壶, 我部…, 坏了 …), and is not a pitch (pitchMark), it is
// pre-sale (intent.prospective), and the entries of support's that are
// about a product rather than about buying one (index.productSide) count
// for sales in its topics (Topic.PreSale, which the rules' trace shows).
// An entry is about buying one when its title and keywords name an
// order, delivery, return, account or payment matter (transactionMark)
// and no product (productTerms): a delivery question from someone about
// to buy is still support's. Entries that list sales after support
// (buying filters and spare parts) keep support: the catalog weighed
// sales for them. The cue lists are matched on folded text (Traditional
// and Cantonese folded to Simplified, as for ranking), so each is written
// once, in Simplified. Suggest does not use any of this: links are
// unchanged.
//
// The mirror of it: a mail that says the customer has the product or an
// order (ownMark, intent.owned) and reports something wrong
// (reportMark) is after-sale, and an entry of sales' alone about a
// product (choosing a model) counts for support in its topics: a wrong
// model delivered for a 45 m² room matched choosing-a-model first and
// went to sales. Entries that list support too (power and noise,
// overseas voltage) keep their departments, as support's that list
// sales do for a pre-sale mail. Measured on the tuning sets: the
// topics of eight mails change (seven labelled support, now more so;
// a trade-in labelled sales loses share but stays with its address,
// sales@), one moves right (eval/dev3 0.925 → 0.938), none wrong;
// cross-validation 0.966 → 0.969 alone and with examples; links
// unchanged.
//
// A pre-sale mail's topics are not scaled down by how weakly its best
// entry is matched (the clarity factor is 1): the mail says what it is,
// and the catalog, written for owners, has few words for a question
// asked before buying (a water purifier's waste-water ratio matched the
// installation and leak entries at three quarters of the linking bar),
// so the scaling left every such question below the rules' 0.5 and the
// address decided, support@'s keeping it. The shares are unchanged: a
// delivery question before buying still leads with support. Measured on
// the tuning sets (demo rules, catalog alone): of the 22 pre-sale mails
// one moves right (eval/dev3 0.912 → 0.925), none wrong, and the five
// labelled support (delivery questions before ordering) stay right; in
// the five-fold cross-validation 0.959 → 0.963 alone and with examples;
// recall@3, top-1 and no-link unchanged (links do not read Topics).
// Measured and not adopted: an entry that lists sales after another
// department (payment methods, filters and spare parts) counting for
// sales in a pre-sale mail, and a sales-first entry keeping no other
// department there (one more mail of eval/dev3 right, none wrong, but
// the held-out set's department gate failed with it: not kept, and not
// varied further against that gate); the first half alone gains the
// same mail on the tuning sets and was not tried on the gate. Wider
// pre-sale cues for Topics ("haven't bought yet", 还没买, a Chinese verb
// of intending governing a verb of buying across a locative, 想在…网店买)
// with a pre-sale mail read without the proposal entries moved no tuning
// mail beside the clarity (the mails they make pre-sale lead with
// payment methods, finance's and sales'), so neither is kept; with
// "should we get" too they gained one mail, but "want to get a refund"
// and "should I get a replacement" are an owner's words.
//
// # Learned examples
//
// WithExamples adds mails that agents labelled (package learn) as a second
// index. A mail's nearest examples are found by cosine similarity over the
// same term weights as its query (zone weights, saturation, the examples'
// idf; an example's text is read as a mail is, its first line the subject,
// the salutation and closing cut); the three nearest vote for their
// entries and departments, a label taking the similarities of the
// examples that carry it, summed, times three linking bars (λ 3), which
// is added to the catalog's score: its entry ranks higher and is linked
// once the catalog's own match and the examples' together clear the bar.
// An example that needed no link (Example.NoLink: a labelled set's
// `faq: []`, the agents linked nothing — a thank-you, a pitch, an
// application, an autoreply, a complaint about staff) votes against
// linking: among the three nearest, the no-link examples' similarities,
// summed, times four linking bars (noLink 4) are added to the linking bar
// of a mail whose own words read as thanks, a pitch or an application, or
// a complaint (cuedBar); a plain question is left to the catalog and the
// entries' votes. When the no-link examples among the three nearest are
// more than three times as similar, summed, as those voting for the
// best entry (withdraw 3), the catalog's own ranking decides whether
// the mail is linked and what first, and the votes choose only the
// second and third links: loosely similar examples then do not lift a
// mail like those that needed no link over the bar (session 16: one
// no-link mail more on three of six fold schemes, none less anywhere).
// Such an example's department votes as any other's.
// Nothing but an explicit label makes one: a #move, a #faq and an
// agent's reply without a help-centre link (learn import --maildir) say
// nothing of whether a link was needed. For Topics the nearest examples' departments are mixed
// with the catalog's: with s the similarity of the nearest example, s
// of the confidence is the examples' (each department's share of their
// votes) and 1 − s the catalog's, so one correction makes a
// near-duplicate of the mail it was made on confidently that
// department's (s 0.8: at least 0.8) and moves a mail that shares a few
// of its words by its small s (s², until session 18: faq/topics.go).
//
// # Where the constants come from
//
//   - The catalog: every index term (titles, keywords, answers in both
//     languages), idf, field lengths, and each entry's departments.
//   - General resources: NFKC (Unicode), the Traditional/Taiwan/Hong Kong →
//     Simplified table (OpenCC, t2s.txt), the Snowball English stemmer and
//     the usual English stop-word list; the general frequencies of
//     two-character Chinese words (zh_freq.txt: the 2000 most frequent of
//     go-ego/gse v0.80.3's Simplified dictionary, Apache License 2.0, in
//     part jieba's, MIT; generated and checked by TestGenerateZhFreq) and
//     their multiplier's floor, generalFloor 0.25, and table size, chosen
//     on the tuning sets (TestEvalChineseGeneralFrequency, below under
//     "Measured"); BM25's k1 = 1.2 and b = 0.75 (the
//     literature's defaults); the cue lists of mail.go (question and request
//     words, fault-report words such as "does not"/"坏了"/"冇反應",
//     autoresponder headers from RFC 3834 and the subjects mail clients
//     give auto-replies, what autoresponders and no-reply mailboxes
//     write of their own mail (autoBodyMark), the ways of asking that a
//     message be passed on (relayMark), and the vocabulary of thanks and
//     praise, job
//     applications, press, marketing agencies' and suppliers' pitches and
//     complaints), which are ordinary English, Chinese
//     and Cantonese phrasing, not words of any labelled mail; the
//     pre-sale cues of mail.go (buyMark, ownMark: general ways of saying
//     that one means to buy, asks before buying, which one to get,
//     whether it is in stock, for a quotation — or that one has bought,
//     ordered, received, owns or reports a fault of the product,
//     including the Cantonese and Mandarin possessive with a classifier,
//     我部機, 我那台) and transactionMark (the routing policy's support and
//     finance categories other than the product itself — orders,
//     delivery, customs, returns, exchanges, refunds, accounts, privacy,
//     payment, invoices, coupons, prices — in general words), which are
//     general language knowledge of purchase intent and of the policy,
//     not words of any labelled mail; the proposal kinds' cues of
//     kinds.go (jobKindMark, pressKindMark, tradeKindMark: general ways
//     of asking for a job, of offering coverage, marketing or
//     sponsorship, of proposing to distribute a maker's goods, and
//     chargeKindMark's of a card or payment refused or taken twice, with the
//     nouns a customer uses of something else left out or bound to a
//     proposal), general language, not words of any labelled mail; the
//     synonym
//     table (regional appliance names, colloquial shop vocabulary;
//     session 14 added WordNet's synset photograph.n.01 — photo,
//     photograph, picture, pic — and 博主, 网红, 达人, the general Chinese
//     internet words for what the catalog calls 自媒体作者); the phrasals
//     (idioms.go: "locked out", the usual English for an account one
//     cannot get into); the idiom
//     list (idioms.go: the common discourse markers and fixed adverbial
//     phrases of English grammars, e.g. Carter and McCarthy's Cambridge
//     Grammar of English, chosen as a class, not from mails; on the
//     tuning sets 11 mails have one: at all, no problem, as well,
//     straight away, a lot, on my part, a bit, by the way); the
//     product vocabulary (products.go: the names of household appliances
//     in English and Chinese; only those the catalog has matter).
//   - The Cantonese table (yue2cmn, text.go): the usual one-character
//     correspondences of written Cantonese and Standard Chinese, from
//     Cantonese grammar and dictionaries, not from any mail.
//   - The tuning set public/ (50 mails), chosen by hand or small grid and
//     checked across halves of it (TestEvalSplitHalf): the field weights
//     3/2/1 and short-field b 0.3, the zone weights (subject 2, asking
//     sentences 1, telling 0.6, quoted 0.1), codeWeight 0.5, minEvidence
//     1.5, pitchFactor 2.5 and relFrac 0.5; productWeight 0.5
//     (TestEvalProductFacet: of 0.75, 0.5 and 0.25, 0.5 wins one half's
//     objective, 2.728 against 2.675, and ties the other at 3.000, with
//     the right entry's margin up on both halves, 0.533 / 0.427 against
//     0.502 / 0.374; 0.25 has the larger margins but an objective no
//     better than without the discount; whichever half chooses, the other
//     half does not lose against the method without it),
//     and the bar counting product nouns in full (a tie on both sets,
//     kept because a fault report naming only its product and symptom,
//     "我的电水壶坏了，指示灯不亮", is then still linked). TestEvalPlainBM25 measures
//     what they add over plain BM25 (all weights 1, b 0.75) on both sets;
//     TestEvalRankerComparison weighs alternatives by 2-fold
//     cross-validation on public/ (a character n-gram cosine ranker and its
//     fusions with BM25F, idf over titles and keywords, a linking margin
//     over the mail's own top ten) and none beat these on both halves.
//   - The examples' kNN constants (knn.go) by five-fold cross-validation
//     over both tuning sets, public/ and eval/dev (110 mails; eval/dev was
//     written by the project from the catalog and the routing policy,
//     blind to public-b), examples imported from four folds and the fifth
//     measured (TestEvalExamplesTuningCV, which since session 15
//     measures what ships: Suggest's links, the examples' evidence in all
//     three places, and the demo rules' department). There catalog alone
//     reads recall@3 0.944, top-1 0.856, no-link 0.950, department
//     0.945; with the examples 0.967 / 0.856 / 0.950 / 0.945. Session
//     15's variants, none adopted (knn.go, defaultKNN): votes by the
//     similarity above the backdrop (the fourth nearest example's) gain
//     two first links at λ 6 (top-1 0.878) and hold on other fold
//     assignments, but are weaker with few examples (one fold's 22
//     learned: half a mail less; public/'s halves: one first link of 23)
//     and failed the held-out TestLearningCurve at 10 examples; votes by
//     a power of the similarity or scaled by the catalog's best score,
//     the examples' words as a low-weight field of their entries
//     (Rocchio), example text read flat, and for departments the
//     backdrop, other gate powers and other numbers of voters: none more
//     than a mail better at any setting, most of them worse. Before (figures without the examples
//     in places 2 and 3 and without the department): λ 2 to 4 with votes summed over
//     the three nearest all raise recall@3 0.889 → 0.933 and top-1
//     0.789 → 0.833 at an unchanged no-link rate, λ 10 loses no-link, ten
//     neighbours lose a mail of no-link at every λ; λ 3 is the middle of
//     the plateau and k is maxLinks. The no-link examples' votes by the
//     same cross-validation (TestEvalExamplesTuningCV, its no-link grid):
//     added to the bar of mail with a thanks, pitch or complaint cue,
//     μ 3 to 10 linking bars keep one more of the 20 mails that need
//     none unlinked (no-link 0.85 → 0.90) at no cost in recall@3 or
//     top-1, 15 costs a linked mail; with 10 folds, contiguous folds and
//     2 folds μ 3 to 6 gain that mail or tie and never cost one, so μ is
//     4. Added to every mail's bar the same votes gain that mail and lose
//     two linked ones (recall@3 0.944 → 0.922) at μ 3, more above;
//     withholding when the no-link votes beat the best entry's, or when
//     the nearest example is a no-link one, loses two to fourteen.
//     Chosen before on public/'s halves
//     alone (TestEvalExamplesCV), which are saturated and tied every λ up
//     to 1.5: λ 1 and the closest example per label, which added a mail
//     or two in the five folds.
//     Examples read as mails are read (zones, salutation
//     and closing cut) rather than as one flat text: the same choices on
//     public/ (1-NN across halves: entries 0 of 19 right instead of 1,
//     departments 15 of 25 instead of 14), adopted because a mail and an
//     example are then compared like with like; on public-b the nearest
//     example from public/ carries a right entry for 21 of 63 mails
//     instead of 17 and the right department for 57 of 80 instead of 55.
//     The examples' index weighs product nouns as the catalog's does
//     (productWeight), so that a mail and an example stay compared over
//     the same term weights: a tie on public/'s halves (1-NN 0 of 19
//     entries, 15 of 25 departments, as without); on public-b the
//     nearest example from public/ then carries a right entry for 24 of
//     63 and the right department for 59 of 80, and after importing all
//     of public/ public-b reads 0.857 / 0.794 / 0.706, department 0.887
//     (0.841 / 0.794 / 0.706 and 0.863 without it; one recall lower
//     after importing only the first 10).
//   - The three tuning sets (public/, eval/dev, eval/dev2; 214 mails):
//     otherProductFactor 0.5 (TestEvalOtherProduct: ×0.85 and ×0.7 gain
//     one mail, ×0.6 down to ×0.01 two, none loses a mail on any set;
//     the right entry's margin rises down to ×0.35; 0.5 is the mildest
//     factor of the plateau, so that an entry of a second product the
//     mail does not name still follows when it matches well).
//   - minFocus 0.4 (the focus gate, above): the middle of the gap the
//     probes leave (0.25 to 0.5 give the same counts; the tuning sets
//     are the same at every value from 0 to 1).
//   - Set by hand from what they mean, not fitted: kq 2 (a query term
//     said n times counts n·3/(2+n): 1, 1.5, 1.8 …), typoMinLen 5.
//   - Bounds on work, not quality knobs: rankDepth 10 (entries kept per
//     mail; at most three are linked), maxSubjectBytes and maxBodyBytes.
//
// # Measured and not adopted
//
// Each variant below was measured on public/'s halves (objective: recall@3
// + top-1 + no-link; and the mean margin of the best right entry over the
// best wrong one, which is not saturated there) and then once on public-b
// in aggregate (recall@3 / top-1 / no-link; shipped before product nouns
// counted half 0.841 / 0.762 / 0.706, margin 0.264; with them 0.857 /
// 0.794 / 0.706, margin 0.294, department accuracy 0.850 → 0.875):
//
//   - Product nouns at other weights, or only where they alone match
//     (TestEvalProductFacet; figures before the bar counted them in
//     full): ×0.75 ties on public (margins 0.523 / 0.400), public-b
//     unchanged; ×0.25 ties on public with the larger margins (0.535 /
//     0.439) but one recall fewer than ×0.5 on one half, public-b 0.841
//     / 0.778 / 0.706. Gated — product nouns discounted only for
//     an entry whose title or keywords name a product and none of whose
//     other title and keyword terms the mail has (the literal "a product
//     noun alone does not make the troubleshooting entry") — at ×0.75 …
//     ×0: ties on public (margins at most 0.508 / 0.405), public-b at
//     best 0.841 / 0.778 / 0.706. Only the names' head words (not
//     "water" of water purifier): ties on public, public-b the same
//     0.857 / 0.794 / 0.706. With product nouns at half, intent words
//     ×1.5 still tie on both sets (margins 0.524 / 0.430; public-b
//     unchanged), and idf^1.25 raises public/'s margins (0.544 / 0.439)
//     but lowers public-b to 0.841 / 0.762 / 0.706.
//   - OpenCC's regional phrase tables (Taiwan → mainland TWPhrasesRev,
//     and the Hong Kong and Taiwan variant phrases; 473 pairs that fold
//     to different words, testdata/regional_phrases.txt, generated by
//     TestGenerateRegionalPhrases from github.com/longbridgeapp/opencc
//     v0.3.13's copy), the mainland word's terms added where a text has
//     the regional one (TestEvalRegionalPhrases): ties on public (margin
//     0.374 → 0.370 on one half), public-b no-link 0.706 → 0.647. The
//     tables are mostly computing and place-name vocabulary (軟體, 網路,
//     伺服器), little of an appliance shop's; cost 20–60 µs more for a
//     4 KB Chinese mail (BenchmarkRegionalPhrases, 92 µs without).
//   - go-ego/gse's dictionary segmenter (v0.80.3, its Simplified
//     dictionary, no HMM; -tags experiment, TestExperimentSegmenter):
//     its words of three or more characters beside all bigrams lose on
//     one public half (top-1) and on public-b (0.825 / 0.730 / 0.706);
//     bigrams only inside its words lose on public (0.952 recall) and
//     give public-b 0.841 / 0.762 / 0.765. Not adopted, and its 49 MB of
//     embedded dictionaries stay out of the binary.
//   - Intent words (return, refund, invoice, 退货, 发票 …) weighted ×1.25
//     to ×3 in the query (TestEvalIntentWeight): ties on public up to ×2,
//     loses at ×3; public-b unchanged at every weight.
//   - The two-character Chinese stop words of gse's general list left out
//     of the index (testdata/zh_stop.txt, TestEvalChineseStopWords): ties on public
//     (margin slightly up); public-b top-1 0.730.
//   - Chinese bigrams weighed by their frequency in general Chinese
//     (adopted, see Ranking; zhfreq.go, zh_freq.txt: the 2000 most
//     frequent two-character words of go-ego/gse v0.80.3's Simplified
//     dictionary, in part jieba's, generated by TestGenerateZhFreq; 25
//     kB embedded, the binary 36 kB larger).
//     shippedGeneral multiplies a bigram's idf by 0.25 for the most
//     frequent word (一个), rising linearly in its general information
//     ln(total/count) to 1 at rank 2000 and beyond (所以, 不能 about
//     half, 只有 0.86; 拖布, 水箱, 发票, 密码 untouched).
//     TestEvalChineseGeneralFrequency, pooled over public/, eval/dev and
//     eval/dev2 (mail counts): catalog idf recall@3 158/174 (en 61/71, zh
//     73/78, mixed 24/25), top-1 146, no-link 36/40, margin 0.344;
//     shippedGeneral 159 (zh 74), 147, 36/40, margin 0.355; both gains on
//     eval/dev (a Chinese mail no longer linked to overseas-voltage,
//     rice-cooker-e1 and account-password), eval/dev2's mop-cloth mail
//     gets no link instead of three wrong ones. The multiplier from rank
//     500 to 2000 with floor 0 to 0.5, the cap at that fraction of the
//     largest idf (floor 0, 0.25) and a step (×0, ×0.25, ×0.5 for the
//     100 most frequent words) all give the same +2; the cap with floor
//     0.5, a step over the top 300 to 2000 words (top 1000 ×0: −4 mails,
//     top 2000 ×0: −3) and blending the catalog idf with the general one
//     (×0.25: −1, ×0.5: +1 but a no-link mail lost and the margin down)
//     do not. Larger tables (regenerated with 3000, 5000, 10000 words,
//     the multiplier rising to the table's last word) make the floor
//     matter: floor 0 loses a Chinese recall from 3000 words on, 0.25
//     from 5000 (at 10000: +1 net, a Chinese recall lost), 0.5 keeps +2
//     at every size; the cap with floor 0 or 0.25 keeps +2 to 10000 words
//     (margins 0.346 to 0.353) but for floor 0 at 10000 (−2).
//     The examples' CV (TestEvalExamplesTuningCV): 3.674 → 3.679 (top-1,
//     recall@3, no-link unchanged, department 0.949 → 0.953), but
//     nearest-none votes (θ 0.10: no-link 0.975, recall@3 0.937) then
//     lead the shipped kNN constants by more than one no-link mail, so
//     that test's check fails until the kNN choice is revisited; raising
//     every mail's bar at μ 0.5 would keep one more no-link mail in the
//     five folds, but loses a recalled mail with permuted folds.
//     Adopted (session 15): two mails of 214 gained, none lost on any
//     set, and fewer wrong links shown (over the three sets 164 of 332
//     links wrong before, 157 of 326 after).
//   - idf raised to 0.5 … 1.5 (TestEvalIDFPower): 1.25 ties on public with
//     a larger margin, public-b 0.825 / 0.746 / 0.706.
//   - Every mail counted as asking (TestEvalAsksGate): ties on public,
//     public-b no-link 0.588.
//   - English query expansion from a general thesaurus, LibreOffice's
//     WordNet-derived th_en_US_v2 (Debian's mythes-en-us 1:7.5.0-1;
//     Debian's copyright file puts dictionaries/en/* under Kevin
//     Atkinson's permissive word-list licence; the data are Princeton
//     WordNet's, under its permissive licence): each word of a mail the
//     catalog's vocabulary lacks (after folding, stop words and stemming)
//     adds the catalog's words among its single-word synonyms (no
//     phrases, proper nouns, hypernyms, related terms or antonyms) at a
//     fraction w of its weight, saturated with the catalog word's own
//     occurrences (TestEvalThesaurus; the .dat read from /usr/share at
//     test time, nothing embedded). Every variant ties on both public
//     halves with the synonym table kept (objective 3.000 / 2.728):
//     all senses ×0.3 and ×0.5 (margins 0.527 / 0.433, 0.522 / 0.436
//     against 0.533 / 0.427), the first five the catalog has ×0.3 and
//     ×0.5 (0.527 / 0.431, 0.522 / 0.433) all give public-b 0.857 /
//     0.762 / 0.706 (top-1 down from 0.794); the first sense ×0.3 and
//     ×0.5 (the only ones with margins not lower on either half, chosen
//     before public-b was measured) change nothing on either set
//     (public-b 0.857 / 0.794 / 0.706, margin 0.295 and 0.294): of 50
//     mails 14 get an expansion, and words such as look → express,
//     band → set, appoint → name show how little a general thesaurus
//     knows of an appliance shop. Their "first sense" is that of the
//     alphabetically first word on the stem (purchasable's corrupt and
//     venal for purchase); the first sense of each word on the stem
//     ties on public with a lower margin on one half (0.529 / 0.429,
//     0.527 / 0.430) and was not measured on public-b (one look per
//     experiment). The thesaurus in place of the synonym table's hand-made
//     English lines loses on public: without those lines 0.976 / 0.857
//     (objective 2.870 / 2.623), the thesaurus ×0.5 in their place at
//     best 1.000 / 0.881 (2.957 / 2.623); public-b 0.857 / 0.762 / 0.706,
//     or 0.857 / 0.794 / 0.706 with the first sense, the same as
//     without the lines (margin 0.299, 0.294 with them). Cost: 1–2 µs a
//     4 KB English mail, 4–6 ms more per catalog build for the map of
//     expansions (BenchmarkThesaurus); the first senses would embed as
//     236 kB of gzip (24,586 stems).
//   - Passage-level evidence (TestEvalPassages; Callan 1994's passages,
//     Dai & Callan 2019's MaxP), variants written down before public-b
//     was measured. Entry side: the entry's title and keywords with its
//     best answer sentence (either language) in place of the answer, one
//     BM25F saturation (A1), the same with two-sentence windows (A2), or
//     title and keywords plus the best sentence's BM25 saturated apart
//     (A3); idf stays the entries'. Mail side (B): the whole mail's score
//     and its best fresh zone's (subject or one sentence, ranked alone)
//     as (whole + λ·best)/(1 + λ), λ 0.5 fixed a priori, 0.25 and 1
//     beside it; and A1 with B λ0.5. On public/'s halves (objective;
//     margin) against the shipped 3.000 / 2.728 (0.533 / 0.427): A1 3.000
//     / 2.781 (0.544 / 0.460), the one candidate; A2 ties (0.546 /
//     0.442); A3 2.957 / 2.781; B λ0.25 ties with lower margins, λ0.5 and
//     λ1 2.957 / 2.675; A1+B 3.000 / 2.781 (0.521 / 0.454). Public-b
//     (recall@3, en / zh / mixed, top-1, no-link; shipped 0.857, 0.80 /
//     0.88 / 0.92, 0.794, 0.706): A1 0.873, 0.84 / 0.88 / 0.92, 0.746,
//     0.765 — top-1 down three mails, so not adopted; A2 0.857, 0.762,
//     0.765; A3 0.905 (zh 0.96), 0.762, 0.706; B λ0.25 0.857, 0.778,
//     0.765, λ0.5 0.841, 0.778, 0.765, λ1 0.825, 0.762, 0.824; A1+B
//     0.841, 0.746, 0.824. Every variant lowers top-1; the best sentence
//     finds the right entry among the top three more often but puts an
//     entry with one well-matching sentence first. That led to the
//     fusion Suggest now uses (the first link the whole entry's, the
//     others by passages; see Ranking above). With that fusion, the
//     first link chosen by CombSUM of the two rankings (each over its own
//     best, TestEvalCombSumFirst) loses one half of public/ and wins the
//     other by a mail each, and ties on public-b: not adopted.
//   - The wider reading of reports and requests above (session 14,
//     adopted): on the tuning sets public/ no-link 0.875 → 1.000 (the
//     other brand's air conditioner), recall@3 and top-1 unchanged;
//     eval/dev recall@3 0.812 → 0.875 (en 0.667 → 0.778, zh 0.857 →
//     0.905, mixed 1.000), top-1 0.667 → 0.688, no-link 0.833 → 0.917.
//     reportFactor 0.75 is the middle of eval/dev's plateau (×0.85 to
//     ×0.6; public/ is the same at every factor from 1 to 0.3; ×0.5
//     links a courier complaint). Public-b (one look, in aggregate) was
//     unchanged in every count (recall@3 0.905, top-1 0.794, no-link
//     0.706): no gain on held-out mail, and no loss; adopted because the
//     cues are closed classes of general language and the misses the
//     issue names on unseen mail (refund status, an app that went
//     offline) are of this kind. Widening the no-link kinds' cues in
//     general words as well (pitches: "our agency", "seo", "guest post",
//     "cover letter", 直播带货, 代运营 …; complaints about staff:
//     "shouted", "hung up", 不耐烦, 挂电话 …; praise: "well done", 非常满意
//     …) changed nothing on the tuning sets nor, at a second look, on
//     public-b: not adopted. Also measured on the tuning sets alone: a
//     thank-you note linked only with a question mark loses two Chinese
//     requests that end "谢谢" on eval/dev (recall@3 0.854); the lower bar
//     for every mail that asks and is none of the no-link kinds (the
//     default inverted) links a pre-sale question the catalog does not
//     cover on eval/dev (no-link from ×0.9 down).
//   - The bar counting product nouns in full only in a mail that reports
//     (params.productReportOnly: the reason the bar counts them is the
//     fault report that names only its product and symptom), instead
//     of the focus gate or beside it (TestNoLinkDecisionVariants): the
//     same counts on the tuning sets, eval/dev's shop-visit question
//     further under the bar (0.98 → 0.76) but eval/dev2's bedroom
//     purifier, linked right, nearer it (1.23 → 1.06); on the probes
//     (with the other changes) no link 65/71 but recall@3 20/35 against
//     the gate's 64/71 and 21/35 (the kettle's keep-warm question lost),
//     and the same beside the gate: not adopted, the gate moving no
//     tuning mail's margin and losing no probe's link.
//   - The focus gate's measure over the asking sentences and the
//     subject alone (the focus of the question, not of the narrative
//     around it; what eval/dev's shop-visit question, kept unlinked at
//     0.98 of the bar, would need): linked tuning mails that report
//     nothing have as little as 0 of the bar there (eval/dev's price
//     drop and stuck tracking, whose questions are "is there anything
//     you can do or am I just unlucky?" and "麻烦 check 一下到底在哪里？"),
//     eval/dev2's bedroom purifier 0.25, the shop-visit question 0.54:
//     no share separates them; not built.
//   - Praise ("great product", "好评") counted as thanks and supplier
//     pitches ("our factory", "供应商", "我司") as pitches: no change on
//     either set.
//   - The first link (session 14, eval/dev's top-1 misses read mail by
//     mail; adopted): "locked out" → account locked, the idiom list,
//     picture/pic/photograph → photo and 博主/网红/达人 → 自媒体 (above).
//     public/ unchanged in every count (recall@3 1.000, top-1 0.952,
//     no-link 1.000; margins 0.533 / 0.427 → 0.534 / 0.428); eval/dev
//     recall@3 0.875 → 0.896 (en 0.778 → 0.833, zh 0.905, mixed 1.000),
//     top-1 0.688 → 0.771, no-link 0.917, department accuracy unchanged
//     (0.933). Each step on eval/dev: locked out top-1 → 0.708, the
//     idioms → 0.750, photo recall@3 → 0.896, 自媒体 top-1 → 0.771.
//     Public-b (in aggregate) unchanged in every count: recall@3 0.905
//     (en 0.840 / zh 0.960 / mixed 0.923), top-1 0.794, no-link 0.706.
//     That look had "locked out" as a synonym-table line, which (stop
//     words dropped) read every "lock" as account locked; it was then
//     narrowed to the phrasal, which reads only "locked out", and
//     measured on the tuning sets alone (the same counts; eval/dev's
//     margin 0.239 → 0.245, the index no longer expanded where the
//     catalog says "child lock"). The shipped, narrow form was measured
//     on public-b once more at the end of the session, for the record (in
//     aggregate): the same figures.
//     No gain on held-out mail and no loss; adopted because each piece
//     is general language (a grammar's class of idioms, a thesaurus
//     synset, common vocabulary), not words of a mail. That was the
//     second look at public-b in the session; the first was unintended:
//     TestEvalSuggestions prints public-b's figures when they fall under
//     its targets, and they did (recall@3 0.889, en 0.800) with three
//     synonym lines tried together: colours (white, grey, 白色 … →
//     colour/颜色: the catalog's "wrong colour"), "locked out" and
//     "changed my mind" → change of mind. The colour line was dropped
//     (it did not fix the wrong-colour mail on eval/dev either), and
//     "changed my mind" was dropped because it already stems to the
//     catalog's own phrase (a no-op for mails that only perturbed the
//     index's field lengths). Measured on the tuning sets only and not
//     adopted: "one" as a stop word (eval/dev top-1 +1, public/ top-1
//     −1); Han bigrams across 的 left out (no change in any count);
//     codes in an entry's title or keywords counted in full there
//     instead of codeWeight, all codes or only letter-and-digit ones
//     such as E1 (no change in any count; eval/dev no-link −1 for all
//     codes); a reply's subject with a help desk's ticket tag
//     ([SUP-10482], [Acme #48213]) weighted as quoted text (no change in
//     any count: the refund reply then gets no link instead of wrong
//     ones; and a desk's subject may name the topic); product nouns
//     counted in full in a mail that names no transaction
//     (transactionMark) or service (warranty, repair, installation)
//     word — unlike session 13's ×0.5 for entries about another
//     product, it touches no entry, only the product discount, for the
//     mails whose want is the product's own trouble: eval/dev recall@3
//     0.875 → 0.896, top-1 0.750 → 0.771, but the right entry's margin
//     lower on both halves of public/ (0.533 / 0.428 → 0.520 / 0.416)
//     and on eval/dev (0.221 → 0.208), so not adopted and not measured
//     on public-b; "genuine: original | authentic" (eval/dev no-link
//     −1) and "distributor: carry/stock your products" (no change).
//   - Session 16, the top-1 misses of the three tuning sets read mail by
//     mail (26 of the 174 mails that want a link before the changes
//     above, four of them unlinked, which is the linking decision's
//     matter). By cause: a generic or ambiguous word of a title,
//     keywords or answer (gets stuck, one, plan, guide, phone number,
//     customers → customs, 了两, 的电) about a dozen; the intent against
//     the product's troubleshooting (a warranty, repair or exchange asked
//     for a product whose symptom is told at length) four; narrative
//     against the question (a technician who came to install, now a
//     leak) one; another product's entry one (the robot that "keeps
//     stopping", fixed above); our own auto-reply's subject in a reply
//     one; the rest single. Measured on the
//     three sets (top-1 mails of 174, recall@3 of 174, no-link of 40;
//     before the changes above 148 / 160 / 38) and not adopted:
//     the first link chosen by a fusion of the whole-entry and passage
//     rankings (TestEvalFirstLinkFusion: a sum of the two over their
//     bests with the passages' weight α — 0.1, 0.2 tie, 0.3 146, 0.5
//     144, passages alone 139 — or reciprocal rank at k 1 to 60: 148
//     with a recall lost, among decide's links or among all ten
//     candidates alike; chosen by nested five-fold CV 147); the intent
//     first — when the best entry is a product's troubleshooting and a
//     linked entry that names no product has a title or keyword word in
//     the subject or an asking sentence, that entry first: 147 (a
//     warranty question and a declined card gained, a cracked
//     dehumidifier, a spinning robot and an empty tank lost: customers
//     ask "should I send it for repair?" of the fault the
//     troubleshooting answers), and worse with wider conditions (the
//     best entry naming a product: 146; any: 131); the telling
//     sentences capped at the weight of 1 to 8 sentences when the mail
//     asks (314 to 345 mails right in all three figures, against 346:
//     the story is what names the fault); the zone and field weights, b, codeWeight
//     and productWeight on a grid over all three sets (none better than
//     the shipped values in the sum, which was tuned on public/ alone:
//     tell 0.7 or 0.8 gain recall@3 and lose no-link); intent words ×1.25
//     to ×2, the hand list of TestEvalIntentWeight or every title and
//     keyword word of the entries that name no product (ties, or a
//     no-link lost); a Han bigram that begins with a particle (了两, 的电)
//     weighed less (the 67 to 77 catalog bigrams that begin with 的 or
//     了, or also 着, 地, 得, and are not among the general words of
//     zh_freq.txt, idf ×0.5, ×0.25 or ×0, measured after the changes
//     above: no count moves on any set). After the changes above (150 top-1): the
//     entries whose first department is sales (specs, choosing a model,
//     coupons, overseas use …) ×0.85 to ×0.3 for a mail that reports a
//     fault and does not ask before buying — eval/dev +1 (a rice cooker
//     showing E1 no longer sent to overseas voltage) and eval/dev2 −1 (a
//     promo code: coupons list sales first) at ×0.7 and ×0.5; only for
//     such mails without an explicit question, +1 and nothing lost, a
//     condition chosen after seeing the loss, so not adopted. A general English frequency list to weigh
//     generic words as zhfreq.go does Chinese bigrams was looked for and
//     not found among the resources at hand; WordNet's sense counts
//     (th_en_US_v2) rank return 29, cover 33 and order 24 with get 36:
//     polysemy does not tell a shop's intent words from generic ones.
//
// Held-out public-b/ (80 mails) is measured by TestEvalSuggestions and
// never read mail by mail; its figures are in the README.
package faq
