package demo

import (
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
	a := newTestApp(b)
	if _, _, err := a.SeedDemo(ctx); err != nil {
		b.Fatal(err)
	}
	if err := a.ReadyDemoForLoad(ctx, System, 1_000_000, 100_000); err != nil {
		b.Fatal(err)
	}
	lat, lon := 45.46, 9.19
	in := NewOrder{Channel: "web-eu", ExternalID: "bench", Currency: "EUR",
		Customer:        CustomerInput{Email: "ana@example.com", Name: "Ana"},
		ShippingAddress: &AddressInput{Line1: "1 via Roma", City: "Milano", PostalCode: "20121", Country: "IT", Lat: &lat, Lon: &lon},
		Delivery:        DeliveryInput{Method: "ship"}}
	for i, sku := range []string{"TEE-BLK-M", "HOOD-NVY-L", "CREW-WHT-S"} {
		in.Lines = append(in.Lines, LineInput{ExternalID: fmt.Sprint(i + 1), SKU: sku, Quantity: 1, UnitPrice: "19.90"})
	}
	v, err := CheckNewOrder(&in, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if p := a.Preplan(ctx, System, in, v); p == nil || len(p.route.d.Shipments) == 0 {
			b.Fatalf("no plan, or one that ships nothing: %+v", p)
		}
	}
}
