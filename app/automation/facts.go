package automation

import (
	"math/big"
	"regexp"
	"strings"
)

// Facts is what the evaluator knows of an order when a trigger fires.
type Facts struct {
	Channel, Country, Currency, EmailDomain, Delivery string
	Total                                             *big.Rat // major units of Currency
	Quantity                                          int64    // units ordered, all lines
	Tags, SKUs, SKUTags                               []string
	CustomerOrderCount                                int64         // orders of this email, this one included (0: no email)
	OrdersInDays                                      map[int]int64 // orders of this email placed in the last N days, this one included
	AddressCheckFailed, POBox                         bool
	PromiseDays                                       *int64 // whole days from now to the promised delivery (nil: none)
}

// Needs says which costly facts a program's conditions read, so that the
// core only looks up what some rule uses.
type Needs struct {
	CustomerCount bool
	Days          []int // the windows of orders_in_days
	SKUTags       bool
	Promise       bool
}

// poBox matches the words of a post office box in an address line.
var poBox = regexp.MustCompile(`(?i)\b(p\.?\s*o\.?\s*box|post\s*office\s*box|postfach|bo[iî]te\s+postale|apartado\s+de\s+correos|casilla\s+de\s+correo|pmb)\b`)

// LooksLikePOBox says whether any address line names a post office box.
func LooksLikePOBox(lines ...string) bool {
	for _, l := range lines {
		if poBox.MatchString(l) {
			return true
		}
	}
	return false
}

// AddressIncomplete says whether a shipping address lacks what a carrier
// needs: a street line, a city and a country (a postal code where the
// country has them is checked by the caller, which knows the country).
func AddressIncomplete(line1, city, country string) bool {
	return strings.TrimSpace(line1) == "" || strings.TrimSpace(city) == "" || strings.TrimSpace(country) == ""
}

// EmailDomain is the part of an email address after its last @, lower case.
func EmailDomain(email string) string {
	i := strings.LastIndexByte(email, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[i+1:]))
}
