package imports_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/imports"
)

// richNetwork fills e with data that tests the format's corners: quotes,
// commas and accents, tags and channels, exact and approximate coordinates,
// inactive rows, safety stocks.
func richNetwork(t testing.TB, e *csvEnv) {
	t.Helper()
	ctx := context.Background()
	for _, ch := range []string{"web-eu", "market"} {
		if _, _, err := e.app.PutChannel(ctx, app.System, ch, app.ChannelInput{Name: ch, Kind: "api"}); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	lat, lon := 45.703712345678, -4.88061
	locs := map[string]app.LocationInput{
		"LYS-WH": {Name: `Lyon "Part-Dieu", hall 2`, Kind: "warehouse", Lat: &lat, Lon: &lon, Timezone: "Europe/Paris",
			Address: app.Address{Line1: "12 rue de l'Industrie", Line2: "Bât. C", City: "Vénissieux", Region: "Rhône", PostalCode: "69200", Country: "FR"},
			Ships:   &yes, Pickup: &no, DailyCapacity: 600, Cutoff: "15:00", HandlingDays: 1, Rank: -3,
			Tags: []string{"eu", "big"}, Channels: []string{"web-eu", "market"},
			HandlingCurrency: "EUR", HandlingPerShipment: "1.5", HandlingPerUnit: "0.25", ScanToShip: &yes},
		"PAR-01": {Name: "Paris store", Kind: "store", Timezone: "Europe/Paris", Address: app.Address{City: "Paris", Country: "FR"},
			Ships: &no, Pickup: &yes, Channels: []string{"web-eu"}},
		"OLD-01": {Name: "Closed store", Kind: "store", Timezone: "America/New_York", Address: app.Address{City: "Edison", Country: "US"},
			Ships: &yes, Pickup: &yes, Active: &no},
	}
	for code, in := range locs {
		if _, _, err := e.app.PutLocation(ctx, app.System, code, in); err != nil {
			t.Fatal(err)
		}
	}
	skus := map[string]app.SKUInput{
		"TEE-BLK-M": {Name: "Tee, \"organic\" — black", Barcode: "0012345678905", WeightGrams: 180, Tags: []string{"apparel", "summer"}},
		"CAP-01":    {Name: "Cap"},
		"OLD-SKU":   {Name: "Retired", Active: &no},
	}
	for code, in := range skus {
		if _, _, err := e.app.PutSKU(ctx, app.System, code, in); err != nil {
			t.Fatal(err)
		}
	}
	e.importOK(imports.CSVStock, "location,sku,on_hand,safety_stock\nLYS-WH,TEE-BLK-M,40,4\nLYS-WH,CAP-01,0,\nPAR-01,TEE-BLK-M,3,1\nOLD-01,OLD-SKU,7,\n")
}

// export returns the CSV export of kind.
func (e *csvEnv) export(kind string) string {
	e.t.Helper()
	var b strings.Builder
	if err := e.imp.ExportCSV(context.Background(), e.ops, kind, &b); err != nil {
		e.t.Fatalf("export %s: %v", kind, err)
	}
	return b.String()
}

// sortedLines sorts the data lines of a CSV with one line per record.
func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(lines[1:])
	return lines
}

func TestExportWritesTheImportColumns(t *testing.T) {
	e := newCSVEnv(t)
	richNetwork(t, e)
	for _, kind := range imports.CSVKinds {
		header, _, _ := strings.Cut(e.export(kind), "\n")
		if header != strings.Join(imports.CSVColumns(kind), ",") {
			t.Errorf("%s header %q", kind, header)
		}
	}
	locs := e.export(imports.CSVLocations)
	for _, want := range []string{
		`LYS-WH,"Lyon ""Part-Dieu"", hall 2",warehouse,12 rue de l'Industrie,Bât. C,Vénissieux,Rhône,69200,FR,45.703712345678,-4.88061,Europe/Paris,true,false,600,15:00,1,-3,big|eu,market|web-eu,true,true,EUR,1.50,0.25,true`,
		`PAR-01,Paris store,store,,,Paris,,,FR,,,Europe/Paris,false,true,0,,0,0,,web-eu,true,true,,,,false`,
	} {
		if !strings.Contains(locs, want+"\n") {
			t.Errorf("locations export lacks\n%s\nin\n%s", want, locs)
		}
	}
	if skus := e.export(imports.CSVSKUs); !strings.Contains(skus, "TEE-BLK-M,\"Tee, \"\"organic\"\" — black\",0012345678905,180,apparel|summer,true,\n") {
		t.Errorf("SKU export:\n%s", skus)
	}
	if stock := e.export(imports.CSVStock); !strings.Contains(stock, "LYS-WH,TEE-BLK-M,40,4,\n") {
		t.Errorf("stock export:\n%s", stock)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	e := newCSVEnv(t)
	richNetwork(t, e)
	files := map[string]string{}
	kinds := []string{imports.CSVLocations, imports.CSVSKUs, imports.CSVStock} // orders: see TestExportOrdersRoundTrips
	for _, kind := range kinds {
		files[kind] = e.export(kind)
	}

	// Into the same database: nothing changes, not even the ledger.
	before := e.snapshot()
	locsBefore, err := e.app.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range kinds {
		e.importOK(kind, files[kind])
	}
	if after := e.snapshot(); after != before {
		t.Errorf("re-importing the export changed stock or ledger:\nbefore\n%s\nafter\n%s", before, after)
	}
	locsAfter, _ := e.app.Locations(context.Background())
	for i := range locsAfter {
		locsAfter[i].UpdatedAt = locsBefore[i].UpdatedAt
	}
	if !reflect.DeepEqual(locsBefore, locsAfter) {
		t.Errorf("locations changed:\n%+v\n%+v", locsBefore, locsAfter)
	}
	for _, kind := range kinds {
		if got := e.export(kind); got != files[kind] {
			t.Errorf("%s export changed after the round trip:\n%s\nwas\n%s", kind, got, files[kind])
		}
	}

	// Into a fresh database with the same channels: the same exports.
	f := newCSVEnv(t)
	for _, ch := range []string{"web-eu", "market"} {
		if _, _, err := f.app.PutChannel(context.Background(), app.System, ch, app.ChannelInput{Name: ch, Kind: "api"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range kinds {
		f.importOK(kind, files[kind])
	}
	for _, kind := range kinds {
		if got, want := sortedLines(f.export(kind)), sortedLines(files[kind]); !slices.Equal(got, want) {
			t.Errorf("%s export of the copy:\n%q\nwant\n%q", kind, got, want)
		}
	}
	loc, err := f.app.Location(context.Background(), "PAR-01")
	if err != nil || !loc.ApproxCoords {
		t.Errorf("approximate coordinates did not stay approximate: %+v %v", loc, err)
	}
}

func TestExportPagesThroughManyRows(t *testing.T) {
	e := newCSVEnv(t)
	e.network(2500, 3)
	e.importOK(imports.CSVStock, stockFile(2500, 3, 0))
	skus := strings.Split(strings.TrimSuffix(e.export(imports.CSVSKUs), "\n"), "\n")
	if len(skus) != 2501 || skus[1] != "S0000,SKU 0,,100,,true," || skus[2500] != "S2499,SKU 2499,,2599,,true," {
		t.Fatalf("SKU export has %d lines: %q ... %q", len(skus), skus[1], skus[len(skus)-1])
	}
	stock := sortedLines(e.export(imports.CSVStock))
	want := sortedLines(stockFile(2500, 3, 0))
	if !slices.Equal(stock, want) {
		t.Fatalf("stock export has %d lines, want %d", len(stock), len(want))
	}
}
