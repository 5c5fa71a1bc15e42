package app

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"testing"
	"time"

	"switchyard/app/geo"
	"switchyard/app/money"
)

// orderFields are the field paths order validation may name.
var orderFields = regexp.MustCompile(`^(?:channel|external_id|channel_ref|note|placed_at|currency|tags|lines|shipping_price|` +
	`customer\.(?:email|name|phone)|delivery\.(?:method|location)|` +
	`shipping_address(?:\.(?:name|line1|line2|city|region|postal_code|country|phone|lat))?|` +
	`lines\[(\d+)\]\.(?:sku|external_id|name|quantity|unit_price))$`)

// FuzzOrderJSON decodes any body as the API's order (as bindJSON does) and
// checks it as intake does. A refusal names only known fields (and lines the
// order has); an accepted order has 1..500 lines of 1..100,000 units each,
// prices that are exact non-negative amounts of its currency, totals that add
// up without overflow, a known currency and country; and checking is stable:
// the normalised order checks the same again, and so does its JSON encoding.
func FuzzOrderJSON(f *testing.F) {
	f.Add([]byte(`{"channel": "web-eu", "external_id": "100234", "placed_at": "2026-11-26T10:00:00Z", "currency": "EUR",
 "customer": {"email": "ana@example.com", "name": "Ana Lima", "phone": "+33 6 12 34 56 78"},
 "shipping_address": {"name": "Ana Lima", "line1": "12 rue Mercière", "city": "Lyon", "postal_code": "69002", "country": "FR", "lat": 45.762, "lon": 4.832},
 "delivery": {"method": "ship"}, "lines": [{"external_id": "1", "sku": "TEE-BLK-M", "quantity": 2, "unit_price": "19.90"}],
 "shipping_price": "4.90", "tags": ["vip"], "note": "leave at the door"}`))
	f.Add([]byte(`{"channel": "pos", "external_id": "7", "currency": "jpy", "delivery": {"method": "pickup", "location": "PAR-ST"},
 "lines": [{"sku": " A ", "quantity": 100000, "unit_price": 92233720368547758}, {"sku": "B", "quantity": 1, "unit_price": 0}], "tags": ["A", " a ", ""]}`))
	f.Add([]byte(`{"channel": "x", "external_id": "1", "currency": "EUR", "shipping_address": {"line1": "1", "city": "c", "country": "fr", "lat": 91},
 "lines": [{"sku": "S", "quantity": -1, "unit_price": "-1"}], "shipping_price": 1e3, "placed_at": "2999-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"lines": [{"quantity": 9223372036854775807, "unit_price": "92233720368547758.07"}, {"quantity": 2, "unit_price": "0.01"}]}`))
	f.Add([]byte(`{"channel": "\u0000", "external_id": "\ud800", "currency": "BHD", "customer": {"email": "a b@c"}, "delivery": {"method": "drone"}}`))
	goldens, err := filepath.Glob(filepath.Join("channels", "testdata", "*.golden.json"))
	if err != nil || len(goldens) == 0 {
		f.Fatalf("no mapped orders to seed with: %v", err)
	}
	for _, name := range goldens {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var mapped struct {
			Order json.RawMessage `json:"order"`
		}
		if err := json.Unmarshal(b, &mapped); err != nil {
			f.Fatalf("%s: %v", name, err)
		}
		f.Add([]byte(mapped.Order))
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte) {
		var in NewOrder
		if json.NewDecoder(bytes.NewReader(body)).Decode(&in) != nil {
			return // bindJSON refuses it before validation
		}
		v, err := CheckNewOrder(&in, now)
		if err != nil {
			checkOrderRefusal(t, in, err)
			return
		}
		checkValidOrder(t, in, v, now)
		again := in
		if v2, err := CheckNewOrder(&again, now); err != nil || !reflect.DeepEqual(v2, v) || !reflect.DeepEqual(again, in) {
			t.Fatalf("checking the normalised order again: %v\n%+v\n%+v", err, v2, v)
		}
		enc, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var back NewOrder
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("the encoded order %s does not decode: %v", enc, err)
		}
		if v3, err := CheckNewOrder(&back, now); err != nil || !v3.placedAt.Equal(v.placedAt) || v3.total != v.total ||
			!reflect.DeepEqual(v3.unitPrices, v.unitPrices) || !reflect.DeepEqual(back.Lines, in.Lines) {
			t.Fatalf("the order's JSON %s checks differently: %v %+v", enc, err, v3)
		}
	})
}

