package app

import (
	"context"
	"testing"

	"switchyard/app/money"
)

// handlingInput is a Lyon warehouse with the given handling costs.
func handlingInput(cur, perShipment, perUnit string) LocationInput {
	yes, lat, lon := true, 45.76, 4.83
	return LocationInput{Name: "Lyon warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
		Address: Address{City: "Lyon", Country: "FR"}, Lat: &lat, Lon: &lon, Channels: []string{"web"},
		HandlingCurrency: cur, HandlingPerShipment: money.Decimal(perShipment), HandlingPerUnit: money.Decimal(perUnit)}
}

func TestHandlingCostsAreCheckedNamingTheField(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustChannel(t, a, "web", 0)
	cases := []struct {
		name, cur, ship, unit, field, problem string
	}{
		{"negative per shipment", "EUR", "-1.50", "", "handling_per_shipment", "must not be negative"},
		{"negative per unit", "EUR", "", "-0.01", "handling_per_unit", "must not be negative"},
		{"not an amount", "EUR", "abc", "", "handling_per_shipment", ""},
		{"too many decimals", "EUR", "1.505", "", "handling_per_shipment", ""},
		{"no currency", "", "1.50", "", "handling_currency", "is required when a handling cost is given"},
		{"unknown currency", "EUX", "1.50", "", "handling_currency", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := a.PutLocation(ctx, System, "LYS", handlingInput(tc.cur, tc.ship, tc.unit))
			e, ok := err.(*Error)
			if !ok || e.Kind != KindInvalid || e.Fields[tc.field] == "" || (tc.problem != "" && e.Fields[tc.field] != tc.problem) {
				t.Fatalf("want %s refused (%q), got %v", tc.field, tc.problem, err)
			}
			if _, err := a.Location(ctx, "LYS"); ErrorKind(err) != KindNotFound {
				t.Fatalf("a refused location was written: %v", err)
			}
		})
	}
	// A stored location keeps its handling costs when a change is refused.
	if _, _, err := a.PutLocation(ctx, System, "LYS", handlingInput("eur", "1.5", "0.20")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.PutLocation(ctx, System, "LYS", handlingInput("EUR", "-3", "0.20")); ErrorKind(err) != KindInvalid {
		t.Fatalf("negative handling on update: %v", err)
	}
	l, err := a.Location(ctx, "LYS")
	if err != nil {
		t.Fatal(err)
	}
	if l.Handling != (Handling{PerShipment: 150, PerUnit: 20, Currency: "EUR"}) || l.HandlingPerShipment != "1.50" || l.HandlingPerUnit != "0.20" {
		t.Fatalf("stored handling %+v (%s, %s)", l.Handling, l.HandlingPerShipment, l.HandlingPerUnit)
	}
	// Zero costs need no currency.
	if _, _, err := a.PutLocation(ctx, System, "LYS", handlingInput("", "0", "")); err != nil {
		t.Fatalf("zero handling without a currency: %v", err)
	}
}

func TestHandlingCountsForOrdersInItsCurrency(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	if _, _, err := a.PutLocation(ctx, System, "LYS", handlingInput("EUR", "1.50", "0.20")); err != nil {
		t.Fatal(err)
	}
	par := handlingInput("USD", "9.00", "1.00") // another currency: not converted, not counted
	par.Name, par.Address.City = "Paris warehouse", "Paris"
	lat, lon := 48.86, 2.35
	par.Lat, par.Lon = &lat, &lon
	if _, _, err := a.PutLocation(ctx, System, "PAR", par); err != nil {
		t.Fatal(err)
	}
	count(t, a, "LYS", "TEE", 5)
	count(t, a, "PAR", "TEE", 5)
	o, _, err := a.PlaceOrder(ctx, System, lyonOrder("1", 2))
	if err != nil {
		t.Fatal(err)
	}
	if o.Routing == nil || o.Routing.Cost == nil || o.Routing.Cost.Handling != 190 {
		t.Fatalf("routing %+v: want handling 1.50 + 2 × 0.20 = 1.90", o.Routing)
	}
	ds, err := a.Decisions(ctx, o.Number)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions %+v %v", ds, err)
	}
	for _, c := range ds[0].Input.Candidates {
		want := map[string][2]int64{"LYS": {150, 20}}[c.Code]
		if got := [2]int64{c.HandlingPerShipment, c.HandlingPerUnit}; got != want {
			t.Errorf("%s handling as the decision saw it %v, want %v", c.Code, got, want)
		}
		// Paris's USD costs are not free for a EUR order: they are unknown.
		if c.HandlingUnknown != (c.Code == "PAR") {
			t.Errorf("%s handling unknown = %v", c.Code, c.HandlingUnknown)
		}
	}
	if !ds[0].Recomputed {
		t.Error("the engine does not reach the stored decision again from the stored input")
	}
}
