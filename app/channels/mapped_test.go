package channels

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// orderFixtures are the fixtures that are order bodies, with their mapper.
var orderFixtures = map[string]func(string, []byte) (Mapped, error){
	"shopify_orders_create_activepieces_devstore_2023.json":                ShopifyOrder,
	"shopify_orders_cancelled_activepieces_devstore_2023.json":             ShopifyOrder,
	"shopify_orders_create_docs_sample_2026-04_gadget.json":                ShopifyOrder,
	"shopify_order_rest_wrapped_2014_shopify-fulfillment-integration.json": ShopifyOrder,
	"shopify_order_rest_wrapped_go-shopify.json":                           ShopifyOrder,
	"woocommerce_order_created_v3_docs.json":                               WooOrder,
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenShopifyWooMappers(t *testing.T) {
	for name, mapper := range orderFixtures {
		t.Run(name, func(t *testing.T) {
			m, err := mapper("shop", fixture(t, name))
			if err != nil {
				t.Fatalf("map: %v", err)
			}
			got, err := json.MarshalIndent(struct {
				Mapped
				Hold any `json:"hold"` // NewOrder does not marshal its hold
			}{m, m.Order.Hold}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".json")+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("mapped order differs from %s (run with -update after checking):\n%s", golden, got)
			}
		})
	}
}

// The facts SOURCES.md lists, each checked by name rather than only through the golden files.
func TestShopifyMapperFacts(t *testing.T) {
	m, err := ShopifyOrder("shop", fixture(t, "shopify_orders_create_docs_sample_2026-04_gadget.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Order.ExternalID != "820982911946154508" { // the true id, from admin_graphql_api_id; 2^53 < id
		t.Errorf("external id = %s", m.Order.ExternalID)
	}
	if m.Order.ChannelRef != "#9999" || !m.Order.Test || !m.Cancelled || !strings.Contains(m.CancelReason, "customer") {
		t.Errorf("ref %q test %v cancelled %v (%q)", m.Order.ChannelRef, m.Order.Test, m.Cancelled, m.CancelReason)
	}
	if got := m.Order.Lines[0].ExternalID; got != "487817672276298560" {
		t.Errorf("line id = %s, want the digits as sent", got)
	}

	m, err = ShopifyOrder("shop", fixture(t, "shopify_orders_cancelled_activepieces_devstore_2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	sa := m.Order.ShippingAddress
	if sa == nil || sa.Lat == nil || *sa.Lat != 43.6522608 || *sa.Lon != -79.3776862 || sa.Country != "CA" {
		t.Errorf("shipping address = %+v", sa)
	}
	if m.Order.Hold == nil || m.Order.Hold.Reason != "other" ||
		!strings.Contains(m.Order.Hold.Note, "line 1 (The Complete Snowboard - Powder, variant 44872881537334) has no SKU") {
		t.Errorf("hold = %+v", m.Order.Hold)
	}
	if len(m.Order.Lines) != 2 || m.Order.Lines[1].SKU != NoSKU || m.Order.Lines[1].Quantity != 2 {
		t.Errorf("lines = %+v", m.Order.Lines)
	}
	if m.Order.ShippingPrice != "30.00" || m.Order.Lines[0].UnitPrice != "699.95" {
		t.Errorf("money: shipping %q price %q", m.Order.ShippingPrice, m.Order.Lines[0].UnitPrice)
	}

	m, err = ShopifyOrder("shop", fixture(t, "shopify_orders_create_activepieces_devstore_2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Order.Customer.Email != "" || m.Cancelled || m.Order.Hold == nil || m.Order.Hold.Reason != "address_check" {
		t.Errorf("draft order without address: %+v hold %+v", m.Order.Customer, m.Order.Hold)
	}
}

func TestShopifyMapperMoneyAsNumberAndNullVariant(t *testing.T) {
	body := `{"id": 9007199254740993, "name": "#1", "currency": "EUR", "line_items": [{"id": 9007199254740995, "variant_id": null, "sku": "A", "name": "a", "quantity": 1, "price": 19.9}],
	 "shipping_address": {"address1": "1 rue", "city": "Lyon", "country_code": "FR", "latitude": 45.75, "longitude": 4.85}}`
	m, err := ShopifyOrder("shop", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if m.Order.ExternalID != "9007199254740993" || m.Order.Lines[0].ExternalID != "9007199254740995" || m.Order.Lines[0].UnitPrice != "19.9" {
		t.Errorf("got %+v", m.Order)
	}
	if m.Order.Hold != nil {
		t.Errorf("hold = %+v", m.Order.Hold)
	}
}

func TestShopifyMapperRejectsClearly(t *testing.T) {
	for body, want := range map[string]string{
		`not json`:                                                "not valid JSON",
		`{"id": 1.5, "currency": "USD"}`:                          "not a whole number",
		`{"id": "x", "currency": "USD"}`:                          "not a whole number",
		`{"currency": "USD", "line_items": []}`:                   "no id",
		`{"id": 1, "currency": "USD", "created_at": "yesterday"}`: "RFC 3339",
	} {
		_, err := ShopifyOrder("shop", []byte(body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", body, err, want)
		}
	}
	for _, name := range []string{"shopify_fulfillments_create_docs_sample_2026-04_gadget.json", "shopify_fulfillment_rest_wrapped_go-shopify.json"} {
		if _, err := ShopifyOrder("shop", fixture(t, name)); !errors.Is(err, ErrNotOrder) {
			t.Errorf("%s: err = %v, want ErrNotOrder", name, err)
		}
	}
}

func TestWooMapperFacts(t *testing.T) {
	m, err := WooOrder("woo", fixture(t, "woocommerce_order_created_v3_docs.json"))
	if err != nil {
		t.Fatal(err)
	}
	o := m.Order
	if o.ExternalID != "727" || o.ChannelRef != "727" || o.PlacedAt == nil || o.PlacedAt.Format("2006-01-02T15:04:05Z07:00") != "2017-03-22T19:28:02Z" {
		t.Errorf("ids/date: %+v", o)
	}
	if o.Lines[0].UnitPrice != "3" || o.Lines[0].SKU != NoSKU || o.Lines[1].SKU != "Bar3" || o.ShippingPrice != "10.00" {
		t.Errorf("lines %+v shipping %q", o.Lines, o.ShippingPrice)
	}
	if o.Hold == nil || !strings.Contains(o.Hold.Note, "line 1 (Woo Single #1, product 93) has no SKU") {
		t.Errorf("hold = %+v", o.Hold)
	}
	if !IsWooPing([]byte("webhook_id=12")) || IsWooPing([]byte(`{"id":1}`)) {
		t.Error("ping detection")
	}
}

func TestWebhookHMACKnownVector(t *testing.T) {
	body := []byte(`"my secret message"`)
	const want = "hMTq0K2x7oyOjoBwGYeTj5oxfnaVYXzbanUG9aajpKI="
	if got := Sign(body, "hush"); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if !Verify(body, want, []string{"hush"}) || !Verify(body, want, []string{"old-secret", "hush"}) {
		t.Error("the vector does not verify")
	}
	altered := append([]byte{}, body...)
	altered[3] ^= 1
	for name, ok := range map[string]bool{
		"wrong secret": Verify(body, want, []string{"hushh"}),
		"no secret":    Verify(body, want, nil),
		"empty header": Verify(body, "", []string{"hush"}),
		"not base64":   Verify(body, "!!", []string{"hush"}),
		"altered body": Verify(altered, want, []string{"hush"}),
		"empty secret": Verify(body, Sign(body, ""), []string{""}),
	} {
		if ok {
			t.Errorf("%s verifies", name)
		}
	}
}
