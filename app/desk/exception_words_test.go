package desk

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// TestExceptionReasons: an order's state -> the reasons the exceptions list
// gives, most pressing first, each in words a new user reads right.
func TestExceptionReasons(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	past := sql.NullInt64{Int64: app.Millis(now.AddDate(0, 0, -3)), Valid: true}
	order := func(status app.Status, hold string, shipBy sql.NullInt64) store.ExceptionOrderFactsRow {
		return store.ExceptionOrderFactsRow{ID: 1, Number: "SY-000001", Status: string(status), HoldReason: hold, PromisedShipBy: shipBy}
	}
	rej := &store.ExceptionRejectionsRow{RejectReason: "no_stock", RejectNote: "shelf empty", LocationName: "Lyon warehouse"}
	for _, tc := range []struct {
		name  string
		o     store.ExceptionOrderFactsRow
		rej   *store.ExceptionRejectionsRow
		lines []store.ExceptionWaitingLinesRow
		want  []string
	}{
		{"held at the customer's request", order(app.StatusOnHold, "customer_request", sql.NullInt64{}), nil, nil,
			[]string{"On hold at the customer's request"}},
		{"held by routing", order(app.StatusOnHold, app.HoldStockReview, sql.NullInt64{}), nil, nil,
			[]string{"On hold because no location has every line in stock"}},
		{"held for payment, late", order(app.StatusOnHold, "payment", past), nil, nil,
			[]string{"On hold until the payment is confirmed", "Late: was to ship by 3 Dec"}},
		{"rejected", order(app.StatusRouted, "", sql.NullInt64{}), rej, nil,
			[]string{"Rejected by Lyon warehouse (no stock: shelf empty); not routed again yet"}},
		{"backordered", order(app.StatusBackordered, "", sql.NullInt64{}), nil,
			[]store.ExceptionWaitingLinesRow{{Sku: "TEE", Waiting: 3, Backordered: 2, BackorderLocation: "Lyon warehouse"}},
			[]string{"Waiting for stock: 2 × TEE backordered at Lyon warehouse, 1 × TEE not routed"}},
		{"received, nothing routed", order(app.StatusReceived, "", sql.NullInt64{}), nil, nil, []string{"Not routed yet"}},
		{"late in fulfillment", order(app.StatusInFulfillment, "", past), nil, nil, []string{"Late: was to ship by 3 Dec"}},
		{"shipped late is no exception", order(app.StatusShipped, "", past), nil, nil, nil},
	} {
		var got []string
		for _, r := range orderException(tc.o, tc.rej, tc.lines, now).Reasons {
			got = append(got, r.Text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
	l := levelException(store.ShortLevelsRow{Location: "PAR", LocationName: "Paris store", Sku: "TEE", OnHand: 1, Reserved: 3})
	if want := "Paris store has 1 × TEE on hand but 3 reserved"; l.Reasons[0].Text != want {
		t.Errorf("short level: %q, want %q", l.Reasons[0].Text, want)
	}
}
