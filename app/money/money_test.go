package money

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

var (
	eur = mustCurrency("EUR")
	jpy = mustCurrency("JPY")
	bhd = mustCurrency("BHD")
	clf = mustCurrency("CLF")
)

// mustCurrency looks up a currency the tests rely on.
func mustCurrency(code string) Currency {
	c, ok := LookupCurrency(code)
	if !ok {
		panic("test currency missing from table: " + code)
	}
	return c
}

// parseCase is one row of the shared Parse table, also used to seed FuzzParse.
type parseCase struct {
	in      string
	c       Currency
	signed  bool // use ParseSigned instead of Parse
	want    int64
	wantErr string // exact message; "" means success
}

var parseCases = []parseCase{
	// exponent 2
	{in: "19.90", c: eur, want: 1990},
	{in: "19.9", c: eur, want: 1990},
	{in: "19", c: eur, want: 1900},
	{in: "0.5", c: eur, want: 50},
	{in: "0.05", c: eur, want: 5},
	{in: "0", c: eur, want: 0},
	{in: "0.00", c: eur, want: 0},
	{in: "007.10", c: eur, want: 710},
	{in: "19.900", c: eur, want: 1990},
	{in: "19.9000000000000000000000000", c: eur, want: 1990},
	{in: "92233720368547758.07", c: eur, want: math.MaxInt64},
	{in: "19.905", c: eur, wantErr: "has more than 2 decimal places for EUR"},
	{in: "0.001", c: eur, wantErr: "has more than 2 decimal places for EUR"},
	{in: "-3.10", c: eur, wantErr: "must not be negative"},
	{in: "-0", c: eur, wantErr: "must not be negative"},
	{in: "+3.10", c: eur, wantErr: `must not start with a "+" sign`},
	{in: "", c: eur, wantErr: "is required"},
	{in: "19 .90", c: eur, wantErr: "must not contain spaces"},
	{in: " 19.90", c: eur, wantErr: "must not contain spaces"},
	{in: "19.90\n", c: eur, wantErr: "must not contain spaces"},
	{in: "1\u00a0000", c: eur, wantErr: "must not contain spaces"},
	{in: "1e3", c: eur, wantErr: `must be written out in full, not in exponent notation like "1e3"`},
	{in: "2.5E-2", c: eur, wantErr: `must be written out in full, not in exponent notation like "1e3"`},
	{in: "19,90", c: eur, wantErr: `must use "." as the decimal point, without thousands separators`},
	{in: "1,000.00", c: eur, wantErr: `must use "." as the decimal point, without thousands separators`},
	{in: "1.000.00", c: eur, wantErr: "must not have more than one decimal point"},
	{in: "19..90", c: eur, wantErr: "must not have more than one decimal point"},
	{in: ".5", c: eur, wantErr: `must have a digit before the decimal point, like "0.5"`},
	{in: "19.", c: eur, wantErr: "must have digits after the decimal point, or no decimal point"},
	{in: ".", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "abc", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "€19.90", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "19.90EUR", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "0x10", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "e3", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "١٩", c: eur, wantErr: `must be a decimal amount like "19.90"`}, // Arabic-Indic digits
	{in: "NaN", c: eur, wantErr: `must be a decimal amount like "19.90"`},
	{in: "92233720368547758.08", c: eur, wantErr: "is too large; the maximum is 92233720368547758.07"},
	{in: "99999999999999999999999", c: eur, wantErr: "is too large; the maximum is 92233720368547758.07"},

	// signed
	{in: "-3.10", c: eur, signed: true, want: -310},
	{in: "-0.05", c: eur, signed: true, want: -5},
	{in: "-0", c: eur, signed: true, want: 0},
	{in: "3.10", c: eur, signed: true, want: 310},
	{in: "-92233720368547758.08", c: eur, signed: true, want: math.MinInt64},
	{in: "-92233720368547758.09", c: eur, signed: true, wantErr: "is too small; the minimum is -92233720368547758.08"},
	{in: "-", c: eur, signed: true, wantErr: `must be a decimal amount like "19.90"`},
	{in: "--5", c: eur, signed: true, wantErr: `must be a decimal amount like "19.90"`},
	{in: "- 5", c: eur, signed: true, wantErr: "must not contain spaces"},
	{in: "-.5", c: eur, signed: true, wantErr: `must have a digit before the decimal point, like "0.5"`},
	{in: "+5", c: eur, signed: true, wantErr: `must not start with a "+" sign`},
	{in: "-1.234", c: eur, signed: true, wantErr: "has more than 2 decimal places for EUR"},

	// exponent 0
	{in: "1990", c: jpy, want: 1990},
	{in: "1990.0", c: jpy, want: 1990},
	{in: "1990.000", c: jpy, want: 1990},
	{in: "9223372036854775807", c: jpy, want: math.MaxInt64},
	{in: "19.9", c: jpy, wantErr: "has more than 0 decimal places for JPY"},
	{in: "0.5", c: jpy, wantErr: "has more than 0 decimal places for JPY"},
	{in: "9223372036854775808", c: jpy, wantErr: "is too large; the maximum is 9223372036854775807"},
	{in: "-9223372036854775808", c: jpy, signed: true, want: math.MinInt64},
	{in: "yen", c: jpy, wantErr: `must be a decimal amount like "1990"`},

	// exponent 3
	{in: "1.5", c: bhd, want: 1500},
	{in: "0.001", c: bhd, want: 1},
	{in: "12.345", c: bhd, want: 12345},
	{in: "12.3450", c: bhd, want: 12345},
	{in: "12.3456", c: bhd, wantErr: "has more than 3 decimal places for BHD"},
	{in: "x", c: bhd, wantErr: `must be a decimal amount like "19.900"`},

	// exponent 4
	{in: "39000.1234", c: clf, want: 390001234},
	{in: "1", c: clf, want: 10000},
	{in: "0.0001", c: clf, want: 1},
	{in: "0.00001", c: clf, wantErr: "has more than 4 decimal places for CLF"},
	{in: "922337203685477.5807", c: clf, want: math.MaxInt64},
	{in: "922337203685477.5808", c: clf, wantErr: "is too large; the maximum is 922337203685477.5807"},
}

