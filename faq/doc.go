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
// become ASCII; case folding; Traditional and Taiwan/Hong Kong variant
// characters folded to Simplified with a table generated from OpenCC's
// dictionaries). English words lose stop words and are stemmed (Snowball);
// adjacent stems also form phrase terms. Runs of Han characters become
// overlapping bigrams, a one-character run a unigram. A small table of
// general synonyms (regional names such as 抽湿机/除湿机, 空气清新机, 电子锅;
// paraphrases such as "money back" → refund) adds the catalog's word when a
// customer uses another.
//
// Entries are indexed as one document per entry over both languages (mixed
// mails are common), with BM25F field weights title 3 > keywords 2 > answer 1.
// A mail becomes a weighted query: subject ×2 (×1 for a reply, whose subject
// is usually ours), sentences that ask something ×1, the other sentences of
// the customer's fresh text ×0.6, and the whole body including quoted history
// ×0.1; salutations, closings, phone signatures and legal footers are cut.
// Model numbers and codes count half: they name the product, not the
// question.
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
// pitches, job applications and complaints must clear a higher bar. The bar
// itself is expressed in units of the catalog's largest idf, so it means the
// same for 40 entries or 40,000; the second and third entries are linked only
// when they score at least half of the first.
//
// # Topics
//
// Topics tells the rules' "about" condition which departments a mail is
// about: each department scores its best entry among those scoring at least
// relFrac of the best (an entry belongs to the first department it lists),
// the scores are normalised to shares, and the shares are scaled by the
// best score over the linking bar, capped at 1. It ranks the whole mail,
// without the "does it ask anything" decision: a job application needs no
// link but concerns the careers entry all the same.
//
// # Where the constants come from
//
//   - The catalog: every index term (titles, keywords, answers in both
//     languages), idf, field lengths, and each entry's departments.
//   - General resources: NFKC (Unicode), the Traditional/Taiwan/Hong Kong →
//     Simplified table (OpenCC, t2s.txt), the Snowball English stemmer and
//     the usual English stop-word list; BM25's k1 = 1.2 and b = 0.75 (the
//     literature's defaults); the cue lists of mail.go (question and request
//     words, fault-report words such as "does not"/"坏了"/"冇反應",
//     autoresponder headers from RFC 3834 and the subjects mail clients
//     give auto-replies, and the vocabulary of thanks, job applications,
//     press pitches and complaints), which are ordinary English, Chinese
//     and Cantonese phrasing, not words of any labelled mail; the synonym
//     table (regional appliance names, colloquial shop vocabulary).
//   - The tuning set public/ (50 mails), chosen by hand or small grid and
//     checked across halves of it (TestEvalSplitHalf): the field weights
//     3/2/1 and short-field b 0.3, the zone weights (subject 2, asking
//     sentences 1, telling 0.6, quoted 0.1), codeWeight 0.5, minEvidence
//     1.5, pitchFactor 2.5 and relFrac 0.5. TestEvalPlainBM25 measures
//     what they add over plain BM25 (all weights 1, b 0.75) on both sets;
//     TestEvalRankerComparison weighs alternatives by 2-fold
//     cross-validation on public/ (a character n-gram cosine ranker and its
//     fusions with BM25F, idf over titles and keywords, a linking margin
//     over the mail's own top ten) and none beat these on both halves.
//   - Set by hand from what they mean, not fitted: kq 2 (a query term
//     said n times counts n·3/(2+n): 1, 1.5, 1.8 …), typoMinLen 5.
//   - Bounds on work, not quality knobs: rankDepth 10 (entries kept per
//     mail; at most three are linked), maxSubjectBytes and maxBodyBytes.
//
// Held-out public-b/ (80 mails) is measured by TestEvalSuggestions and
// never read mail by mail; its figures are in the README.
package faq
