package money

import (
	"slices"
	"strings"
	"testing"
)

func TestLookupCurrency(t *testing.T) {
	tests := []struct {
		code         string
		wantOK       bool
		wantExponent int
	}{
		{"EUR", true, 2}, {"USD", true, 2}, {"GBP", true, 2}, {"CHF", true, 2},
		{"JPY", true, 0}, {"KRW", true, 0}, {"ISK", true, 0}, {"CLP", true, 0}, {"VND", true, 0},
		{"XAF", true, 0}, {"XOF", true, 0}, {"XPF", true, 0}, {"UGX", true, 0}, {"PYG", true, 0},
		{"BHD", true, 3}, {"KWD", true, 3}, {"JOD", true, 3}, {"OMR", true, 3},
		{"TND", true, 3}, {"IQD", true, 3}, {"LYD", true, 3},
		{"CLF", true, 4}, {"UYW", true, 4},
		{"XCG", true, 2}, {"ZWG", true, 2}, {"VES", true, 2}, {"SLE", true, 2},
		{"eur", false, 0},  // upper case only, by design
		{"Eur", false, 0},  // upper case only, by design
		{"XAU", false, 0},  // gold: no minor unit
		{"XXX", false, 0},  // "no currency"
		{"HRK", false, 0},  // replaced by EUR in 2023
		{"ZWL", false, 0},  // replaced by ZWG in 2024
		{"ANG", false, 0},  // replaced by XCG in 2025
		{"EURO", false, 0}, // not a code
		{"", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			c, ok := LookupCurrency(tt.code)
			if ok != tt.wantOK {
				t.Fatalf("LookupCurrency(%q) ok = %v, want %v", tt.code, ok, tt.wantOK)
			}
			if ok && (c.Code != tt.code || c.Exponent != tt.wantExponent) {
				t.Errorf("LookupCurrency(%q) = %+v, want exponent %d", tt.code, c, tt.wantExponent)
			}
			if !ok && c != (Currency{}) {
				t.Errorf("LookupCurrency(%q) = %+v for an unknown code, want the zero Currency", tt.code, c)
			}
			if _, ok := CurrencyName(tt.code); ok != tt.wantOK {
				t.Errorf("CurrencyName(%q) ok = %v, want %v", tt.code, ok, tt.wantOK)
			}
		})
	}
}

func TestCurrencyTable(t *testing.T) {
	all := Currencies()
	if len(all) < 150 {
		t.Fatalf("Currencies() has %d entries, want the full active ISO 4217 list (150+)", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b Currency) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("Currencies() is not sorted by code")
	}
	seen := make(map[string]bool, len(all))
	for _, c := range all {
		if seen[c.Code] {
			t.Errorf("duplicate code %s", c.Code)
		}
		seen[c.Code] = true
		if !isCurrencyCode(c.Code) {
			t.Errorf("code %q is not three upper-case letters", c.Code)
		}
		if !slices.Contains([]int{0, 2, 3, 4}, c.Exponent) {
			t.Errorf("%s has exponent %d; ISO 4217 uses only 0, 2, 3 and 4", c.Code, c.Exponent)
		}
		if name, ok := CurrencyName(c.Code); !ok || name == "" {
			t.Errorf("CurrencyName(%s) = %q, %v; want a name", c.Code, name, ok)
		}
	}
	if name, _ := CurrencyName("EUR"); name != "Euro" {
		t.Errorf(`CurrencyName("EUR") = %q, want "Euro"`, name)
	}
}

func TestCurrenciesReturnsACopy(t *testing.T) {
	a := Currencies()
	a[0] = Currency{Code: "ZZZ", Exponent: 9}
	if b := Currencies(); b[0].Code == "ZZZ" {
		t.Error("modifying the result of Currencies() changed the table")
	}
}

func TestParseCurrenciesRejectsBadData(t *testing.T) {
	const header = "code,exponent,name\n"
	tests := []struct {
		name, data, wantErr string
	}{
		{"no header", "EUR,2,Euro\n", "missing header"},
		{"lower-case code", header + "eur,2,Euro\n", `code "eur" is not three upper-case letters`},
		{"duplicate", header + "EUR,2,Euro\nEUR,2,Euro\n", "line 3: duplicate code EUR"},
		{"bad exponent", header + "EUR,two,Euro\n", "code EUR exponent"},
		{"negative exponent", header + "EUR,-1,Euro\n", "exponent -1, want 0 to 18"},
		{"huge exponent", header + "EUR,19,Euro\n", "exponent 19, want 0 to 18"},
		{"missing name", header + "EUR,2,\n", "has no name"},
		{"wrong field count", header + "EUR,2\n", "reading csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCurrencies(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseCurrencies error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
