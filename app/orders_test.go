package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// orderNetwork makes a channel "web", a location "L1" offering pickup,
// another "L2" without pickup, and SKUs "TEE" (active) and "OLD" (inactive).
func orderNetwork(t testing.TB) *App {
	t.Helper()
	a := newTestApp(t)
	mustChannel(t, a, "web", 0)
	mustLocation(t, a, "L1", "web")
	yes, no := true, false
	if _, _, err := a.PutLocation(context.Background(), System, "L2", LocationInput{
		Name: "L2", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &no, Address: Address{City: "Paris", Country: "FR"},
	}); err != nil {
		t.Fatal(err)
	}
	mustSKU(t, a, "TEE")
	if _, _, err := a.PutSKU(context.Background(), System, "OLD", SKUInput{Name: "old", Active: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CountStock(context.Background(), System, "L1", "TEE", CountInput{OnHand: ptr(int64(1000))}); err != nil {
		t.Fatal(err)
	}
	return a
}

// orderJSON is a valid order body; edit patches it before decoding.
const orderJSON = `{"channel": "web", "external_id": "100234", "placed_at": "2026-11-20T10:00:00Z",
 "currency": "EUR",
 "customer": {"email": "ana@example.com", "name": "Ana Lima", "phone": "+33 6 12 34 56 78"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon",
                      "postal_code": "69002", "country": "FR", "lat": 45.762, "lon": 4.832},
 "delivery": {"method": "ship"},
 "lines": [{"external_id": "1", "sku": "TEE", "quantity": 2, "unit_price": "19.90"}],
 "shipping_price": "4.90", "tags": ["VIP"], "note": "leave at the door"}`

// decodeOrder decodes a JSON order body, after replacing old with new in it.
func decodeOrder(t testing.TB, replacements ...string) NewOrder {
	t.Helper()
	body := strings.NewReplacer(replacements...).Replace(orderJSON)
	var in NewOrder
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return in
}

func TestPlaceOrder(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	o, created, err := a.PlaceOrder(ctx, System, decodeOrder(t))
	if err != nil || !created {
		t.Fatalf("place: created %v, %v", created, err)
	}
	if o.Number != "SY-000001" || o.Status != StatusRouted || o.Total != 4470 || o.Subtotal != 3980 || o.ShippingPrice != 490 {
		t.Fatalf("order %s %s total %d subtotal %d shipping %d", o.Number, o.Status, o.Total, o.Subtotal, o.ShippingPrice)
	}
	if len(o.Lines) != 1 || o.Lines[0].UnitPrice != 1990 || o.Lines[0].Quantity != 2 || !o.Lines[0].KnownSKU {
		t.Fatalf("lines %+v", o.Lines)
	}
	if len(o.Tags) != 1 || o.Tags[0] != "vip" || len(o.TrackingToken) != TrackingTokenLen {
		t.Fatalf("tags %v token %q", o.Tags, o.TrackingToken)
	}
	if len(o.Events) != 2 || !strings.Contains(o.Events[0].Message, "Order received from web as 100234: 2 items, EUR 44.70") ||
		o.Events[1].Kind != "routed" || !strings.Contains(o.Events[1].Message, "L1") {
		t.Fatalf("timeline %+v", o.Events)
	}
	again, created, err := a.PlaceOrder(ctx, System, decodeOrder(t, `"quantity": 2`, `"quantity": 3`))
	if err != nil || created || again.Number != o.Number || again.Lines[0].Quantity != 2 {
		t.Fatalf("the same (channel, external id) again must return the existing order unchanged: %v %v %+v", created, err, again.Lines)
	}
	second, _, err := a.PlaceOrder(ctx, System, decodeOrder(t, `"100234"`, `"100235"`))
	if err != nil || second.Number != "SY-000002" {
		t.Fatalf("second order: %s %v", second.Number, err)
	}
}

func TestOrderMoneyExponents(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	cases := []struct {
		currency, price, shipping string
		total                     int64
		field                     string
	}{
		{"JPY", `"1990"`, `"500"`, 2*1990 + 500, ""},
		{"JPY", `"19.90"`, `"0"`, 0, "lines[0].unit_price"},
		{"BHD", `"1.250"`, `"0.005"`, 2*1250 + 5, ""},
		{"EUR", `19.9`, `4`, 2*1990 + 400, ""}, // JSON numbers, read exactly
		{"EUR", `"19.999"`, `"0"`, 0, "lines[0].unit_price"},
		{"EUR", `"-1.00"`, `"0"`, 0, "lines[0].unit_price"},
		{"EUR", `"1e3"`, `"0"`, 0, "lines[0].unit_price"},
		{"EUR", `"19.90"`, `"x"`, 0, "shipping_price"},
		{"XYZ", `"1"`, `"0"`, 0, "currency"},
	}
	for i, tc := range cases {
		in := decodeOrder(t, `"EUR"`, `"`+tc.currency+`"`, `"19.90"`, tc.price, `"4.90"`, tc.shipping, `"100234"`, fmt.Sprintf(`"m%d"`, i))
		o, _, err := a.PlaceOrder(ctx, System, in)
		if tc.field != "" {
			if ae, ok := AsError(err); !ok || ae.Fields[tc.field] == "" {
				t.Errorf("%s %s/%s: err %v, want a field error on %s", tc.currency, tc.price, tc.shipping, err, tc.field)
			}
			continue
		}
		if err != nil || o.Total != tc.total {
			t.Errorf("%s %s/%s: total %d (%v), want %d", tc.currency, tc.price, tc.shipping, o.Total, err, tc.total)
		}
	}
}

func TestOrderValidation(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	cases := []struct {
		name         string
		replacements []string
		field, says  string
	}{
		{"no channel", []string{`"channel": "web"`, `"channel": ""`}, "channel", "is required"},
		{"unknown channel", []string{`"channel": "web"`, `"channel": "nope"`}, "channel", `unknown channel "nope"`},
		{"no external id", []string{`"100234"`, `""`}, "external_id", "is required"},
		{"no lines", []string{`[{"external_id": "1", "sku": "TEE", "quantity": 2, "unit_price": "19.90"}]`, `[]`}, "lines", "at least one line"},
		{"zero quantity", []string{`"quantity": 2`, `"quantity": 0`}, "lines[0].quantity", "from 1 to"},
		{"unknown SKU", []string{`"sku": "TEE"`, `"sku": "TEE-XX"`}, "lines[0].sku", `unknown SKU "TEE-XX"`},
		{"inactive SKU", []string{`"sku": "TEE"`, `"sku": "OLD"`}, "lines[0].sku", `SKU "OLD" is inactive`},
		{"no price", []string{`, "unit_price": "19.90"`, ``}, "lines[0].unit_price", "is required"},
		{"bad email", []string{`ana@example.com`, `ana.example.com`}, "customer.email", "email address"},
		{"bad country", []string{`"country": "FR"`, `"country": "FRA"`}, "shipping_address.country", "ISO 3166-1"},
		{"lat without lon", []string{`, "lon": 4.832`, ``}, "shipping_address.lat", "both lat and lon"},
		{"no address", []string{`"shipping_address": {`, `"x": {`}, "shipping_address", "is required"},
		{"bad method", []string{`"method": "ship"`, `"method": "drone"`}, "delivery.method", "ship, pickup"},
		{"pickup without location", []string{`"method": "ship"`, `"method": "pickup"`}, "delivery.location", "is required"},
		{"pickup where there is none", []string{`"method": "ship"`, `"method": "pickup", "location": "L2"`}, "delivery.location", "does not offer pickup"},
		{"pickup unknown location", []string{`"method": "ship"`, `"method": "pickup", "location": "ZZ"`}, "delivery.location", `unknown location "ZZ"`},
		{"future", []string{`2026-11-20T10:00:00Z`, `2099-01-01T00:00:00Z`}, "placed_at", "future"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := a.PlaceOrder(ctx, System, decodeOrder(t, tc.replacements...))
			ae, ok := AsError(err)
			if !ok || ae.Kind != KindInvalid || !strings.Contains(ae.Fields[tc.field], tc.says) {
				t.Fatalf("err %v, want field %s saying %q", err, tc.field, tc.says)
			}
			if n, err := a.Read().CountOrders(ctx); err != nil {
				t.Fatal(err)
			} else if n != 0 {
				t.Fatalf("%d orders written by a refused request", n)
			}
		})
	}
	// A pickup at a location that offers it needs no address.
	in := decodeOrder(t, `"method": "ship"`, `"method": "pickup", "location": "L1"`, `"shipping_address": {`, `"x": {`)
	if o, _, err := a.PlaceOrder(ctx, System, in); err != nil || o.Delivery.Location != "L1" {
		t.Fatalf("pickup order: %v %+v", err, o.Delivery)
	}
}

func TestAPIKeyBoundToChannel(t *testing.T) {
	a := orderNetwork(t)
	mustChannel(t, a, "other", 0)
	key := Actor{Kind: ActorAPIKey, ID: 9, Name: "shop", Channel: "other"}
	_, _, err := a.PlaceOrder(context.Background(), key, decodeOrder(t))
	if ErrorKind(err) != KindForbidden {
		t.Fatalf("err %v, want forbidden", err)
	}
}

// TestSameOrderConcurrently: 20 goroutines sending the same order make one order.
func TestSameOrderConcurrently(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	var wg sync.WaitGroup
	numbers := make([]string, 20)
	created := make([]bool, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, c, err := a.PlaceOrder(ctx, System, decodeOrder(t))
			if err != nil {
				t.Error(err)
			}
			numbers[i], created[i] = o.Number, c
		}()
	}
	wg.Wait()
	n := 0
	for i := range 20 {
		if created[i] {
			n++
		}
		if numbers[i] != "SY-000001" {
			t.Fatalf("goroutine %d got %q", i, numbers[i])
		}
	}
	if count, _ := a.Read().CountOrders(ctx); n != 1 || count != 1 {
		t.Fatalf("%d created, %d orders stored; want 1 and 1", n, count)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	idem := func(key, hash string) *IdempotencyIn {
		return &IdempotencyIn{APIKeyID: 1, Key: key, Hash: []byte(hash)}
	}
	in := decodeOrder(t)
	in.Idempotency = idem("k1", "body-1")
	first, _, err := a.PlaceOrder(ctx, System, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.LookupIdempotency(ctx, *idem("k1", "body-1"))
	if err != nil || got == nil || got.Status != 201 || got.Order.Number != first.Number {
		t.Fatalf("replay: %+v %v", got, err)
	}
	if _, err := a.LookupIdempotency(ctx, *idem("k1", "body-2")); ErrorKind(err) != KindInvalid {
		t.Fatalf("same key, other body: %v, want invalid", err)
	}
	if got, err := a.LookupIdempotency(ctx, *idem("k2", "body-1")); err != nil || got != nil {
		t.Fatalf("a new key has no answer: %+v %v", got, err)
	}
}

func TestHoldReleaseCancel(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	in := decodeOrder(t, `"lines": [{"external_id": "1", "sku": "TEE", "quantity": 2, "unit_price": "19.90"}]`,
		`"lines": [{"sku": "TEE", "quantity": 2, "unit_price": "19.90"}, {"sku": "TEE", "quantity": 3, "unit_price": "5"}]`)
	o, _, err := a.PlaceOrder(ctx, System, in)
	if err != nil {
		t.Fatal(err)
	}
	ana := Actor{Kind: ActorUser, ID: 1, Name: "Ana", Role: RoleSupport}
	if _, err := a.Hold(ctx, ana, o.Number, HoldInput{Reason: "vibes"}); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad reason: %v", err)
	}
	o, err = a.Hold(ctx, ana, o.Number, HoldInput{Reason: "fraud_review", Note: "card country differs"})
	if err != nil || o.Status != StatusOnHold || !o.OnHold {
		t.Fatalf("hold: %v %s", err, o.Status)
	}
	if _, err := a.Hold(ctx, ana, o.Number, HoldInput{Reason: "payment"}); ErrorKind(err) != KindConflict || !strings.Contains(err.Error(), "on hold") {
		t.Fatalf("hold twice: %v, want a conflict naming the state", err)
	}
	o, err = a.Release(ctx, ana, o.Number)
	if err != nil || o.Status != StatusRouted {
		t.Fatalf("release: %v %s", err, o.Status)
	}
	o, err = a.Cancel(ctx, ana, o.Number, CancelInput{Reason: "customer asked", Lines: []CancelLine{{ID: o.Lines[1].ID, Quantity: ptr(int64(2))}}})
	if err != nil || o.Lines[1].Cancelled != 2 || o.Status != StatusRouted {
		t.Fatalf("cancel a part of a line: %v %+v", err, o.Lines)
	}
	if _, err := a.Cancel(ctx, ana, o.Number, CancelInput{Reason: "x", Lines: []CancelLine{{ID: o.Lines[1].ID, Quantity: ptr(int64(5))}}}); ErrorKind(err) != KindInvalid {
		t.Fatalf("cancel more than is left: %v", err)
	}
	o, err = a.Cancel(ctx, ana, o.Number, CancelInput{Reason: "customer asked"})
	if err != nil || o.Status != StatusCancelled || o.Lines[0].Cancelled != 2 || o.Lines[1].Cancelled != 3 {
		t.Fatalf("cancel the order: %v %s %+v", err, o.Status, o.Lines)
	}
	if _, err := a.ChangeAddress(ctx, ana, o.Number, AddressInput{Line1: "1 rue", City: "Paris", Country: "FR"}); ErrorKind(err) != KindConflict {
		t.Fatalf("address change on a cancelled order: %v", err)
	}
	kinds := []string{}
	for _, e := range o.Events {
		kinds = append(kinds, e.Kind)
	}
	if got := strings.Join(kinds, ","); got != "received,routed,held,released,lines_cancelled,cancelled" {
		t.Fatalf("timeline kinds %s", got)
	}
	warehouse := Actor{Kind: ActorUser, ID: 2, Name: "W", Role: RoleWarehouse}
	if _, err := a.Hold(ctx, warehouse, o.Number, HoldInput{Reason: "payment"}); ErrorKind(err) != KindForbidden {
		t.Fatalf("warehouse hold: %v, want forbidden", err)
	}
}

func TestChangeAddress(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	o, _, _ := a.PlaceOrder(ctx, System, decodeOrder(t))
	ops := Actor{Kind: ActorUser, ID: 1, Name: "Omar", Role: RoleOps}
	if _, err := a.ChangeAddress(ctx, ops, o.Number, AddressInput{Line1: "", City: "Paris", Country: "XX"}); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad address: %v", err)
	} else if ae, _ := AsError(err); ae.Fields["line1"] == "" || ae.Fields["country"] == "" {
		t.Fatalf("fields %v, want line1 and country", ae.Fields)
	}
	o, err := a.ChangeAddress(ctx, ops, o.Number, AddressInput{Line1: "5 avenue Foch", City: "Paris", Country: "FR", PostalCode: "75016"})
	if err != nil || o.ShippingAddress.City != "Paris" || o.ShippingAddress.Lat != nil {
		t.Fatalf("change: %v %+v", err, o.ShippingAddress)
	}
	last := o.Events[len(o.Events)-2]
	if rerouted := o.Events[len(o.Events)-1]; rerouted.Kind != "rerouted" || !strings.Contains(rerouted.Message, "L1") {
		t.Fatalf("an address change routes the order again: %+v", rerouted)
	}
	if last.Kind != "address_changed" || !strings.Contains(last.Message, "from 12 rue Mercière, Lyon, FR to 5 avenue Foch, Paris, FR") || last.ActorName != "Omar" {
		t.Fatalf("event %+v", last)
	}
}

