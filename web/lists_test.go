package web_test

import (
	"context"
	"regexp"
	"slices"
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
