package returns

import (
	"context"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/money"
)

// svc is the one Service over a test's App.
func svc(a *app.App) *Service { return apptest.Service(a, New) }

// clock is a test clock that tests move forward.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// network is apptest's route network on a clock of its own, with 5 TEE in Lyon.
func network(t *testing.T) (*app.App, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	a := apptest.NewAppAt(t, c.Now)
	apptest.MustChannel(t, a, "web", 0)
	yes := true
	for _, l := range []struct {
		code, city, country string
		lat, lon            float64
	}{{"LYS", "Lyon", "FR", 45.76, 4.83}, {"PAR", "Paris", "FR", 48.86, 2.35}, {"BER", "Berlin", "DE", 52.52, 13.40}} {
		lat, lon := l.lat, l.lon
		if _, _, err := a.PutLocation(context.Background(), app.System, l.code, app.LocationInput{
			Name: l.city + " warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
			Address: app.Address{City: l.city, Country: l.country}, Lat: &lat, Lon: &lon, Channels: []string{"web"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "LYS", "TEE", 5)
	return a, c
}

// delivered places an order of qty TEE at 10.00 (shipping 4.90), ships and delivers it.
func delivered(t *testing.T, a *app.App, ext string, qty int64) app.Order {
	t.Helper()
	ctx := context.Background()
	in := apptest.LyonOrder(ext, qty)
	in.ShippingPrice = "4.90"
	o, created, err := a.PlaceOrder(ctx, app.System, in)
	if err != nil || !created {
		t.Fatalf("place order %s: created %v, %v", ext, created, err)
	}
	if len(o.Fulfillments) != 1 {
		t.Fatalf("order %s: %d fulfillments, want 1", o.Number, len(o.Fulfillments))
	}
	f := o.Fulfillments[0].ID
	if _, err := a.Ship(ctx, app.System, f, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	if o, err = a.Deliver(ctx, app.System, f); err != nil {
		t.Fatal(err)
	}
	return o
}

// onHand reads the stock on hand of sku at loc.
func onHand(t *testing.T, a *app.App, loc, sku string) int64 {
	t.Helper()
	page, err := a.ListStock(context.Background(), app.StockQuery{Location: loc, SKU: sku})
	if err != nil || len(page.Levels) != 1 {
		t.Fatalf("level %s/%s: %+v %v", loc, sku, page.Levels, err)
	}
	return page.Levels[0].OnHand
}

// support is a support user.
var support = app.Actor{Kind: app.ActorUser, ID: 0, Name: "Sam Support", Role: app.RoleSupport}

// ops is an ops manager.
var ops = app.Actor{Kind: app.ActorUser, ID: 0, Name: "Olga Ops", Role: app.RoleOps}

// moneyDecimal is a money.Decimal for tests.
func moneyDecimal(s string) money.Decimal { return money.Decimal(s) }
