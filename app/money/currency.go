// Package money handles exact amounts of money as integer minor units
// (cents, pence, fils...), parsing and formatting decimal text without
// ever going through floating point.
package money

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// MaxExponent is the largest minor-unit exponent a Currency may have:
// 10^18 is the largest power of ten that fits in an int64.
const MaxExponent = 18

//go:embed currencies.csv
var currenciesCSV string

// Currency is an ISO 4217 currency code and the number of decimal places of its minor unit.
type Currency struct {
	Code     string
	Exponent int
}

// currencyInfo is one row of the embedded table.
type currencyInfo struct {
	Currency
	name string
}

// currencyTable is the parsed, read-only currency table.
type currencyTable struct {
	byCode map[string]currencyInfo
	sorted []Currency // by code
}

// loadCurrencies parses the embedded table once; a bad table is a programming error.
var loadCurrencies = sync.OnceValue(func() currencyTable {
	t, err := parseCurrencies(currenciesCSV)
	if err != nil {
		panic(fmt.Sprintf("money: embedded currencies.csv: %v", err))
	}
	return t
})

// parseCurrencies reads the CSV (header code,exponent,name) into a table.
func parseCurrencies(data string) (currencyTable, error) {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = 3
	records, err := r.ReadAll()
	if err != nil {
		return currencyTable{}, fmt.Errorf("reading csv: %w", err)
	}
	if len(records) == 0 || strings.Join(records[0], ",") != "code,exponent,name" {
		return currencyTable{}, fmt.Errorf("missing header %q", "code,exponent,name")
	}
	t := currencyTable{byCode: make(map[string]currencyInfo, len(records)-1)}
	for i, rec := range records[1:] {
		info, err := parseCurrencyRow(rec)
		if err != nil {
			return currencyTable{}, fmt.Errorf("line %d: %w", i+2, err)
		}
		if _, dup := t.byCode[info.Code]; dup {
			return currencyTable{}, fmt.Errorf("line %d: duplicate code %s", i+2, info.Code)
		}
		t.byCode[info.Code] = info
		t.sorted = append(t.sorted, info.Currency)
	}
	slices.SortFunc(t.sorted, func(a, b Currency) int { return strings.Compare(a.Code, b.Code) })
	return t, nil
}

// parseCurrencyRow turns one CSV record into a currencyInfo, checking every field.
func parseCurrencyRow(rec []string) (currencyInfo, error) {
	code, name := rec[0], rec[2]
	if !isCurrencyCode(code) {
		return currencyInfo{}, fmt.Errorf("code %q is not three upper-case letters", code)
	}
	exp, err := strconv.Atoi(rec[1])
	if err != nil {
		return currencyInfo{}, fmt.Errorf("code %s exponent: %w", code, err)
	}
	c := Currency{Code: code, Exponent: exp}
	if err := c.validate(); err != nil {
		return currencyInfo{}, err
	}
	if name == "" {
		return currencyInfo{}, fmt.Errorf("code %s has no name", code)
	}
	return currencyInfo{Currency: c, name: name}, nil
}

// isCurrencyCode reports whether s is exactly three ASCII upper-case letters.
func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// validate checks that the exponent is one this package can work with.
func (c Currency) validate() error {
	if c.Exponent < 0 || c.Exponent > MaxExponent {
		return fmt.Errorf("currency %q has exponent %d, want 0 to %d", c.Code, c.Exponent, MaxExponent)
	}
	return nil
}

// LookupCurrency returns the active ISO 4217 currency with the given code.
//
// Codes must be upper case, exactly as ISO 4217 writes them: "eur" is not
// found. Codes are stored and compared as given, so accepting other
// spellings here would let "eur" and "EUR" both reach storage; callers that
// take free-form input should upper-case it themselves, explicitly.
func LookupCurrency(code string) (Currency, bool) {
	info, ok := loadCurrencies().byCode[code]
	return info.Currency, ok
}

// CurrencyName returns the ISO 4217 English name of an upper-case currency code.
func CurrencyName(code string) (string, bool) {
	info, ok := loadCurrencies().byCode[code]
	return info.name, ok
}

// Currencies returns every known currency, sorted by code; the caller may modify the slice.
func Currencies() []Currency {
	return slices.Clone(loadCurrencies().sorted)
}
