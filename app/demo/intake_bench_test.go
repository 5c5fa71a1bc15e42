package demo

import (
	"context"
	"fmt"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/automation"
	"switchyard/app/autorules"
)

// BenchmarkIntakeAutomation measures taking one order in (PlaceOrder: checked,
// routed, reserved and written, one at a time) on the demo network readied
// for load, with the demo's three automation rules in force and with none
// (an empty version published). Every other order is tagged express, which
// the demo's "Express shipping first" rule tags and puts first.
func BenchmarkIntakeAutomation(b *testing.B) {
	for _, c := range []struct {
		name  string
		rules bool
	}{{"no_rules", false}, {"demo_rules", true}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			a := apptest.NewApp(b)
			if _, _, err := svc(a).SeedDemo(ctx); err != nil {
				b.Fatal(err)
			}
			if err := svc(a).ReadyDemoForLoad(ctx, app.System, 1_000_000, 100_000); err != nil {
				b.Fatal(err)
			}
			if !c.rules {
				s := autorules.New(a)
				if _, err := s.PutDraft(ctx, app.System, automation.RuleSet{}); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Publish(ctx, app.System, "none"); err != nil {
					b.Fatal(err)
				}
			}
			lat, lon := 45.46, 9.19
			i := 0
			for b.Loop() {
				i++
				in := app.NewOrder{Channel: "web-eu", ExternalID: fmt.Sprintf("bench-%d", i), Currency: "EUR",
					Customer:        app.CustomerInput{Email: fmt.Sprintf("c%d@example.com", i%500), Name: "Ana"},
					ShippingAddress: &app.AddressInput{Line1: "1 via Roma", City: "Milano", PostalCode: "20121", Country: "IT", Lat: &lat, Lon: &lon},
					Delivery:        app.DeliveryInput{Method: "ship"}}
				if i%2 == 1 {
					in.Tags = []string{"express"}
				}
				for j, sku := range []string{"TEE-BLK-M", "HOOD-NVY-L", "CREW-WHT-S"} {
					in.Lines = append(in.Lines, app.LineInput{ExternalID: fmt.Sprint(j + 1), SKU: sku, Quantity: 1, UnitPrice: "19.90"})
				}
				o, _, err := a.PlaceOrder(ctx, app.System, in)
				if err != nil {
					b.Fatal(err)
				}
				if c.rules && i%2 == 1 && o.Priority != 50 {
					b.Fatalf("express order priority %d", o.Priority)
				}
			}
		})
	}
}
