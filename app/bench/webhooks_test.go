package bench

import (
	"encoding/json"
	"testing"

	"switchyard/app/channels"
	"switchyard/benchdata"
)

// TestHookTemplate checks that a rendered delivery maps to the values it was
// given, ids exact, and that the rest of the fixture is unchanged.
func TestHookTemplate(t *testing.T) {
	fixtures, err := loadHookFixtures()
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) != len(webhookFixtures) {
		t.Fatalf("%d fixtures, want %d", len(fixtures), len(webhookFixtures))
	}
	for _, fx := range fixtures {
		v := hookValues{id: 7_000_000_000_000_000_123, orderNo: 4321, key: "abc1", skus: []string{"TEE-BLK-M", "HOOD-RED-L", "ACC-01-BLK", "CREW-SND-XS", "POLO-GRN-S"}[:fx.lines]}
		body := fx.render(nil, v)
		if !json.Valid(body) {
			t.Fatalf("%s: rendered body is not JSON: %.300s", fx.file, body)
		}
		var got channels.Mapped
		if fx.kind == "shopify" {
			got, err = channels.ShopifyOrder("c", body)
		} else {
			got, err = channels.WooOrder("c", body)
		}
		if err != nil {
			t.Fatalf("%s: %v", fx.file, err)
		}
		if got.Order.ExternalID != "7000000000000000123" {
			t.Errorf("%s: external id %q", fx.file, got.Order.ExternalID)
		}
		if fx.kind == "shopify" && got.Order.ChannelRef != "#4321" {
			t.Errorf("%s: channel ref %q", fx.file, got.Order.ChannelRef)
		}
		for i, l := range got.Order.Lines {
			if l.SKU != v.skus[i] {
				t.Errorf("%s: line %d SKU %q, want %q", fx.file, i+1, l.SKU, v.skus[i])
			}
		}
		// The same fixture mapped as it is, but for the rewritten values.
		raw, err := benchdata.FS.ReadFile("webhooks/" + fx.file)
		if err != nil {
			t.Fatal(err)
		}
		var want channels.Mapped
		if fx.kind == "shopify" {
			want, err = channels.ShopifyOrder("c", raw)
		} else {
			want, err = channels.WooOrder("c", raw)
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Order.Lines) != len(got.Order.Lines) || want.Order.Customer != got.Order.Customer ||
			want.Order.ShippingPrice != got.Order.ShippingPrice || want.Cancelled != got.Cancelled {
			t.Errorf("%s: the rendered delivery differs from the fixture beyond ids, numbers and SKUs:\n got %+v\nwant %+v", fx.file, got, want)
		}
	}
}
