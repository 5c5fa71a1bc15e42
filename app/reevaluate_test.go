package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"switchyard/app/money"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// rateNetwork is routeNetwork with zone rates to France (Lyon and Paris EUR
// 5.00, Berlin EUR 9.00), so that assignments have a known cost.
func rateNetwork(t testing.TB) *App {
	t.Helper()
	a := routeNetwork(t)
	ctx := context.Background()
	err := a.Write(ctx, func(tx Tx) error {
		for code, cost := range map[string]int64{"LYS": 500, "PAR": 500, "BER": 900} {
			loc, err := tx.Q.GetLocationByCode(ctx, code)
			if err != nil {
				return err
			}
			if _, err := tx.Q.UpsertZoneRate(ctx, store.UpsertZoneRateParams{OriginLocationID: loc.ID, Country: "FR", Cost: cost,
				Currency: "EUR", TransitDays: 2}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// splitOrder leaves an order of 2 TEE to Lyon split between Paris and Berlin
// (Lyon's 2 went to a first order), and returns both orders.
func splitOrder(t *testing.T, a *App) (first, split Order) {
	t.Helper()
	ctx := context.Background()
	count(t, a, "LYS", "TEE", 2)
	count(t, a, "PAR", "TEE", 1)
	count(t, a, "BER", "TEE", 1)
	first, _, err := a.PlaceOrder(ctx, System, lyonOrder("first", 2))
	if err != nil {
		t.Fatal(err)
	}
	split, _, err = a.PlaceOrder(ctx, System, lyonOrder("split", 2))
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Fulfillments) != 1 || first.Fulfillments[0].Location != "LYS" || len(split.Fulfillments) != 2 {
		t.Fatalf("setup: first %+v, split %+v", first.Fulfillments, split.Fulfillments)
	}
	return first, split
}

// pendingAt lists the locations of an order's pending and accepted fulfillments.
func openAt(o Order) []string {
	var out []string
	for _, f := range o.Fulfillments {
		if f.Status == FulfillmentPending || f.Status == FulfillmentAccepted {
			out = append(out, f.Location+":"+string(f.Status))
		}
	}
	return out
}

func TestReevaluateMergesASplitWhenACancellationFreesStock(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	first, split := splitOrder(t, a)
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{})
	if err != nil || rep.Moved != 0 || rep.Considered != 2 {
		t.Fatalf("nothing moved yet: %+v %v", rep, err)
	}
	if _, err := a.Cancel(ctx, System, first.Number, CancelInput{Reason: "customer changed their mind"}); err != nil {
		t.Fatal(err)
	}
	rep, err = a.Reevaluate(ctx, System, ReevaluateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Considered != 1 || rep.Moved != 1 || rep.Skipped != 0 || rep.Saved["EUR"] != 900 {
		t.Fatalf("report %+v", rep)
	}
	if got := rep.Summary(); got != "Re-evaluated 1 order: 1 moved, saving EUR 9.00; 0 skipped." {
		t.Fatalf("summary %q", got)
	}
	o, err := a.OrderByNumber(ctx, split.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(openAt(o), ","); got != "LYS:pending" || o.Status != StatusRouted || o.Lines[0].Reserved != 2 {
		t.Fatalf("after: %s %s %+v", got, o.Status, o.Lines[0])
	}
	var entry *Event
	for i := range o.Events {
		if o.Events[i].Kind == "reevaluated" {
			entry = &o.Events[i]
		}
	}
	want := "Re-evaluated: now ships in 1 parcel from Lyon warehouse instead of 2 parcels from Paris warehouse and Berlin warehouse; " +
		"saves EUR 9.00 (EUR 5.00 instead of EUR 14.00). Stock moved since it was routed (a cancellation of " + first.Number +
		" freed 2 x TEE at Lyon warehouse)."
	if entry == nil || entry.Message != want {
		t.Fatalf("timeline entry %+v\nwant %q", entry, want)
	}
	if last := o.Events[len(o.Events)-1]; last.Kind != "rerouted" || last.Data["trigger"] != TriggerReevaluate {
		t.Fatalf("the decision's entry follows: %+v", last)
	}
	for _, l := range []string{"LYS", "PAR", "BER"} {
		if lvl := a.mustLevel(t, l, "TEE"); lvl.OnHand < 0 || lvl.Reserved > lvl.OnHand {
			t.Fatalf("%s %+v", l, lvl)
		}
	}
	if lvl := a.mustLevel(t, "LYS", "TEE"); lvl.Reserved != 2 {
		t.Fatalf("Lyon %+v", lvl)
	}
	if lvl := a.mustLevel(t, "BER", "TEE"); lvl.Reserved != 0 {
		t.Fatalf("Berlin %+v", lvl)
	}
	checkInvariants(t, a)
	if rep, _ := a.Reevaluate(ctx, System, ReevaluateOptions{}); rep.Moved != 0 {
		t.Fatalf("a second pass moves nothing: %+v", rep)
	}
}

func TestReevaluateMovesToACheaperOriginAfterAReceipt(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	count(t, a, "BER", "TEE", 5)
	o, _, err := a.PlaceOrder(ctx, System, lyonOrder("1", 1))
	if err != nil || o.Fulfillments[0].Location != "BER" {
		t.Fatalf("setup: %v %+v", err, o.Fulfillments)
	}
	if _, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{{Location: "PAR", SKU: "TEE", Delta: 3, Reason: ReasonReceipt}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: "4.00"}); err != nil {
		t.Fatal(err)
	}
	if o, _ = a.OrderByNumber(ctx, o.Number); strings.Join(openAt(o), ",") != "BER:pending" {
		t.Fatalf("saving EUR 4.00 is not more than EUR 4.00: %v", openAt(o))
	}
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: "3.99"})
	if err != nil || rep.Moved != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	o, _ = a.OrderByNumber(ctx, o.Number)
	if strings.Join(openAt(o), ",") != "PAR:pending" {
		t.Fatalf("after: %v", openAt(o))
	}
	msg := o.Events[len(o.Events)-2].Message
	if !strings.Contains(msg, "now ships in 1 parcel from Paris warehouse instead of 1 parcel from Berlin warehouse; saves EUR 4.00") ||
		!strings.Contains(msg, "a receipt brought 3 x TEE at Paris warehouse") {
		t.Fatalf("entry %q", msg)
	}
	checkInvariants(t, a)
}

func TestReevaluateNeverMovesAcceptedWork(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	first, split := splitOrder(t, a)
	for _, f := range split.Fulfillments {
		if _, err := a.AcceptFulfillment(ctx, System, f.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Cancel(ctx, System, first.Number, CancelInput{Reason: "fraud"}); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: "0"})
	if err != nil || rep.Considered != 0 || rep.Moved != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	o, _ := a.OrderByNumber(ctx, split.Number)
	if got := strings.Join(openAt(o), ","); got != "PAR:accepted,BER:accepted" {
		t.Fatalf("accepted work moved: %s", got)
	}
	checkInvariants(t, a)
}

func TestReevaluateMovesOnlyThePartNotAccepted(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	first, split := splitOrder(t, a)
	var berlin int64
	for _, f := range split.Fulfillments {
		if f.Location == "PAR" {
			if _, err := a.AcceptFulfillment(ctx, System, f.ID); err != nil {
				t.Fatal(err)
			}
		} else {
			berlin = f.ID
		}
	}
	if _, err := a.Cancel(ctx, System, first.Number, CancelInput{Reason: "fraud"}); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{})
	if err != nil || rep.Moved != 1 || rep.Saved["EUR"] != 400 {
		t.Fatalf("%+v %v", rep, err)
	}
	o, _ := a.OrderByNumber(ctx, split.Number)
	if got := strings.Join(openAt(o), ","); got != "PAR:accepted,LYS:pending" {
		t.Fatalf("after: %s", got)
	}
	for _, f := range o.Fulfillments {
		if f.ID == berlin && f.Status != FulfillmentCancelled {
			t.Fatalf("Berlin's part %+v", f)
		}
	}
	msg := o.Events[len(o.Events)-2].Message
	if !strings.HasPrefix(msg, "Re-evaluated the part not yet accepted (what Paris warehouse accepted stays there): now ships in 1 parcel from Lyon warehouse") {
		t.Fatalf("entry %q", msg)
	}
	checkInvariants(t, a)
}

func TestReevaluateRefusesOtherRolesAndBadThresholds(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	for _, role := range []Role{RoleSupport, RoleWarehouse} {
		if _, err := a.Reevaluate(ctx, Actor{Kind: ActorUser, ID: 1, Name: "x", Role: role}, ReevaluateOptions{}); ErrorKind(err) != KindForbidden {
			t.Fatalf("%s: %v", role, err)
		}
	}
	for _, bad := range []string{"-1", "abc", "1,00", "1e3"} {
		if _, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: bad}); ErrorKind(err) != KindInvalid {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	if _, err := a.Reevaluate(ctx, Actor{Kind: ActorUser, ID: 1, Name: "x", Role: RoleOps}, ReevaluateOptions{MinSaving: "0.5"}); err != nil {
		t.Fatal(err)
	}
}

func TestMinSavingInMinorUnits(t *testing.T) {
	for _, c := range []struct {
		in   string
		exp  int
		want int64
	}{{"1.00", 2, 100}, {"1", 0, 1}, {"1.5", 0, 2}, {"0.001", 2, 1}, {"0", 2, 0}, {"2.5", 3, 2500},
		{"9223372036854.775807", 2, 922337203685478}} { // the largest: rounded up, not overflowed
		m, err := ParseMinSaving(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.minor(moneyCurrency(c.exp)); got != c.want {
			t.Errorf("%s at exponent %d: %d, want %d", c.in, c.exp, got, c.want)
		}
	}
}

// moneyCurrency is a currency of that exponent.
func moneyCurrency(exp int) money.Currency { return money.Currency{Code: "XXX", Exponent: exp} }

// TestReevaluateRacesIntakeCancellationsAndAccepts runs passes while orders
// come in, others are cancelled (freeing cheaper stock) and locations accept
// work: afterwards no level is negative or oversold, every level's reserved
// equals its open fulfillment lines, and no accepted fulfillment was moved.
func TestReevaluateRacesIntakeCancellationsAndAccepts(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	err := a.Write(ctx, func(tx Tx) error { // Lyon ships cheapest: moving back to it saves EUR 2.00
		loc, err := tx.Q.GetLocationByCode(ctx, "LYS")
		if err != nil {
			return err
		}
		_, err = tx.Q.UpsertZoneRate(ctx, store.UpsertZoneRateParams{OriginLocationID: loc.ID, Country: "FR", Cost: 300, Currency: "EUR", TransitDays: 2})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	count(t, a, "LYS", "TEE", 20)
	count(t, a, "PAR", "TEE", 40)
	count(t, a, "BER", "TEE", 40)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted = map[int64][]FulfillmentLine{}
		moved    int
		toAccept = make(chan string, 256)
		done     = make(chan struct{})
	)
	for g := range 6 { // intake of orders that locations may accept
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				o, _, err := a.PlaceOrder(ctx, System, lyonOrder(fmt.Sprintf("a%d-%d", g, i), int64(1+(g+i)%2)))
				if err != nil {
					t.Error(err)
					return
				}
				toAccept <- o.Number
			}
		}()
	}
	for g := range 2 { // orders that take Lyon's stock, then are cancelled
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 8 {
				o, _, err := a.PlaceOrder(ctx, System, lyonOrder(fmt.Sprintf("c%d-%d", g, i), 2))
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := a.Cancel(ctx, System, o.Number, CancelInput{Reason: "changed their mind"}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() { // receipts at Lyon, while the rest goes on
		defer wg.Done()
		for range 30 {
			if _, err := a.AdjustStock(ctx, System, Adjustments{Adjustments: []Adjustment{{Location: "LYS", SKU: "TEE", Delta: 1, Reason: ReasonReceipt}}}); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(3 * time.Millisecond)
		}
	}()
	var accepters sync.WaitGroup
	for range 3 { // locations accepting every other order's first pending part
		accepters.Add(1)
		go func() {
			defer accepters.Done()
			n := 0
			for number := range toAccept {
				if n++; n%2 == 0 {
					continue
				}
				o, err := a.OrderByNumber(ctx, number)
				if err != nil {
					t.Error(err)
					return
				}
				for _, f := range o.Fulfillments {
					if f.Status != FulfillmentPending {
						continue
					}
					after, err := a.AcceptFulfillment(ctx, System, f.ID)
					if ErrorKind(err) == KindConflict {
						break // moved by a re-evaluation meanwhile
					}
					if err != nil {
						t.Error(err)
						return
					}
					for _, g := range after.Fulfillments {
						if g.ID == f.ID {
							mu.Lock()
							accepted[f.ID] = g.Lines
							mu.Unlock()
						}
					}
					break
				}
			}
		}()
	}
	var passes sync.WaitGroup
	for range 2 { // re-evaluation passes, back to back
		passes.Add(1)
		go func() {
			defer passes.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: "0.50", Batch: 7})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				moved += rep.Moved
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(toAccept)
	accepters.Wait()
	close(done)
	passes.Wait()
	checkInvariants(t, a)
	count(t, a, "LYS", "TEE", a.mustLevel(t, "LYS", "TEE").OnHand+4) // room in Lyon for the last pass
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: "0.50"})
	if err != nil {
		t.Fatal(err)
	}
	if moved+rep.Moved == 0 {
		t.Error("no order moved")
	}
	t.Logf("moved %d orders while racing, %d after; %d fulfillments accepted", moved, rep.Moved, len(accepted))
	for _, l := range []string{"LYS", "PAR", "BER"} {
		if lvl := a.mustLevel(t, l, "TEE"); lvl.OnHand < 0 || lvl.Reserved < 0 || lvl.Reserved > lvl.OnHand {
			t.Errorf("%s: %+v", l, lvl)
		}
	}
	checkInvariants(t, a)
	for id, lines := range accepted {
		f, err := a.Read().GetFulfillment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Read().ListFulfillmentLines(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if FulfillmentStatus(f.Status) != FulfillmentAccepted || len(got) != len(lines) {
			t.Fatalf("accepted fulfillment %d is now %s with %+v", id, f.Status, got)
		}
		for i, l := range got {
			if l.Quantity != lines[i].Quantity || l.Released != 0 {
				t.Fatalf("accepted fulfillment %d changed: %+v, was %+v", id, got, lines)
			}
		}
	}
}

// mergePlan cancels the first order of splitOrder and plans the split one's
// merge into Lyon, without writing it.
func mergePlan(t *testing.T, a *App) (*reevaluation, Order) {
	t.Helper()
	ctx := context.Background()
	first, split := splitOrder(t, a)
	if _, err := a.Cancel(ctx, System, first.Number, CancelInput{Reason: "fraud"}); err != nil {
		t.Fatal(err)
	}
	threshold, _ := ParseMinSaving("")
	r, err := a.planReevaluation(ctx, split.ID, threshold)
	if err != nil || r == nil {
		t.Fatalf("plan: %+v %v", r, err)
	}
	return r, split
}

// applyPlanned writes a planned re-evaluation as the pass does.
func applyPlanned(a *App, r *reevaluation) error {
	return a.Write(context.Background(), func(tx Tx) error { return applyReevaluation(context.Background(), tx, System, r) })
}

// unchanged fails unless the order's open fulfillments are still want.
func unchanged(t *testing.T, a *App, number, want string) {
	t.Helper()
	o, err := a.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(openAt(o), ","); got != want {
		t.Fatalf("open fulfillments %s, want %s", got, want)
	}
	for _, e := range o.Events {
		if e.Kind == "reevaluated" {
			t.Fatalf("a skipped re-evaluation left an entry: %s", e.Message)
		}
	}
	checkInvariants(t, a)
}

func TestReevaluateSkipsWhenAConcurrentChangeWins(t *testing.T) {
	ctx := context.Background()
	t.Run("accepted meanwhile", func(t *testing.T) {
		a := rateNetwork(t)
		r, split := mergePlan(t, a)
		if _, err := a.AcceptFulfillment(ctx, System, split.Fulfillments[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := applyPlanned(a, r); !errors.Is(err, errReevalMoved) {
			t.Fatalf("apply: %v", err)
		}
		unchanged(t, a, split.Number, "PAR:pending,BER:accepted")
	})
	t.Run("stock taken meanwhile", func(t *testing.T) {
		a := rateNetwork(t)
		r, split := mergePlan(t, a)
		if o, _, err := a.PlaceOrder(ctx, System, lyonOrder("taker", 2)); err != nil || o.Fulfillments[0].Location != "LYS" {
			t.Fatalf("taker: %v %+v", err, o.Fulfillments)
		}
		if err := applyPlanned(a, r); !errors.Is(err, errStalePlan) {
			t.Fatalf("apply: %v", err)
		}
		unchanged(t, a, split.Number, "PAR:pending,BER:pending")
	})
	t.Run("held meanwhile", func(t *testing.T) {
		a := rateNetwork(t)
		r, split := mergePlan(t, a)
		if _, err := a.Hold(ctx, System, split.Number, HoldInput{Reason: "fraud_review"}); err != nil {
			t.Fatal(err)
		}
		if err := applyPlanned(a, r); !errors.Is(err, errReevalMoved) {
			t.Fatalf("apply: %v", err)
		}
		if rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{}); err != nil || rep.Considered != 0 {
			t.Fatalf("a held order is not looked at: %+v %v", rep, err)
		}
	})
	t.Run("rates changed meanwhile", func(t *testing.T) {
		a := rateNetwork(t)
		r, split := mergePlan(t, a)
		err := a.Write(ctx, func(tx Tx) error {
			loc, err := tx.Q.GetLocationByCode(ctx, "LYS")
			if err != nil {
				return err
			}
			_, err = tx.Q.UpsertZoneRate(ctx, store.UpsertZoneRateParams{OriginLocationID: loc.ID, Country: "FR", Cost: 2000, Currency: "EUR", TransitDays: 2})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := applyPlanned(a, r); !errors.Is(err, errReevalMoved) {
			t.Fatalf("apply: %v", err)
		}
		unchanged(t, a, split.Number, "PAR:pending,BER:pending")
	})
}

func TestReevaluateLeavesPickupsAndWaitingOrders(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	count(t, a, "BER", "TEE", 1)
	in := lyonOrder("pickup", 1)
	in.Delivery = DeliveryInput{Method: "pickup", Location: "BER"}
	pickup, _, err := a.PlaceOrder(ctx, System, in)
	if err != nil || len(pickup.Fulfillments) != 1 || pickup.Fulfillments[0].Location != "BER" {
		t.Fatalf("pickup: %v %+v", err, pickup.Fulfillments)
	}
	waiting, _, err := a.PlaceOrder(ctx, System, lyonOrder("waiting", 3)) // nothing left: backordered
	if err != nil || waiting.Status != StatusBackordered {
		t.Fatalf("waiting: %v %s", err, waiting.Status)
	}
	count(t, a, "LYS", "TEE", 1) // routes 1 of the waiting order's 3 at Lyon; 2 still wait
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{MinSaving: "0"})
	if err != nil || rep.Moved != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	unchanged(t, a, pickup.Number, "BER:pending")
	checkInvariants(t, a)
}

// TestReevaluateLeavesAPlacementByHand: an order a person moved to a dearer
// location stays there, even when stock freed elsewhere would save.
func TestReevaluateLeavesAPlacementByHand(t *testing.T) {
	ctx := context.Background()
	a := rateNetwork(t)
	first, split := splitOrder(t, a)
	count(t, a, "BER", "TEE", 3)
	if _, err := a.MoveTo(ctx, System, split.Number, "BER"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cancel(ctx, System, first.Number, CancelInput{Reason: "customer changed their mind"}); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Reevaluate(ctx, System, ReevaluateOptions{})
	if err != nil || rep.Moved != 0 {
		t.Fatalf("report %+v %v: the order placed by hand was moved", rep, err)
	}
	o, err := a.OrderByNumber(ctx, split.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(openAt(o), ","); got != "BER:pending" {
		t.Fatalf("after: %s", got)
	}
}

// TestBeyondMaxShipments: with shipments kept by locations that accepted,
// a fresh plan for the rest may not take the order past its rule's limit,
// unless it sends no more parcels than the rest has now.
func TestBeyondMaxShipments(t *testing.T) {
	rules := routing.RuleSet{Rules: []routing.Rule{{Name: "two", Split: routing.Split{Allow: true, MaxShipments: 2}}}}
	two := routing.Decision{RuleIndex: 0, Shipments: make([]routing.Shipment, 2)}
	one := routing.Decision{RuleIndex: 0, Shipments: make([]routing.Shipment, 1)}
	for _, c := range []struct {
		d             routing.Decision
		kept, pending int
		want          bool
	}{{two, 1, 1, true}, {one, 1, 1, false}, {two, 0, 1, false}, {two, 1, 2, false}, {one, 2, 1, false}} {
		if got := beyondMaxShipments(rules, c.d, c.kept, c.pending); got != c.want {
			t.Errorf("%d new, %d kept, %d pending: %v, want %v", len(c.d.Shipments), c.kept, c.pending, got, c.want)
		}
	}
}
