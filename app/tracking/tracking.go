// Package tracking checks tracking numbers against the formats a carrier is
// known to use, for the "confirm shipment" step.
//
// The formats (regular expressions, check digits, tracking URL templates and
// test numbers) come from jkeen/tracking_number_data, embedded verbatim in
// couriers/ (see couriers/SOURCES.md). A number is checked against the
// formats of the carrier the user chose, and only those: formats overlap
// between carriers, so the package never guesses the carrier from the number.
// The result is meant as a warning, not a refusal.
//
// Three of the data's patterns use look-ahead, which Go's regexp (RE2) does
// not support: DHL eCommerce (not used: it is not DHL Express) and USPS IMpb N
// and C. They are skipped when the table is built; a USPS number only they
// describe (most 92…/93…/94…/95… labels) is reported as not checkable, with
// Valid=false. Every other pattern is compiled once, on first use.
//
// The package is pure: no I/O beyond the embedded files, and its only state is
// the read-only format table built once on first use.
package tracking

import (
	"cmp"
	"net/url"
	"strings"
	"unicode"
)

// Carrier is a carrier a shipment can be confirmed with.
type Carrier struct {
	Code string // Switchyard's carrier code, as the API takes it
	Name string // for people
}

// carrierDef says where a carrier's formats come from.
type carrierDef struct {
	Carrier
	file string   // courier file in couriers/; "" when there is no data
	ids  []string // entry ids (or names, for entries without one) in file; nil = all entries
	url  string   // URL template of our own, for carriers without data
}

// carrierDefs is Switchyard's carrier list, in the order Carriers returns it.
var carrierDefs = []carrierDef{
	{Carrier: Carrier{"ups", "UPS"}, file: "ups.json"},
	{Carrier: Carrier{"fedex", "FedEx"}, file: "fedex.json"},
	{Carrier: Carrier{"usps", "USPS"}, file: "usps.json"},
	// dhl.json also holds DHL eCommerce formats: a different service, left out.
	{Carrier: Carrier{"dhl-express", "DHL Express"}, file: "dhl.json", ids: []string{"dhl_express", "dhl_express_piece_id"}},
	{Carrier: Carrier{"dpd", "DPD"}, file: "dpd.json"},
	// Postal operators use the UPU S10 format (RB123456785GB). The data has
	// no URL template for S10, and no La Poste domestic (Colissimo) format.
	{Carrier: Carrier{"royal-mail", "Royal Mail"}, file: "s10.json"},
	{Carrier: Carrier{"colissimo", "La Poste / Colissimo"}, file: "s10.json"},
	{Carrier: Carrier{"postnl", "PostNL"}, file: "s10.json"},
	{Carrier: Carrier{"gls", "GLS"}, url: "https://gls-group.com/track?match=%s"},
	{Carrier: Carrier{"canada-post", "Canada Post"}, file: "canadapost.json"},
	{Carrier: Carrier{"other", "Other"}},
}

// Carriers lists the carriers a shipment can be confirmed with, in
// Switchyard's order. The slice is the caller's to keep.
func Carriers() []Carrier {
	out := make([]Carrier, len(carrierDefs))
	for i, d := range carrierDefs {
		out[i] = d.Carrier
	}
	return out
}

// Check is the result of checking a tracking number against a carrier's formats.
type Check struct {
	Carrier string // the carrier code checked against
	Number  string // the normalised number (see Normalize); "" when blank
	Valid   bool   // matches one of the carrier's formats, check digit included; true when the carrier is not Known
	Known   bool   // we have formats for this carrier
	Warning string // a sentence for the user when !Valid
	URL     string // tracking link from the carrier's URL template; "" if none or the number is blank
	Service string // the service the number encodes (e.g. "UPS United States Ground"), when the data says
}

// Normalize upper-cases a tracking number and strips the separators people
// type or paste between its characters: white space of any kind (the data's
// formats allow it anywhere), dashes, and invisible formatting characters
// (zero-width spaces, soft hyphens, byte-order marks). Anything else is kept,
// so a stray character still fails the format check.
func Normalize(number string) string {
	var b strings.Builder
	b.Grow(len(number))
	for _, r := range number {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteByte(byte(r - 'a' + 'A'))
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteByte(byte(r))
		case unicode.IsSpace(r), unicode.Is(unicode.Pd, r), unicode.Is(unicode.Cf, r):
			continue
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// Validate checks number against the formats of one carrier (a code from
// Carriers). It never guesses another carrier. A carrier without data (gls,
// other, or a code not in Carriers) gives Known=false and Valid=true. A blank
// number is never valid. URL is filled for any non-blank number when the
// carrier has a template, valid or not: the link is the user's to try.
func Validate(carrier, number string) Check {
	code := strings.ToLower(strings.TrimSpace(carrier))
	c := Check{Carrier: code, Number: Normalize(number)}
	reg := loadRegistry()
	set := reg.carriers[code] // nil for a code not in Carriers
	if set != nil {
		c.Known = len(set.formats) > 0 || len(set.skipped) > 0
	}
	if c.Number == "" {
		c.Warning = "a tracking number is required"
		return c
	}
	if !c.Known {
		c.Valid = true
		if set != nil {
			c.URL = fillURL(set.url, c.Number)
		}
		return c
	}

	name := set.def.Name
	var failed *formatResult // the first format that matched but failed a check
	for _, f := range set.formats {
		res := f.check(c.Number)
		switch {
		case res.ok:
			c.Valid = true
			c.Service = res.service
			c.URL = fillURL(cmp.Or(f.url, set.url), c.Number)
			return c
		case res.matched && failed == nil:
			failed = &res
		}
	}
	c.URL = fillURL(set.url, c.Number)
	switch {
	case failed != nil:
		c.Warning = c.Number + " does not look like " + article(name) + " " + name + " tracking number (" + failed.reason + ")"
	case len(set.skipped) > 0:
		c.Warning = c.Number + " does not match any " + name + " format we can check (" + joinAnd(set.skippedNames()) + " numbers cannot be checked here)"
	default:
		c.Warning = c.Number + " does not match any " + name + " format"
	}
	return c
}

// fillURL puts the URL-escaped number in a template's %s; "" without a template.
func fillURL(template, number string) string {
	i := strings.Index(template, "%s")
	if i < 0 {
		return ""
	}
	esc := url.PathEscape(number)
	if strings.Contains(template[:i], "?") {
		esc = url.QueryEscape(number)
	}
	return template[:i] + esc + template[i+2:]
}

// article is "a" or "an" for a carrier name ("a UPS", "a FedEx", "an Evri").
func article(name string) string {
	if name == "" || !strings.ContainsRune("AEIOU", rune(name[0])) ||
		strings.HasPrefix(name, "UPS") || strings.HasPrefix(name, "USPS") {
		return "a"
	}
	return "an"
}

// joinAnd joins names as "A", "A and B", "A, B and C".
func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
