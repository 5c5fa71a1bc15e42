package routing

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"reflect"
)

// Decimal is an amount in major units ("50.00"), kept as its literal text so
// it is never rounded through float64. It reads a JSON string or number and
// writes a JSON string.
type Decimal string

// UnmarshalJSON keeps the literal text of a JSON string or number.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Decimal(s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*d = Decimal(b)
	default:
		return &json.UnmarshalTypeError{Value: "amount", Type: reflect.TypeFor[Decimal]()}
	}
	return nil
}

// MarshalJSON writes the amount as a JSON string.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(d))
}

// parts splits a plain decimal ("-12.50") into sign, integer and fraction
// digits; ok is false for anything else (exponents, spaces, empty parts).
func (d Decimal) parts() (neg bool, whole, frac string, ok bool) {
	s := string(d)
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	whole, frac = s, ""
	if i := bytes.IndexByte([]byte(s), '.'); i >= 0 {
		whole, frac = s[:i], s[i+1:]
		if frac == "" {
			return false, "", "", false
		}
	}
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return false, "", "", false
	}
	return neg, whole, frac, true
}

// valid reports whether the amount is a plain decimal number.
func (d Decimal) valid() bool {
	_, _, _, ok := d.parts()
	return ok
}

// negative reports whether the amount is below zero.
func (d Decimal) negative() bool {
	neg, whole, frac, ok := d.parts()
	return ok && neg && !allZero(whole+frac)
}

// minor converts the amount to minor units of a currency with the given
// exponent, exactly; extra fraction digits round up (ceil) or down (floor).
// Values beyond int64 saturate. ok is false when the text is malformed.
func (d Decimal) minor(exp int, ceil bool) (int64, bool) {
	neg, whole, frac, ok := d.parts()
	if !ok {
		return 0, false
	}
	exp = min(max(exp, 0), 18)
	digits, rest := whole+frac, ""
	if len(frac) > exp {
		digits, rest = whole+frac[:exp], frac[exp:]
	} else {
		for range exp - len(frac) {
			digits += "0"
		}
	}
	m := digitsValue(digits)
	if !allZero(rest) && ceil != neg && m < math.MaxInt64 {
		m++ // round away from zero: up for positive ceilings, down for negative floors
	}
	if neg {
		return -m, true
	}
	return m, true
}

// rat returns the amount as an exact rational, for comparisons.
func (d Decimal) rat() (*big.Rat, bool) {
	if !d.valid() {
		return nil, false
	}
	return new(big.Rat).SetString(string(d))
}

// digitsValue parses decimal digits, saturating at math.MaxInt64.
func digitsValue(s string) int64 {
	var v int64
	for i := 0; i < len(s); i++ {
		n := int64(s[i] - '0')
		if v > (math.MaxInt64-n)/10 {
			return math.MaxInt64
		}
		v = v*10 + n
	}
	return v
}

// allDigits reports whether s holds only ASCII digits (true when empty).
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allZero reports whether s holds only '0' characters (true when empty).
func allZero(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
