package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// tpGet fetches a customer page with no session at all.
func tpGet(t *testing.T, env *webtest.Env, path string) (int, string) {
	t.Helper()
	res, err := http.Get(env.Server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// tpOrder places an order of a named tee and mug going to country, and ships the tee.
func tpOrder(t *testing.T, env *webtest.Env, ext, country string) app.Order {
	t.Helper()
	o := quPlace(t, env, ext, func(in *app.NewOrder) {
		in.Lines[0].Name, in.Lines[1].Name = "Black tee, size M", "White mug"
		in.ShippingAddress.Country = country
		if country == "US" {
			in.ShippingAddress.City, in.ShippingAddress.PostalCode, in.ShippingAddress.Region = "Denver", "80202", "CO"
		}
	}, "TEE", 1, "MUG", 1)
	if _, err := env.App.Ship(context.Background(), app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: quUPS,
		Lines: []app.ShipLine{{SKU: "TEE", Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	return quOrder(t, env, o.Number)
}

// TestTrackingPageForTheCustomer: the shop's name with a link back to it
// (https only), products by name, no internal location name, times in the
// address's zone (named), and the parcel's tracking as corrected.
func TestTrackingPageForTheCustomer(t *testing.T) {
	env := quEnv(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Maison Lima", Kind: "shopify",
		Callback: &app.CallbackInput{BaseURL: "https://maison-lima.example/", Token: "shpat_x"}}); err != nil {
		t.Fatal(err)
	}
	o := tpOrder(t, env, "tp1", "FR")
	st, body := tpGet(t, env, "/t/"+o.TrackingToken)
	if st != http.StatusOK {
		t.Fatalf("tracking page = %d", st)
	}
	for _, want := range []string{
		`<a href="https://maison-lima.example" rel="noopener" data-testid="shop-link">Maison Lima</a>`,
		"1 × Black tee, size M", "1 × White mug", "(1 shipped)",
		"from Lyon", "Shipped from Lyon with UPS, tracking " + quUPS + ": 1 × Black tee, size M.",
		"We received your order.", "CET", "Times are Paris time (Europe/Paris).",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	for _, internal := range []string{"Lyon warehouse", "LYS-WH", "× TEE", "× MUG", " UTC", "/login", "Sign in"} {
		if strings.Contains(body, internal) {
			t.Errorf("tracking page shows %q", internal)
		}
	}

	// An http shop address is no link; a country of several zones reads in UTC.
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Maison Lima", Kind: "shopify",
		Callback: &app.CallbackInput{BaseURL: "http://maison-lima.example", Token: "shpat_x"}}); err != nil {
		t.Fatal(err)
	}
	us := tpOrder(t, env, "tp2", "US")
	_, body = tpGet(t, env, "/t/"+us.TrackingToken)
	if strings.Contains(body, "shop-link") || !strings.Contains(body, `data-testid="shop">`) || !strings.Contains(body, "Maison Lima") {
		t.Errorf("an http shop is linked, or unnamed:\n%s", body)
	}
	if !strings.Contains(body, "Times are in UTC.") || !strings.Contains(body, " UTC<") {
		t.Errorf("US order's times are not in UTC, named")
	}
}

// TestTrackingPagePickupNamesTheStore: a pickup names the location, the
// customer goes there.
func TestTrackingPagePickupNamesTheStore(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "tp3", quPickup, "TEE", 1)
	if _, err := env.App.Ship(context.Background(), app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: app.CarrierPickup}); err != nil {
		t.Fatal(err)
	}
	_, body := tpGet(t, env, "/t/"+o.TrackingToken)
	if !strings.Contains(body, "Ready for pickup at Lyon warehouse") {
		t.Errorf("pickup page does not name the store:\n%s", body)
	}
}

// TestTrackingPageUnknownTokenIsACustomer404: a wrong token answers the
// customer's 404, with no way into the staff's sign-in, for a signed-in
// staff member too.
func TestTrackingPageUnknownTokenIsACustomer404(t *testing.T) {
	env := quEnv(t)
	staff, _ := env.SignedIn(app.RoleSupport)
	for name, get := range map[string]func(string) (int, string){
		"customer": func(p string) (int, string) { return tpGet(t, env, p) },
		"staff":    func(p string) (int, string) { r := staff.Get(p); return r.StatusCode, r.Body },
	} {
		for _, token := range []string{"0123456789abcdef0123456789abcdef", "short"} {
			st, body := get("/t/" + token)
			if st != http.StatusNotFound || !strings.Contains(body, `data-testid="tracking-not-found"`) {
				t.Errorf("%s, token %q: %d\n%s", name, token, st, body)
			}
			for _, staffOnly := range []string{"/login", "Sign in", "Back to the start page", `href="/"`, "whoami"} {
				if strings.Contains(body, staffOnly) {
					t.Errorf("%s, token %q: the 404 shows %q", name, token, staffOnly)
				}
			}
		}
	}
}
