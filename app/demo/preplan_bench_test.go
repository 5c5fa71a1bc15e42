package demo

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkPreplan measures what intake does for an order before the writer:
// resolving it and routing it on a read snapshot of the demo network (readied
// for load, as switchyard bench intake readies it), then encoding the
// decision. It runs beside the writer on the same cores, so its cost is
// intake throughput too.
func BenchmarkPreplan(b *testing.B) {
	ctx := context.Background()
	a := apptest.NewApp(b)
	if _, _, err := svc(a).SeedDemo(ctx); err != nil {
		b.Fatal(err)
	}
	if err := svc(a).ReadyDemoForLoad(ctx, app.System, 1_000_000, 100_000); err != nil {
		b.Fatal(err)
	}
	lat, lon := 45.46, 9.19
	in := app.NewOrder{Channel: "web-eu", ExternalID: "bench", Currency: "EUR",
		Customer:        app.CustomerInput{Email: "ana@example.com", Name: "Ana"},
		ShippingAddress: &app.AddressInput{Line1: "1 via Roma", City: "Milano", PostalCode: "20121", Country: "IT", Lat: &lat, Lon: &lon},
		Delivery:        app.DeliveryInput{Method: "ship"}}
	for i, sku := range []string{"TEE-BLK-M", "HOOD-NVY-L", "CREW-WHT-S"} {
		in.Lines = append(in.Lines, app.LineInput{ExternalID: fmt.Sprint(i + 1), SKU: sku, Quantity: 1, UnitPrice: "19.90"})
	}
	v, err := app.CheckNewOrder(&in, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if p := a.Preplan(ctx, app.System, in, v); p == nil || p.Shipments() == 0 {
			b.Fatalf("no plan, or one that ships nothing: %+v", p)
		}
	}
}
