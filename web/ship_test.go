package web_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// quUPS is a valid UPS number, from app/tracking/couriers/ups.json test_numbers.valid.
const quUPS = "1Z5R89390357567127"

// quUPSBad is an invalid UPS number, from the same file's test_numbers.invalid.
const quUPSBad = "1Z1111111111111111"

// quShipForm is the ship form with a carrier, a tracking number and a quantity per row.
func quShipForm(carrier, number string, quantities ...string) url.Values {
	form := url.Values{"carrier": {carrier}, "tracking_number": {number}}
	for k, q := range quantities {
		form.Set("lines["+strconv.Itoa(k)+"].quantity", q)
	}
	return form
}

// quWithSKUs adds the SKU of each row of o's first fulfillment to a ship form.
func quWithSKUs(form url.Values, o app.Order) url.Values {
	for k, l := range o.Fulfillments[0].Lines {
		form.Set("lines["+strconv.Itoa(k)+"].sku", l.SKU)
	}
	return form
}

// quShipments counts an order's shipments.
func quShipments(t *testing.T, env *webtest.Env, number string) int {
	t.Helper()
	return len(quOrder(t, env, number).Shipments)
}

func TestShipEverythingWithUPS(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	quPost(t, c, "/fulfillments/"+quFID(o)+"/accept", nil, http.StatusSeeOther)

	page := quGet(t, c, "/fulfillments/"+quFID(o)+"/ship", http.StatusOK).Body
	for _, want := range []string{`<option value="ups">UPS</option>`, `name="tracking_number"`, `name="lines[0].quantity" value="2"`, `name="lines[1].quantity" value="1"`,
		`name="back" value="/locations/LYS-WH/queue?status=accepted"`} {
		if !strings.Contains(page, want) {
			t.Errorf("ship page lacks %s", want)
		}
	}
	form := quWithSKUs(quShipForm("ups", strings.ToLower(quUPS), "2", "1"), o)
	form.Set("back", "/locations/LYS-WH/queue?status=accepted")
	res := quPost(t, c, "/fulfillments/"+quFID(o)+"/ship", form, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if loc != "/locations/LYS-WH/queue?status=accepted" {
		t.Fatalf("ship redirects to %q, want back to the queue", loc)
	}
	kind, msg := quNotice(quGet(t, c, loc, http.StatusOK).Body)
	if kind != "ok" || msg != "Saved: order "+o.Number+" has shipped." {
		t.Fatalf("notice %s %q", kind, msg)
	}
	if _, msg := quNotice(quGet(t, c, loc, http.StatusOK).Body); msg != "" {
		t.Fatalf("the notice shows again on reload: %q", msg)
	}
	got := quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 48 || lvl.Reserved != 0 {
		t.Errorf("tees after shipping 2: %+v", lvl)
	}
	if lvl := quLevel(t, env, "LYS-WH", "MUG"); lvl.OnHand != 49 || lvl.Reserved != 0 {
		t.Errorf("mugs after shipping 1: %+v", lvl)
	}
	if ev := quEvents(got); !strings.Contains(ev, "Shipped 2 × TEE, 1 × MUG from Lyon warehouse with UPS, tracking "+quUPS) {
		t.Fatalf("timeline:\n%s", ev)
	}

	// Shipped today: "Mark delivered".
	body := quGet(t, c, "/locations/LYS-WH/queue?status=shipped", http.StatusOK).Body
	if !strings.Contains(body, "Mark delivered") {
		t.Fatal("no Mark delivered on the shipped tab")
	}
	quPost(t, c, "/fulfillments/"+quFID(o)+"/deliver", url.Values{"back": {"/locations/LYS-WH/queue?status=shipped"}}, http.StatusSeeOther)
	quStatus(t, env, o.Number, app.StatusDelivered, app.FulfillmentDelivered)
	if r, err := env.Svc.Ops.CheckInvariants(context.Background()); err != nil || !r.OK() {
		t.Fatalf("invariants: %+v %v", r, err)
	}
}

func TestShipInvalidTrackingNumberIsAWarning(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	res := quPost(t, c, "/fulfillments/"+quFID(o)+"/ship", quWithSKUs(quShipForm("ups", quUPSBad, "1"), o), http.StatusSeeOther)
	kind, msg := quNotice(quGet(t, c, res.Header.Get("Location"), http.StatusOK).Body)
	if kind != "warn" || !strings.HasPrefix(msg, "Saved: order "+o.Number+" has shipped. Check the tracking number: ") || !strings.Contains(msg, quUPSBad) {
		t.Fatalf("notice %s %q", kind, msg)
	}
	got := quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
	if len(got.Shipments) != 1 || got.Shipments[0].Warning == "" {
		t.Fatalf("shipment %+v", got.Shipments)
	}
}

func TestShipBadInputWritesNothing(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2, "MUG", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/ship"
	cases := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"unknown carrier", quShipForm("pigeon", quUPS, "2", "1"), "carrier"},
		{"pickup for a parcel", quShipForm(app.CarrierPickup, "", "2", "1"), "carrier"},
		{"no tracking number", quShipForm("ups", "  ", "2", "1"), "tracking_number"},
		{"more than is open", quShipForm("ups", quUPS, "3", "1"), "lines[0].quantity"},
		{"not a number", quShipForm("ups", quUPS, "2", "one"), "lines[1].quantity"},
		{"negative", quShipForm("ups", quUPS, "-1", "1"), "lines[0].quantity"},
		{"nothing", quShipForm("ups", quUPS, "0", ""), "lines"},
	}
	for _, tc := range cases {
		res := quPost(t, c, path, quWithSKUs(tc.form, o), http.StatusUnprocessableEntity)
		if quBeside(res.Body, tc.field) == "" {
			t.Errorf("%s: no error beside %s\n%s", tc.name, tc.field, res.Body)
		}
		if !strings.Contains(res.Body, `data-testid="ship-form"`) {
			t.Errorf("%s: the form is not shown again", tc.name)
		}
	}
	// What was typed stays.
	res := quPost(t, c, path, quWithSKUs(quShipForm("ups", "", "1", "0"), o), http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, `name="lines[0].quantity" value="1"`) || !strings.Contains(res.Body, `<option value="ups" selected>`) {
		t.Error("the form forgot what was typed")
	}
	quStatus(t, env, o.Number, app.StatusRouted, app.FulfillmentPending)
	if n := quShipments(t, env, o.Number); n != 0 {
		t.Fatalf("%d shipments written", n)
	}
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 50 || lvl.Reserved != 2 {
		t.Fatalf("tees moved: %+v", lvl)
	}
}

