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
// Whether to link at all is decided separately, because BM25 always ranks
// something. A mail that asks nothing (no question, no request) gets no link;
// nor does a thank-you note without an explicit question. Press and marketing
// pitches, job applications and complaints must clear a higher bar. The bar
// itself is expressed in units of the catalog's largest idf, so it means the
// same for 40 entries or 40,000; the second and third entries are linked only
// when they score at least half of the first.
package faq
