package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/app"
)

func TestQueueTabPagesLateFirstToTheEnd(t *testing.T) {
	env := excEnv(t)
	var late, onTime []string
	for i := range 3 {
		late = append(late, excPlace(t, env, "QL"+itoa(int64(i)), "CAP", 1).Number)
	}
	env.Clock.Advance(10 * 24 * time.Hour) // their promises pass
	for i := range 4 {
		onTime = append(onTime, excPlace(t, env, "QT"+itoa(int64(i)), "CAP", 1).Number)
	}
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	row := regexp.MustCompile(`data-testid="fulfillment" data-id="[0-9]+" data-order="([^"]+)" class="late`)
	anyRow := regexp.MustCompile(`data-testid="fulfillment" data-id="[0-9]+" data-order="([^"]+)"`)
	start := "/locations/LYS-WH/queue?limit=2&status=pending"
	p := followPages(t, lead, start, anyRow)
	if want := append(slices.Clone(late), onTime...); !slices.Equal(p.rows, want) {
		t.Errorf("pending pages = %v, want the late ones first, each oldest first: %v", p.rows, want)
	}
	if len(p.urls) != 4 {
		t.Errorf("pages %v, want 4 of 2", p.urls)
	}
	checkPages(t, p, "7 fulfillments", start, "status=pending", "limit=2", "after=")
	if got := followPages(t, lead, start, row).rows; !slices.Equal(got, late) {
		t.Errorf("late rows = %v, want %v", got, late)
	}
	if res := lead.Get("/locations/LYS-WH/queue?after=x~1"); res.StatusCode != 422 {
		t.Errorf("bad cursor = %d, want 422", res.StatusCode)
	}
}

func TestLedgerPagesToTheEndWithItsCount(t *testing.T) {
	env := pgStockEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	for i := 1; i <= 6; i++ {
		_, err := env.App.AdjustStock(context.Background(), app.System, app.Adjustments{Adjustments: []app.Adjustment{
			{Location: "LYS-WH", SKU: "TEE-BLK-M", Delta: 1, Reason: app.ReasonReceipt, Note: "delivery " + itoa(int64(i))},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	level, err := env.App.Ledger(context.Background(), "LYS-WH", "TEE-BLK-M", 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range level.Entries {
		want = append(want, itoa(e.ID))
	}
	start := "/stock/LYS-WH/TEE-BLK-M/ledger?limit=4"
	p := followPages(t, ops, start, regexp.MustCompile(`data-testid="ledger-entry" data-id="([0-9]+)"`))
	if !slices.Equal(p.rows, want) || len(want) < 7 {
		t.Errorf("ledger pages = %v, want every movement newest first %v", p.rows, want)
	}
	checkPages(t, p, itoa(int64(len(want)))+" movements", start, "limit=4", "before=")
	if res := ops.Get("/stock/LYS-WH/TEE-BLK-M/ledger?before=x"); res.StatusCode != 422 {
		t.Errorf("bad cursor = %d, want 422", res.StatusCode)
	}
}

func TestOutboxStatusPagesToTheEnd(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	admin, _ := env.SignedIn(app.RoleAdmin)
	if res := admin.PostForm("/admin/webhooks", url.Values{"url": {"https://example.com/hooks"}, "events": app.WebhookEvents}); res.StatusCode != http.StatusCreated {
		t.Fatalf("create endpoint = %d", res.StatusCode)
	}
	for i := range 7 { // each cancellation tells the endpoint
		o := ordPlace(t, env, "OB"+itoa(int64(i)), nil)
		if _, err := env.App.Cancel(ctx, app.System, o.Number, app.CancelInput{Reason: "customer"}); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := env.Svc.Outbox.OutboxMessages(ctx, app.OutboxPending, 100000)
	if err != nil || len(msgs) < 5 {
		t.Fatalf("pending messages: %d, %v; want a few", len(msgs), err)
	}
	var want []string
	for _, m := range msgs {
		want = append(want, itoa(m.ID))
	}
	start := "/admin/outbox?limit=3&status=pending"
	p := followPages(t, admin, start, regexp.MustCompile(`<tr data-id="([0-9]+)"`))
	if !slices.Equal(p.rows, want) {
		t.Errorf("pending pages = %v, want newest first %v", p.rows, want)
	}
	checkPages(t, p, itoa(int64(len(want)))+" messages", start, "status=pending", "limit=3", "before=")
	summary := admin.Get("/admin/outbox").Body
	for _, s := range []string{"No messages", itoa(int64(len(want))) + " messages"} {
		if !strings.Contains(summary, `data-testid="pager-count">`+s+`<`) {
			t.Errorf("the outbox summary does not say %q", s)
		}
	}
	if res := admin.Get("/admin/outbox?status=lost"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown status = %d, want 422", res.StatusCode)
	}
}