func TestShipPartialThenTheRest(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/ship"
	quPost(t, c, "/fulfillments/"+quFID(o)+"/accept", nil, http.StatusSeeOther)

	quPost(t, c, path, quWithSKUs(quShipForm("ups", quUPS, "1"), o), http.StatusSeeOther)
	got := quStatus(t, env, o.Number, app.StatusPartiallyShipped, app.FulfillmentAccepted)
	if l := got.Fulfillments[0].Lines[0]; l.Shipped != 1 || l.Open() != 1 {
		t.Fatalf("after 1 of 2: %+v", l)
	}
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 49 || lvl.Reserved != 1 {
		t.Fatalf("tees after 1 of 2: %+v", lvl)
	}
	// The rest stays on the accepted tab, its form offering what is left.
	body := quGet(t, c, "/locations/LYS-WH/queue?status=accepted", http.StatusOK).Body
	if got := quOrders(body); len(got) != 1 || !strings.Contains(body, "(1 open)") {
		t.Fatalf("accepted tab after a partial shipment: %v", got)
	}
	page := quGet(t, c, path, http.StatusOK).Body
	if !strings.Contains(page, `name="lines[0].quantity" value="1"`) {
		t.Fatal("the ship form does not offer what is left")
	}
	quPost(t, c, path, quWithSKUs(quShipForm("ups", quUPS, "2"), o), http.StatusUnprocessableEntity)

	quPost(t, c, path, quWithSKUs(quShipForm("dhl-express", "1234567890", "1"), o), http.StatusSeeOther)
	got = quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
	if len(got.Shipments) != 2 {
		t.Fatalf("%d shipments, want 2", len(got.Shipments))
	}
	// Nothing is left: the page says so, a post is a conflict.
	if page := quGet(t, c, path, http.StatusOK).Body; !strings.Contains(page, `data-testid="nothing-to-ship"`) {
		t.Fatal("a shipped fulfillment still offers the form")
	}
	res := quPost(t, c, path, quWithSKUs(quShipForm("ups", quUPS, "1"), o), http.StatusConflict)
	if _, msg := quNotice(res.Body); msg != "Nothing is left to ship in this fulfillment." {
		t.Fatalf("409 notice %q", msg)
	}
	quPost(t, c, "/fulfillments/"+quFID(o)+"/deliver", nil, http.StatusSeeOther)
	quStatus(t, env, o.Number, app.StatusDelivered, app.FulfillmentDelivered)
}

