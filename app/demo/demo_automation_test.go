package demo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// TestDemoAutomationExamples: the demo ships its three automation rules in
// force, and each acts on a new order that fits it.
func TestDemoAutomationExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo")
	}
	a := apptest.NewApp(t)
	ctx := context.Background()
	if _, _, err := svc(a).SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	order := func(ext, email, line1 string, qty int64, tags ...string) app.Order {
		t.Helper()
		lat, lon := 45.46, 9.19
		in := app.NewOrder{Channel: "web-eu", ExternalID: ext, Currency: "EUR", Tags: tags,
			Customer:        app.CustomerInput{Email: email, Name: "Ana"},
			ShippingAddress: &app.AddressInput{Line1: line1, City: "Milano", PostalCode: "20121", Country: "IT", Lat: &lat, Lon: &lon},
			Delivery:        app.DeliveryInput{Method: "ship"},
			Lines:           []app.LineInput{{ExternalID: "1", SKU: "TEE-BLK-M", Quantity: qty, UnitPrice: "19.90"}}}
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	big := order("auto-1", "first.time@example.it", "1 via Roma", 60)
	if !big.OnHold || big.HoldReason != "fraud_review" {
		t.Errorf("a first order of EUR 1,194 is not held for a fraud review: %v %q", big.OnHold, big.HoldReason)
	}
	express := order("auto-2", "ana@example.it", "1 via Roma", 1, "express")
	if express.OnHold || express.Priority != 50 || !strings.Contains(fmt.Sprint(express.Tags), "priority") {
		t.Errorf("an express order: held %v, priority %d, tags %v", express.OnHold, express.Priority, express.Tags)
	}
	po := order("auto-3", "ana@example.it", "Casella Postale 12, PO Box 12", 1)
	if !po.OnHold || po.HoldReason != "address_check" {
		t.Errorf("an order to a PO box is not held for an address check: %v %q", po.OnHold, po.HoldReason)
	}
	found := false
	for _, e := range po.Events {
		found = found || strings.Contains(e.Message, "Automation rule “PO box addresses” held the order for an address check: carriers do not deliver parcels to a PO box.")
	}
	if !found {
		t.Error("the PO box hold is not explained on the timeline")
	}
}
