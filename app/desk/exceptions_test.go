package desk

import (
	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/apptest"

	"context"
	"strings"
	"testing"
	"time"
)

// excClock is a settable clock for exception tests.
type excClock struct{ now time.Time }

// excNetwork: channel web served by the Lyon warehouse (LYS, 10 CAP, no TEE, no MUG)
// and the Paris store (PAR, 10 TEE); the app runs on a clock the test moves.
func excNetwork(t *testing.T) (*app.App, *excClock) {
	t.Helper()
	clock := &excClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	a := apptest.NewAppAt(t, func() time.Time { return clock.now })
	apptest.MustChannel(t, a, "web", 0)
	yes, no := true, false
	for _, l := range [][2]string{{"LYS", "Lyon warehouse"}, {"PAR", "Paris store"}} {
		if _, _, err := a.PutLocation(context.Background(), app.System, l[0], app.LocationInput{
			Name: l[1], Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &no,
			Address: app.Address{City: "Lyon", Country: "FR"}, Channels: []string{"web"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sku := range []string{"TEE", "MUG", "CAP"} {
		apptest.MustSKU(t, a, sku)
	}
	apptest.Count(t, a, "LYS", "TEE", 0)
	apptest.Count(t, a, "LYS", "MUG", 0)
	apptest.Count(t, a, "LYS", "CAP", 10)
	apptest.Count(t, a, "PAR", "TEE", 10)
	return a, clock
}

// excOrder places an order of qty of sku as the system, failing the test on error.
func excOrder(t *testing.T, a *app.App, ext, sku string, qty int64) app.Order {
	t.Helper()
	in := apptest.LyonOrder(ext, qty)
	in.Lines[0].SKU = sku
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatalf("place %s: %v", ext, err)
	}
	return o
}

// excSituations builds one exception of each kind: H held, B backordered,
// R rejected by Paris (out of stock, counted 0) and backordered, S whose
// reservation at Paris is now short, L routed at Lyon; then moves the clock
// ten days on, so that every order with a promise (all but B) is late.
func excSituations(t *testing.T, a *app.App, clock *excClock) map[string]app.Order {
	t.Helper()
	ctx := context.Background()
	o := map[string]app.Order{
		"H": excOrder(t, a, "H", "CAP", 1), "B": excOrder(t, a, "B", "MUG", 3),
		"R": excOrder(t, a, "R", "TEE", 1), "S": excOrder(t, a, "S", "TEE", 2), "L": excOrder(t, a, "L", "CAP", 1),
	}
	if _, err := a.Hold(ctx, app.System, o["H"].Number, app.HoldInput{Reason: "payment"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RejectFulfillment(ctx, app.System, o["R"].Fulfillments[0].ID, app.RejectInput{Reason: "out_of_stock", CountedOnHand: apptest.Ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	clock.now = clock.now.Add(10 * 24 * time.Hour)
	return o
}

// excFind returns the exception with key in items.
func excFind(t *testing.T, items []Exception, key string) Exception {
	t.Helper()
	for _, e := range items {
		if e.Key == key {
			return e
		}
	}
	t.Fatalf("no exception %s in %d items", key, len(items))
	return Exception{}
}

func TestExceptionsSayWhyAndWhereToFix(t *testing.T) {
	ctx := context.Background()
	a, clock := excNetwork(t)
	o := excSituations(t, a, clock)
	list, err := svc(a).Exceptions(ctx, app.System, ExceptionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	shipBy := o["L"].PromisedShipBy.Format("2 Jan")
	for key, want := range map[string]Reason{
		"order:" + o["H"].Number: {ExceptionHeld, "On hold until the payment is confirmed", FixOrder},
		"order:" + o["B"].Number: {ExceptionWaiting, "Waiting for stock: 3 × MUG backordered at Lyon warehouse", FixRouting},
		"order:" + o["R"].Number: {ExceptionRejected, "Rejected by Paris store (out of stock); not routed again yet", FixRouting},
		"order:" + o["L"].Number: {ExceptionLate, "Late: was to ship by " + shipBy, FixOrder},
		"stock:PAR/TEE":          {ExceptionShort, "Paris store has 0 × TEE on hand but 2 reserved", FixLedger},
	} {
		e := excFind(t, list.Items, key)
		if e.Kind != want.Kind || e.Reasons[0] != want {
			t.Errorf("%s: kind %s, reasons %+v; want first %+v", key, e.Kind, e.Reasons, want)
		}
	}
	r := excFind(t, list.Items, "order:"+o["R"].Number)
	if len(r.Reasons) < 2 || r.Reasons[1].Text != "Waiting for stock: 1 × TEE backordered at Lyon warehouse" {
		t.Errorf("the rejected order also says what waits: %+v", r.Reasons)
	}
	for _, k := range []string{"H", "R"} {
		if e := excFind(t, list.Items, "order:"+o[k].Number); !e.Has(ExceptionLate) {
			t.Errorf("%s is late too: %+v", k, e.Reasons)
		}
	}
	want := map[ExceptionKind]int64{ExceptionHeld: 1, ExceptionWaiting: 1, ExceptionRejected: 1, ExceptionLate: 4, ExceptionShort: 1}
	for k, n := range want {
		if list.Counts[k] != n {
			t.Errorf("%s: %d, want %d (counts %v)", k, list.Counts[k], n, list.Counts)
		}
	}
	// Each once: H, B, R (held and waiting), S and L (late in the flow), Paris's TEE.
	if total, err := svc(a).ExceptionCount(ctx); list.Total != 6 || total != 6 || err != nil {
		t.Errorf("total %d, count %d (%v), want 6", list.Total, total, err)
	}
}

func TestExceptionTabsFilterByKind(t *testing.T) {
	ctx := context.Background()
	a, clock := excNetwork(t)
	o := excSituations(t, a, clock)
	for kind, want := range map[ExceptionKind][]string{
		ExceptionHeld:     {"order:" + o["H"].Number},
		ExceptionWaiting:  {"order:" + o["B"].Number},
		ExceptionRejected: {"order:" + o["R"].Number},
		ExceptionLate:     {"order:" + o["H"].Number, "order:" + o["R"].Number, "order:" + o["S"].Number, "order:" + o["L"].Number},
		ExceptionShort:    {"stock:PAR/TEE"},
	} {
		list, err := svc(a).Exceptions(ctx, app.System, ExceptionQuery{Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range list.Items {
			got = append(got, e.Key)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s tab: %v, want %v", kind, got, want)
		}
	}
	if _, err := svc(a).Exceptions(ctx, app.System, ExceptionQuery{Kind: "lost"}); app.ErrorKind(err) != app.KindInvalid {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestTakeExceptionAssignsItToMe(t *testing.T) {
	ctx := context.Background()
	a, clock := excNetwork(t)
	o := excSituations(t, a, clock)
	ana := mustUser(t, a, "ana@example.com", "Ana", app.RoleSupport)
	bo := mustUser(t, a, "bo@example.com", "Bo", app.RoleOps)
	held := "order:" + o["H"].Number
	e, err := svc(a).TakeException(ctx, ana.Actor(), held)
	if err != nil || e.TakenBy != "Ana" || !e.Mine {
		t.Fatalf("taken: %+v %v", e, err)
	}
	if _, err := svc(a).TakeException(ctx, ana.Actor(), "stock:PAR/TEE"); err != nil {
		t.Fatal(err)
	}
	mine, err := svc(a).Exceptions(ctx, ana.Actor(), ExceptionQuery{Mine: true})
	if err != nil || len(mine.Items) != 2 || mine.Items[0].Key != held || mine.Items[1].Key != "stock:PAR/TEE" {
		t.Fatalf("Ana's: %+v %v", mine.Items, err)
	}
	if others, err := svc(a).Exceptions(ctx, bo.Actor(), ExceptionQuery{Mine: true}); err != nil {
		t.Fatal(err)
	} else if len(others.Items) != 0 {
		t.Fatalf("Bo took nothing: %+v", others.Items)
	}
	if seen := excFind(t, mustExceptions(t, a, bo.Actor()), held); seen.TakenBy != "Ana" || seen.Mine {
		t.Fatalf("Bo sees %+v", seen)
	}
	h, _ := a.OrderByNumber(ctx, o["H"].Number)
	if last := h.Events[len(h.Events)-1]; last.Kind != "exception_taken" || !strings.Contains(last.Message, "Ana took this order") {
		t.Fatalf("timeline ends with %+v", last)
	}
	// Released and routed, the order needs nobody: Ana is done with it.
	if _, err := a.Release(ctx, ana.Actor(), o["H"].Number); err != nil {
		t.Fatal(err)
	}
	if mine, err := svc(a).Exceptions(ctx, ana.Actor(), ExceptionQuery{Mine: true, Kind: ExceptionHeld}); err != nil {
		t.Fatal(err)
	} else if len(mine.Items) != 0 {
		t.Fatalf("after the release Ana still has %+v", mine.Items)
	}
}

func TestTakeExceptionRefusesWhatIsNotOne(t *testing.T) {
	ctx := context.Background()
	a, _ := excNetwork(t)
	fine := excOrder(t, a, "F", "CAP", 1)
	ana := mustUser(t, a, "ana@example.com", "Ana", app.RoleSupport)
	for key, kind := range map[string]app.Kind{
		"order:" + fine.Number: app.KindConflict, "order:SY-999999": app.KindNotFound, "stock:LYS/CAP": app.KindConflict,
		"stock:LYS": app.KindInvalid, "parcel:1": app.KindInvalid,
	} {
		if _, err := svc(a).TakeException(ctx, ana.Actor(), key); app.ErrorKind(err) != kind {
			t.Errorf("take %s: %v, want %s", key, err, kind)
		}
	}
	wh := mustUser(t, a, "wh@example.com", "Wu", app.RoleWarehouse, "LYS")
	if _, err := svc(a).TakeException(ctx, wh.Actor(), "order:"+fine.Number); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("warehouse takes: %v", err)
	}
}

func TestRejectionLeavesTheQueueWhenRoutedAgain(t *testing.T) {
	ctx := context.Background()
	a, clock := excNetwork(t)
	o := excSituations(t, a, clock)
	apptest.Count(t, a, "LYS", "TEE", 5) // the backorder at Lyon is routed
	list, err := svc(a).Exceptions(ctx, app.System, ExceptionQuery{Kind: ExceptionRejected})
	if err != nil || len(list.Items) != 0 || list.Counts[ExceptionRejected] != 0 {
		t.Fatalf("after the restock: %+v %v %v", list.Items, list.Counts, err)
	}
	if r, _ := a.OrderByNumber(ctx, o["R"].Number); r.Status != app.StatusRouted {
		t.Fatalf("R is %s", r.Status)
	}
}

// mustUser creates a user with role, or fails the test.
func mustUser(t *testing.T, a *app.App, email, name string, role app.Role, locations ...string) accounts.User {
	t.Helper()
	u, _, err := accounts.New(a).CreateUser(context.Background(), app.System, accounts.NewUser{Email: email, Name: name, Role: string(role),
		Password: "correct horse battery staple", Locations: locations})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mustExceptions lists every exception as viewer sees them, or fails the test.
func mustExceptions(t *testing.T, a *app.App, viewer app.Actor) []Exception {
	t.Helper()
	list, err := svc(a).Exceptions(context.Background(), viewer, ExceptionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}