// callParse runs Parse or ParseSigned as the case asks.
func callParse(tc parseCase) (int64, error) {
	if tc.signed {
		return ParseSigned(tc.in, tc.c)
	}
	return Parse(tc.in, tc.c)
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases {
		name := tc.c.Code + "/" + tc.in
		if tc.signed {
			name += "/signed"
		}
		t.Run(name, func(t *testing.T) {
			got, err := callParse(tc)
			if tc.wantErr != "" {
				assertParseError(t, err, tc.in, tc.wantErr)
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parse(%q, %s) = %d, %v; want %d", tc.in, tc.c.Code, got, err, tc.want)
			}
		})
	}
}

// assertParseError checks that err is a *ParseError with the given input and message.
func assertParseError(t *testing.T, err error, input, want string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want a *ParseError %q", err, err, want)
	}
	if pe.Error() != want || pe.Problem != want {
		t.Errorf("error = %q, want %q", pe.Error(), want)
	}
	if pe.Input != input {
		t.Errorf("ParseError.Input = %q, want %q", pe.Input, input)
	}
}

func TestParseRejectsUnusableCurrency(t *testing.T) {
	for _, c := range []Currency{{Code: "BAD", Exponent: -1}, {Code: "BAD", Exponent: 19}} {
		_, err := Parse("1", c)
		var pe *ParseError
		if err == nil || errors.As(err, &pe) || !strings.Contains(err.Error(), `currency "BAD" has exponent`) {
			t.Errorf("Parse with %+v: error = %v, want a non-ParseError about the exponent", c, err)
		}
	}
}

