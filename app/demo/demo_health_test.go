package demo

import (
	"context"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/desk"
	store "switchyard/sql"
)

// TestDemoLooksHealthy seeds the demo at fixed clocks (a weekday morning, a
// Sunday evening, a Monday before work): a handful of exceptions of each
// kind, nonzero; most orders on their way or arrived; and no order later than
// the demo means it to be.
func TestDemoLooksHealthy(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo twice")
	}
	for _, now := range []time.Time{
		time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC),
		time.Date(2026, 12, 6, 21, 40, 0, 0, time.UTC),
		time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC),
	} {
		t.Run(now.Format("Mon 15:04"), func(t *testing.T) {
			a := apptest.NewAppAt(t, func() time.Time { return now })
			ctx := context.Background()
			seeded, _, err := svc(a).SeedDemo(ctx)
			if err != nil || !seeded {
				t.Fatalf("seed: %v %v", seeded, err)
			}
			l, err := desk.New(a).Exceptions(ctx, app.System, desk.ExceptionQuery{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[desk.ExceptionKind]int64{desk.ExceptionHeld: demoHeld, desk.ExceptionWaiting: demoWaiting,
				desk.ExceptionRejected: demoRejected, desk.ExceptionLate: demoLate, desk.ExceptionShort: demoShort}
			for _, k := range desk.ExceptionKinds {
				if n := l.Counts[k]; n != want[k] || n < 2 || n > 5 {
					t.Errorf("%s: %d exceptions, want %d (a handful: 2 to 5)", k, n, want[k])
				}
			}
			if l.Total != demoHeld+demoWaiting+demoRejected+demoLate+demoShort {
				t.Errorf("%d exceptions in all: %v", l.Total, l.Counts)
			}
			re, err := desk.New(a).ReturnExceptions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if re.LateCount != demoLateReturns || re.FailedCount != demoFailedRefunds {
				t.Errorf("%d late returns and %d failed refunds, want %d and %d", re.LateCount, re.FailedCount,
					demoLateReturns, demoFailedRefunds)
			}
			checkLateness(t, a, now)
			byStatus, err := a.Read().OrderCounts(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			var total, gone int64
			for _, c := range byStatus {
				total += c.N
				if c.Status == string(app.StatusShipped) || c.Status == string(app.StatusDelivered) {
					gone += c.N
				}
			}
			if total < demoOrderCount || gone*100 < total*90 {
				t.Errorf("%d of %d orders shipped or delivered, want at least 90%%: %v", gone, total, byStatus)
			}
		})
	}
}

// checkLateness fails when an order is past its promised ship-by by more than
// demoMaxLate, or when not exactly demoLate are late.
func checkLateness(t *testing.T, a *app.App, now time.Time) {
	t.Helper()
	ctx := context.Background()
	ids, err := a.Read().LateOrderIDs(ctx, storeLateParams(now))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != demoLate {
		t.Errorf("%d late orders, want %d", len(ids), demoLate)
	}
	orderIDs := make([]int64, len(ids))
	for i, r := range ids {
		orderIDs[i] = r.ID
	}
	facts, err := a.Read().ExceptionOrderFacts(ctx, orderIDs)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range facts {
		if by := now.Sub(app.FromMillis(f.PromisedShipBy.Int64)); by > demoMaxLate || by <= 0 {
			t.Errorf("order %s is late by %s, want at most %s", f.Number, by, demoMaxLate)
		}
	}
}

// storeLateParams asks for every order late at now.
func storeLateParams(now time.Time) store.LateOrderIDsParams {
	return store.LateOrderIDsParams{Now: app.NullInt(app.Millis(now)), AfterBy: app.NullInt(0), Lim: 1000}
}