func TestShipPickupReadyThenCollected(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", quPickup, "TEE", 1)
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	body := quGet(t, c, "/locations/LYS-WH/queue", http.StatusOK).Body
	if !strings.Contains(body, "Ready for pickup") || !strings.Contains(body, `data-testid="destination">pickup`) {
		t.Fatal("a pickup order is not shown as one")
	}
	path := "/fulfillments/" + quFID(o) + "/ship"
	page := quGet(t, c, path, http.StatusOK).Body
	if strings.Contains(page, `name="tracking_number"`) || !strings.Contains(page, `name="carrier" value="pickup"`) {
		t.Fatal("the pickup form asks for a carrier")
	}
	// Whatever carrier is posted, a pickup is handed over at the counter.
	form := quWithSKUs(url.Values{"carrier": {"ups"}, "lines[0].quantity": {"1"}}, o)
	res := quPost(t, c, path, form, http.StatusSeeOther)
	if _, msg := quNotice(quGet(t, c, res.Header.Get("Location"), http.StatusOK).Body); msg != "Saved: order "+o.Number+" is ready for pickup." {
		t.Fatalf("notice %q", msg)
	}
	got := quStatus(t, env, o.Number, app.StatusShipped, app.FulfillmentShipped)
	if ev := quEvents(got); !strings.Contains(ev, "Ready for pickup at Lyon warehouse: 1 × TEE.") {
		t.Fatalf("timeline:\n%s", ev)
	}
	body = quGet(t, c, "/locations/LYS-WH/queue?status=shipped", http.StatusOK).Body
	if !strings.Contains(body, ">Collected</button>") {
		t.Fatal("no Collected on the shipped tab")
	}
	quPost(t, c, "/fulfillments/"+quFID(o)+"/deliver", url.Values{"back": {"/locations/LYS-WH/queue?status=shipped"}}, http.StatusSeeOther)
	got = quStatus(t, env, o.Number, app.StatusDelivered, app.FulfillmentDelivered)
	if ev := quEvents(got); !strings.Contains(ev, "Collected by the customer at Lyon warehouse.") {
		t.Fatalf("timeline:\n%s", ev)
	}
}

func TestShipHeldOrderIsRefused(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	if _, err := env.App.Hold(context.Background(), app.System, o.Number, app.HoldInput{Reason: "address_check"}); err != nil {
		t.Fatal(err)
	}
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/ship"
	page := quGet(t, c, path, http.StatusOK).Body
	if strings.Contains(page, `data-testid="ship-form"`) || !strings.Contains(page, "On hold for an address check") {
		t.Fatal("the ship page of a held order offers the form")
	}
	for _, qty := range []string{"1", "5"} { // refused for the hold, whatever was typed
		res := quPost(t, c, path, quWithSKUs(quShipForm("ups", quUPS, qty), o), http.StatusConflict)
		if kind, msg := quNotice(res.Body); kind != "error" || !strings.Contains(msg, "is on hold for an address check") {
			t.Fatalf("409 notice %s %q", kind, msg)
		}
	}
	if n := quShipments(t, env, o.Number); n != 0 {
		t.Fatalf("%d shipments of a held order", n)
	}
	if lvl := quLevel(t, env, "LYS-WH", "TEE"); lvl.OnHand != 50 || lvl.Reserved != 1 {
		t.Fatalf("tees moved: %+v", lvl)
	}
}

