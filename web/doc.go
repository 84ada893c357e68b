// Package web is Frontdesk's public help centre: the FAQ pages that
// acknowledgements link to, a search box over them, and a status page for
// each ticket.
//
// # Pages
//
//	/                 → 302 to /faq/
//	/faq/             the entries grouped by department, with a search box
//	/faq/{id}         one entry, with related entries and a mailto: link
//	/faq/search?q=    the faq package's Search ranking (the one behind
//	                  acknowledgements), matched words in <mark>; on no
//	                  result a mailto: link to the right department;
//	                  &format=json for the ranking as JSON
//	/t/{token}        one ticket's status for its customer
//	/static/…         the stylesheet and icon, embedded in the binary
//
// Pages are html/template, English or Chinese (lang="zh-CN"): ?lang= wins,
// then Accept-Language, then English — except that a search written in
// Chinese gets the Chinese page (and result links with ?lang=zh) whatever
// the browser prefers, unless ?lang= says otherwise; every page links to
// the other language. There is no JavaScript at all, so the Content-Security-Policy
// forbids scripts outright and every page works in a text browser.
//
// # Status tokens
//
// A status link is /t/<id>.<mac>, the MAC a truncated HMAC-SHA256 (144
// bits) of the ticket id under a key kept in <data_dir>/status.key, so
// links need no login and cannot be guessed or altered. A malformed,
// tampered or unknown token gets the same 404 page as any unknown URL, so
// a prober learns nothing about which tickets exist. Failed tries are
// rate-limited per client address (per /64 for IPv6) with a bounded LRU
// map of token buckets; an address that used up its tries gets 429 until
// its bucket refills, valid links included. Request logs show /t/<redacted>.
//
// # Design notes
//
// The search ranking is faq.Catalog.Search and the highlighting is
// faq.Catalog.Highlight, which folds, stems and corrects the query exactly
// as Search does; the web package never tokenises text itself, so the
// words marked are the words that ranked the entry.
//
// The catalog is read through Options.FAQ on every request, so a hot reload
// that swaps the catalog is visible on the next request without any
// coordination with this package.
package web
