package geo

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
)

func TestTableCoversEveryAssignedCode(t *testing.T) {
	codes := Countries()
	if len(codes) != 249 {
		t.Fatalf("Countries() has %d codes, want 249", len(codes))
	}
	if !slices.IsSorted(codes) {
		t.Error("Countries() is not sorted")
	}
	seen := make(map[string]bool, len(codes))
	for _, code := range codes {
		if seen[code] {
			t.Errorf("duplicate code %s", code)
		}
		seen[code] = true
		if !isAlpha2Upper(code) {
			t.Errorf("code %q is not two upper-case letters", code)
		}
		p, ok := Centroid(code)
		if !ok || !p.Valid() {
			t.Errorf("Centroid(%s) = %v, %v; want a valid point", code, p, ok)
		}
		if name, ok := CountryName(code); !ok || strings.TrimSpace(name) == "" {
			t.Errorf("CountryName(%s) = %q, %v; want a name", code, name, ok)
		}
	}
	for _, code := range []string{"GP", "RE", "PR", "HK", "MO", "AX", "BQ", "SS", "XK"} {
		want := code != "XK" // XK (Kosovo) is user-assigned, not an ISO code
		if seen[code] != want {
			t.Errorf("code %s present = %v, want %v", code, seen[code], want)
		}
	}
}

func TestCountriesReturnsACopy(t *testing.T) {
	a := Countries()
	a[0] = "ZZ"
	if b := Countries(); b[0] == "ZZ" {
		t.Error("modifying the result of Countries() changed the table")
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		code     string
		wantOK   bool
		wantName string
	}{
		{"FR", true, "France"},
		{"fr", true, "France"},
		{"Fr", true, "France"},
		{"us", true, "United States of America"},
		{"GP", true, "Guadeloupe"},
		{"", false, ""},
		{"F", false, ""},
		{"FRA", false, ""},
		{" FR", false, ""},
		{"XX", false, ""},
		{"ZZ", false, ""},
		{"ıt", false, ""}, // dotless i must not fold onto IT
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			name, ok := CountryName(tt.code)
			if ok != tt.wantOK || name != tt.wantName {
				t.Errorf("CountryName(%q) = %q, %v; want %q, %v", tt.code, name, ok, tt.wantName, tt.wantOK)
			}
			if got := ValidCountry(tt.code); got != tt.wantOK {
				t.Errorf("ValidCountry(%q) = %v, want %v", tt.code, got, tt.wantOK)
			}
			p, ok := Centroid(tt.code)
			if ok != tt.wantOK || (!ok && p != (Point{})) {
				t.Errorf("Centroid(%q) = %v, %v; want ok=%v", tt.code, p, ok, tt.wantOK)
			}
		})
	}
}

func TestCentroidsNearReferenceValues(t *testing.T) {
	tests := []struct {
		code string
		want Point
	}{
		{"FR", Point{46.2, 2.2}},
		{"US", Point{39.8, -98.6}},
		{"DE", Point{51.2, 10.4}},
		{"GB", Point{54.0, -2.5}},
		{"JP", Point{36.2, 138.3}},
		{"AU", Point{-25.3, 133.8}},
		{"BR", Point{-14.2, -51.9}},
	}
	for _, tt := range tests {
		got, _ := Centroid(tt.code)
		if math.Abs(got.Lat-tt.want.Lat) > 1 || math.Abs(got.Lon-tt.want.Lon) > 1 {
			t.Errorf("Centroid(%s) = %v, want within 1° of %v", tt.code, got, tt.want)
		}
	}
}

func TestCentroidsInsideCountryBoundingBox(t *testing.T) {
	// Rough bounding boxes of the main (contiguous/metropolitan) territory.
	tests := []struct {
		code                           string
		minLat, maxLat, minLon, maxLon float64
	}{
		{"FR", 41.3, 51.1, -5.2, 9.6},
		{"US", 24.5, 49.4, -124.8, -66.9},
		{"DE", 47.2, 55.1, 5.8, 15.1},
		{"JP", 24.0, 45.6, 122.9, 146.0},
		{"AU", -43.7, -10.6, 113.2, 153.7},
		{"BR", -33.8, 5.3, -74.0, -34.7},
		{"CA", 41.6, 83.1, -141.0, -52.6},
		{"ES", 36.0, 43.8, -9.3, 3.3},
		{"IT", 35.5, 47.1, 6.6, 18.6},
		{"GB", 49.9, 60.9, -8.2, 1.8},
		{"NL", 50.7, 53.6, 3.3, 7.3},
		{"BE", 49.5, 51.5, 2.5, 6.4},
		{"CH", 45.8, 47.8, 5.9, 10.5},
	}
	for _, tt := range tests {
		p, ok := Centroid(tt.code)
		if !ok {
			t.Errorf("Centroid(%s) not found", tt.code)
			continue
		}
		if p.Lat < tt.minLat || p.Lat > tt.maxLat || p.Lon < tt.minLon || p.Lon > tt.maxLon {
			t.Errorf("Centroid(%s) = %v, outside lat [%v, %v] lon [%v, %v]",
				tt.code, p, tt.minLat, tt.maxLat, tt.minLon, tt.maxLon)
		}
	}
}

