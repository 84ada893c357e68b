package rules

import "unicode"

func toLowerRune(r rune) rune { return unicode.ToLower(r) }
