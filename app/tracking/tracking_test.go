package tracking

import (
	"regexp"
	"strings"
	"testing"
)

func TestCarriers(t *testing.T) {
	want := []Carrier{
		{"ups", "UPS"}, {"fedex", "FedEx"}, {"usps", "USPS"}, {"dhl-express", "DHL Express"},
		{"dpd", "DPD"}, {"royal-mail", "Royal Mail"}, {"colissimo", "La Poste / Colissimo"},
		{"postnl", "PostNL"}, {"gls", "GLS"}, {"canada-post", "Canada Post"}, {"other", "Other"},
	}
	got := Carriers()
	if len(got) != len(want) {
		t.Fatalf("Carriers() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Carriers()[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	got[0].Name = "changed"
	if Carriers()[0].Name != "UPS" {
		t.Error("Carriers() must return a copy")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   \t\n", ""},
		{"1Z5R89390357567127", "1Z5R89390357567127"},
		{" 1 Z 8 V 9 2 A 7 0 3 6 7 2 0 3 0 2 4 ", "1Z8V92A70367203024"},
		{"1z5r89390357567127", "1Z5R89390357567127"},
		{"1Z-5R8-939-0357-567127", "1Z5R89390357567127"},
		{"0414\t4176\n0228 964", "041441760228964"},
		{"rb 123 456 785 gb", "RB123456785GB"},
		{"RB.123/456_785", "RB.123/456_785"},                   // not separators the formats allow
		{"9400\u00a01112\u20090108", "940011120108"},           // no-break and thin spaces
		{"1Z\u2013999\u2014AA1\u2010012", "1Z999AA1012"},       // en dash, em dash, hyphen
		{"\ufeff\u200b1Z999\u200dAA\u2060\u00ad1", "1Z999AA1"}, // zero-width characters, soft hyphen
		{"12#34", "12#34"}, // anything else is kept
		{"ab+cd", "AB+CD"},
		{"colis-é", "COLISÉ"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	const (
		upsURL  = "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums="
		uspsURL = "https://tools.usps.com/go/TrackConfirmAction?tLabels="
	)
	tests := []struct {
		name            string
		carrier, number string
		want            Check
	}{
		{"ups valid", "ups", "1Z 5R8 939 0357 567127",
			Check{Carrier: "ups", Number: "1Z5R89390357567127", Valid: true, Known: true, URL: upsURL + "1Z5R89390357567127", Service: "UPS United States Ground"}},
		{"ups sample", "ups", "1Z999AA10123456784",
			Check{Carrier: "ups", Number: "1Z999AA10123456784", Valid: true, Known: true, URL: upsURL + "1Z999AA10123456784", Service: "UPS United States Next Day Air (Red)"}},
		{"ups check digit", "ups", "1z999aa10123456785",
			Check{Carrier: "ups", Number: "1Z999AA10123456785", Known: true, URL: upsURL + "1Z999AA10123456785",
				Warning: "1Z999AA10123456785 does not look like a UPS tracking number (the check digit does not match)"}},
		{"ups no format", "ups", "ABC-123",
			Check{Carrier: "ups", Number: "ABC123", Known: true, URL: upsURL + "ABC123",
				Warning: "ABC123 does not match any UPS format"}},
		{"carrier code is trimmed and lower-cased", " UPS ", "K 150 623 562 0",
			Check{Carrier: "ups", Number: "K1506235620", Valid: true, Known: true, URL: upsURL + "K1506235620", Service: "UPS Ground"}},
		{"never guesses: a UPS number is not FedEx", "fedex", "1Z5R89390357567127",
			Check{Carrier: "fedex", Number: "1Z5R89390357567127", Known: true, URL: "https://www.fedex.com/apps/fedextrack/?tracknumbers=1Z5R89390357567127",
				Warning: "1Z5R89390357567127 does not match any FedEx format"}},
		{"fedex astra has no template of its own", "fedex", "32971514560102447849175802862014",
			Check{Carrier: "fedex", Number: "32971514560102447849175802862014", Valid: true, Known: true, URL: "https://www.fedex.com/apps/fedextrack/?tracknumbers=32971514560102447849175802862014"}},
		{"usps legacy", "usps", "9101 1234 5678 9000 0000 13",
			Check{Carrier: "usps", Number: "9101123456789000000013", Valid: true, Known: true, URL: uspsURL + "9101123456789000000013", Service: "Delivery Confirmation"}},
		{"usps imPB cannot be checked", "usps", "9400 1112 0108 0805 4830 16",
			Check{Carrier: "usps", Number: "9400111201080805483016", Known: true, URL: uspsURL + "9400111201080805483016",
				Warning: "9400111201080805483016 does not match any USPS format we can check (USPS IMpb N and USPS IMpb C numbers cannot be checked here)"}},
		{"dhl express", "dhl-express", "73891051146",
			Check{Carrier: "dhl-express", Number: "73891051146", Valid: true, Known: true, URL: "http://www.dhl.com/en/express/tracking.html?brand=DHL&AWB=73891051146"}},
		{"dhl ecommerce is not dhl express", "dhl-express", "60120172242323",
			Check{Carrier: "dhl-express", Number: "60120172242323", Known: true, URL: "http://www.dhl.com/en/express/tracking.html?brand=DHL&AWB=60120172242323",
				Warning: "60120172242323 does not match any DHL Express format"}},
		{"dpd", "dpd", "0998 0000 0200 34d",
			Check{Carrier: "dpd", Number: "09980000020034D", Valid: true, Known: true, URL: "https://www.dpdgroup.com/nl/mydpd/my-parcels/track?lang=en&parcelNumber=09980000020034D"}},
		{"royal mail s10", "royal-mail", "rb 123 456 785 gb",
			Check{Carrier: "royal-mail", Number: "RB123456785GB", Valid: true, Known: true, Service: "Letter Post Registered"}},
		{"colissimo s10", "colissimo", "RB123456785FR",
			Check{Carrier: "colissimo", Number: "RB123456785FR", Valid: true, Known: true, Service: "Letter Post Registered"}},
		{"postnl s10 check digit", "postnl", "RB123456786NL",
			Check{Carrier: "postnl", Number: "RB123456786NL", Known: true,
				Warning: "RB123456786NL does not look like a PostNL tracking number (the check digit does not match)"}},
		{"s10 unknown country", "colissimo", "RB123456785XX",
			Check{Carrier: "colissimo", Number: "RB123456785XX", Known: true,
				Warning: "RB123456785XX does not look like a La Poste / Colissimo tracking number (the country code XX is not recognised)"}},
		{"canada post", "canada-post", "7035114477138472",
			Check{Carrier: "canada-post", Number: "7035114477138472", Valid: true, Known: true, URL: "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=7035114477138472"}},
		{"gls has no formats", "gls", "12345678-901",
			Check{Carrier: "gls", Number: "12345678901", Valid: true, URL: "https://gls-group.com/track?match=12345678901"}},
		{"gls escapes the number", "gls", "ab&c=d",
			Check{Carrier: "gls", Number: "AB&C=D", Valid: true, URL: "https://gls-group.com/track?match=AB%26C%3DD"}},
		{"other has no formats and no URL", "other", "anything at all",
			Check{Carrier: "other", Number: "ANYTHINGATALL", Valid: true}},
		{"unknown code is like other", "pigeon", "42",
			Check{Carrier: "pigeon", Number: "42", Valid: true}},
		{"blank ups", "ups", " - ",
			Check{Carrier: "ups", Known: true, Warning: "a tracking number is required"}},
		{"blank gls", "gls", "",
			Check{Carrier: "gls", Warning: "a tracking number is required"}},
		{"blank other", "other", "\t",
			Check{Carrier: "other", Warning: "a tracking number is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Validate(tt.carrier, tt.number); got != tt.want {
				t.Errorf("Validate(%q, %q)\n got %+v\nwant %+v", tt.carrier, tt.number, got, tt.want)
			}
		})
	}
}

func TestFillURL(t *testing.T) {
	tests := []struct{ template, number, want string }{
		{"https://x.test/track?n=%s", "AB 1/2", "https://x.test/track?n=AB+1%2F2"},
		{"https://x.test/track/%s", "AB 1/2?", "https://x.test/track/AB%201%2F2%3F"},
		{"https://x.test/t#/s?for=%s&x=%d", "A&B", "https://x.test/t#/s?for=A%26B&x=%d"},
		{"", "AB", ""},
		{"https://x.test/no-placeholder", "AB", ""},
	}
	for _, tt := range tests {
		if got := fillURL(tt.template, tt.number); got != tt.want {
			t.Errorf("fillURL(%q, %q) = %q, want %q", tt.template, tt.number, got, tt.want)
		}
	}
}

func TestChecksums(t *testing.T) {
	tests := []struct {
		name          string
		spec          checksumSpec
		serial, check string
		want          bool
	}{
		// UPS: letters count as (c - 'A' + 2) % 10.
		{"ups mod10", checksumSpec{Name: "mod10", EvensMultiplier: ptr(1), OddsMultiplier: ptr(2)}, "999AA1012345678", "4", true},
		{"ups mod10 wrong", checksumSpec{Name: "mod10", EvensMultiplier: ptr(1), OddsMultiplier: ptr(2)}, "999AA1012345678", "5", false},
		{"mod10 rejects other characters", checksumSpec{Name: "mod10"}, "12#4", "0", false},
		{"mod10 needs one digit", checksumSpec{Name: "mod10"}, "1234", "", false},
		// GS1 (USPS IMpb) counts weights from the right: reverse.
		{"mod10 reverse", checksumSpec{Name: "mod10", EvensMultiplier: ptr(3), OddsMultiplier: ptr(1), Reverse: true}, "940011120620640626078", "7", true},
		{"mod10 reverse even length", checksumSpec{Name: "mod10", EvensMultiplier: ptr(3), OddsMultiplier: ptr(1), Reverse: true}, "400638133393", "1", true}, // EAN-13 4006381333931,
		{"mod7", checksumSpec{Name: "mod7", Modulo: 7}, "7389105114", "6", true},
		{"mod7 wrong", checksumSpec{Name: "mod7", Modulo: 7}, "7389105114", "5", false},
		{"fedex 12", checksumSpec{Name: "sum_product_with_weightings_and_modulo", Weightings: []int{3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1}, Modulo1: 11, Modulo2: 10}, "98657878885", "5", true},
		{"fedex serial longer than weights", checksumSpec{Name: "sum_product_with_weightings_and_modulo", Weightings: []int{3, 1}, Modulo1: 11, Modulo2: 10}, "123", "5", false},
		// S10: remainder 0 gives 5, remainder 1 gives 0.
		{"s10", checksumSpec{Name: "s10", Modulo: 11}, "12345678", "5", true},
		{"s10 remainder 0", checksumSpec{Name: "s10"}, "00000000", "5", true},
		{"s10 remainder 1", checksumSpec{Name: "s10"}, "00004000", "0", true}, // 4*3 = 12 = 1 mod 11
		{"s10 length", checksumSpec{Name: "s10"}, "1234567", "5", false},
		{"mod 37,36", checksumSpec{Name: "mod_37_36", Modulo: 36}, "09980000020033", "F", true},
		{"mod 37,36 wrong", checksumSpec{Name: "mod_37_36", Modulo: 36}, "09980000020033", "D", false},
		{"mod 37,36 bad character", checksumSpec{Name: "mod_37_36", Modulo: 36}, "0998000002003#", "F", false},
		{"luhn", checksumSpec{Name: "luhn"}, "7992739871", "3", true},
		{"luhn wrong", checksumSpec{Name: "luhn"}, "7992739871", "4", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := newChecksum(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := f(tt.serial, tt.check); got != tt.want {
				t.Errorf("%s(%q, %q) = %v, want %v", tt.spec.Name, tt.serial, tt.check, got, tt.want)
			}
		})
	}
	for _, bad := range []checksumSpec{
		{Name: "mod11"}, {Name: "mod10", Modulo: 11}, {Name: "sum_product_with_weightings_and_modulo"},
		{Name: "mod_37_36", Alphabet: "0123"}, {Name: "s10", Modulo: 10},
	} {
		if _, err := newChecksum(bad); err == nil {
			t.Errorf("newChecksum(%+v) = nil error, want unsupported", bad)
		}
	}
}

func ptr(i int) *int { return &i }

// TestInvariants: Valid and Warning always agree, and Number is Normalize's.
func TestInvariants(t *testing.T) {
	for _, c := range Carriers() {
		for _, n := range []string{"", "x", "1Z5R89390357567127", "RB123456785GB", "0998 0000 0200 34D", "((((", "\xff\xfe"} {
			checkInvariants(t, c.Code, n)
		}
	}
}

var normalised = regexp.MustCompile(`^[0-9A-Z]+$`)

func checkInvariants(t *testing.T, carrier, number string) {
	t.Helper()
	c := Validate(carrier, number)
	if c.Number != Normalize(number) {
		t.Errorf("Validate(%q, %q).Number = %q, want Normalize = %q", carrier, number, c.Number, Normalize(number))
	}
	if Normalize(c.Number) != c.Number {
		t.Errorf("Normalize is not idempotent on %q: %q", c.Number, Normalize(c.Number))
	}
	if c.Valid == (c.Warning != "") {
		t.Errorf("Validate(%q, %q): Valid = %v with warning %q", carrier, number, c.Valid, c.Warning)
	}
	if c.Number == "" && (c.Valid || c.URL != "") {
		t.Errorf("Validate(%q, %q) of a blank number = %+v", carrier, number, c)
	}
	if c.Valid && c.Known && !normalised.MatchString(c.Number) {
		t.Errorf("Validate(%q, %q) accepted %q", carrier, number, c.Number)
	}
	if c.URL != "" && strings.ContainsAny(c.URL[strings.Index(c.URL, "//")+2:], " \t\n") {
		t.Errorf("Validate(%q, %q).URL = %q is not escaped", carrier, number, c.URL)
	}
}
