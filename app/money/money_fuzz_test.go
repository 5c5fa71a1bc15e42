package money

import (
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

// plainDecimal is the exact grammar ParseSigned accepts, before range and precision checks.
var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// expectedMinor is an independent, arbitrary-precision oracle for ParseSigned:
// the minor units s denotes in a currency with the given exponent, if exact and in range.
func expectedMinor(s string, exponent int) (int64, bool) {
	if !plainDecimal.MatchString(s) {
		return 0, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, false
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exponent)), nil)
	r.Mul(r, new(big.Rat).SetInt(scale))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// FuzzParse holds Parse and ParseSigned to an arbitrary-precision oracle for
// any text and exponent, and checks parse -> Format -> parse is the identity.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.in, uint8(tc.c.Exponent))
	}
	f.Fuzz(func(t *testing.T, s string, exp uint8) {
		c := Currency{Code: "TST", Exponent: int(exp) % (MaxExponent + 1)}
		signed, errSigned := ParseSigned(s, c)
		unsigned, errUnsigned := Parse(s, c)

		want, wantOK := expectedMinor(s, c.Exponent)
		if wantOK != (errSigned == nil) || (wantOK && signed != want) {
			t.Fatalf("ParseSigned(%q, exp %d) = %d, %v; oracle says %d, ok=%v", s, c.Exponent, signed, errSigned, want, wantOK)
		}
		wantUnsigned := wantOK && !strings.HasPrefix(s, "-")
		if wantUnsigned != (errUnsigned == nil) || (wantUnsigned && unsigned != want) {
			t.Fatalf("Parse(%q, exp %d) = %d, %v; want ok=%v", s, c.Exponent, unsigned, errUnsigned, wantUnsigned)
		}
		for _, err := range []error{errSigned, errUnsigned} {
			var pe *ParseError
			if err != nil && (!errors.As(err, &pe) || pe.Problem == "" || pe.Input != s) {
				t.Fatalf("parse(%q) error %v (%T) is not a complete *ParseError", s, err, err)
			}
		}
		quoted, _ := json.Marshal(s)
		if v, err := ParseJSON(quoted, c); v != unsigned || errorText(err) != errorText(errUnsigned) {
			t.Fatalf("ParseJSON(%s) = %d, %v; Parse gave %d, %v", quoted, v, err, unsigned, errUnsigned)
		}
		if errSigned != nil {
			return
		}
		formatted := Format(signed, c)
		back, err := ParseSigned(formatted, c)
		if err != nil || back != signed {
			t.Fatalf("ParseSigned(Format(%d)) = ParseSigned(%q) = %d, %v", signed, formatted, back, err)
		}
	})
}

// errorText is err's message, or "" for nil.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzFormat checks Format -> ParseSigned is the identity for every amount
// and exponent, and that Format writes exactly the exponent's fraction digits.
func FuzzFormat(f *testing.F) {
	for _, tc := range parseCases {
		if tc.wantErr == "" {
			f.Add(tc.want, uint8(tc.c.Exponent))
		}
	}
	f.Add(int64(-1), uint8(18))
	f.Fuzz(func(t *testing.T, minor int64, exp uint8) {
		c := Currency{Code: "TST", Exponent: int(exp) % (MaxExponent + 1)}
		s := Format(minor, c)
		if !plainDecimal.MatchString(s) {
			t.Fatalf("Format(%d, exp %d) = %q is not a plain decimal", minor, c.Exponent, s)
		}
		if _, frac, _ := strings.Cut(s, "."); len(frac) != c.Exponent {
			t.Fatalf("Format(%d, exp %d) = %q has %d fraction digits", minor, c.Exponent, s, len(frac))
		}
		back, err := ParseSigned(s, c)
		if err != nil || back != minor {
			t.Fatalf("ParseSigned(Format(%d, exp %d) = %q) = %d, %v", minor, c.Exponent, s, back, err)
		}
		if unsigned, err := Parse(s, c); (minor >= 0) != (err == nil) || (err == nil && unsigned != minor) {
			t.Fatalf("Parse(%q) = %d, %v", s, unsigned, err)
		}
	})
}

// FuzzParseJSON feeds raw JSON values to ParseJSON: a JSON string means what
// Parse says of its text, a JSON number what Parse says of its literal, and
// anything else (objects, lists, booleans, invalid JSON) is a *ParseError.
func FuzzParseJSON(f *testing.F) {
	for _, raw := range []string{`"19.90"`, `19.90`, `19.9`, `20`, `0`, `-1`, `null`, ``, `1e3`, `"1e3"`, `true`,
		`[1]`, `{"a":1}`, `"\u0031\u0039.90"`, ` 19.90 `, `"19,90"`, `92233720368547758.07`, `"\xff"`, `01`, `-0`} {
		f.Add([]byte(raw), uint8(2))
	}
	f.Fuzz(func(t *testing.T, raw []byte, exp uint8) {
		c := Currency{Code: "TST", Exponent: int(exp) % (MaxExponent + 1)}
		got, err := ParseJSON(raw, c)
		text := strings.Trim(string(raw), " \t\r\n")
		var want int64
		var wantErr error
		var s string
		switch {
		case json.Valid([]byte(text)) && strings.HasPrefix(text, `"`):
			if jerr := json.Unmarshal([]byte(text), &s); jerr != nil {
				t.Fatalf("valid JSON string %s does not decode: %v", text, jerr)
			}
			want, wantErr = Parse(s, c)
		case json.Valid([]byte(text)) && text != "" && (text[0] == '-' || isDigit(text[0])):
			want, wantErr = Parse(text, c)
		default:
			var pe *ParseError
			if err == nil || !errors.As(err, &pe) || pe.Problem == "" {
				t.Fatalf("ParseJSON(%q) = %d, %v; want a *ParseError", raw, got, err)
			}
			return
		}
		if got != want || errorText(err) != errorText(wantErr) {
			t.Fatalf("ParseJSON(%q) = %d, %v; Parse says %d, %v", raw, got, err, want, wantErr)
		}
		if err == nil && got < 0 {
			t.Fatalf("ParseJSON(%q) = %d is negative", raw, got)
		}
	})
}
