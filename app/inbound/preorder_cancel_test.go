package inbound

import (
	"context"
	"database/sql"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

// TestPreorderCancelledFreesTheRoom: cancelling an order that held
// pre-orders gives the room back, and the channel hears of its new ATP
// (else it keeps showing the SKU sold out); a new order takes the room.
func TestPreorderCancelledFreesTheRoom(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	if _, _, err := a.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "web", Kind: "api",
		Callback: &app.CallbackInput{BaseURL: "https://shop.example.com/stock"}}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, a, purchase(10))
	sellIncoming(t, a, 5)
	o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("p1", 5))
	if err != nil {
		t.Fatal(err)
	}
	if got := teeATP(t, a); got.Available != 0 {
		t.Fatalf("ATP at the limit %+v, want 0", got)
	}
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM outbox_messages`); err != nil { // as if delivered
		t.Fatal(err)
	}
	if _, err := a.Cancel(ctx, app.System, o.Number, app.CancelInput{Reason: "customer changed their mind"}); err != nil {
		t.Fatal(err)
	}
	if got := teeATP(t, a); got.Available != 5 {
		t.Fatalf("ATP after the cancellation %+v, want 5", got)
	}
	if n := apptest.CountOutbox(t, a, "pending", "availability"); n != 1 {
		t.Errorf("%d availability messages after the pre-order was cancelled, want 1", n)
	}
	again, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("p2", 5))
	if err != nil {
		t.Fatal(err)
	}
	if n := preordered(t, a); n != 5 || again.Lines[0].Backordered != 5 {
		t.Errorf("%d pre-ordered after the re-order, want 5", n)
	}
	apptest.CheckInvariants(t, a)
}