// TestOrderProblemsNamedAtOnce: shape problems and unknown codes come in one answer.
func TestOrderProblemsNamedAtOnce(t *testing.T) {
	a := orderNetwork(t)
	in := decodeOrder(t, `"quantity": 2`, `"quantity": 0`, `"channel": "web"`, `"channel": "nope"`)
	in.Lines = append(in.Lines, LineInput{SKU: "GHOST", Quantity: 1, UnitPrice: "1.00"})
	_, _, err := a.PlaceOrder(context.Background(), System, in)
	ae, ok := AsError(err)
	if !ok {
		t.Fatalf("err %v", err)
	}
	for _, f := range []string{"lines[0].quantity", "channel", "lines[1].sku"} {
		if ae.Fields[f] == "" {
			t.Errorf("no problem named for %s: %v", f, ae.Fields)
		}
	}
}

func TestTrackingTokensFollowTimeAndDiffer(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	first, again, later := NewTrackingToken(now), NewTrackingToken(now), NewTrackingToken(now.Add(time.Millisecond))
	if len(first) != TrackingTokenLen || strings.Trim(first, "0123456789abcdef") != "" {
		t.Fatalf("token %q: want %d lowercase hex digits", first, TrackingTokenLen)
	}
	if first == again {
		t.Errorf("two tokens of the same moment are equal: %q", first)
	}
	if later <= first || later <= again {
		t.Errorf("a later token %q does not sort after %q and %q", later, first, again)
	}
}

func TestCheckOrderFindsEveryProblemAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	if err := a.CheckOrder(ctx, System, decodeOrder(t)); err != nil {
		t.Fatalf("a good order: %v", err)
	}
	err := a.CheckOrder(ctx, System, decodeOrder(t, `ana@example.com`, `ana.example.com`, `"sku": "TEE"`, `"sku": "TEE-XX"`, `"quantity": 2`, `"quantity": 0`))
	ae, ok := AsError(err)
	if !ok || ae.Kind != KindInvalid {
		t.Fatalf("err %v, want invalid", err)
	}
	for field, says := range map[string]string{"customer.email": "email address", "lines[0].sku": `unknown SKU "TEE-XX"`, "lines[0].quantity": "from 1 to"} {
		if !strings.Contains(ae.Fields[field], says) {
			t.Errorf("%s: %q, want %q (all: %v)", field, ae.Fields[field], says, ae.Fields)
		}
	}
	// Only the database's problems: still found.
	if err := a.CheckOrder(ctx, System, decodeOrder(t, `"channel": "web"`, `"channel": "nope"`)); !strings.Contains(fieldOf(err, "channel"), "unknown channel") {
		t.Errorf("unknown channel: %v", err)
	}
	if n, err := a.Read().CountOrders(ctx); err != nil || n != 0 {
		t.Fatalf("checking wrote %d orders (%v)", n, err)
	}
}

// fieldOf is the problem an Invalid error names for field, or "".
func fieldOf(err error, field string) string {
	if ae, ok := AsError(err); ok {
		return ae.Fields[field]
	}
	return ""
}
