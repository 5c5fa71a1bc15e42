package returns

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
)

func TestListFiltersPagesAndCounts(t *testing.T) {
	a, c := network(t)
	s, ctx := svc(a), context.Background()
	var numbers []string
	for i, reason := range []string{"too_small", "damaged", "too_small"} {
		o := delivered(t, a, fmt.Sprintf("L%d", i), 1)
		r, _, err := s.Create(ctx, support, o.Number, NewReturn{Resolution: ResolutionRefund,
			Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: reason, Note: "=HYPERLINK(\"x\")"}}, Note: "=1+2"})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, r.Number)
		c.Add(time.Hour)
	}
	if _, err := s.Cancel(ctx, support, numbers[0]); err != nil {
		t.Fatal(err)
	}
	all, err := s.List(ctx, ListQuery{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Returns) != 2 || all.Returns[0].Number != numbers[2] || all.Next == "" {
		t.Fatalf("first page: %+v next %q", all.Returns, all.Next)
	}
	if all.Total != 3 || all.Counts[StatusCancelled] != 1 || all.Counts[StatusApproved] != 2 {
		t.Fatalf("counts: %v total %d", all.Counts, all.Total)
	}
	next, err := s.List(ctx, ListQuery{Limit: 2, After: all.Next})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Returns) != 1 || next.Returns[0].Number != numbers[0] || next.Next != "" {
		t.Fatalf("second page: %+v next %q", next.Returns, next.Next)
	}
	small, err := s.List(ctx, ListQuery{Reason: "too_small", Status: "approved"})
	if err != nil {
		t.Fatal(err)
	}
	if len(small.Returns) != 1 || small.Returns[0].Number != numbers[2] || small.Returns[0].Units != 1 {
		t.Fatalf("too_small approved: %+v", small.Returns)
	}
	none, err := s.List(ctx, ListQuery{Location: "BER"})
	if err != nil || len(none.Returns) != 0 || none.Total != 0 {
		t.Fatalf("Berlin: %+v %v", none, err)
	}
	_, err = s.List(ctx, ListQuery{Status: "lost", Channel: "nope", Reason: "bored"})
	if f := fields(t, err); f["status"] == "" || f["channel"] == "" || f["reason"] == "" {
		t.Fatalf("fields: %v", f)
	}
	var buf bytes.Buffer
	if err := s.Export(ctx, ListQuery{Status: "approved"}, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1][0] != numbers[2] || recs[1][len(recs[1])-1] != "'=1+2" {
		t.Fatalf("csv: %q", recs)
	}
}

// benchReturns is how many returns BenchmarkReturnsList100k stores.
const benchReturns = 100_000

// BenchmarkReturnsList100k reads the first page of the returns list (and its
// counts) at 100,000 returns: unfiltered, by status, by reason, by location.
func BenchmarkReturnsList100k(b *testing.B) {
	a := apptest.NewApp(b)
	apptest.MustChannel(b, a, "web", 0)
	apptest.MustChannel(b, a, "shop", 0)
	apptest.MustLocation(b, a, "L1", "web")
	apptest.MustLocation(b, a, "L2", "web")
	apptest.MustSKU(b, a, "TEE")
	seedReturns(b, a)
	s, ctx := New(a), context.Background()
	for _, q := range []struct {
		name string
		q    ListQuery
	}{{"all", ListQuery{}}, {"status", ListQuery{Status: "cancelled"}}, {"reason", ListQuery{Reason: "damaged"}},
		{"location", ListQuery{Location: "L2", Channel: "shop"}},
		{"deep", ListQuery{After: fmt.Sprintf("%d.%d", 1700000000000+50_000*60_000, 50_000)}}} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				l, err := s.List(ctx, q.q)
				if err != nil || len(l.Returns) == 0 {
					b.Fatalf("list: %d %v", len(l.Returns), err)
				}
			}
		})
	}
}

// seedReturns writes benchReturns delivered orders of one line, each with a
// return of that line, straight through SQL.
func seedReturns(b *testing.B, a *app.App) {
	b.Helper()
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path()+"?_journal_mode=WAL&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	statuses := `CASE WHEN i % 50 = 0 THEN 'cancelled' WHEN i % 7 = 0 THEN 'requested' WHEN i % 3 = 0 THEN 'received' ELSE 'approved' END`
	reasons := `CASE WHEN i % 9 = 0 THEN 'damaged' WHEN i % 2 = 0 THEN 'too_small' ELSE 'too_large' END`
	for _, q := range []string{
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
		INSERT INTO orders (id, number, channel_id, external_id, placed_at, currency, customer_email, customer_name,
			ship_line1, ship_city, ship_country, delivery, subtotal, shipping_price, total, status, on_hold, hold_reason,
			tracking_token, created_at, updated_at, tags)
		SELECT i, printf('SY-%%06d', i), 1 + (i %% 2), 'E' || i, 1700000000000 + i * 60000, 'EUR',
			'customer' || i || '@example.com', 'Customer ' || i, i || ' rue de la Paix', 'Lyon', 'FR', 'ship',
			1990, 490, 2480, 'delivered', 0, '', lower(hex(randomblob(16))), 0, 0, '' FROM n`, benchReturns),
		`INSERT INTO order_lines (id, order_id, line_no, sku_id, sku, quantity, unit_price, shipped)
			SELECT id, id, 1, 1, 'TEE', 1, 1990, 1 FROM orders`,
		fmt.Sprintf(`INSERT INTO returns (id, number, order_id, channel_id, status, resolution, location_id, started_by,
			actor_name, reasons, requested_at, approved_at, updated_at)
		SELECT id, printf('RT-%%06d', id), id, channel_id, %s, 'refund', 1 + (id %% 2), 'support', 'Sam',
			%s, placed_at + 1000, placed_at + 2000, placed_at + 2000 FROM orders`,
			strings.ReplaceAll(statuses, "i %", "id %"), strings.ReplaceAll(reasons, "i %", "id %")),
		`INSERT INTO return_lines (return_id, order_line_id, sku_id, sku, quantity, unit_price, reason)
			SELECT r.id, r.id, 1, 'TEE', 1, 1990, r.reasons FROM returns r`,
		`ANALYZE`,
	} {
		if _, err := raw.Exec(q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
}

// The list finds a reason in a return's reasons with instr: no code may be part of another.
func TestNoReasonCodeIsPartOfAnother(t *testing.T) {
	for _, a := range Reasons {
		for _, b := range Reasons {
			if a != b && strings.Contains(a, b) {
				t.Errorf("reason %q contains %q", a, b)
			}
		}
	}
}
