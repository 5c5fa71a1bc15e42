package app

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestPlacedOrderIsWhatIsStored: the order PlaceOrder answers with (built
// from what it wrote, without reading it back) is the order read back
// afterwards, for every kind of first decision.
func TestPlacedOrderIsWhatIsStored(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	mustSKU(t, a, "CAP")
	count(t, a, "LYS", "TEE", 5)
	count(t, a, "PAR", "TEE", 50)
	count(t, a, "BER", "CAP", 3)
	pickup := lyonOrder("pickup", 1)
	pickup.Delivery = DeliveryInput{Method: "pickup", Location: "PAR"}
	split := lyonOrder("split", 2)
	split.Lines = append(split.Lines, LineInput{SKU: "CAP", Quantity: 1, UnitPrice: "5"})
	split.Tags = []string{"gift", "vip"}
	for name, in := range map[string]NewOrder{
		"closest":   lyonOrder("closest", 2),
		"elsewhere": lyonOrder("elsewhere", 20),
		"split":     split,
		"nowhere":   lyonOrder("nowhere", 500),
		"pickup":    pickup,
		"unknown lat": func() NewOrder {
			o := lyonOrder("nolat", 1)
			o.ShippingAddress.Lat, o.ShippingAddress.Lon = nil, nil
			return o
		}(),
		"held at once": func() NewOrder { o := lyonOrder("held", 1); o.Hold = &HoldInput{Reason: "fraud_review"}; return o }(),
	} {
		placed, created, err := a.PlaceOrder(ctx, System, in)
		if err != nil || !created {
			t.Fatalf("%s: created %v, %v", name, created, err)
		}
		stored, err := a.OrderByNumber(ctx, placed.Number)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(placed, stored) {
			t.Errorf("%s: PlaceOrder answered another order than the one stored:\n%s", name, diffLines(dump(placed), dump(stored)))
		}
		if in.Hold != nil {
			continue
		}
		// Stored without its candidates' reports, the decision gets them back, for every location.
		ds, err := a.Decisions(ctx, placed.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || !ds[0].Recomputed || len(ds[0].Decision.Candidates) != 3 {
			t.Errorf("%s: the decision should come with its 3 candidates worked out again: %+v", name, ds)
		}
	}
	checkInvariants(t, a)
}

// TestStalePlanIsDecidedAgain: when the stock a plan was decided on is gone
// by the time it is written, nothing of the plan is kept and the order is
// routed on what the transaction sees.
func TestStalePlanIsDecidedAgain(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 5)
	count(t, a, "PAR", "TEE", 50)
	in := lyonOrder("stale", 2)
	v, err := CheckNewOrder(&in, a.Now())
	if err != nil {
		t.Fatal(err)
	}
	plan := a.Preplan(ctx, System, in, v)
	if plan == nil || len(plan.route.d.Shipments) != 1 || plan.route.d.Shipments[0].Location != "LYS" {
		t.Fatalf("the plan should ship from Lyon: %+v", plan)
	}
	count(t, a, "LYS", "TEE", 0) // Lyon's stock is counted away meanwhile
	p, err := a.place(ctx, System, in, v, plan)
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.OrderByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "PAR" || o.Lines[0].Reserved != 2 || o.Status != StatusRouted {
		t.Fatalf("the order should be routed to Paris after Lyon's stock went: %s %+v %+v", o.Status, o.Fulfillments, o.Lines)
	}
	decisions, err := a.Decisions(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(decisions) != 1 {
		t.Fatalf("one decision must remain of the plan and the new one, got %d", len(decisions))
	}
	for _, c := range decisions[0].Input.Candidates {
		if c.Code == "LYS" && c.Stock["TEE"].OnHand != 0 {
			t.Fatalf("the decision kept must be made on what the transaction saw: Lyon had %d", c.Stock["TEE"].OnHand)
		}
	}
	if n := len(o.Events); n != 2 || o.Events[1].Kind != "routed" || !strings.Contains(o.Events[1].Message, "Paris") {
		t.Fatalf("timeline %+v", o.Events)
	}
	if lvl := a.mustLevel(t, "LYS", "TEE"); lvl.Reserved != 0 {
		t.Fatalf("nothing may stay reserved at Lyon: %+v", lvl)
	}
	checkInvariants(t, a)
}

// diffLines shows the lines where two texts differ (answered - stored +).
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
	}
	return strings.Join(out, "\n")
}

// dump shows an order for a failure message.
func dump(o Order) string {
	b, _ := json.MarshalIndent(o, "", " ")
	return string(b)
}

// TestCandidatesLeftOutWhenTheEngineDecidesOtherwise: a stored decision the
// engine no longer reproduces gets no candidates' figures (they would not be
// the ones that led to it).
func TestCandidatesLeftOutWhenTheEngineDecidesOtherwise(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 5)
	o, _, err := a.PlaceOrder(ctx, System, lyonOrder("1", 1))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := a.Decisions(ctx, o.Number)
	if err != nil || len(ds) != 1 || !ds[0].Recomputed {
		t.Fatalf("decisions %+v, %v", ds, err)
	}
	sd := ds[0]
	sd.Decision.Candidates, sd.Recomputed = nil, false
	sd.Decision.Shipments[0].Location = "PAR" // as an older engine might have decided
	withCandidates(&sd)
	if sd.Recomputed || sd.Decision.Candidates != nil {
		t.Fatalf("candidates must be left out when the engine decides otherwise now: %+v", sd.Decision.Candidates)
	}
}