// checkOrderRefusal wants an Invalid error naming known fields only.
func checkOrderRefusal(t *testing.T, in NewOrder, err error) {
	t.Helper()
	ae, ok := AsError(err)
	if !ok || ae.Kind != KindInvalid || len(ae.Fields) == 0 {
		t.Fatalf("refusal %v is not an Invalid error with fields", err)
	}
	for path, msg := range ae.Fields {
		m := orderFields.FindStringSubmatch(path)
		if m == nil || msg == "" {
			t.Fatalf("refusal names field %q (%q)", path, msg)
		}
		if m[1] != "" {
			if i, err := strconv.Atoi(m[1]); err != nil || i >= len(in.Lines) {
				t.Fatalf("refusal names %s, the order has %d lines", path, len(in.Lines))
			}
		}
	}
}

// checkValidOrder holds an accepted order to validation's promises.
func checkValidOrder(t *testing.T, in NewOrder, v ValidOrder, now time.Time) {
	t.Helper()
	if in.Channel == "" || in.ExternalID == "" || len(in.Lines) == 0 || len(in.Lines) > maxOrderLines {
		t.Fatalf("accepted channel %q, external id %q, %d lines", in.Channel, in.ExternalID, len(in.Lines))
	}
	if cur, ok := money.LookupCurrency(in.Currency); !ok || cur != v.currency {
		t.Fatalf("accepted currency %q as %+v", in.Currency, v.currency)
	}
	var subtotal int64
	for i, l := range in.Lines {
		if l.Quantity < 1 || l.Quantity > maxLineQuantity || l.SKU == "" {
			t.Fatalf("accepted line %d: %+v", i, l)
		}
		price, err := money.Parse(string(l.UnitPrice), v.currency)
		if err != nil || price != v.unitPrices[i] || price < 0 {
			t.Fatalf("line %d price %q taken as %d (%v)", i, l.UnitPrice, v.unitPrices[i], err)
		}
		if price > 0 && l.Quantity > (math.MaxInt64-subtotal)/price {
			t.Fatalf("accepted a subtotal beyond int64")
		}
		subtotal += l.Quantity * price
	}
	if subtotal != v.subtotal || v.shipping < 0 || v.total != v.subtotal+v.shipping || v.total < v.subtotal {
		t.Fatalf("totals %+v, lines add up to %d", v, subtotal)
	}
	switch in.Delivery.Method {
	case "ship":
		if in.ShippingAddress == nil {
			t.Fatal("accepted a shipped order without an address")
		}
	case "pickup":
		if in.Delivery.Location == "" {
			t.Fatal("accepted a pickup without a location")
		}
	default:
		t.Fatalf("accepted delivery method %q", in.Delivery.Method)
	}
	if sa := in.ShippingAddress; sa != nil && (!geo.ValidCountry(sa.Country) || sa.Line1 == "" || sa.City == "") {
		t.Fatalf("accepted address %+v", sa)
	}
	if v.placedAt.After(now.Add(24*time.Hour)) || v.placedAt.Location() != time.UTC {
		t.Fatalf("accepted placed_at %v", v.placedAt)
	}
	if tagProblem(in.Tags) != "" || !reflect.DeepEqual(normTags(in.Tags), in.Tags) {
		t.Fatalf("accepted tags %q", in.Tags)
	}
}
