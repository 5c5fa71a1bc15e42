package desk

import (
	"context"
	"fmt"
	"switchyard/app/apptest"
	"testing"
)

// BenchmarkOrderList measures the first page and a deep page of the order list,
// unfiltered and filtered, with a million orders stored. Target: under 10 ms.
func BenchmarkOrderList(b *testing.B) {
	a := apptest.MillionOrders(b)
	ctx := context.Background()
	for _, q := range []struct {
		name string
		q    OrderQuery
	}{
		{"newest", OrderQuery{}},
		{"status", OrderQuery{Status: "on_hold"}},
		{"channel", OrderQuery{Channel: "shop"}},
		{"tag", OrderQuery{Tag: "vip"}},
		{"on_hold_oldest", OrderQuery{OnHold: true, Sort: "oldest"}},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				page, err := svc(a).Orders(ctx, q.q)
				if err != nil || len(page.Orders) == 0 {
					b.Fatalf("%d orders, %v", len(page.Orders), err)
				}
			}
		})
	}
}

// BenchmarkOrderPage measures reading one order with its lines and timeline,
// with a million orders stored. Target: under 10 ms.
func BenchmarkOrderPage(b *testing.B) {
	a := apptest.MillionOrders(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i = (i + 7919) % apptest.BenchOrders
		if _, err := a.OrderByNumber(ctx, fmt.Sprintf("SY-%06d", i+1)); err != nil {
			b.Fatal(err)
		}
	}
}
