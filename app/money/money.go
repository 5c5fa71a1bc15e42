package money

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// ParseError explains why a text is not an acceptable amount. Its message is
// a predicate meant to follow a field name, e.g. "price has more than 2
// decimal places for EUR", so it can be shown next to a form field.
type ParseError struct {
	Input   string // the text as given
	Problem string // what is wrong with it, e.g. `must be a decimal amount like "19.90"`
}

// Error returns the problem alone, without the input.
func (e *ParseError) Error() string { return e.Problem }

// Parse converts a non-negative decimal text such as "19.90", "19.9", "19"
// or "0.5" into integer minor units of c ("19.9" EUR is 1990).
//
// Only ASCII digits and at most one "." are accepted: no sign, spaces,
// thousands separators, exponents, or leading/trailing "." (".5", "19.").
// Fraction digits beyond c.Exponent are accepted only if they are zeros
// ("19.900" EUR is 1990). Errors are *ParseError, except for a currency
// with an exponent outside 0..MaxExponent.
func Parse(s string, c Currency) (int64, error) {
	return parse(s, c, false)
}

// ParseSigned is Parse but also accepts a leading "-" for negative amounts.
func ParseSigned(s string, c Currency) (int64, error) {
	return parse(s, c, true)
}

// ParseJSON parses a JSON value holding a non-negative amount, either as a
// string ("19.90") or as a number (19.9, 19.90, 20), with the rules of Parse.
// Numbers are read from their literal text, never through float64. Negative
// amounts are refused as by Parse. An absent value (empty raw) or null is an
// error "is required"; other JSON types and invalid JSON are refused.
func ParseJSON(raw json.RawMessage, c Currency) (int64, error) {
	text := strings.Trim(string(raw), " \t\r\n")
	switch {
	case text == "" || text == "null":
		return 0, &ParseError{Input: string(raw), Problem: "is required"}
	case !json.Valid([]byte(text)):
		return 0, &ParseError{Input: string(raw), Problem: notAnAmount(c)}
	case text[0] == '"':
		var s string
		if err := json.Unmarshal([]byte(text), &s); err != nil {
			return 0, fmt.Errorf("money: decoding JSON string %s: %w", text, err)
		}
		return Parse(s, c)
	case text[0] == '-' || isDigit(text[0]):
		return Parse(text, c)
	default:
		return 0, &ParseError{Input: string(raw), Problem: notAnAmount(c)}
	}
}

