package tracking

import (
	"slices"
	"strings"
	"testing"
)

// skippedLookAhead are the entries whose patterns use look-ahead, which Go's
// regexp does not support (see couriers/SOURCES.md). Exactly these are skipped.
var skippedLookAhead = []string{
	"dhl.json/dhl_ecommerce",
	"usps.json/usps_impb_n",
	"usps.json/usps_impb_c",
}

// embeddedFiles are the courier files this package ships.
var embeddedFiles = []string{
	"canadapost.json", "dhl.json", "dpd.json", "fedex.json", "s10.json", "ups.json", "usps.json",
}

// carriersFor are the Switchyard carriers an entry is mapped to.
func carriersFor(file, key string) []string {
	var codes []string
	for _, d := range carrierDefs {
		if d.file == file && (d.ids == nil || slices.Contains(d.ids, key)) {
			codes = append(codes, d.Code)
		}
	}
	return codes
}

// compiledFormat is the registry's format for an entry, or nil.
func compiledFormat(t *testing.T, file, key string) *format {
	t.Helper()
	for _, f := range loadRegistry().files[file] {
		if f.key == key {
			return f
		}
	}
	return nil
}

func TestEmbeddedFiles(t *testing.T) {
	entries, err := courierFS.ReadDir("couriers")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") {
			got = append(got, e.Name())
		}
	}
	if !slices.Equal(got, embeddedFiles) {
		t.Errorf("embedded courier files = %v, want %v", got, embeddedFiles)
	}
	if _, err := courierFS.ReadFile("couriers/LICENSE.tracking_number_data"); err != nil {
		t.Errorf("the data's licence must ship with it: %v", err)
	}
	if _, err := buildRegistry(); err != nil {
		t.Fatalf("buildRegistry: %v", err)
	}
}

func TestSkippedFormats(t *testing.T) {
	var got []string
	for _, sk := range loadRegistry().skipped {
		got = append(got, sk.file+"/"+sk.key)
		if !strings.Contains(sk.reason, "look-around") {
			t.Errorf("%s/%s skipped for %q, want only look-around skips", sk.file, sk.key, sk.reason)
		}
	}
	if !slices.Equal(got, skippedLookAhead) {
		t.Errorf("skipped entries = %v, want %v", got, skippedLookAhead)
	}
}

// TestCourierTestNumbers runs every entry's own test numbers: valid ones
// validate for the carriers the entry is mapped to, invalid ones do not.
// Entries mapped to no carrier (DHL eCommerce) are checked on their own
// compiled format. Skipped entries only must not panic.
func TestCourierTestNumbers(t *testing.T) {
	var checked, skipped int
	for _, file := range embeddedFiles {
		cf, err := readCourierFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range cf.TrackingNumbers {
			key := spec.key()
			codes := carriersFor(file, key)
			isSkipped := slices.Contains(skippedLookAhead, file+"/"+key)
			f := compiledFormat(t, file, key)
			if isSkipped != (f == nil) {
				t.Errorf("%s/%s: skipped = %v but compiled = %v", file, key, isSkipped, f != nil)
				continue
			}
			cases := []struct {
				kind    string
				numbers []string
				valid   bool
			}{{"valid", spec.TestNumbers.Valid, true}, {"invalid", spec.TestNumbers.Invalid, false}}
			for _, tc := range cases {
				if len(tc.numbers) == 0 && tc.valid {
					t.Errorf("%s/%s has no valid test numbers", file, key)
				}
				for _, n := range tc.numbers {
					t.Run(file+"/"+spec.Name+"/"+tc.kind+"/"+n, func(t *testing.T) {
						if isSkipped {
							skipped++
							for _, code := range append(codes, "dhl-express", "usps") {
								_ = Validate(code, n) // must not panic
							}
							return
						}
						checked++
						if got := f.check(Normalize(n)); got.ok != tc.valid {
							t.Errorf("format %s on %q: ok = %v, want %v (%+v)", key, n, got.ok, tc.valid, got)
						}
						for _, code := range codes {
							c := Validate(code, n)
							if c.Valid != tc.valid {
								t.Errorf("Validate(%q, %q).Valid = %v, want %v; warning %q", code, n, c.Valid, tc.valid, c.Warning)
							}
							if c.Valid && tc.valid && f.url != "" && c.URL == "" {
								t.Errorf("Validate(%q, %q) has no URL", code, n)
							}
						}
					})
				}
			}
		}
	}
	t.Logf("%d test numbers checked, %d of skipped entries run for panics only", checked, skipped)
}

