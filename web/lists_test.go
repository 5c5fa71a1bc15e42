package web_test

import (
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
