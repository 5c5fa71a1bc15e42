package floor

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"slices"
	"testing"
)

// TestLocationFulfillmentsByStatus lists a location's fulfillments as the API
// does: the open ones by default (pending and accepted, oldest first), or
// those of one status, open or closed.
func TestLocationFulfillmentsByStatus(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	var ids []int64
	for _, ext := range []string{"1", "2", "3"} {
		o, _, err := a.PlaceOrder(ctx, app.System, apptest.LyonOrder(ext, 1))
		if err != nil || len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "LYS" {
			t.Fatalf("order %s: %+v, %v", ext, o.Fulfillments, err)
		}
		ids = append(ids, o.Fulfillments[0].ID)
	}
	if _, err := a.AcceptFulfillment(ctx, app.System, ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ship(ctx, app.System, ids[2], app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		status string
		want   []int64
	}{
		{"", ids[:2]},
		{"pending", ids[:1]},
		{"accepted", ids[1:2]},
		{"shipped", ids[2:]},
		{"rejected", nil},
	} {
		fs, err := svc(a).LocationFulfillments(ctx, app.System, "LYS", c.status)
		if err != nil {
			t.Fatalf("status %q: %v", c.status, err)
		}
		var got []int64
		for _, f := range fs {
			got = append(got, f.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("status %q: fulfillments %v, want %v", c.status, got, c.want)
		}
	}
}
