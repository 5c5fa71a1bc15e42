package inbound

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	store "switchyard/sql"
)

// sellIncoming turns pre-orders on for channel web, up to limit units a SKU.
func sellIncoming(t *testing.T, a *app.App, limit int64) {
	t.Helper()
	yes := true
	if _, _, err := a.PutChannel(context.Background(), app.System, "web", app.ChannelInput{Name: "web", Kind: "api",
		SellIncoming: &yes, IncomingLimit: &limit}); err != nil {
		t.Fatal(err)
	}
}

// teeATP is web's availability of TEE.
func teeATP(t *testing.T, a *app.App) app.SKUAvailability {
	t.Helper()
	got, err := a.Availability(context.Background(), "web", []string{"TEE"})
	if err != nil {
		t.Fatal(err)
	}
	return got[0]
}

// preordered is the units of TEE web's orders hold as pre-orders.
func preordered(t *testing.T, a *app.App) int64 {
	t.Helper()
	sku, err := a.Read().GetSKUByCode(context.Background(), "TEE")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := a.Read().GetChannelByCode(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	n, err := a.Read().PreorderedOfChannelSKU(context.Background(), store.PreorderedOfChannelSKUParams{ChannelID: ch.ID,
		SkuID: sql.NullInt64{Int64: sku.ID, Valid: true}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// timeline is an order's timeline in one text.
func timeline(t *testing.T, a *app.App, number string) string {
	t.Helper()
	o, err := a.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range o.Events {
		b.WriteString(e.Message + "\n")
	}
	return b.String()
}

// TestPreorders: a channel that sells incoming stock adds what is coming to
// its ATP, up to its limit, with the promise date; orders taken against it
// are backordered with the date on their timeline, the excess over the limit
// said plainly, and the receipt routes them.
func TestPreorders(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t) // nothing on hand anywhere
	mustCreate(t, a, purchase(100))
	if got := teeATP(t, a); got.Available != 0 || got.Incoming != 0 || got.PromiseDate != "" {
		t.Fatalf("ATP before pre-orders %+v, want 0", got)
	}
	sellIncoming(t, a, 5)
	if got := teeATP(t, a); got.Available != 5 || got.Incoming != 5 || got.PromiseDate != "2026-12-20" {
		t.Fatalf("ATP with pre-orders %+v, want 5 incoming promised 2026-12-20", got)
	}
	first, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("p1", 2))
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != app.StatusBackordered || first.Lines[0].Backordered != 2 {
		t.Fatalf("first order %s, lines %+v: want 2 backordered", first.Status, first.Lines)
	}
	if tl := timeline(t, a, first.Number); !strings.Contains(tl, "Pre-order: 2 × TEE taken against stock on its way in, expected around 20 Dec 2026 (inbound IN-000001)") {
		t.Fatalf("timeline:\n%s", tl)
	}
	if got := teeATP(t, a); got.Available != 3 || got.Incoming != 3 {
		t.Fatalf("ATP after 2 pre-ordered %+v, want 3", got)
	}
	second, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder("p2", 4))
	if err != nil {
		t.Fatal(err)
	}
	tl := timeline(t, a, second.Number)
	if !strings.Contains(tl, "Pre-order: 3 × TEE") || !strings.Contains(tl, "1 × TEE wait for stock without a pre-order: web's pre-orders of TEE are at their limit of 5") {
		t.Fatalf("timeline of the order over the limit:\n%s", tl)
	}
	if got, n := teeATP(t, a), preordered(t, a); got.Available != 0 || n != 5 {
		t.Fatalf("ATP %+v and %d pre-ordered at the limit, want 0 and 5", got, n)
	}
	promises, err := svc(a).PromisesOf(ctx, first.Number)
	if err != nil || len(promises) != 1 || promises[0].Inbound != "IN-000001" {
		t.Fatalf("promise %+v, %v", promises, err)
	}

	// The receipt routes both orders by the restock path; nothing is pre-ordered any more.
	if _, err := svc(a).Receive(ctx, app.System, "IN-000001", count("TEE", 100, 0)); err != nil {
		t.Fatal(err)
	}
	for _, number := range []string{first.Number, second.Number} {
		o, err := a.OrderByNumber(ctx, number)
		if err != nil || o.Status != app.StatusRouted || o.Lines[0].Backordered != 0 {
			t.Fatalf("order %s after the receipt: %s %+v (%v)", number, o.Status, o.Lines, err)
		}
	}
	if got, n := teeATP(t, a), preordered(t, a); got.Available != 94 || got.Incoming != 0 || n != 0 {
		t.Fatalf("ATP %+v and %d pre-ordered after the receipt, want 94 on hand and nothing incoming", got, n)
	}
	apptest.CheckInvariants(t, a)
}

// TestPreordersOnlyAtTheChannelsLocations: stock coming to a location that
// does not serve the channel, or only drafted, is not sold.
func TestPreordersOnlyAtTheChannelsLocations(t *testing.T) {
	a := apptest.RouteNetwork(t)
	apptest.MustLocation(t, a, "OTH") // serves no channel
	in := purchase(50)
	in.To = "OTH"
	mustCreate(t, a, in)
	draft := purchase(50)
	draft.Draft = true
	mustCreate(t, a, draft)
	sellIncoming(t, a, 10)
	if got := teeATP(t, a); got.Available != 0 || got.Incoming != 0 {
		t.Fatalf("ATP %+v, want nothing: the stock coming goes elsewhere or is a draft", got)
	}
}

// TestPreorderLimitUnderConcurrentOrders: orders placed at once never take
// more pre-orders than the limit, and stock never goes negative.
func TestPreorderLimitUnderConcurrentOrders(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 3)
	mustCreate(t, a, purchase(100))
	sellIncoming(t, a, 7)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(fmt.Sprintf("c%d", i), 1)); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := preordered(t, a); n != 7 {
		t.Fatalf("%d pre-ordered, want the limit 7", n)
	}
	if l := level(t, a, "LYS", "TEE"); l.OnHand != 3 || l.Reserved != 3 {
		t.Fatalf("LYS %+v, want 3 on hand all reserved", l)
	}
	if got := teeATP(t, a); got.Available != 0 {
		t.Fatalf("ATP %+v, want 0", got)
	}
	apptest.CheckInvariants(t, a)
}

