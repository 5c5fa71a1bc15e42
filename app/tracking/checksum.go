package tracking

import (
	"fmt"
	"slices"
	"strings"
)

// checksumSpec is an entry's validation.checksum.
type checksumSpec struct {
	Name            string `json:"name"`
	Modulo          int    `json:"modulo"`
	EvensMultiplier *int   `json:"evens_multiplier"`
	OddsMultiplier  *int   `json:"odds_multiplier"`
	Reverse         bool   `json:"reverse"`
	Weightings      []int  `json:"weightings"`
	Modulo1         int    `json:"modulo1"`
	Modulo2         int    `json:"modulo2"`
	Alphabet        string `json:"alphabet"`
}

// checksumFunc reports whether check is the check digit of serial. Both are
// normalised (upper case, no separators).
type checksumFunc func(serial, check string) bool

// newChecksum builds the algorithm a spec names. The algorithms follow the
// reference implementation of the data (the tracking_number Ruby gem).
func newChecksum(s checksumSpec) (checksumFunc, error) {
	switch s.Name {
	case "mod10":
		if s.Modulo != 0 && s.Modulo != 10 {
			return nil, fmt.Errorf("checksum mod10 with modulo %d is not supported", s.Modulo)
		}
		evens, odds := 1, 1
		if s.EvensMultiplier != nil {
			evens = *s.EvensMultiplier
		}
		if s.OddsMultiplier != nil {
			odds = *s.OddsMultiplier
		}
		return func(serial, check string) bool { return mod10(serial, check, evens, odds, s.Reverse) }, nil
	case "mod7":
		m := s.Modulo
		if m == 0 {
			m = 7
		}
		if m < 2 || m > 10 {
			return nil, fmt.Errorf("checksum mod7 with modulo %d is not supported", s.Modulo)
		}
		return func(serial, check string) bool { return modN(serial, check, m) }, nil
	case "sum_product_with_weightings_and_modulo":
		if len(s.Weightings) == 0 || s.Modulo1 <= 0 || s.Modulo2 <= 0 {
			return nil, fmt.Errorf("checksum %s needs weightings, modulo1 and modulo2", s.Name)
		}
		w := slices.Clone(s.Weightings)
		return func(serial, check string) bool { return sumProduct(serial, check, w, s.Modulo1, s.Modulo2) }, nil
	case "s10":
		w := slices.Clone(s.Weightings)
		if len(w) == 0 {
			w = []int{8, 6, 4, 2, 3, 5, 9, 7}
		}
		if s.Modulo != 0 && s.Modulo != 11 {
			return nil, fmt.Errorf("checksum s10 with modulo %d is not supported", s.Modulo)
		}
		return func(serial, check string) bool { return s10(serial, check, w) }, nil
	case "mod_37_36":
		alphabet := s.Alphabet
		if alphabet == "" {
			alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		}
		if s.Modulo != 0 && s.Modulo != 36 || len(alphabet) != 36 {
			return nil, fmt.Errorf("checksum mod_37_36 needs modulo 36 and a 36-character alphabet")
		}
		return func(serial, check string) bool { return mod3736(serial, check, alphabet) }, nil
	case "luhn":
		return luhn, nil
	}
	return nil, fmt.Errorf("checksum %q is not supported", s.Name)
}

// digit is the value of a check digit string of exactly one digit, or -1.
func digit(s string) int {
	if len(s) != 1 || s[0] < '0' || s[0] > '9' {
		return -1
	}
	return int(s[0] - '0')
}

// mod10 weights characters alternately (index 0, 2, 4… by evens, 1, 3, 5… by
// odds, counting from the left, or from the right when reverse), sums them,
// and expects (10 - sum%10) % 10. A letter counts as (c - 'A' + 2) % 10,
// UPS's conversion (A=2, B=3, …, H=9, I=0, …).
func mod10(serial, check string, evens, odds int, reverse bool) bool {
	cd := digit(check)
	if cd < 0 || serial == "" {
		return false
	}
	total := 0
	for i := range len(serial) {
		pos := i
		if reverse {
			pos = len(serial) - 1 - i
		}
		var x int
		switch c := serial[pos]; {
		case c >= '0' && c <= '9':
			x = int(c - '0')
		case c >= 'A' && c <= 'Z':
			x = int(c-'A'+2) % 10
		default:
			return false
		}
		if i%2 == 1 {
			x *= odds
		} else {
			x *= evens
		}
		total += x
	}
	return (10-total%10)%10 == cd
}

// modN expects the serial, read as a decimal number, modulo m.
func modN(serial, check string, m int) bool {
	cd := digit(check)
	if cd < 0 || serial == "" {
		return false
	}
	r := 0
	for i := range len(serial) {
		c := serial[i]
		if c < '0' || c > '9' {
			return false
		}
		r = (r*10 + int(c-'0')) % m
	}
	return r == cd
}

// sumProduct multiplies each digit by its weighting, and expects the sum
// modulo modulo1, then modulo modulo2 (FedEx: 11, then 10).
func sumProduct(serial, check string, weights []int, modulo1, modulo2 int) bool {
	cd := digit(check)
	if cd < 0 || serial == "" || len(serial) > len(weights) {
		return false
	}
	total := 0
	for i := range len(serial) {
		c := serial[i]
		if c < '0' || c > '9' {
			return false
		}
		total += int(c-'0') * weights[i]
	}
	return total%modulo1%modulo2 == cd
}

// s10 is the UPU S10 check digit: the eight digits weighted 8,6,4,2,3,5,9,7,
// then 11 - sum%11, where 10 becomes 0 and 11 becomes 5.
func s10(serial, check string, weights []int) bool {
	cd := digit(check)
	if cd < 0 || len(serial) != len(weights) {
		return false
	}
	total := 0
	for i := range len(serial) {
		c := serial[i]
		if c < '0' || c > '9' {
			return false
		}
		total += int(c-'0') * weights[i]
	}
	want := 11 - total%11
	switch want {
	case 10:
		want = 0
	case 11:
		want = 5
	}
	return want == cd
}

// mod3736 is ISO/IEC 7064 MOD 37,36 (DPD): characters are their index in
// alphabet, and the check character is alphanumeric.
func mod3736(serial, check string, alphabet string) bool {
	const m = 36
	if len(check) != 1 || serial == "" {
		return false
	}
	p := m
	for i := range len(serial) {
		v := strings.IndexByte(alphabet, serial[i])
		if v < 0 {
			return false
		}
		p += v
		if p > m {
			p -= m
		}
		p *= 2
		if p > m {
			p -= m + 1
		}
	}
	return alphabet[(m+1-p)%m] == check[0]
}

// luhn is the Luhn check digit: from the right, every other digit of the
// serial, starting with the last, is doubled (minus 9 when over 9).
func luhn(serial, check string) bool {
	cd := digit(check)
	if cd < 0 || serial == "" {
		return false
	}
	total := 0
	for i := range len(serial) {
		c := serial[len(serial)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		x := int(c - '0')
		if i%2 == 0 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		total += x
	}
	return (10-total%10)%10 == cd
}
