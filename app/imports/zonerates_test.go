package imports

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"strings"
	"testing"
)

func TestPutZoneRateUpsertsAndValidates(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	ops := app.Actor{Kind: app.ActorUser, ID: 1, Name: "Olga", Role: app.RoleOps}
	r, err := svc(a).PutZoneRate(ctx, ops, ZoneRateInput{Origin: "LYS", Country: "fr", Cost: "4.9", Currency: "eur", TransitDays: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Origin != "LYS" || r.Country != "FR" || r.Cost != "4.90" || r.CostMinor != 490 || r.Currency != "EUR" || r.TransitDays != 2 {
		t.Fatalf("stored %+v", r)
	}
	// The same origin, country and region replaces the rate.
	r2, err := svc(a).PutZoneRate(ctx, ops, ZoneRateInput{Origin: "LYS", Country: "FR", Cost: "5", Currency: "EUR", TransitDays: 1})
	if err != nil || r2.ID != r.ID || r2.Cost != "5.00" || r2.TransitDays != 1 {
		t.Fatalf("upsert: %+v %v", r2, err)
	}
	if _, err := svc(a).PutZoneRate(ctx, ops, ZoneRateInput{Origin: "LYS", Country: "FR", Region: "Corse", Cost: "12", Currency: "EUR", TransitDays: 3}); err != nil {
		t.Fatal(err)
	}
	all, _ := svc(a).ZoneRates(ctx)
	if len(all) != 2 {
		t.Fatalf("rates %+v", all)
	}

	_, err = svc(a).PutZoneRate(ctx, ops, ZoneRateInput{Origin: "NOPE", Country: "XX", Cost: "-1", Currency: "EURO", TransitDays: 61})
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid {
		t.Fatalf("bad input: %v", err)
	}
	for field, want := range map[string]string{"origin": "unknown location", "country": "unknown country", "cost": "negative",
		"currency": "unknown currency", "transit_days": "between 0 and 60"} {
		if !strings.Contains(ae.Fields[field], want) {
			t.Errorf("%s: %q, want %q", field, ae.Fields[field], want)
		}
	}
	_, err = svc(a).PutZoneRate(ctx, ops, ZoneRateInput{Origin: "LYS", Country: "FR", Region: "Cor\x00se", Cost: "1", Currency: "EUR"})
	if ae, ok := app.AsError(err); !ok || ae.Fields["region"] != app.NotTextProblem {
		t.Fatalf("a region with NUL: %v", err)
	}
	if all, err := svc(a).ZoneRates(ctx); err != nil || len(all) != 2 {
		t.Fatalf("after refusals: %d rates, %v", len(all), err)
	}
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	if _, err := svc(a).PutZoneRate(ctx, support, ZoneRateInput{Origin: "LYS", Country: "FR", Cost: "1", Currency: "EUR"}); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support: %v", err)
	}
	if err := svc(a).DeleteZoneRate(ctx, ops, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc(a).DeleteZoneRate(ctx, ops, r.ID); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("second delete: %v", err)
	}
}

func TestZoneRatesImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	bad := "origin,country,region,cost,currency,transit_days\n" +
		"LYS,FR,,4.90,EUR,2\n" +
		"NOPE,FR,,4.90,EUR,2\n" +
		"PAR,FR,,-3,EUR,2\n" +
		"BER,DE,,5.00,EUR,soon\n"
	res, err := svc(a).ImportZoneRatesCSV(ctx, app.System, strings.NewReader(bad))
	if app.ErrorKind(err) != app.KindInvalid || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("bad file: %v", err)
	}
	want := []RowError{{3, "origin", `unknown location "NOPE"`}, {4, "cost", "must not be negative"}, {5, "transit_days", `must be a whole number of days, not "soon"`}}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems %+v", res.Problems)
	}
	for i, w := range want {
		if res.Problems[i] != w {
			t.Errorf("problem %d: %+v, want %+v", i, res.Problems[i], w)
		}
	}
	if all, err := svc(a).ZoneRates(ctx); err != nil {
		t.Fatal(err)
	} else if len(all) != 0 {
		t.Fatalf("a bad file wrote %+v", all)
	}

	good := "origin,country,cost,currency,transit_days\nLYS,FR,4.90,EUR,2\nBER,FR,9,EUR,4\n"
	res, err = svc(a).ImportZoneRatesCSV(ctx, app.System, strings.NewReader(good))
	if err != nil || res.Applied != 2 {
		t.Fatalf("good file: %+v %v", res, err)
	}
	if all, _ := svc(a).ZoneRates(ctx); len(all) != 2 || all[0].Origin != "BER" || all[0].Cost != "9.00" {
		t.Fatalf("after import %+v", all)
	}

	dup := "origin,country,cost,currency,transit_days\nLYS,FR,4.90,EUR,2\nLYS,FR,5,EUR,2\n"
	res, _ = svc(a).ImportZoneRatesCSV(ctx, app.System, strings.NewReader(dup))
	if len(res.Problems) != 1 || res.Problems[0].Line != 3 || !strings.Contains(res.Problems[0].Reason, "repeats line 2") {
		t.Fatalf("repeated row: %+v", res.Problems)
	}
	res, _ = svc(a).ImportZoneRatesCSV(ctx, app.System, strings.NewReader("origin,country,price\n"))
	if len(res.Problems) < 2 || res.Problems[0].Line != 1 {
		t.Fatalf("bad header: %+v", res.Problems)
	}
}

func TestPostalCodesImportLocatesOrders(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	bad := "country,postal_code,lat,lon\nFR,75001,48.86,2.34\nXX,1,0,0\nFR,69002,91,4.83\n"
	res, err := svc(a).ImportPostalCodesCSV(ctx, app.System, strings.NewReader(bad))
	if app.ErrorKind(err) != app.KindInvalid || len(res.Problems) != 2 || res.Problems[0].Field != "country" || res.Problems[1].Field != "lat" {
		t.Fatalf("bad file: %+v %v", res.Problems, err)
	}
	if counts, err := svc(a).PostalCodeCounts(ctx); err != nil {
		t.Fatal(err)
	} else if len(counts) != 0 {
		t.Fatalf("a bad file wrote %+v", counts)
	}
	res, err = svc(a).ImportPostalCodesCSV(ctx, app.System, strings.NewReader("country,postal_code,lat,lon\nfr,69 002,45.76,4.83\nGB,sw1a 1aa,51.50,-0.14\n"))
	if err != nil || res.Applied != 2 {
		t.Fatalf("good file: %+v %v", res, err)
	}
	apptest.Count(t, a, "LYS", "TEE", 5)
	apptest.Count(t, a, "PAR", "TEE", 5)
	in := apptest.LyonOrder("1", 1)
	in.ShippingAddress.Lat, in.ShippingAddress.Lon, in.ShippingAddress.PostalCode = nil, nil, "69002"
	o, _, err := a.PlaceOrder(ctx, app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := a.Decisions(ctx, o.Number)
	if err != nil || len(ds) != 1 || !ds[0].Input.Order.DestKnown || ds[0].Input.Order.Dest.Lat != 45.76 {
		t.Fatalf("decisions %+v %v", ds, err)
	}
	if o.Fulfillments[0].Location != "LYS" {
		t.Fatalf("routed to %s, want the closest (Lyon)", o.Fulfillments[0].Location)
	}
}