// Format writes minor units of c as a decimal text with exactly c.Exponent
// fraction digits: 1990 EUR is "19.90", 1990 JPY is "1990", -5 EUR is
// "-0.05", 0 BHD is "0.000". An exponent below zero is treated as zero.
func Format(minor int64, c Currency) string {
	digits := strconv.FormatUint(magnitude(minor), 10)
	if e := c.Exponent; e > 0 {
		if len(digits) <= e {
			digits = strings.Repeat("0", e-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-e] + "." + digits[len(digits)-e:]
	}
	if minor < 0 {
		return "-" + digits
	}
	return digits
}

// magnitude returns |n| as a uint64, which is exact even for math.MinInt64.
func magnitude(n int64) uint64 {
	if n < 0 {
		return uint64(^n) + 1
	}
	return uint64(n)
}

// parse does the work of Parse and ParseSigned.
func parse(s string, c Currency, allowNegative bool) (int64, error) {
	if err := c.validate(); err != nil {
		return 0, fmt.Errorf("money: parsing %q: %w", s, err)
	}
	neg, body, problem := splitSign(s, allowNegative)
	if problem == "" {
		problem = checkSyntax(body, c)
	}
	if problem != "" {
		return 0, &ParseError{Input: s, Problem: problem}
	}
	whole, frac, _ := strings.Cut(body, ".")
	if len(frac) > c.Exponent {
		if strings.Trim(frac[c.Exponent:], "0") != "" {
			return 0, &ParseError{Input: s, Problem: tooManyDecimals(c)}
		}
		frac = frac[:c.Exponent]
	}
	v, ok := accumulate(whole, frac, c.Exponent, neg)
	if !ok {
		return 0, &ParseError{Input: s, Problem: outOfRange(c, neg)}
	}
	return v, nil
}

// splitSign removes a leading "-" if allowed and reports sign problems.
func splitSign(s string, allowNegative bool) (neg bool, body, problem string) {
	switch {
	case s == "":
		return false, s, "is required"
	case s[0] == '+':
		return false, s, `must not start with a "+" sign`
	case s[0] == '-' && !allowNegative:
		return false, s, "must not be negative"
	case s[0] == '-':
		return true, s[1:], ""
	}
	return false, s, ""
}

// checkSyntax returns the problem with an unsigned decimal text, or "" if it is well formed.
func checkSyntax(s string, c Currency) string {
	switch {
	case strings.ContainsFunc(s, unicode.IsSpace):
		return "must not contain spaces"
	case strings.Contains(s, ","):
		return `must use "." as the decimal point, without thousands separators`
	case looksLikeExponent(s):
		return `must be written out in full, not in exponent notation like "1e3"`
	case strings.ContainsFunc(s, notDigitOrDot):
		return notAnAmount(c)
	case strings.Count(s, ".") > 1:
		return "must not have more than one decimal point"
	case s == "" || s == ".":
		return notAnAmount(c)
	case s[0] == '.':
		return `must have a digit before the decimal point, like "0.5"`
	case s[len(s)-1] == '.':
		return "must have digits after the decimal point, or no decimal point"
	}
	return ""
}

// looksLikeExponent reports whether s is a number in exponent notation, like "1e3" or "2.5E-2".
func looksLikeExponent(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i <= 0 {
		return false
	}
	mantissa, exp := s[:i], strings.TrimLeft(s[i+1:], "+-")
	return strings.ContainsFunc(mantissa, isDigitRune) && exp != "" && !strings.ContainsFunc(exp, notDigitRune)
}

// accumulate computes the signed value of the digits whole+frac followed by
// (exponent-len(frac)) zeros, reporting false if it does not fit in an int64.
func accumulate(whole, frac string, exponent int, neg bool) (int64, bool) {
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // |math.MinInt64|
	}
	var v uint64
	push := func(d uint64) bool {
		if v > (limit-d)/10 {
			return false
		}
		v = v*10 + d
		return true
	}
	for _, digits := range []string{whole, frac} {
		for i := range len(digits) {
			if !push(uint64(digits[i] - '0')) {
				return 0, false
			}
		}
	}
	for range exponent - len(frac) {
		if !push(0) {
			return 0, false
		}
	}
	if neg {
		return int64(^(v - 1)), true // -v without overflowing at math.MinInt64
	}
	return int64(v), true
}

// notAnAmount is the generic message, with an example written for c.
func notAnAmount(c Currency) string {
	return fmt.Sprintf("must be a decimal amount like %q", example(c))
}

// example is a sample amount with the right number of decimals for c: "19.90", "1990", "19.900".
func example(c Currency) string {
	if c.Exponent <= 0 {
		return "1990"
	}
	return "19.9" + strings.Repeat("0", c.Exponent-1)
}

// tooManyDecimals is the message for fraction digits c cannot represent.
func tooManyDecimals(c Currency) string {
	unit := "places"
	if c.Exponent == 1 {
		unit = "place"
	}
	return fmt.Sprintf("has more than %d decimal %s for %s", c.Exponent, unit, c.Code)
}

// outOfRange is the message for an amount that does not fit in an int64 of minor units.
func outOfRange(c Currency, neg bool) string {
	if neg {
		return fmt.Sprintf("is too small; the minimum is %s", Format(math.MinInt64, c))
	}
	return fmt.Sprintf("is too large; the maximum is %s", Format(math.MaxInt64, c))
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isDigitRune reports whether r is an ASCII digit.
func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// notDigitOrDot reports whether r is neither an ASCII digit nor ".".
func notDigitOrDot(r rune) bool { return r != '.' && !isDigitRune(r) }

// notDigitRune reports whether r is not an ASCII digit.
func notDigitRune(r rune) bool { return !isDigitRune(r) }