func TestParseJSON(t *testing.T) {
	tests := []struct {
		raw     string
		c       Currency
		want    int64
		wantErr string
	}{
		{raw: `"19.90"`, c: eur, want: 1990},
		{raw: `19.9`, c: eur, want: 1990},
		{raw: `19.90`, c: eur, want: 1990},
		{raw: `20`, c: eur, want: 2000},
		{raw: ` 20 `, c: eur, want: 2000},
		{raw: `0.1`, c: eur, want: 10}, // not 0.1000000000000000055511151231257827 as a float64
		{raw: `19.900`, c: eur, want: 1990},
		{raw: `"19.9\u0030"`, c: eur, want: 1990}, // JSON escapes are decoded
		{raw: `1990`, c: jpy, want: 1990},
		{raw: `"0.125"`, c: bhd, want: 125},
		{raw: `0.1234`, c: clf, want: 1234},
		{raw: `92233720368547758.07`, c: eur, want: math.MaxInt64}, // beyond float64 precision
		{raw: `null`, c: eur, wantErr: "is required"},
		{raw: ``, c: eur, wantErr: "is required"},
		{raw: `""`, c: eur, wantErr: "is required"},
		{raw: `19.905`, c: eur, wantErr: "has more than 2 decimal places for EUR"},
		{raw: `"19.905"`, c: eur, wantErr: "has more than 2 decimal places for EUR"},
		{raw: `19.5`, c: jpy, wantErr: "has more than 0 decimal places for JPY"},
		{raw: `-3.10`, c: eur, wantErr: "must not be negative"},
		{raw: `1e3`, c: eur, wantErr: `must be written out in full, not in exponent notation like "1e3"`},
		{raw: `1.5E+2`, c: eur, wantErr: `must be written out in full, not in exponent notation like "1e3"`},
		{raw: `"19,90"`, c: eur, wantErr: `must use "." as the decimal point, without thousands separators`},
		{raw: `" 19.90"`, c: eur, wantErr: "must not contain spaces"},
		{raw: `true`, c: eur, wantErr: `must be a decimal amount like "19.90"`},
		{raw: `{"amount":"1"}`, c: eur, wantErr: `must be a decimal amount like "19.90"`},
		{raw: `["1"]`, c: eur, wantErr: `must be a decimal amount like "19.90"`},
		{raw: `.5`, c: eur, wantErr: `must be a decimal amount like "19.90"`},       // not valid JSON
		{raw: `019`, c: eur, wantErr: `must be a decimal amount like "19.90"`},      // not valid JSON
		{raw: `19.90 20`, c: eur, wantErr: `must be a decimal amount like "19.90"`}, // not valid JSON
		{raw: `"19.90`, c: eur, wantErr: `must be a decimal amount like "19.90"`},   // not valid JSON
		{raw: `99999999999999999999`, c: eur, wantErr: "is too large; the maximum is 92233720368547758.07"},
	}
	for _, tt := range tests {
		t.Run(tt.c.Code+"/"+tt.raw, func(t *testing.T) {
			got, err := ParseJSON(json.RawMessage(tt.raw), tt.c)
			if tt.wantErr != "" {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Error() != tt.wantErr {
					t.Errorf("ParseJSON(%s) error = %v, want %q", tt.raw, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseJSON(%s) = %d, %v; want %d", tt.raw, got, err, tt.want)
			}
		})
	}
}

func TestParseJSONInStruct(t *testing.T) {
	var body struct {
		Price json.RawMessage `json:"price"`
	}
	if err := json.Unmarshal([]byte(`{"price": 19.90}`), &body); err != nil {
		t.Fatal(err)
	}
	if got, err := ParseJSON(body.Price, eur); err != nil || got != 1990 {
		t.Errorf("ParseJSON(%s) = %d, %v; want 1990", body.Price, got, err)
	}
	body.Price = nil
	if err := json.Unmarshal([]byte(`{}`), &body); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseJSON(body.Price, eur); err == nil || err.Error() != "is required" {
		t.Errorf("ParseJSON of a missing field: error = %v, want %q", err, "is required")
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		minor int64
		c     Currency
		want  string
	}{
		{1990, eur, "19.90"},
		{5, eur, "0.05"},
		{-5, eur, "-0.05"},
		{0, eur, "0.00"},
		{100, eur, "1.00"},
		{-310, eur, "-3.10"},
		{math.MaxInt64, eur, "92233720368547758.07"},
		{math.MinInt64, eur, "-92233720368547758.08"},
		{1990, jpy, "1990"},
		{0, jpy, "0"},
		{-7, jpy, "-7"},
		{0, bhd, "0.000"},
		{1, bhd, "0.001"},
		{12345, bhd, "12.345"},
		{1, clf, "0.0001"},
		{390001234, clf, "39000.1234"},
		{42, Currency{Code: "ODD", Exponent: -2}, "42"},
		{1, Currency{Code: "BIG", Exponent: 18}, "0.000000000000000001"},
	}
	for _, tt := range tests {
		if got := Format(tt.minor, tt.c); got != tt.want {
			t.Errorf("Format(%d, %s) = %q, want %q", tt.minor, tt.c.Code, got, tt.want)
		}
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	tests := []struct {
		s string
		c Currency
	}{
		{"19.90", eur}, {"0.00", eur}, {"0.05", eur}, {"-0.05", eur}, {"1234567.89", eur},
		{"92233720368547758.07", eur}, {"-92233720368547758.08", eur},
		{"1990", jpy}, {"0", jpy}, {"-1", jpy},
		{"0.000", bhd}, {"12.345", bhd},
		{"0.0001", clf}, {"39000.1234", clf},
	}
	for _, tt := range tests {
		v, err := ParseSigned(tt.s, tt.c)
		if err != nil {
			t.Errorf("ParseSigned(%q, %s): %v", tt.s, tt.c.Code, err)
			continue
		}
		if got := Format(v, tt.c); got != tt.s {
			t.Errorf("Format(ParseSigned(%q, %s)) = %q", tt.s, tt.c.Code, got)
		}
	}
}