func TestPointValid(t *testing.T) {
	tests := []struct {
		p    Point
		want bool
	}{
		{Point{0, 0}, true},
		{Point{90, 180}, true},
		{Point{-90, -180}, true},
		{Point{90.0001, 0}, false},
		{Point{-90.0001, 0}, false},
		{Point{0, 180.0001}, false},
		{Point{0, -180.0001}, false},
		{Point{math.NaN(), 0}, false},
		{Point{0, math.Inf(1)}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Valid(); got != tt.want {
			t.Errorf("%v.Valid() = %v, want %v", tt.p, got, tt.want)
		}
	}
}

var (
	paris   = Point{48.8566, 2.3522}
	lyon    = Point{45.7640, 4.8357}
	london  = Point{51.5074, -0.1278}
	newYork = Point{40.7128, -74.0060}
	sydney  = Point{-33.8688, 151.2093}
)

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name      string
		a, b      Point
		want, tol float64
	}{
		{"Paris-Lyon", paris, lyon, 392, 5},
		{"London-New York", london, newYork, 5570, 20},
		{"same point", paris, paris, 0, 1e-9},
		{"antipodes on equator", Point{0, 0}, Point{0, 180}, 20015, 10},
		{"antipodes off equator", Point{45, 10}, Point{-45, -170}, 20015, 10},
		{"pole to pole", Point{90, 0}, Point{-90, 0}, 20015, 10},
		{"across the antimeridian", Point{0, 179.5}, Point{0, -179.5}, 111.2, 0.5},
		{"one degree of latitude", Point{0, 0}, Point{1, 0}, 111.2, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DistanceKm(tt.a, tt.b); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceKm(%v, %v) = %.3f, want %.0f ± %.0f", tt.a, tt.b, got, tt.want, tt.tol)
			}
		})
	}
}

func TestDistanceKmIsSymmetric(t *testing.T) {
	points := []Point{paris, lyon, london, newYork, sydney, {0, 0}, {90, 0}, {-45, -170}}
	for _, a := range points {
		for _, b := range points {
			ab, ba := DistanceKm(a, b), DistanceKm(b, a)
			if math.Abs(ab-ba) > 1e-9 {
				t.Errorf("DistanceKm(%v, %v) = %v but DistanceKm(%v, %v) = %v", a, b, ab, b, a, ba)
			}
		}
	}
}

func TestParseTableRejectsBadData(t *testing.T) {
	const header = "country,name,lat,lon\n"
	tests := []struct {
		name, data, wantErr string
	}{
		{"no header", "FR,France,46.2,2.2\n", "missing header"},
		{"lower-case code", header + "fr,France,46.2,2.2\n", `code "fr" is not two upper-case letters`},
		{"duplicate", header + "FR,France,46.2,2.2\nFR,France,46.2,2.2\n", "line 3: duplicate code FR"},
		{"bad latitude", header + "FR,France,north,2.2\n", "code FR latitude"},
		{"out of range", header + "FR,France,96.2,2.2\n", "out-of-range"},
		{"missing name", header + "FR,,46.2,2.2\n", "has no name"},
		{"wrong field count", header + "FR,France,46.2\n", "reading csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTable(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseTable error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func BenchmarkDistanceKm(b *testing.B) {
	var sum float64
	for b.Loop() {
		sum += DistanceKm(paris, newYork)
	}
	_ = sum
}

// TestCountryZone: one-zone countries have theirs, every zone loads, and a
// country over several zones has none.
func TestCountryZone(t *testing.T) {
	for code, want := range map[string]string{"FR": "Europe/Paris", "gb": "Europe/London", "US": "", "AU": "", "ES": ""} {
		got, ok := CountryZone(code)
		if got != want || ok != (want != "") {
			t.Errorf("CountryZone(%s) = %q, %v; want %q", code, got, ok, want)
		}
	}
	for code, z := range countryZones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("%s: %v", code, err)
		}
		if !ValidCountry(code) {
			t.Errorf("%s is not a country", code)
		}
	}
}
