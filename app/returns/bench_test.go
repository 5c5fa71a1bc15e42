package returns

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
)

// benchOrders places n delivered orders of one TEE each, outside the timer.
func benchOrders(b *testing.B, n int) (*app.App, []app.Order) {
	b.Helper()
	a := apptest.NewApp(b)
	apptest.MustChannel(b, a, "web", 0)
	yes := true
	lat, lon := 45.76, 4.83
	if _, _, err := a.PutLocation(context.Background(), app.System, "LYS", app.LocationInput{Name: "Lyon warehouse",
		Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes, Address: app.Address{City: "Lyon", Country: "FR"},
		Lat: &lat, Lon: &lon, Channels: []string{"web"}}); err != nil {
		b.Fatal(err)
	}
	apptest.MustSKU(b, a, "TEE")
	apptest.Count(b, a, "LYS", "TEE", int64(n)+1)
	ctx := context.Background()
	orders := make([]app.Order, n)
	for i := range orders {
		o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(fmt.Sprint("B", i), 1))
		if err != nil {
			b.Fatal(err)
		}
		f := o.Fulfillments[0].ID
		if _, err := a.Ship(ctx, app.System, f, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
			b.Fatal(err)
		}
		if orders[i], err = a.Deliver(ctx, app.System, f); err != nil {
			b.Fatal(err)
		}
	}
	return a, orders
}

// writerPerOp reports the writer's busy time per operation since before.
func writerPerOp(b *testing.B, a *app.App, before time.Duration) {
	b.ReportMetric(float64(a.DB().WriterBusy()-before)/float64(time.Millisecond)/float64(b.N), "writer-ms/op")
}

// BenchmarkCreateReturn measures starting a return of one line (approved,
// location chosen by the rules), one write transaction each.
func BenchmarkCreateReturn(b *testing.B) {
	a, orders := benchOrders(b, b.N)
	s, ctx := svc(a), context.Background()
	before := a.DB().WriterBusy()
	b.ResetTimer()
	for i := range b.N {
		if _, _, err := s.Create(ctx, support, orders[i].Number, NewReturn{Resolution: ResolutionRefund,
			Lines: []LineInput{{Line: orders[i].Lines[0].ID, Quantity: 1, Reason: "too_small"}}}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	writerPerOp(b, a, before)
}

// BenchmarkReceiveReturn measures receiving a whole return (restock, refund
// recorded, order status derived again), one write transaction each.
func BenchmarkReceiveReturn(b *testing.B) {
	a, orders := benchOrders(b, b.N)
	s, ctx := svc(a), context.Background()
	numbers := make([]string, b.N)
	for i := range b.N {
		r, _, err := s.Create(ctx, support, orders[i].Number, NewReturn{Resolution: ResolutionRefund,
			Lines: []LineInput{{Line: orders[i].Lines[0].ID, Quantity: 1, Reason: "too_small"}}})
		if err != nil {
			b.Fatal(err)
		}
		numbers[i] = r.Number
	}
	before := a.DB().WriterBusy()
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Receive(ctx, app.System, numbers[i], Receipt{Lines: []ReceiptLine{
			{Line: orders[i].Lines[0].ID, Quantity: 1, Disposition: DispositionRestock}}}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	writerPerOp(b, a, before)
}
