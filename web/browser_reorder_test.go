package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// TestBrowserReorder: an ops manager opens /reorder from the dashboard, filters to one location,
// shortens a lead time and sees the suggestion go.
func TestBrowserReorder(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	ctx := t.Context()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Web", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	yes := true
	for _, code := range []string{"LYS", "PAR"} {
		lat, lon := 45.76, 4.83
		if _, _, err := env.App.PutLocation(ctx, app.System, code, app.LocationInput{Name: code + " warehouse", Kind: "warehouse",
			Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes, Address: app.Address{City: "Lyon", Country: "FR"},
			Lat: &lat, Lon: &lon, Channels: []string{"web"}}); err != nil {
			t.Fatal(err)
		}
	}
	env.AddSKU("TEE")
	env.Stock("LYS", "TEE", 40)
	env.Stock("PAR", "TEE", 3)
	// 28 sold in 28 days at LYS: 1 a day, 12 left, 12 days of cover.
	o, _, err := env.App.PlaceOrder(ctx, app.System, apptest.LyonOrder("1", 28))
	if err != nil || len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "LYS" {
		t.Fatalf("place order: %v %+v", err, o.Fulfillments)
	}
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)

	if st := b.Open(env.Server.URL + "/dashboard"); st != http.StatusOK {
		t.Fatalf("GET /dashboard answered %d", st)
	}
	if st := b.Follow("open reorder from the dashboard", chromedp.Click(chromedp.CSS(`[data-testid=reorder-link]`))); st != http.StatusOK || b.Path() != "/reorder" {
		t.Fatalf("the dashboard's link answered %d at %s", st, b.Path())
	}
	if st := b.Follow("filter to LYS",
		chromedp.SetValue(chromedp.CSS(`[data-testid=reorder-location]`), "LYS"),
		chromedp.Click(chromedp.CSS(`[data-testid=reorder-filter]`)),
	); st != http.StatusOK || !strings.Contains(b.URL(), "location=LYS") {
		t.Fatalf("filter answered %d at %s", st, b.URL())
	}
	const row = `tr[data-testid="reorder-row-TEE-LYS"]`
	if n := len(b.Texts(`tr[data-testid="reorder-row-TEE-PAR"]`)); n != 0 {
		t.Fatalf("PAR still listed after filtering to LYS")
	}
	// 12 < 1 × 14: order 1 × (14 + 30) − 12 = 32.
	if got := b.Text(row + ` [data-testid=suggested]`); got != "32" {
		t.Fatalf("suggested %q, want 32", got)
	}
	if st := b.Follow("shorten the lead time to 7 days",
		chromedp.SetValue(chromedp.CSS(row+` input[name=lead_time_days]`), "7"),
		chromedp.Click(chromedp.CSS(row+` [data-testid=save-setting]`)),
	); st != http.StatusOK {
		t.Fatalf("save answered %d", st)
	}
	if got := b.Text(`[data-testid=notice]`); !strings.Contains(got, "Saved") {
		t.Errorf("notice %q, want it to say saved", got)
	}
	if got := b.Text(row + ` [data-testid=suggested]`); got != "0" {
		t.Fatalf("suggested %q after lead 7, want 0 (12 days of cover outlast it)", got)
	}
}
