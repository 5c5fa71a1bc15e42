// Package geo holds pure geography helpers: country codes, names,
// approximate country centroids and great-circle distances.
package geo

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// EarthRadiusKm is the mean Earth radius (IUGG) used by DistanceKm.
const EarthRadiusKm = 6371.0088

//go:embed centroids.csv
var centroidsCSV string

// Point is a position on Earth in decimal degrees (WGS 84).
type Point struct{ Lat, Lon float64 }

// Valid reports whether the latitude is in [-90, 90] and the longitude in [-180, 180].
func (p Point) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// country is one row of the embedded table.
type country struct {
	code     string
	name     string
	centroid Point
}

// table is the parsed, read-only country table, keyed by upper-case code.
type table struct {
	byCode map[string]country
	codes  []string // sorted
}

// loadTable parses the embedded table once; a bad table is a programming error.
var loadTable = sync.OnceValue(func() table {
	t, err := parseTable(centroidsCSV)
	if err != nil {
		panic(fmt.Sprintf("geo: embedded centroids.csv: %v", err))
	}
	return t
})

// parseTable reads the CSV (header country,name,lat,lon) into a table.
func parseTable(data string) (table, error) {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = 4
	records, err := r.ReadAll()
	if err != nil {
		return table{}, fmt.Errorf("reading csv: %w", err)
	}
	if len(records) == 0 || strings.Join(records[0], ",") != "country,name,lat,lon" {
		return table{}, fmt.Errorf("missing header %q", "country,name,lat,lon")
	}
	t := table{byCode: make(map[string]country, len(records)-1)}
	for i, rec := range records[1:] {
		c, err := parseRow(rec)
		if err != nil {
			return table{}, fmt.Errorf("line %d: %w", i+2, err)
		}
		if _, dup := t.byCode[c.code]; dup {
			return table{}, fmt.Errorf("line %d: duplicate code %s", i+2, c.code)
		}
		t.byCode[c.code] = c
		t.codes = append(t.codes, c.code)
	}
	slices.Sort(t.codes)
	return t, nil
}

// parseRow turns one CSV record into a country, checking code and coordinates.
func parseRow(rec []string) (country, error) {
	code, name := rec[0], rec[1]
	if !isAlpha2Upper(code) {
		return country{}, fmt.Errorf("code %q is not two upper-case letters", code)
	}
	if name == "" {
		return country{}, fmt.Errorf("code %s has no name", code)
	}
	lat, err := strconv.ParseFloat(rec[2], 64)
	if err != nil {
		return country{}, fmt.Errorf("code %s latitude: %w", code, err)
	}
	lon, err := strconv.ParseFloat(rec[3], 64)
	if err != nil {
		return country{}, fmt.Errorf("code %s longitude: %w", code, err)
	}
	p := Point{Lat: lat, Lon: lon}
	if !p.Valid() {
		return country{}, fmt.Errorf("code %s has out-of-range coordinates %v", code, p)
	}
	return country{code: code, name: name, centroid: p}, nil
}

// isAlpha2Upper reports whether s is exactly two ASCII upper-case letters.
func isAlpha2Upper(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// lookup finds a country by code, ignoring ASCII case (but not spaces).
func lookup(code string) (country, bool) {
	c, ok := loadTable().byCode[asciiUpper(code)]
	return c, ok
}

// asciiUpper upper-cases ASCII letters only, so that non-ASCII look-alikes
// such as "ı" (dotless i) never fold onto a valid code.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - ('a' - 'A')
		}
		return r
	}, s)
}

// Centroid returns the approximate centroid of the country with the given
// ISO 3166-1 alpha-2 code (case-insensitive), and whether the code is known.
func Centroid(country string) (Point, bool) {
	c, ok := lookup(country)
	return c.centroid, ok
}

// CountryName returns the English short name for an alpha-2 code (case-insensitive).
func CountryName(code string) (string, bool) {
	c, ok := lookup(code)
	return c.name, ok
}

// ValidCountry reports whether code is an assigned ISO 3166-1 alpha-2 code (case-insensitive).
func ValidCountry(code string) bool {
	_, ok := lookup(code)
	return ok
}

// Countries returns all known alpha-2 codes, sorted; the caller may modify the slice.
func Countries() []string {
	return slices.Clone(loadTable().codes)
}

// DistanceKm returns the great-circle distance between a and b in kilometres,
// using the haversine formula on a sphere of radius EarthRadiusKm. It does
// not check its inputs: an invalid Point gives a meaningless (possibly NaN) result.
func DistanceKm(a, b Point) float64 {
	lat1, lat2 := radians(a.Lat), radians(b.Lat)
	dLat := lat2 - lat1
	dLon := radians(b.Lon - a.Lon)
	h := hav(dLat) + math.Cos(lat1)*math.Cos(lat2)*hav(dLon)
	h = min(max(h, 0), 1) // guard against rounding just outside [0, 1]
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(h))
}

// hav is the haversine function, sin²(θ/2).
func hav(theta float64) float64 {
	s := math.Sin(theta / 2)
	return s * s
}

// radians converts degrees to radians.
func radians(deg float64) float64 {
	return deg * math.Pi / 180
}