// TestDHLEcommerceIsNotDHLExpress: dhl-express must not accept numbers that
// only DHL eCommerce formats describe.
func TestDHLEcommerceIsNotDHLExpress(t *testing.T) {
	cf, err := readCourierFile("dhl.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range cf.TrackingNumbers {
		if !strings.HasPrefix(spec.key(), "dhl_ecommerce") {
			continue
		}
		for _, n := range spec.TestNumbers.Valid {
			if c := Validate("dhl-express", n); c.Valid {
				t.Errorf("Validate(dhl-express, %q) is valid, but it is a %s number", n, spec.Name)
			}
		}
	}
}

// TestCarrierMapping pins which entries each carrier checks.
func TestCarrierMapping(t *testing.T) {
	want := map[string][]string{
		"ups":         {"ups", "UPS Waybill"},
		"fedex":       {"fedex_12", "fedex_34", "fedex_astra_32", "fedex_ground", "fedex_ground_sscc_18", "fedex_ground_96", "fedex_ground_gsn"},
		"usps":        {"usps_20", "usps_legacy"},
		"dhl-express": {"dhl_express", "dhl_express_piece_id"},
		"dpd":         {"dpd", "dpd_14"},
		"royal-mail":  {"s10"},
		"colissimo":   {"s10"},
		"postnl":      {"s10"},
		"gls":         nil,
		"canada-post": {"canada_post"},
		"other":       nil,
	}
	wantSkipped := map[string][]string{"usps": {"usps_impb_n", "usps_impb_c"}}
	reg := loadRegistry()
	for _, c := range Carriers() {
		set := reg.carriers[c.Code]
		var got, gotSkipped []string
		for _, f := range set.formats {
			got = append(got, f.key)
		}
		for _, sk := range set.skipped {
			gotSkipped = append(gotSkipped, sk.key)
		}
		if !slices.Equal(got, want[c.Code]) {
			t.Errorf("%s checks %v, want %v", c.Code, got, want[c.Code])
		}
		if !slices.Equal(gotSkipped, wantSkipped[c.Code]) {
			t.Errorf("%s skips %v, want %v", c.Code, gotSkipped, wantSkipped[c.Code])
		}
	}
}

func TestGoSyntax(t *testing.T) {
	tests := []struct{ in, want string }{
		{`(?<SerialNumber>[0-9]{9})`, `(?P<SerialNumber>[0-9]{9})`},
		{`\(?<A>x)`, `\(?<A>x)`},           // escaped parenthesis: literal
		{`[(?<]x`, `[(?<]x`},               // inside a class: literal
		{`[]](?<A>x)`, `[]](?P<A>x)`},      // ']' first in a class is literal
		{`(?<=a)b(?<!c)`, `(?<=a)b(?<!c)`}, // look-behind left as is (and then refused by Go)
		{`(?:a)(?<B>(?<C>c))`, `(?:a)(?P<B>(?P<C>c))`},
	}
	for _, tt := range tests {
		if got := goSyntax(tt.in); got != tt.want {
			t.Errorf("goSyntax(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompileAnchoredRefusesLookAround(t *testing.T) {
	for _, p := range []string{`a(?=b)`, `a(?!b)`, `(?<=a)b`, `(?<!a)b`} {
		if _, err := compileAnchored(p); err == nil || !strings.Contains(err.Error(), "look-around") {
			t.Errorf("compileAnchored(%q) error = %v, want a look-around error", p, err)
		}
	}
	re, err := compileAnchored(`(?<N>[0-9]+)`)
	if err != nil {
		t.Fatal(err)
	}
	if re.MatchString("x12") || re.MatchString("12x") || !re.MatchString("12") {
		t.Errorf("compileAnchored must match the whole string: %v", re)
	}
}

func TestCompileCondition(t *testing.T) {
	tests := []struct {
		pattern string
		in      string
		want    bool
	}{
		{`^(?!9\s*1).+`, "7196901075600307738", true},
		{`^(?!9\s*1).+`, "9101123456789000000", false},
		{`^(?!9\s*1).+`, "9", true},
		{`^(?!9\s*1).+`, "", false},
		{`^(?!4).+$`, "C123", true},
		{`^(?!4).+$`, "4123", false},
		{`^9`, "91", true}, // plain patterns compile as they are
		{`^9`, "19", false},
	}
	for _, tt := range tests {
		cond, err := compileCondition(tt.pattern)
		if err != nil {
			t.Fatalf("compileCondition(%q): %v", tt.pattern, err)
		}
		if got := cond(tt.in); got != tt.want {
			t.Errorf("compileCondition(%q)(%q) = %v, want %v", tt.pattern, tt.in, got, tt.want)
		}
	}
	for _, p := range []string{`a(?=b)`, `^(?!a`, `^(?!a)(?=b)`} {
		if _, err := compileCondition(p); err == nil {
			t.Errorf("compileCondition(%q) compiled, want an error", p)
		}
	}
}
