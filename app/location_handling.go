package app

import (
	"errors"
	"strings"

	"switchyard/app/money"
	"switchyard/app/routing"
)

// Handling is what a location charges to pick and pack, in minor units of
// Currency (as zone rates keep their cost): per shipment and per unit.
type Handling struct {
	PerShipment int64
	PerUnit     int64
	Currency    string // "" when the location states no handling costs
}

// InCurrency is the handling costs for an order in cur: both zero when the
// location keeps them in another currency (they are not converted, as zone
// rates in another currency are not).
func (h Handling) InCurrency(cur string) (perShipment, perUnit int64) {
	if h.Currency == "" || h.Currency != cur {
		return 0, 0
	}
	return h.PerShipment, h.PerUnit
}

// withHandling sets the location's handling costs and their API text.
func (l Location) withHandling(h Handling) Location {
	l.Handling, l.HandlingCurrency = h, h.Currency
	cur, ok := money.LookupCurrency(h.Currency)
	if !ok {
		cur = money.Currency{Code: h.Currency, Exponent: 2}
	}
	l.HandlingPerShipment, l.HandlingPerUnit = money.Format(h.PerShipment, cur), money.Format(h.PerUnit, cur)
	return l
}

// checkHandling validates the handling costs and their currency, naming the field.
func checkHandling(in *LocationInput, fields FieldsError) {
	in.HandlingCurrency = strings.ToUpper(strings.TrimSpace(in.HandlingCurrency))
	cur, ok := money.LookupCurrency(in.HandlingCurrency)
	if in.HandlingCurrency != "" && !ok {
		fields.Add("handling_currency", "unknown currency "+Quote(in.HandlingCurrency)+" (use an ISO code such as EUR)")
	}
	if !ok {
		cur = money.Currency{Code: in.HandlingCurrency, Exponent: 2} // still say whether the amounts read
	}
	var stated bool
	for _, f := range []struct {
		name string
		raw  *money.Decimal
	}{{"handling_per_shipment", &in.HandlingPerShipment}, {"handling_per_unit", &in.HandlingPerUnit}} {
		*f.raw = money.Decimal(strings.TrimSpace(string(*f.raw)))
		v, problem := handlingAmount(string(*f.raw), cur)
		if problem != "" {
			fields.Add(f.name, problem)
		}
		stated = stated || v > 0
	}
	if stated && in.HandlingCurrency == "" {
		fields.Add("handling_currency", "is required when a handling cost is given")
	}
}

// handlingAmount reads one handling cost in minor units of cur, or says what is wrong.
func handlingAmount(raw string, cur money.Currency) (int64, string) {
	switch {
	case raw == "":
		return 0, ""
	case strings.HasPrefix(raw, "-"):
		return 0, "must not be negative"
	}
	v, err := money.Parse(raw, cur)
	if err != nil {
		var pe *money.ParseError
		if errors.As(err, &pe) {
			return 0, pe.Problem
		}
		return 0, "must be an amount such as 1.50"
	}
	return v, ""
}

// handling is the checked input's handling costs in minor units.
func (in LocationInput) handling() (Handling, error) {
	cur, ok := money.LookupCurrency(in.HandlingCurrency)
	if !ok && in.HandlingCurrency != "" {
		return Handling{}, InvalidField("handling_currency", "unknown currency "+Quote(in.HandlingCurrency))
	}
	h := Handling{Currency: in.HandlingCurrency}
	for _, f := range []struct {
		name string
		raw  money.Decimal
		out  *int64
	}{{"handling_per_shipment", in.HandlingPerShipment, &h.PerShipment}, {"handling_per_unit", in.HandlingPerUnit, &h.PerUnit}} {
		v, problem := handlingAmount(string(f.raw), cur)
		if problem != "" {
			return Handling{}, InvalidField(f.name, problem)
		}
		*f.out = v
	}
	return h, nil
}

// withHandlingFor sets each candidate's handling costs for an order in cur;
// costs stated in another currency are marked unknown, not free.
func withHandlingFor(cands []routing.Candidate, handling map[string]Handling, cur string) {
	for i := range cands {
		h := handling[cands[i].Code]
		cands[i].HandlingPerShipment, cands[i].HandlingPerUnit = h.InCurrency(cur)
		cands[i].HandlingUnknown = h.Currency != "" && h.Currency != cur && (h.PerShipment > 0 || h.PerUnit > 0)
	}
}
