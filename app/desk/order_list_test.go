package desk

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"fmt"
	"testing"
	"time"
)

// listAll walks every page of a query and returns the orders in order.
func listAll(t *testing.T, a *app.App, q OrderQuery) []OrderSummary {
	t.Helper()
	var all []OrderSummary
	for {
		page, err := svc(a).Orders(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Orders...)
		if page.Next == "" {
			return all
		}
		q.After = page.Next
	}
}

func TestOrderListFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	a := apptest.OrderNetwork(t)
	apptest.MustChannel(t, a, "shop", 0)
	apptest.MustLocation(t, a, "L3", "shop")
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i := range 30 {
		ch, tag := "web", `"VIP"`
		if i%3 == 0 {
			ch, tag = "shop", `"gift"`
		}
		placed := base.Add(time.Duration(i) * time.Hour).Format(time.RFC3339)
		in := apptest.DecodeOrder(t, `"channel": "web"`, `"channel": "`+ch+`"`, `"100234"`, fmt.Sprintf(`"E%02d"`, i),
			`2026-11-20T10:00:00Z`, placed, `"VIP"`, tag)
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if _, err := a.Hold(ctx, app.System, o.Number, app.HoldInput{Reason: "payment"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name string
		q    OrderQuery
		want int
	}{
		{"all", OrderQuery{Limit: 7}, 30},
		{"oldest first", OrderQuery{Limit: 4, Sort: "oldest"}, 30},
		{"channel", OrderQuery{Channel: "shop", Limit: 3}, 10},
		{"status", OrderQuery{Status: "on_hold", Limit: 2}, 6},
		{"on hold", OrderQuery{OnHold: true}, 6},
		{"tag", OrderQuery{Tag: "GIFT", Limit: 3}, 10},
		{"tag and channel", OrderQuery{Tag: "vip", Channel: "shop"}, 0},
		{"date range", OrderQuery{From: base.Add(5 * time.Hour), To: base.Add(15 * time.Hour), Limit: 4}, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			all := listAll(t, a, tc.q)
			if len(all) != tc.want {
				t.Fatalf("%d orders, want %d", len(all), tc.want)
			}
			seen := map[string]bool{}
			for i, o := range all {
				if seen[o.Number] {
					t.Fatalf("%s on two pages", o.Number)
				}
				seen[o.Number] = true
				if i == 0 {
					continue
				}
				prev := all[i-1].PlacedAt
				if (tc.q.Sort == "oldest" && o.PlacedAt.Before(prev)) || (tc.q.Sort != "oldest" && o.PlacedAt.After(prev)) {
					t.Fatalf("out of order at %d: %v after %v", i, o.PlacedAt, prev)
				}
			}
		})
	}
	page, err := svc(a).Orders(ctx, OrderQuery{})
	if err != nil || page.Total != 30 || page.Counts[app.StatusOnHold] != 6 || page.Counts[app.StatusRouted]+page.Counts[app.StatusBackordered] != 24 {
		t.Fatalf("counts %v total %d (%v)", page.Counts, page.Total, err)
	}
	if _, err := svc(a).Orders(ctx, OrderQuery{Status: "lost"}); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("unknown status: %v", err)
	}
	if _, err := svc(a).Orders(ctx, OrderQuery{After: "x"}); app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestOrderListSaysMoreThanTheCap(t *testing.T) {
	ctx := context.Background()
	a := apptest.OrderNetwork(t)
	for i := range 4 {
		in := apptest.DecodeOrder(t, `"100234"`, fmt.Sprintf(`"M%02d"`, i))
		if _, _, err := a.PlaceOrder(ctx, app.System, in); err != nil {
			t.Fatal(err)
		}
	}
	defer func(n int64) { orderCountCap = n }(orderCountCap)
	orderCountCap = 3
	page, err := svc(a).Orders(ctx, OrderQuery{Tag: "vip", Limit: 1})
	if err != nil || page.Count != 3 || !page.Capped {
		t.Errorf("tag vip: count %d capped %v (%v), want more than 3", page.Count, page.Capped, err)
	}
	page, err = svc(a).Orders(ctx, OrderQuery{Limit: 1})
	if err != nil || page.Count != 4 || page.Capped {
		t.Errorf("all: count %d capped %v (%v), want exactly 4 from the count table", page.Count, page.Capped, err)
	}
}
