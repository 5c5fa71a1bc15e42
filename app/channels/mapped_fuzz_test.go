package channels

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"switchyard/app"
)

// hostileBodies are order bodies a channel (or someone posing as one) may
// send: wrong types, negative and huge numbers, ids beyond 2^53, odd times.
var hostileBodies = []string{
	`{"id": 1, "currency": "EUR", "line_items": [{"id": 2, "sku": "A", "quantity": -3, "price": "-1.00"}]}`,
	`{"id": "18446744073709551615", "line_items": [{"quantity": "9223372036854775807", "price": 1e400}]}`,
	`{"id": 9007199254740993, "admin_graphql_api_id": "gid://shopify/Order/9007199254740993"}`,
	`{"id": 1.5}`, `{"id": -1}`, `{"id": "0x10"}`, `{"order": {"id": 7, "currency": "USD"}}`, `{"order": []}`,
	`{"id": 3, "currency": "usd", "processed_at": "2026-13-01T00:00:00Z"}`,
	`{"id": 4, "date_created_gmt": "2017-03-22 19:28:02", "status": "pending", "line_items": [{"name": "\u0000\ud800"}]}`,
	`{"id": 5, "status": "trash", "shipping": {"address_1": " ", "city": " "}, "billing": null}`,
	`{"id": 6, "tags": ",, ,a,` + strings.Repeat("b", 60) + `", "note": "` + strings.Repeat("é", 2100) + `"}`,
	`[]`, `null`, `1`, `"order"`, ``, `{`, `{"line_items": {}}`, `{"id": 8, "line_items": [null, {}]}`,
	"{\"id\": 9, \"currency\": \"EUR\", \"note\": \"\xff\xfe\"}",
}

// FuzzShopifyMapper maps any body as a Shopify order and holds the answer to
// the mapper's promises (see checkMapped).
func FuzzShopifyMapper(f *testing.F) {
	for name := range orderFixtures {
		f.Add(fixture(f, name))
	}
	f.Add(fixture(f, "shopify_fulfillments_create_docs_sample_2026-04_gadget.json"))
	for _, b := range hostileBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := ShopifyOrder("shop", body)
		checkMapped(t, "shop", m, err)
		checkDeterministic(t, ShopifyOrder, body, m, err)
	})
}

// FuzzWooMapper maps any body as a WooCommerce order and holds the answer to
// the mapper's promises (see checkMapped); a ping is never an order.
func FuzzWooMapper(f *testing.F) {
	for name := range orderFixtures {
		f.Add(fixture(f, name))
	}
	f.Add([]byte("webhook_id=3"))
	for _, b := range hostileBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := WooOrder("woo", body)
		if IsWooPing(body) && err == nil {
			t.Fatalf("a ping %q maps to an order", body)
		}
		checkMapped(t, "woo", m, err)
		checkDeterministic(t, WooOrder, body, m, err)
	})
}

// checkMapped holds every mapper answer to its promises: an error says
// something and maps nothing; a mapped order is for the channel, has an id in
// digits, keeps every line with a SKU, clips what it promises to clip, holds
// the order (with a known reason) exactly when it found problems, and every
// text it carries is UTF-8.
func checkMapped(t *testing.T, channel string, m Mapped, err error) {
	t.Helper()
	if err != nil {
		if err.Error() == "" {
			t.Fatal("empty error")
		}
		if !reflect.DeepEqual(m, Mapped{}) {
			t.Fatalf("an error (%v) with a mapped order %+v", err, m)
		}
		return
	}
	o := m.Order
	if o.Channel != channel {
		t.Fatalf("channel %q, want %q", o.Channel, channel)
	}
	if o.ExternalID == "" || strings.Trim(o.ExternalID, "0123456789") != "" {
		t.Fatalf("external id %q", o.ExternalID)
	}
	for i, l := range o.Lines {
		if l.SKU == "" || l.SKU != strings.TrimSpace(l.SKU) {
			t.Fatalf("line %d has SKU %q", i, l.SKU)
		}
		if n := utf8.RuneCountInString(l.Name); n > 300 {
			t.Fatalf("line %d name has %d characters", i, n)
		}
	}
	if n := utf8.RuneCountInString(o.Note); n > 2000 {
		t.Fatalf("note has %d characters", n)
	}
	for _, tag := range o.Tags {
		if tag == "" || tag != strings.TrimSpace(tag) || utf8.RuneCountInString(tag) > 40 || strings.Contains(tag, ",") {
			t.Fatalf("tag %q", tag)
		}
	}
	switch {
	case (len(m.Problems) > 0) != (o.Hold != nil):
		t.Fatalf("problems %q with hold %+v", m.Problems, o.Hold)
	case o.Hold != nil && (!slices.Contains(app.HoldReasons, o.Hold.Reason) || utf8.RuneCountInString(o.Hold.Note) > 1000 || o.Hold.Note == ""):
		t.Fatalf("hold %+v", o.Hold)
	case m.Cancelled != (m.CancelReason != "") || (m.Cancelled && !strings.HasSuffix(m.CancelReason, ".")):
		t.Fatalf("cancelled %v with reason %q", m.Cancelled, m.CancelReason)
	case o.PlacedAt != nil && o.PlacedAt.Location() != time.UTC:
		t.Fatalf("placed at %v is not UTC", o.PlacedAt)
	case o.Hold == nil && o.ShippingAddress != nil && o.ShippingAddress.Line1 == NoAddressLine:
		t.Fatal("a placeholder address without a hold")
	}
	walkStrings(reflect.ValueOf(m), "mapped", func(path, s string) {
		if !utf8.ValidString(s) {
			t.Fatalf("%s = %q is not UTF-8", path, s)
		}
	})
	if co := m.ChannelOrder(); co == nil || !reflect.DeepEqual(co.Order, o) {
		t.Fatalf("ChannelOrder changes the order: %+v", co)
	}
}

// checkDeterministic maps body again and wants the same answer.
func checkDeterministic(t *testing.T, mapper func(string, []byte) (Mapped, error), body []byte, m Mapped, err error) {
	t.Helper()
	m2, err2 := mapper(m.Order.Channel, body)
	if err != nil {
		return
	}
	if err2 != nil || !reflect.DeepEqual(m, m2) {
		t.Fatalf("mapping again gives %+v, %v", m2, err2)
	}
}

// walkStrings calls fn with every string reachable from v, named by its path.
func walkStrings(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), path, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), path+"["+strconv.Itoa(i)+"]", fn)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
			}
		}
	}
}
