package desk

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"testing"
	"time"
)

// dashNetwork: channels web and shop, served by the Lyon warehouse (capacity 50,
// 100 TEE) and the Paris store (no limit, 100 TEE, ranked after Lyon), on a clock the test moves.
func dashNetwork(t *testing.T) (*app.App, *excClock) {
	t.Helper()
	clock := &excClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	a := apptest.NewAppAt(t, func() time.Time { return clock.now })
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustChannel(t, a, "shop", 0)
	yes, no := true, false
	for _, l := range []struct {
		code, name string
		capacity   int64
	}{{"LYS", "Lyon warehouse", 50}, {"PAR", "Paris store", 0}} {
		if _, _, err := a.PutLocation(context.Background(), app.System, l.code, app.LocationInput{
			Name: l.name, Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &no, DailyCapacity: l.capacity,
			Address: app.Address{City: "Lyon", Country: "FR"}, Channels: []string{"web", "shop"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "LYS", "TEE", 100)
	apptest.Count(t, a, "PAR", "TEE", 100)
	return a, clock
}

// dashOrder places an order of one TEE on channel, placed at the given time.
func dashOrder(t *testing.T, a *app.App, channel, ext string, placed time.Time) app.Order {
	t.Helper()
	in := apptest.LyonOrder(ext, 1)
	in.Channel, in.PlacedAt = channel, &placed
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatalf("place %s: %v", ext, err)
	}
	return o
}

func TestDashboardIntakeStatesAndLocations(t *testing.T) {
	ctx := context.Background()
	a, clock := dashNetwork(t)
	today := clock.now.Add(-time.Hour)
	dashOrder(t, a, "web", "w1", today)
	dashOrder(t, a, "web", "w2", today)
	dashOrder(t, a, "shop", "s1", today)
	dashOrder(t, a, "web", "w3", today.AddDate(0, 0, -3))
	dashOrder(t, a, "shop", "s2", today.AddDate(0, 0, -40)) // before the chart's days
	held := dashOrder(t, a, "web", "w4", today.AddDate(0, 0, -1))
	if _, err := a.Hold(ctx, app.System, held.Number, app.HoldInput{Reason: "fraud_review"}); err != nil {
		t.Fatal(err)
	}
	d, err := svc(a).Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Channels) != 2 || d.Channels[0].Code != "shop" || d.Channels[1].Code != "web" {
		t.Fatalf("channels %+v", d.Channels)
	}
	if d.TodayTotal != 3 || d.Today[0] != 1 || d.Today[1] != 2 {
		t.Errorf("today %v (%d), want shop 1, web 2", d.Today, d.TodayTotal)
	}
	if len(d.Days) != DashboardDays || !d.Days[29].Day.Equal(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("%d days, the last %v", len(d.Days), d.Days[len(d.Days)-1].Day)
	}
	if d.Days[26].Counts[1] != 1 || d.Days[28].Counts[1] != 1 || d.Days[0].Day.Format(time.DateOnly) != "2026-10-28" {
		t.Errorf("days: 3 ago %+v, yesterday %+v, first %v", d.Days[26], d.Days[28], d.Days[0].Day)
	}
	var total int64
	for _, day := range d.Days {
		total += day.Total
	}
	if total != 5 || d.Orders != 6 {
		t.Errorf("%d orders on the chart (want 5), %d in all (want 6)", total, d.Orders)
	}
	if d.States[app.StatusRouted] != 5 || d.States[app.StatusOnHold] != 1 {
		t.Errorf("states %v", d.States)
	}
	if len(d.Locations) != 2 || d.Locations[0] != (LocationLoad{Code: "LYS", Name: "Lyon warehouse", Today: 6, Capacity: 50}) {
		t.Errorf("locations %+v", d.Locations)
	}
	if len(d.Share) != 1 || d.Share[0] != (LocationTotal{Code: "LYS", Name: "Lyon warehouse", Fulfillments: 6}) {
		t.Errorf("share %+v", d.Share)
	}
}

func TestDashboardLateAndAtRisk(t *testing.T) {
	ctx := context.Background()
	a, clock := dashNetwork(t)
	first := dashOrder(t, a, "web", "w1", clock.now)
	if first.PromisedShipBy == nil {
		t.Fatal("no promise")
	}
	clock.now = first.PromisedShipBy.Add(time.Minute) // first is late now
	second := dashOrder(t, a, "web", "w2", clock.now)
	d, err := svc(a).Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	soon := second.PromisedShipBy.Sub(clock.now) < 24*time.Hour
	if d.Late != 1 || (d.AtRisk == 1) != soon {
		t.Fatalf("late %d, at risk %d (second ships by %v, now %v)", d.Late, d.AtRisk, second.PromisedShipBy, clock.now)
	}
	if soon && (len(d.AtRiskOrders) != 1 || d.AtRiskOrders[0].Number != second.Number) {
		t.Fatalf("at risk %+v", d.AtRiskOrders)
	}
	clock.now = second.PromisedShipBy.Add(-time.Hour) // both: one late, one due within the hour
	if d, _ = svc(a).Dashboard(ctx); d.Late != 1 || d.AtRisk != 1 {
		t.Fatalf("an hour before: late %d, at risk %d", d.Late, d.AtRisk)
	}
}
