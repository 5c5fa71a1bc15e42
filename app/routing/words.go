package routing

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// listAnd joins up to limit items as "A, B and C", then "and N more".
func listAnd(items []string, limit int) string {
	return joinList(items, limit, " and ")
}

// listOr joins up to limit items as "A, B or C", then "or N more".
func listOr(items []string, limit int) string {
	return joinList(items, limit, " or ")
}

// joinList joins items with commas and the final conjunction, eliding past limit.
func joinList(items []string, limit int, conj string) string {
	if len(items) > limit {
		shown := append(items[:limit:limit], strconv.Itoa(len(items)-limit)+" more")
		return strings.Join(shown[:len(shown)-1], ", ") + conj + shown[len(shown)-1]
	}
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + conj + items[len(items)-1]
}

// items says "1 item" or "N items".
func items(n int64) string {
	if n == 1 {
		return "1 item"
	}
	return strconv.FormatInt(n, 10) + " items"
}

// withAll says "with the item" or "with all N items".
func withAll(n int64) string {
	if n == 1 {
		return "with the item"
	}
	return "with all " + strconv.FormatInt(n, 10) + " items"
}

// quantityOf says "2 × TEE-BLK-M".
func quantityOf(q int64, sku string) string {
	return strconv.FormatInt(q, 10) + " × " + sku
}

// km formats a distance: whole kilometres from 10 km, else to 0.1 km.
func km(d float64) string {
	if d >= 10 {
		return strconv.FormatFloat(math.Round(d), 'f', 0, 64) + " km"
	}
	return strconv.FormatFloat(d, 'f', -1, 64) + " km"
}

// round1 rounds to one decimal place.
func round1(x float64) float64 {
	return math.Round(x*10) / 10
}

// money formats minor units with the currency's exponent and symbol
// ("€4.20", "4.20 CHF", or a bare "4.20" without a currency).
func money(minor int64, exp int, currency string) string {
	exp = min(max(exp, 0), 18)
	neg := minor < 0
	digits := strconv.FormatUint(absU(minor), 10)
	for len(digits) <= exp {
		digits = "0" + digits
	}
	s := digits
	if exp > 0 {
		s = digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
	}
	if neg {
		s = "-" + s
	}
	switch strings.ToUpper(currency) {
	case "":
		return s
	case "EUR":
		return "€" + s
	case "GBP":
		return "£" + s
	case "USD":
		return "$" + s
	case "JPY":
		return "¥" + s
	}
	return s + " " + strings.ToUpper(currency)
}

// absU returns |v| as unsigned, safe for math.MinInt64.
func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

// shortDate formats an instant as its day in loc, "3 Dec".
func shortDate(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return strconv.Itoa(t.Day()) + " " + t.Month().String()[:3]
}

// quoted says `rule "EU closest"` or, for the default rule, "the default rule".
func quoted(ruleName string, index int) string {
	if index < 0 {
		return "the default rule"
	}
	return "rule " + strconv.Quote(ruleName)
}

// upperFirst upper-cases the first ASCII letter of s.
func upperFirst(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// lowerFirst lower-cases the first ASCII letter of s.
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// kindNoun names a location kind for people ("3PL", "dropshipper").
func kindNoun(kind string) string {
	switch kind {
	case Kind3PL:
		return "3PL"
	case KindDropship:
		return "dropshipper"
	}
	return kind
}

// withArticle prefixes "a" or "an" to a noun.
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("aeiouAEIOU", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