// TestPreorderSettingRefusals: the limit is named when it is wrong.
func TestPreorderSettingRefusals(t *testing.T) {
	a := apptest.RouteNetwork(t)
	yes, zero, neg, huge := true, int64(0), int64(-1), int64(app.MaxIncomingLimit+1)
	for name, in := range map[string]app.ChannelInput{
		"negative":     {IncomingLimit: &neg},
		"too large":    {IncomingLimit: &huge},
		"on, zero":     {SellIncoming: &yes, IncomingLimit: &zero},
		"on, no limit": {SellIncoming: &yes},
	} {
		in.Name, in.Kind = "web", "api"
		_, _, err := a.PutChannel(context.Background(), app.System, "web", in)
		if f := fieldsOf(t, err); f["incoming_limit"] == "" {
			t.Errorf("%s: fields %v, want incoming_limit", name, f)
		}
	}
	if ch, err := a.Channel(context.Background(), "web"); err != nil || ch.SellIncoming || ch.IncomingLimit != 0 {
		t.Fatalf("channel %+v after refusals (%v)", ch, err)
	}
}

// TestPreorderAvailabilityMessages: a connected channel that sells incoming
// stock hears of its new ATP when its setting changes and when an inbound to
// its locations is sent or cancelled; one that does not is not told.
func TestPreorderAvailabilityMessages(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	if _, _, err := a.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "web", Kind: "api",
		Callback: &app.CallbackInput{BaseURL: "https://shop.example.com/stock"}}); err != nil {
		t.Fatal(err)
	}
	pending := func() int { return apptest.CountOutbox(t, a, "pending", "availability") }
	mustCreate(t, a, purchase(10))
	apptest.MustSKU(t, a, "MUG")
	if n := pending(); n != 0 {
		t.Fatalf("%d availability messages for a channel that does not sell incoming stock", n)
	}
	sellIncoming(t, a, 5)
	if n := pending(); n != 1 {
		t.Fatalf("%d availability messages after the setting changed, want 1 (TEE)", n)
	}
	mug := purchase(3)
	mug.Lines[0].SKU = "MUG"
	mustCreate(t, a, mug)
	if n := pending(); n != 2 {
		t.Fatalf("%d availability messages after MUG was sent, want 2", n)
	}
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM outbox_messages`); err != nil { // as if delivered
		t.Fatal(err)
	}
	if _, err := svc(a).Cancel(ctx, app.System, "IN-000001", "supplier out of stock"); err != nil {
		t.Fatal(err)
	}
	if n := pending(); n != 1 {
		t.Fatalf("%d availability messages after the cancellation, want 1", n)
	}
	if got := teeATP(t, a); got.Available != 0 {
		t.Fatalf("ATP after the cancellation %+v, want 0", got)
	}
}
