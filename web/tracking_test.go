package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"switchyard/app"
)

// upsTestNumber is a valid UPS number from the carrier data's own test numbers.
const upsTestNumber = "1Z5R89390357567127"

func TestTrackingPageShowsOnlyWhatTheCustomerMaySee(t *testing.T) {
	env := orderEnv(t)
	ctx := context.Background()
	key := env.APIKey("", "orders:write")
	if status, body := postOrder(t, env, key, "", orderBody); status != http.StatusCreated {
		t.Fatalf("order: %d %s", status, body)
	}
	o, err := env.App.OrderByNumber(ctx, "SY-000001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: strings.ToLower(upsTestNumber)}); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(env.Server.URL + "/t/" + o.TrackingToken)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body := readAll(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("tracking page = %d", res.StatusCode)
	}
	for _, want := range []string{"Shipped on", "with UPS", upsTestNumber, `data-testid="tracking-link"`, "ups.com", "Lyon"} {
		if !strings.Contains(body, want) {
			t.Errorf("tracking page lacks %q", want)
		}
	}
	for _, secret := range []string{"ana@example.com", "+33 6 12 34 56 78", "12 rue Mercière", "69002", "Ana Lima", "leave at the door", "API key"} {
		if strings.Contains(body, secret) {
			t.Errorf("tracking page leaks %q", secret)
		}
	}
	for _, bad := range []string{"0123456789abcdef0123456789abcdef", "short", o.TrackingToken[:31] + "x"} {
		res, err := http.Get(env.Server.URL + "/t/" + bad)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("token %q = %d, want 404", bad, res.StatusCode)
		}
	}
}

func TestOrderPageTellsTheShipment(t *testing.T) {
	env := orderEnv(t)
	ctx := context.Background()
	key := env.APIKey("", "orders:write")
	postOrder(t, env, key, "", orderBody)
	o, _ := env.App.OrderByNumber(ctx, "SY-000001")
	if _, err := env.App.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: upsTestNumber}); err != nil {
		t.Fatal(err)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	body := support.Get("/orders/SY-000001").Body
	for _, want := range []string{"Shipped on 26 Nov from Lyon with UPS, tracking " + upsTestNumber, `data-testid="tracking-link"`, "How it was routed"} {
		if !strings.Contains(body, want) {
			t.Errorf("order page lacks %q", want)
		}
	}
}
