package channels

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"testing"
)

// TestChannelCancellationsAreNotEchoed: an order a channel sends already
// cancelled is taken in cancelled, never routed nor reserved; a cancellation
// the channel makes is not sent back to it, one made in Switchyard is.
func TestChannelCancellationsAreNotEchoed(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	if _, _, err := a.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Shop", Kind: "shopify",
		Callback: &app.CallbackInput{BaseURL: "https://shop.example.com", Token: "shpat_test"}}); err != nil {
		t.Fatal(err)
	}
	apptest.Count(t, a, "LYS", "TEE", 5)
	shop := app.Actor{Kind: app.ActorChannel, Name: "Shop", Channel: "web"}

	in := apptest.LyonOrder("arrived-cancelled", 2)
	in.Cancelled = &app.CancelInput{Reason: "Cancelled in Shopify (reason: customer)."}
	o, created, err := a.PlaceOrder(ctx, shop, in)
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	if o.Status != app.StatusCancelled || len(o.Fulfillments) != 0 || o.Lines[0].Cancelled != 2 || o.Lines[0].Reserved != 0 {
		t.Fatalf("an order that arrives cancelled must be taken in cancelled, unrouted: %s %+v %+v", o.Status, o.Fulfillments, o.Lines)
	}
	if page, err := a.ListStock(ctx, app.StockQuery{Location: "LYS", SKU: "TEE"}); err != nil || len(page.Levels) != 1 || page.Levels[0].Reserved != 0 {
		t.Fatalf("nothing may be reserved for it: %+v %v", page.Levels, err)
	}

	fromShop, _, err := a.PlaceOrder(ctx, shop, apptest.LyonOrder("cancelled-by-shop", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cancel(ctx, shop, fromShop.Number, app.CancelInput{Reason: "Cancelled in Shopify."}); err != nil {
		t.Fatal(err)
	}
	bySupport, _, err := a.PlaceOrder(ctx, shop, apptest.LyonOrder("cancelled-by-support", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cancel(ctx, app.System, bySupport.Number, app.CancelInput{Reason: "customer called"}); err != nil {
		t.Fatal(err)
	}
	msgs, err := outboxOf(a).OutboxMessages(ctx, "pending", 100)
	if err != nil {
		t.Fatal(err)
	}
	told := map[string]bool{}
	for _, m := range msgs {
		if m.Kind == app.KindShopifyCancel {
			told[m.Order] = true
		}
	}
	if told[o.Number] || told[fromShop.Number] || !told[bySupport.Number] || len(told) != 1 {
		t.Fatalf("Shopify must be told only of the cancellation made in Switchyard (%s), got %v", bySupport.Number, told)
	}
	apptest.CheckInvariants(t, a)
}
