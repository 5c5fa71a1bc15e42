package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/desk"
	"switchyard/web/webtest"
)

// dashEnv is ordEnv with orders: today 2 on web-eu and 1 on phone, 3 days ago
// 1 on web-eu, 40 days ago 1 on phone (before the charts' 30 days), and one
// held; the clock is webtest's, 26 Nov 2026 10:00 UTC.
func dashEnv(t *testing.T) *webtest.Env {
	t.Helper()
	env := ordEnv(t)
	today := env.Clock.Now().Add(-time.Hour)
	on := func(channel string, at time.Time) func(*app.NewOrder) {
		return func(in *app.NewOrder) { in.Channel, in.PlacedAt = channel, &at }
	}
	ordPlace(t, env, "d1", on("web-eu", today))
	ordPlace(t, env, "d2", on("web-eu", today))
	ordPlace(t, env, "d3", on("phone", today))
	ordPlace(t, env, "d4", on("web-eu", today.AddDate(0, 0, -3)))
	ordPlace(t, env, "d5", on("phone", today.AddDate(0, 0, -40)))
	held := ordPlace(t, env, "d6", on("web-eu", today.AddDate(0, 0, -1)))
	if _, err := env.App.Hold(context.Background(), app.System, held.Number, app.HoldInput{Reason: "payment"}); err != nil {
		t.Fatal(err)
	}
	return env
}

// dashSVG is the SVG chart with the testid on a page, "" when there is none.
func dashSVG(body, testid string) string {
	return regexp.MustCompile(`(?s)<svg [^>]*data-testid="` + testid + `".*?</svg>`).FindString(body)
}

func TestDashboardShowsIntakeStatesAndCharts(t *testing.T) {
	env := dashEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.Get("/dashboard")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /dashboard = %d\n%s", res.StatusCode, res.Body)
	}
	body := res.Body
	for _, want := range []string{
		`<tr data-channel="phone"><td>Phone orders <span class="muted">phone</span></td><td class="num">1</td>`,
		`<tr data-channel="web-eu"><td>Web EU <span class="muted">web-eu</span></td><td class="num">2</td>`,
		`data-testid="intake-today-total">3<`,
		`<tr data-status="routed"><td><a href="/orders?status=routed">routed</a></td><td class="num">5</td>`,
		`<tr data-status="on_hold"><td><a href="/orders?status=on_hold">on hold</a></td><td class="num">1</td>`,
		`href="/exceptions?kind=late" data-testid="tile-late"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard should show %s", want)
		}
	}
	intake := dashSVG(body, "intake-chart")
	for _, want := range []string{
		`role="img" aria-labelledby="intake-title intake-desc"`, `<title id="intake-title">Orders per day and channel, last 30 days</title>`,
		`data-testid="legend">Phone orders</text>`, `data-testid="legend">Web EU</text>`,
		`data-testid="day-label">28 Oct</text>`, `data-testid="day-label">23 Nov</text>`, `data-testid="day-label">26 Nov</text>`,
		`<title>26 Nov 2026: 3 orders (Phone orders 1, Web EU 2)</title>`, `<title>23 Nov 2026: 1 order (Web EU 1)</title>`,
		"from 28 Oct 2026 to 26 Nov 2026, stacked by channel: 5 orders in all (Phone orders 1, Web EU 4)",
	} {
		if !strings.Contains(intake, want) {
			t.Errorf("the intake chart should hold %s", want)
		}
	}
	if n := strings.Count(intake, `data-testid="day-label"`); n != desk.DashboardDays {
		t.Errorf("%d day labels, want %d", n, desk.DashboardDays)
	}
	share := dashSVG(body, "share-chart")
	if !strings.Contains(share, `<title id="share-title">`) || !strings.Contains(share, ">Lyon warehouse</text>") || !strings.Contains(share, ">6 (100%)</text>") {
		t.Errorf("share chart:\n%s", share)
	}
	if capacity := dashSVG(body, "capacity-chart"); !strings.Contains(capacity, "Lyon warehouse: 6, no limit") {
		t.Errorf("capacity chart:\n%s", capacity)
	}
	if strings.Contains(intake+share, "<script") {
		t.Error("the charts need no JavaScript")
	}
}

func TestDashboardIsForOpsAndAdmins(t *testing.T) {
	env := dashEnv(t)
	for role, status := range map[app.Role]int{
		app.RoleOps: http.StatusOK, app.RoleAdmin: http.StatusOK, app.RoleSupport: http.StatusForbidden,
	} {
		c, _ := env.SignedIn(role)
		if res := c.Get("/dashboard"); res.StatusCode != status {
			t.Errorf("%s: GET /dashboard = %d, want %d", role, res.StatusCode, status)
		}
	}
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	if res := wh.Get("/dashboard"); res.StatusCode != http.StatusForbidden {
		t.Errorf("warehouse: GET /dashboard = %d, want 403", res.StatusCode)
	}
}
