package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// tcShipped places an order of 2 TEE at Lyon and ships it with UPS "hello-123".
func tcShipped(t *testing.T, env *webtest.Env) app.Order {
	t.Helper()
	o := quPlace(t, env, "tc1", nil, "TEE", 2)
	res, err := env.App.Ship(context.Background(), app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "hello-123"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Warning == "" {
		t.Fatal("HELLO123 passed as a UPS number")
	}
	return res.Order
}

// tcHTMXGet asks for a fragment as htmx does.
func tcHTMXGet(t *testing.T, env *webtest.Env, c *webtest.Client, path, target string) *webtest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", target)
	return c.Do(req)
}

// TestTrackingCheckedAsTyped: the ship form asks /tracking/check as the number
// is typed and the carrier chosen; the answer is a fragment with the warning
// before anything is saved. A signed-out visitor gets no fragment.
func TestTrackingCheckedAsTyped(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	page := quGet(t, c, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body
	for _, want := range []string{`hx-get="/tracking/check?form=ship"`, `hx-include="#ship-carrier"`, `hx-include="#ship-tracking"`, `id="ship-tracking-check"`} {
		if !strings.Contains(page, want) {
			t.Errorf("ship form lacks %s", want)
		}
	}
	bad := tcHTMXGet(t, env, c, "/tracking/check?form=ship&carrier=ups&tracking_number=hello-123", "ship-tracking-check")
	if bad.StatusCode != http.StatusOK || !strings.Contains(bad.Body, `id="ship-tracking-check"`) || !strings.Contains(bad.Body, `data-warn="true"`) ||
		!strings.Contains(bad.Body, "HELLO123 does not") || strings.Contains(bad.Body, "<html") {
		t.Fatalf("check of hello-123 = %d\n%s", bad.StatusCode, bad.Body)
	}
	good := tcHTMXGet(t, env, c, "/tracking/check?carrier=ups&tracking_number="+quUPS, "ship-tracking-check")
	if !strings.Contains(good.Body, `data-warn="false"`) || !strings.Contains(good.Body, "Looks like") {
		t.Fatalf("check of a good number:\n%s", good.Body)
	}
	if n := quShipments(t, env, o.Number); n != 0 {
		t.Fatalf("checking saved %d shipments", n)
	}
	anon := env.Client().Get("/tracking/check?carrier=ups&tracking_number=x")
	if anon.StatusCode == http.StatusOK || strings.Contains(anon.Body, "tracking-check") {
		t.Fatalf("a signed-out visitor got the fragment")
	}
}

// TestCorrectTrackingWarehouse: the warehouse corrects from the fulfillment
// page; the shipment, the timeline and the outbox say so. A warehouse user
// of another location finds no such shipment, and nothing changes.
func TestCorrectTrackingWarehouse(t *testing.T) {
	env := quEnv(t)
	o := tcShipped(t, env)
	sid := itoa(o.Shipments[0].ID)
	paris, _ := env.SignedIn(app.RoleWarehouse, "PAR-WH")
	quGet(t, paris, "/shipments/"+sid+"/tracking", http.StatusNotFound)
	quPost(t, paris, "/shipments/"+sid+"/tracking", url.Values{"carrier": {"ups"}, "tracking_number": {quUPS}}, http.StatusNotFound)
	if got := quOrder(t, env, o.Number).Shipments[0].TrackingNumber; got != "HELLO123" {
		t.Fatalf("another location's user changed the number to %s", got)
	}

	c, u := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	page := quGet(t, c, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body
	if !strings.Contains(page, `href="/shipments/`+sid+`/tracking?back=%2Ffulfillments%2F`+quFID(o)+`%2Fship"`) {
		t.Fatalf("fulfillment page has no correction link:\n%s", page)
	}
	form := quGet(t, c, "/shipments/"+sid+"/tracking", http.StatusOK).Body
	if !strings.Contains(form, `data-testid="current-tracking">HELLO123<`) {
		t.Fatalf("correction form:\n%s", form)
	}
	res := quPost(t, c, "/shipments/"+sid+"/tracking", url.Values{"carrier": {"ups"}, "tracking_number": {strings.ToLower(quUPS)}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/fulfillments/"+quFID(o)+"/ship" {
		t.Fatalf("redirect to %q", loc)
	}
	if kind, msg := quNotice(quGet(t, c, res.Header.Get("Location"), http.StatusOK).Body); kind != "ok" || !strings.Contains(msg, "now UPS "+quUPS) {
		t.Fatalf("notice %s %q", kind, msg)
	}
	got := quOrder(t, env, o.Number)
	if s := got.Shipments[0]; s.TrackingNumber != quUPS || s.Warning != "" || !strings.Contains(s.TrackingURL, quUPS) {
		t.Fatalf("shipment after correction: %+v", s)
	}
	if ev := quEvents(got); !strings.Contains(ev, "Tracking number corrected from HELLO123 to "+quUPS+" by "+u.Name+".") {
		t.Fatalf("timeline:\n%s", ev)
	}
}

// TestCorrectTrackingSupportRefusesBadInput: support corrects from the order
// page; an unknown carrier, a blank number, stray characters or no change are
// refused with the field named and nothing written.
func TestCorrectTrackingSupportRefusesBadInput(t *testing.T) {
	env := quEnv(t)
	o := tcShipped(t, env)
	sid := itoa(o.Shipments[0].ID)
	c, _ := env.SignedIn(app.RoleSupport)
	page := quGet(t, c, "/orders/"+o.Number, http.StatusOK).Body
	if !strings.Contains(page, `href="/shipments/`+sid+`/tracking?back=%2Forders%2F`+o.Number+`"`) {
		t.Fatalf("order page has no correction link")
	}
	events := len(quOrder(t, env, o.Number).Events)
	for _, tc := range []struct {
		carrier, number, field, msg string
	}{
		{"fedx", quUPS, "carrier", "must be one of the carriers listed"},
		{"pickup", quUPS, "carrier", "must be one of the carriers listed"},
		{"ups", "  ", "tracking_number", "is required"},
		{"ups", "1Z/5R#8939", "tracking_number", "may hold only letters and digits (spaces and dashes are left out)"},
		{"ups", "hello 123", "tracking_number", "is already the shipment's tracking number"},
	} {
		res := quPost(t, c, "/shipments/"+sid+"/tracking", url.Values{"carrier": {tc.carrier}, "tracking_number": {tc.number}}, http.StatusUnprocessableEntity)
		if got := quBeside(res.Body, tc.field); got != tc.msg {
			t.Errorf("%s %q: beside %s %q, want %q", tc.carrier, tc.number, tc.field, got, tc.msg)
		}
	}
	got := quOrder(t, env, o.Number)
	if got.Shipments[0].TrackingNumber != "HELLO123" || len(got.Events) != events {
		t.Fatalf("refused corrections wrote: %+v, %d events (was %d)", got.Shipments[0], len(got.Events), events)
	}
	res := quPost(t, c, "/shipments/"+sid+"/tracking", url.Values{"carrier": {"dhl-express"}, "tracking_number": {"12345"},
		"back": {"/orders/" + o.Number}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/orders/"+o.Number {
		t.Fatalf("redirect to %q", loc)
	}
	if ev := quEvents(quOrder(t, env, o.Number)); !strings.Contains(ev, "Tracking corrected from UPS HELLO123 to DHL Express 12345 by Test support.") {
		t.Fatalf("timeline:\n%s", ev)
	}
}