// TestPartialShipmentsAddUp ships an order of several lines in random partial
// steps through the form and checks after each step that every line adds up,
// that the stock reserved is what is still open, and the order's status.
func TestPartialShipmentsAddUp(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run("seed "+strconv.FormatUint(seed, 10), func(t *testing.T) {
			quRandomShipments(t, seed)
		})
	}
}

// quRandomShipments is one seeded run of TestPartialShipmentsAddUp.
func quRandomShipments(t *testing.T, seed uint64) {
	env := quEnv(t)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	o := quPlace(t, env, "1", nil, "TEE", 1+rng.IntN(5), "MUG", 1+rng.IntN(5), "TEE", 1+rng.IntN(3))
	c, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	path := "/fulfillments/" + quFID(o) + "/ship"
	if rng.IntN(2) == 0 {
		quPost(t, c, "/fulfillments/"+quFID(o)+"/accept", nil, http.StatusSeeOther)
	}
	onHand := map[string]int64{"TEE": 50, "MUG": 50}
	for step := 0; ; step++ {
		cur := quOrder(t, env, o.Number)
		lines := cur.Fulfillments[0].Lines
		form := quWithSKUs(url.Values{"carrier": {"ups"}, "tracking_number": {quUPS}}, cur)
		sent := false
		for k, l := range lines {
			q := int64(0)
			if l.Open() > 0 && rng.IntN(3) > 0 {
				q = rng.Int64N(l.Open() + 1)
			}
			sent = sent || q > 0
			onHand[l.SKU] -= q
			form.Set("lines["+strconv.Itoa(k)+"].quantity", strconv.FormatInt(q, 10))
		}
		if !sent {
			quPost(t, c, path, form, http.StatusUnprocessableEntity)
			continue
		}
		quPost(t, c, path, form, http.StatusSeeOther)
		if quCheckAddsUp(t, env, o.Number, onHand) {
			return
		}
		if step > 200 {
			t.Fatal("the order never finished shipping")
		}
	}
}

// quCheckAddsUp checks one order after a step and reports whether all of it shipped.
func quCheckAddsUp(t *testing.T, env *webtest.Env, number string, onHand map[string]int64) bool {
	t.Helper()
	o := quOrder(t, env, number)
	open := map[int64]int64{}
	reserved := map[string]int64{}
	for _, f := range o.Fulfillments {
		for _, l := range f.Lines {
			open[l.LineNo] += l.Open()
			reserved[l.SKU] += l.Open()
		}
	}
	done := true
	for _, l := range o.Lines {
		if l.Shipped+open[l.No]+l.Cancelled != l.Quantity {
			t.Fatalf("line %d: shipped %d + open %d + cancelled %d != %d", l.No, l.Shipped, open[l.No], l.Cancelled, l.Quantity)
		}
		if l.Reserved != open[l.No] {
			t.Fatalf("line %d: reserved %d, open %d", l.No, l.Reserved, open[l.No])
		}
		done = done && open[l.No] == 0
	}
	for sku, n := range onHand {
		if lvl := quLevel(t, env, "LYS-WH", sku); lvl.OnHand != n || lvl.Reserved != reserved[sku] {
			t.Fatalf("%s: %+v, want on hand %d, reserved %d", sku, lvl, n, reserved[sku])
		}
	}
	if r, err := env.Svc.Ops.CheckInvariants(context.Background()); err != nil || !r.OK() {
		t.Fatalf("invariants: %+v %v", r, err)
	}
	want := app.StatusPartiallyShipped
	if done {
		want = app.StatusShipped
	}
	if o.Status != want {
		t.Fatalf("order %s, want %s", o.Status, want)
	}
	return done
}
