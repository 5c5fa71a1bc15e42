package reorder

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
)

// clock is a test's settable now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// network: channel web, locations LYS (near Lyon) and PAR, both holding TEE;
// LYS holds 100 and PAR 5.
func network(t *testing.T, c *clock) *app.App {
	t.Helper()
	a := apptest.NewAppAt(t, c.now)
	apptest.MustChannel(t, a, "web", 0)
	yes := true
	for _, l := range []struct {
		code     string
		lat, lon float64
	}{{"LYS", 45.76, 4.83}, {"PAR", 48.86, 2.35}} {
		lat, lon := l.lat, l.lon
		if _, _, err := a.PutLocation(context.Background(), app.System, l.code, app.LocationInput{
			Name: l.code, Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
			Address: app.Address{City: l.code, Country: "FR"}, Lat: &lat, Lon: &lon, Channels: []string{"web"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "LYS", "TEE", 100)
	apptest.Count(t, a, "PAR", "TEE", 5)
	return a
}

// place places an order of qty TEE to Lyon at the clock's time.
func place(t *testing.T, a *app.App, ext string, qty int64) app.Order {
	t.Helper()
	o, _, err := a.PlaceOrder(context.Background(), app.System, apptest.LyonOrder(ext, qty))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

var ops = app.Actor{Kind: app.ActorUser, Name: "olga", Role: app.RoleOps}

// TestVelocityCoverAndSuggestion: velocity counts the window's orders at the
// location only, cancelled ones excluded; the suggestion follows lead time,
// cover and min/max.
func TestVelocityCoverAndSuggestion(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := &clock{t: now.AddDate(0, 0, -40)}
	a := network(t, c)
	place(t, a, "old", 50) // before the window
	c.t = now.AddDate(0, 0, -10)
	place(t, a, "in", 28)
	gone := place(t, a, "gone", 10)
	if _, err := a.Cancel(ctx, app.System, gone.Number, app.CancelInput{Reason: "customer asked"}); err != nil {
		t.Fatal(err)
	}
	c.t = now
	s := New(a)

	p, err := s.List(ctx, ops, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 2 || p.Lines[0].Location != "LYS" || p.Lines[1].Location != "PAR" {
		t.Fatalf("lines = %+v, want LYS (selling) then PAR (nothing sold)", p.Lines)
	}
	lys, par := p.Lines[0], p.Lines[1]
	// 100 on hand − 78 reserved; 28 units in 28 days.
	if lys.Available != 22 || lys.Velocity != 1 || lys.CoverDays != 22 || lys.Suggested != 0 {
		t.Fatalf("LYS = %+v, want available 22, 1/day, 22 days of cover, nothing to order (lead 14)", lys)
	}
	if !math.IsInf(par.CoverDays, 1) || par.Velocity != 0 || par.Suggested != 0 || par.CoverText() != "∞" {
		t.Fatalf("PAR = %+v, want infinite cover and nothing to order", par)
	}

	save := func(f SettingsForm) {
		t.Helper()
		f.SKU, f.Location = "TEE", "LYS"
		if err := s.SaveSettings(ctx, ops, f); err != nil {
			t.Fatal(err)
		}
	}
	save(SettingsForm{LeadTime: "30", Cover: "30"})
	p, _ = s.List(ctx, ops, Query{Location: "LYS", OnlyOrder: true})
	// 22 < 1 × 30: target 1 × (30 + 30) = 60, order 38.
	if len(p.Lines) != 1 || p.Lines[0].Suggested != 38 || p.Lines[0].LeadTimeDays != 30 || !p.Lines[0].Custom {
		t.Fatalf("after lead 30 = %+v, want 38 to order", p.Lines)
	}
	save(SettingsForm{LeadTime: "30", Cover: "30", Min: "25", Max: "80"})
	p, _ = s.List(ctx, ops, Query{Location: "LYS"})
	if p.Lines[0].Suggested != 58 {
		t.Fatalf("min/max = %+v, want 80 − 22 = 58", p.Lines[0])
	}
	save(SettingsForm{LeadTime: "30", Cover: "30", Min: "20", Max: "80"})
	p, _ = s.List(ctx, ops, Query{OnlyOrder: true})
	if len(p.Lines) != 0 {
		t.Fatalf("above min = %+v, want nothing to order", p.Lines)
	}
	p, _ = s.List(ctx, ops, Query{Location: "PAR"})
	if len(p.Lines) != 1 || p.Lines[0].Location != "PAR" {
		t.Fatalf("PAR filter = %+v", p.Lines)
	}
}

// TestSettingsRefusals: bad input names each field and writes nothing;
// support and warehouse users are refused.
func TestSettingsRefusals(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	a := network(t, c)
	s := New(a)
	cases := []struct {
		f     SettingsForm
		field string
	}{
		{SettingsForm{LeadTime: "-1", Cover: "30"}, "lead_time_days"},
		{SettingsForm{LeadTime: "14", Cover: "=1+1"}, "cover_days"},
		{SettingsForm{LeadTime: "14", Cover: "999"}, "cover_days"},
		{SettingsForm{LeadTime: "14", Cover: "30", Min: "5"}, "max_qty"},
		{SettingsForm{LeadTime: "14", Cover: "30", Max: "5"}, "min_qty"},
		{SettingsForm{LeadTime: "14", Cover: "30", Min: "9", Max: "5"}, "max_qty"},
		{SettingsForm{LeadTime: "14", Cover: "30", Min: "x", Max: "5"}, "min_qty"},
		{SettingsForm{SKU: "NOPE", LeadTime: "14", Cover: "30"}, "sku"},
		{SettingsForm{Location: "NOPE", LeadTime: "14", Cover: "30"}, "location"},
	}
	for _, tc := range cases {
		if tc.f.SKU == "" {
			tc.f.SKU = "TEE"
		}
		if tc.f.Location == "" {
			tc.f.Location = "LYS"
		}
		err := s.SaveSettings(ctx, ops, tc.f)
		var e *app.Error
		if !errors.As(err, &e) || e.Fields[tc.field] == "" {
			t.Errorf("%+v: err = %v, want a problem with %s", tc.f, err, tc.field)
		}
	}
	p, _ := s.List(ctx, ops, Query{})
	for _, l := range p.Lines {
		if l.Custom {
			t.Fatalf("a refused form wrote a setting: %+v", l)
		}
	}
	for _, r := range []app.Role{app.RoleSupport, app.RoleWarehouse} {
		who := app.Actor{Kind: app.ActorUser, Name: "x", Role: r}
		if _, err := s.List(ctx, who, Query{}); app.ErrorKind(err) != app.KindForbidden {
			t.Errorf("%s list: err = %v, want forbidden", r, err)
		}
		if err := s.SaveSettings(ctx, who, SettingsForm{SKU: "TEE", Location: "LYS", LeadTime: "1", Cover: "1"}); app.ErrorKind(err) != app.KindForbidden {
			t.Errorf("%s save: err = %v, want forbidden", r, err)
		}
	}
}

// TestKitSalesCountAsParts: a kit holds no stock and never appears as a
// line; what it sells counts in its parts' velocity, per kit.
func TestKitSalesCountAsParts(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := &clock{t: now.AddDate(0, 0, -7)}
	a := network(t, c)
	parts := []app.Component{{SKU: "TEE", Quantity: 2}}
	if _, _, err := a.PutSKU(ctx, app.System, "DUO", app.SKUInput{Name: "Two tees", Components: &parts}); err != nil {
		t.Fatal(err)
	}
	kit := apptest.LyonOrder("kit", 7)
	kit.Lines[0].SKU = "DUO"
	if _, _, err := a.PlaceOrder(ctx, app.System, kit); err != nil {
		t.Fatal(err)
	}
	c.t = now
	p, err := New(a).List(ctx, ops, Query{Location: "LYS"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 1 || p.Lines[0].SKU != "TEE" {
		t.Fatalf("lines = %+v, want TEE at LYS only (the kit holds no stock)", p.Lines)
	}
	// 7 kits of 2 tees = 14 tees in the 28-day window: half a tee a day.
	if l := p.Lines[0]; l.Available != 86 || l.Velocity != 0.5 {
		t.Fatalf("TEE at LYS = %+v, want 86 available and 0.5 a day (14 tees in kits)", l)
	}
}
