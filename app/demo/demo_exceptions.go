package demo

import (
	"switchyard/app"

	"context"
	"fmt"
	"time"
)

// The demo is a healthy business on the day it starts: its orders left on
// time, and a handful of each kind of exception waits for a person.
const (
	demoLate     = 3 // orders past their promised ship-by, by less than demoMaxLate
	demoHeld     = 3 // recent orders put on hold by support
	demoWaiting  = 3 // orders of a SKU sold out everywhere
	demoRejected = 2 // orders the Lyon warehouse rejected, with the SKU nowhere else
	demoShort    = 2 // stock levels a count found below what is reserved
)

// demoMaxLate is the most a demo order is past its promised ship-by: the
// last promises before a Monday morning fell on Friday afternoon.
const demoMaxLate = 72 * time.Hour

// The SKUs the staged exceptions are made of, kept out of the random orders.
const (
	skuSoldOut  = "HOOD-RED-XXL" // none anywhere: its orders wait
	skuOnlyLyon = "POLO-SND-XS"  // only at the Lyon warehouse, which rejects its orders
)

// skusRecounted are counted at the Lyon warehouse, reserved by one order each,
// then found short by a count.
var skusRecounted = []string{"CREW-GRN-XS", "LSTEE-BLU-XS"}

// specialStock is what the Lyon warehouse holds of the staged SKUs (nothing
// elsewhere).
var specialStock = map[string]int64{skuSoldOut: 0, skuOnlyLyon: demoRejected, skusRecounted[0]: 4, skusRecounted[1]: 4}

// staged are the orders to turn into exceptions once the seed is committed
// (holds and rejections are use cases of their own).
type staged struct {
	hold   []string // order numbers to hold
	reject []string // order numbers whose fulfillment the Lyon warehouse rejects
}

// holdReasons are the reasons of the staged holds, in turn.
var holdReasons = []app.HoldInput{
	{Reason: "address_check", Note: "The street number is missing; emailed the customer."},
	{Reason: "fraud_review", Note: "Billing and shipping countries differ on a first order."},
	{Reason: "customer_request", Note: "The customer asked us to wait until they are back on Monday."},
}

// specialOrders places the orders of the staged SKUs, a little before now:
// three of the sold-out SKU (they wait), one of the Lyon-only SKU per
// rejection, and one of each recounted SKU, whose level is then counted short.
func specialOrders(ctx context.Context, tx app.Tx, base int, now time.Time) (staged, error) {
	var st staged
	place := func(i int, sku string, qty int64) (string, error) {
		placed := now.Add(-time.Duration(20+10*i) * time.Minute)
		in := specialOrder(base+i, sku, qty, placed)
		v, err := app.CheckNewOrder(&in, now)
		if err != nil {
			return "", fmt.Errorf("demo order %s: %w", sku, err)
		}
		p, err := app.PlaceOrderInTx(ctx, tx.At(placed), app.Actor{Kind: app.ActorChannel, Name: in.Channel, Channel: in.Channel}, in, v, nil)
		if err != nil {
			return "", fmt.Errorf("demo order %s: %w", sku, err)
		}
		return p.Row.Number, nil
	}
	i := 0
	for range demoWaiting {
		if _, err := place(i, skuSoldOut, 1); err != nil {
			return st, err
		}
		i++
	}
	for range demoRejected {
		n, err := place(i, skuOnlyLyon, 1)
		if err != nil {
			return st, err
		}
		st.reject = append(st.reject, n)
		i++
	}
	for _, sku := range skusRecounted {
		if _, err := place(i, sku, 2); err != nil {
			return st, err
		}
		i++
		key, err := app.ResolveLevel(ctx, tx, "LYS-WH", sku, "location", "sku")
		if err != nil {
			return st, err
		}
		if err := app.CountLevel(ctx, tx, key, 1, nil, "cycle count: 3 missing", "Wanda Warehouse"); err != nil {
			return st, err
		}
	}
	return st, nil
}

// specialOrder is an order of qty sku from Lyon on the Shopify store.
func specialOrder(i int, sku string, qty int64, placed time.Time) app.NewOrder {
	lat, lon := 45.7600, 4.8500
	name := demoNames[0][i%len(demoNames[0])] + " " + demoNames[1][i%len(demoNames[1])]
	return app.NewOrder{
		Channel: "web-eu", ExternalID: fmt.Sprintf("%d", 5_000_000+i), ChannelRef: fmt.Sprintf("#%d", 1001+i),
		PlacedAt: &placed, Currency: "EUR",
		Customer:        app.CustomerInput{Email: fmt.Sprintf("customer%d@example.com", i), Name: name, Phone: "+33 6 00 00 00 00"},
		ShippingAddress: &app.AddressInput{Name: name, Line1: "8 rue Mercière", City: "Lyon", PostalCode: "69002", Country: "FR", Lat: &lat, Lon: &lon},
		Delivery:        app.DeliveryInput{Method: "ship"}, ShippingPrice: "4.90",
		Lines: []app.LineInput{{SKU: sku, Name: sku, Quantity: qty, UnitPrice: "39.00"}},
	}
}

// stageExceptions holds the staged orders (as support would) and has the
// Lyon warehouse reject the others for want of stock, counting none left.
func (a *Service) stageExceptions(ctx context.Context, st staged) error {
	support, err := a.demoUser(ctx, "support@demo.switchyard.dev")
	if err != nil {
		return err
	}
	for i, n := range st.hold {
		if _, err := a.core.Hold(ctx, support, n, holdReasons[i%len(holdReasons)]); err != nil {
			return fmt.Errorf("hold %s: %w", n, err)
		}
	}
	lead, err := a.demoUser(ctx, "warehouse@demo.switchyard.dev")
	if err != nil {
		return err
	}
	for i, n := range st.reject {
		o, err := a.core.OrderByNumber(ctx, n)
		if err != nil {
			return err
		}
		if len(o.Fulfillments) == 0 {
			return fmt.Errorf("order %s was not routed", n)
		}
		left := int64(len(st.reject) - 1 - i) // what the orders not rejected yet still hold
		in := app.RejectInput{Reason: "out_of_stock", CountedOnHand: &left, Note: "The last ones on the shelf were damaged."}
		if _, err := a.core.RejectFulfillment(ctx, lead, o.Fulfillments[0].ID, in); err != nil {
			return fmt.Errorf("reject %s: %w", n, err)
		}
	}
	return nil
}

// demoUser is the demo user with email, as an actor.
func (a *Service) demoUser(ctx context.Context, email string) (app.Actor, error) {
	users, err := a.accounts.ListUsers(ctx)
	if err != nil {
		return app.Actor{}, err
	}
	for _, u := range users {
		if u.Email == email {
			return u.Actor(), nil
		}
	}
	return app.Actor{}, fmt.Errorf("no demo user %s", email)
}
