package channels_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"switchyard/app/channels"
	store "switchyard/sql"
)

// withRefunds is order body changed ago before now, showing refunds (id, reason, total).
func (e *pullEnv) withRefunds(body []byte, ago time.Duration, refunds ...map[string]any) []byte {
	e.t.Helper()
	var o map[string]any
	if err := json.Unmarshal(body, &o); err != nil {
		e.t.Fatal(err)
	}
	list := []any{}
	for _, f := range refunds {
		list = append(list, f)
	}
	o["refunds"] = list
	o["date_modified_gmt"] = e.clock().Add(-ago).UTC().Format("2006-01-02T15:04:05")
	out, err := json.Marshal(o)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// refundRows lists the refunds recorded on WooCommerce order id.
func (e *pullEnv) refundRows(id int64) ([]store.Refund, int64) {
	e.t.Helper()
	o, ok := e.find(id)
	if !ok {
		e.t.Fatalf("no order %d", id)
	}
	rows, err := e.app.Read().ListOrderRefunds(context.Background(), o.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	row, err := e.app.Read().GetOrder(context.Background(), o.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return rows, row.Refunded
}

// updated delivers body as WooCommerce's order.updated webhook, signed.
func (e *pullEnv) updated(body []byte) channels.WebhookResult {
	e.t.Helper()
	res, err := e.ch.ReceiveWoo(context.Background(), channels.Delivery{Channel: "woo", Topic: "order.updated",
		Signature: channels.Sign(body, wooHook), Body: body})
	if err != nil {
		e.t.Fatalf("webhook: %v", err)
	}
	return res
}

// TestWooRefundsRecordedOnce: the refunds an order.updated webhook or the
// reconciliation pull shows are recorded once each, by WooCommerce's id; a
// refund above what was paid is recorded as sent, counted up to the total.
func TestWooRefundsRecordedOnce(t *testing.T) {
	e := newPullEnv(t, wooKey+":"+wooSecret)
	body := e.order(901, 3*time.Hour)
	e.webhook(body)
	if rows, refunded := e.refundRows(901); len(rows) != 0 || refunded != 0 {
		t.Fatalf("before: %+v %d", rows, refunded)
	}

	ten := map[string]any{"id": 11, "reason": "Damaged in transit", "total": "-10.00"}
	one := e.withRefunds(body, 2*time.Hour, ten)
	e.updated(one)
	if res := e.updated(one); !res.Duplicate {
		t.Fatalf("the same delivery again: %+v", res)
	}
	e.updated(e.withRefunds(body, 90*time.Minute, ten)) // another change, the same refund
	rows, refunded := e.refundRows(901)
	if len(rows) != 1 || rows[0].ExternalID.String != "11" || rows[0].Amount != 1000 || refunded != 1000 || rows[0].Source != "channel" {
		t.Fatalf("after the webhooks: %+v, refunded %d", rows, refunded)
	}

	// The pull sees a second refund the webhooks missed.
	e.store.Put(t, e.withRefunds(body, time.Hour, ten, map[string]any{"id": 12, "reason": "", "total": "-5.00"}))
	e.pull()
	e.advance(time.Minute)
	e.pull()
	rows, refunded = e.refundRows(901)
	if len(rows) != 2 || rows[1].ExternalID.String != "12" || refunded != 1500 {
		t.Fatalf("after the pull: %+v, refunded %d", rows, refunded)
	}

	// 500.00 refunded of what was paid: recorded as WooCommerce said, counted up to the total.
	e.updated(e.withRefunds(body, 30*time.Minute, ten, map[string]any{"id": 13, "reason": "oops", "total": "-500.00"}))
	rows, refunded = e.refundRows(901)
	o, _ := e.find(901)
	total, err := e.app.Read().GetOrder(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[2].Amount != 50000 || refunded != total.Total || total.Total >= 50000 {
		t.Fatalf("over-refund: %+v, refunded %d", rows, refunded)
	}
}
