package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	channelsin "switchyard/app/channels_in"
)

// hookBenchSummary is the last line `switchyard bench webhooks` prints.
var hookBenchSummary = regexp.MustCompile(`^webhooks: (\d+) orders/s, p50 (\d+\.\d) ms, p99 (\d+\.\d) ms, errors (\d+)$`)

// hookBenchCreated is its line on the orders the database holds afterwards.
var hookBenchCreated = regexp.MustCompile(`(?m)^  orders created (\d+) of (\d+) deliveries .*: OK$`)

func TestBenchWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and takes in a few hundred webhooks")
	}
	db := filepath.Join(t.TempDir(), "hooks.db")
	out, m := runBenchCmd(t, hookBenchSummary, "bench", "webhooks", "--orders", "200", "--concurrency", "8", "--db", db)
	if n, _ := strconv.Atoi(m[1]); n <= 0 {
		t.Errorf("%s orders/s, want more than 0", m[1])
	}
	if p50, p99 := m[2], m[3]; mustFloat(t, p50) > mustFloat(t, p99) {
		t.Errorf("p50 %s ms above p99 %s ms", p50, p99)
	}
	if c := hookBenchCreated.FindStringSubmatch(out.String()); c == nil || c[1] != "200" || c[2] != "200" {
		t.Errorf("want \"orders created 200 of 200 deliveries ...: OK\"; output:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "0 ledger mismatches, 0 reserved mismatches, 0 chain breaks: OK") {
		t.Errorf("after the run the stock invariants must be checked and hold; output:\n%s", out.String())
	}

	// In the database: one order per delivery, 100 from each channel, with
	// the exact ids sent (Shopify's above 2^53) and SKUs that route.
	of := func(channel string) string {
		return "channel_id IN (SELECT id FROM channels WHERE code = '" + channel + "')"
	}
	if n := countRowsWhere(t, db, "orders", of(benchShopifyChannel)+" AND CAST(external_id AS INTEGER) > 7000000000000000000"); n != 100 {
		t.Errorf("Shopify orders with ids above 7e18 = %d, want 100", n)
	}
	if n := countRowsWhere(t, db, "orders", of(benchWooChannel)); n != 100 {
		t.Errorf("WooCommerce orders = %d, want 100", n)
	}
	if n := countRowsWhere(t, db, "orders", of(benchWooChannel)+" AND status = 'routed'"); n != 100 {
		t.Errorf("routed WooCommerce orders = %d, want 100 (their lines carry stocked SKUs)", n)
	}
}

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
		var got channelsin.Mapped
		if fx.kind == "shopify" {
			got, err = channelsin.ShopifyOrder("c", body)
		} else {
			got, err = channelsin.WooOrder("c", body)
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
		raw, err := webhookFixtureFS.ReadFile("benchdata/webhooks/" + fx.file)
		if err != nil {
			t.Fatal(err)
		}
		var want channelsin.Mapped
		if fx.kind == "shopify" {
			want, err = channelsin.ShopifyOrder("c", raw)
		} else {
			want, err = channelsin.WooOrder("c", raw)
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
