package imports

import (
	"encoding/csv"
	"strings"
)

// Spreadsheets read a cell that starts with =, +, -, @, tab or CR (OWASP's
// list; we add LF) as a formula, after any leading spaces. Exports neutralise
// such a cell with a leading single quote, which spreadsheets hide and treat
// as "this is text", and imports drop that quote again.
//
// The rule, exact for every string s:
//   - a cell is "formula-like" when it matches ^'*[ ]*[=+\-@\t\r\n]
//     (any single quotes, then any spaces, then a trigger);
//   - export writes "'"+s when s is formula-like and not a plain value,
//     and s as it is otherwise;
//   - import drops one leading quote from a cell that matches ^'+[ ]*[trigger],
//     and reads any other cell as it is.
//
// A value that really starts with quotes before a trigger ('=x) is written
// with one more (''=x), so the round trip is exact. A plain value — only
// digits, spaces and the characters + - ( ) . with at least one digit, such as
// -3, -12.50 or +33 6 12 34 56 78 — is written as it is: a formula made of
// those characters cannot call a function, reach another cell or run a
// command.

// csvTriggers are the characters that make a spreadsheet read a cell as a formula.
const csvTriggers = "=+-@\t\r\n"

// csvPlainChars are the characters of a number or a phone number.
const csvPlainChars = "0123456789 +-()."

// csvFormulaLike reports whether s starts with quotes and spaces (any number
// of each, at least minQuotes quotes) followed by a trigger.
func csvFormulaLike(s string, minQuotes int) bool {
	rest := strings.TrimLeft(s, "'")
	if len(s)-len(rest) < minQuotes {
		return false
	}
	rest = strings.TrimLeft(rest, " ")
	return rest != "" && strings.IndexByte(csvTriggers, rest[0]) >= 0
}

// csvPlain reports whether s is a number or a phone number: only the
// characters of csvPlainChars, with at least one digit.
func csvPlain(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(csvPlainChars, c) < 0 {
			return false
		}
		digit = digit || (c >= '0' && c <= '9')
	}
	return digit
}

// csvEscapeCell is the cell an export writes for value s.
func csvEscapeCell(s string) string {
	if csvFormulaLike(s, 0) && !csvPlain(s) {
		return "'" + s
	}
	return s
}

// csvUnescapeCell is the value an import reads from cell c: the inverse of csvEscapeCell.
func csvUnescapeCell(c string) string {
	if csvFormulaLike(c, 1) {
		return c[1:]
	}
	return c
}

// csvSafeWriter writes records with every cell neutralised by csvEscapeCell.
type csvSafeWriter struct {
	w   *csv.Writer
	rec []string
}

// newCSVSafeWriter wraps w.
func newCSVSafeWriter(w *csv.Writer) *csvSafeWriter { return &csvSafeWriter{w: w} }

// Write writes one record, each cell escaped.
func (s *csvSafeWriter) Write(rec []string) error {
	s.rec = s.rec[:0]
	for _, c := range rec {
		s.rec = append(s.rec, csvEscapeCell(c))
	}
	return s.w.Write(s.rec)
}

// Flush sends what the writer holds.
func (s *csvSafeWriter) Flush() { s.w.Flush() }

// Error reports any error of an earlier Write or Flush.
func (s *csvSafeWriter) Error() error { return s.w.Error() }
