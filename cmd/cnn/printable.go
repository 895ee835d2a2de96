package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// printable returns s with every character that does not print (control
// characters such as ESC, tab and newline, C1 controls, DEL, format
// characters such as the right-to-left override, and bytes that are not
// UTF-8) written as a Go escape: \x1b, \t, \u202e, \xff. Everything else,
// a backslash included, stays as it is. Class names and file names come
// from files anyone may have made; printed raw they could recolour or clear
// the terminal, set its title, or forge lines and columns of the output.
func printable(s string) string {
	if isPrintable(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case strconv.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

func isPrintable(s string) bool {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// printableJSON escapes, as \uXXXX, every rune of j, a JSON text, that
// does not print. encoding/json escapes control characters below 0x20 but
// leaves DEL, C1 controls and format characters raw; the escaped text
// decodes to the same values.
func printableJSON(j []byte) []byte {
	s := string(j)
	if isPrintable(s) {
		return j
	}
	var b strings.Builder
	for _, r := range s {
		if strconv.IsPrint(r) {
			b.WriteRune(r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return []byte(b.String())
}
