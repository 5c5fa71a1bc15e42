package autorules_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/automation"
	"switchyard/app/autorules"

	_ "github.com/mattn/go-sqlite3"
)

// publish saves doc as the draft and publishes it, failing the test on error.
func publish(t *testing.T, s *autorules.Service, doc string) autorules.Info {
	t.Helper()
	rs, err := autorules.ParseJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutDraft(context.Background(), app.System, rs); err != nil {
		t.Fatal(err)
	}
	info, err := s.Publish(context.Background(), app.System, "")
	if err != nil {
		t.Fatal(err)
	}
	return info
}

const bigFirst = `{"rules": [{"name": "Big first orders", "enabled": true, "trigger": "order.received",
  "conditions": [{"field": "total", "op": "gt", "value": "1000.00"}, {"field": "customer_order_count", "op": "eq", "value": 1}],
  "actions": [{"action": "hold", "reason": "fraud_review"}, {"action": "add_tag", "tag": "big"},
              {"action": "note", "text": "First order over 1,000"}, {"action": "priority", "priority": 7}]}]}`

// place takes an order in, failing the test on error.
func place(t *testing.T, a *app.App, in app.NewOrder) app.Order {
	t.Helper()
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// bigOrder is an order of 60 TEE at 19.90 (1,194.00 EUR) from email.
func bigOrder(t *testing.T, ext, email string) app.NewOrder {
	return apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "`+ext+`"`, `"quantity": 2`, `"quantity": 60`,
		"ana@example.com", email)
}

// messages are the timeline's messages of an order, one a line.
func messages(o app.Order) string {
	var b strings.Builder
	for _, e := range o.Events {
		b.WriteString(e.Kind + ": " + e.Message + "\n")
	}
	return b.String()
}

func TestBigFirstOrderIsHeldAtIntake(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	publish(t, s, bigFirst)
	o := place(t, a, bigOrder(t, "1", "new@example.com"))
	if !o.OnHold || o.HoldReason != "fraud_review" {
		t.Fatalf("order not held for fraud review: %+v", o.Status)
	}
	if !strings.Contains(strings.Join(o.Tags, ","), "big") {
		t.Errorf("tags %v", o.Tags)
	}
	msgs := messages(o)
	for _, want := range []string{"held: Automation rule “Big first orders” held the order for a fraud review.",
		"Automation rule “Big first orders” (the order was received) tagged the order “big”, noted: First order over 1,000 and set its priority to 7 (from 0)."} {
		if !strings.Contains(msgs, want) {
			t.Errorf("timeline lacks %q:\n%s", want, msgs)
		}
	}
	var prio int64
	row, err := a.Read().GetOrder(context.Background(), orderID(t, a, o.Number))
	if err != nil {
		t.Fatal(err)
	}
	if prio = row.Priority; prio != 7 {
		t.Errorf("priority %d", prio)
	}
	// The same customer's second big order is not a first order.
	if o2 := place(t, a, bigOrder(t, "2", "new@example.com")); o2.OnHold {
		t.Errorf("second order held:\n%s", messages(o2))
	}
	// A small first order is not held either.
	if o3 := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "3"`, "ana@", "other@")); o3.OnHold {
		t.Errorf("small order held")
	}
	apptest.CheckInvariants(t, a)
}

// orderID finds an order's id by number.
func orderID(t *testing.T, a *app.App, number string) int64 {
	t.Helper()
	o, err := a.Read().GetOrderForUpdate(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func TestRulesFireAtMostOncePerOrderAndTrigger(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	publish(t, s, `{"rules": [{"name": "Held note", "enabled": true, "trigger": "order.held",
	  "actions": [{"action": "note", "text": "Check the hold"}]}]}`)
	ctx := context.Background()
	o := place(t, a, apptest.DecodeOrder(t))
	for range 2 {
		if _, err := a.Hold(ctx, app.System, o.Number, app.HoldInput{Reason: "customer_request"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Release(ctx, app.System, o.Number); err != nil {
			t.Fatal(err)
		}
	}
	o, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(messages(o), "Check the hold"); n != 1 {
		t.Errorf("the held rule fired %d times:\n%s", n, messages(o))
	}
	// Placing the same order again (the channel sends it twice) fires nothing more.
	place(t, a, apptest.DecodeOrder(t))
	fired, err := a.Read().ListAutomationFired(ctx, o.ID)
	if err != nil || len(fired) != 1 || fired[0].Trigger != automation.OrderHeld {
		t.Errorf("fired %+v %v", fired, err)
	}
}

func TestRulesCannotLoop(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	// held -> release -> routed -> hold -> held (already fired) ...
	publish(t, s, `{"rules": [
	  {"name": "Hold all", "enabled": true, "trigger": "order.received", "actions": [{"action": "hold", "reason": "other"}]},
	  {"name": "Release held", "enabled": true, "trigger": "order.held", "actions": [{"action": "release"}]},
	  {"name": "Hold routed", "enabled": true, "trigger": "order.routed", "actions": [{"action": "hold", "reason": "payment"}]}]}`)
	o := place(t, a, apptest.DecodeOrder(t))
	msgs := messages(o)
	if !o.OnHold || o.HoldReason != "payment" {
		t.Errorf("want held for payment at the end, got %v %q:\n%s", o.OnHold, o.HoldReason, msgs)
	}
	for _, rule := range []string{"Hold all", "Release held", "Hold routed"} {
		if n := strings.Count(msgs, "Automation rule “"+rule+"”"); n != 1 {
			t.Errorf("%s: %d entries:\n%s", rule, n, msgs)
		}
	}
	apptest.CheckInvariants(t, a)
}

func TestDraftPublishVersions(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	ctx := context.Background()
	if info, err := s.Get(ctx, ""); err != nil || len(info.Rules) != 0 || info.Version != 0 {
		t.Fatalf("before any rules: %+v %v", info, err)
	}
	if _, err := s.Publish(ctx, app.System, ""); app.ErrorKind(err) != app.KindConflict {
		t.Errorf("publishing no draft: %v", err)
	}
	v1 := publish(t, s, bigFirst)
	v2 := publish(t, s, `{"rules": []}`)
	if v1.Version != 1 || v2.Version != 2 {
		t.Fatalf("versions %d %d", v1.Version, v2.Version)
	}
	if got, err := s.Get(ctx, "1"); err != nil || len(got.Rules) != 1 || got.Rules[0].Name != "Big first orders" {
		t.Errorf("version 1: %+v %v", got, err)
	}
	if vs, err := s.Versions(ctx); err != nil || len(vs) != 2 || vs[0].Version != 2 {
		t.Errorf("versions %+v %v", vs, err)
	}
	raw, err := sql.Open("sqlite3", "file:"+a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE automation_rules SET body = '{"rules": []}' WHERE version = 1`); err == nil || !strings.Contains(err.Error(), "cannot change") {
		t.Errorf("a published version changed: %v", err)
	}
	if _, err := raw.Exec(`DELETE FROM automation_rules WHERE version = 1`); err == nil {
		t.Error("a published version was deleted")
	}
	if _, err := s.Get(ctx, "9"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("unknown version: %v", err)
	}
	// Member of ops may edit; support may not.
	if _, err := s.PutDraft(ctx, app.Actor{Kind: app.ActorUser, Role: app.RoleSupport, Name: "sam"}, automation.RuleSet{}); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("support edited the draft: %v", err)
	}
}

func TestHostileDraftsAreRefusedByField(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	ctx := context.Background()
	cases := map[string]string{
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.nope", "actions": [{"action": "release"}]}]}`:                                                                   "rules[0].trigger",
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.received", "conditions": [{"field": "total", "op": "gt", "value": "x"}], "actions": [{"action": "release"}]}]}`: "rules[0].conditions[0].value",
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.received", "actions": [{"action": "reroute", "rule": "No such rule"}]}]}`:                                       "rules[0].actions[0].rule",
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.received", "actions": [{"action": "hold", "reason": "<script>"}]}]}`:                                            "rules[0].actions[0].reason",
	}
	for doc, field := range cases {
		rs, err := autorules.ParseJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.PutDraft(ctx, app.System, rs)
		ae, ok := app.AsError(err)
		if !ok || ae.Kind != app.KindInvalid || ae.Fields[field] == "" {
			t.Errorf("%s: %v (fields %v)", field, err, ae)
		}
	}
	if _, err := autorules.ParseJSON([]byte(`{"rules": [], "extra": 1}`)); app.ErrorKind(err) != app.KindInvalid {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := autorules.ParseJSON([]byte("{\"rules\": [\xff]}")); app.ErrorKind(err) != app.KindInvalid {
		t.Errorf("not UTF-8: %v", err)
	}
	if info, _ := s.Get(ctx, "draft"); len(info.Rules) != 0 {
		t.Errorf("a refused draft was stored: %+v", info)
	}
}

func TestSimulateWritesNothing(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	ctx := context.Background()
	big := place(t, a, bigOrder(t, "1", "new@example.com"))
	place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "2"`))
	rs, err := autorules.ParseJSON([]byte(bigFirst))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := s.Simulate(ctx, app.System, rs, 50)
	if err != nil {
		t.Fatal(err)
	}
	if sim.Orders != 2 || len(sim.Matched) != 1 || sim.Matched[0].Number != big.Number || sim.PerRule["Big first orders"] != 1 {
		b, _ := json.Marshal(sim)
		t.Fatalf("simulation %s", b)
	}
	if acts := sim.Matched[0].Fired[0].Actions; len(acts) != 4 || acts[0] != "hold (fraud_review)" {
		t.Errorf("actions %v", acts)
	}
	if o, _ := a.OrderByNumber(ctx, big.Number); o.OnHold {
		t.Error("the simulation held the order")
	}
	if _, err := s.Simulate(ctx, app.System, rs, 100000); app.ErrorKind(err) != app.KindInvalid {
		t.Errorf("huge simulation: %v", err)
	}
}

func TestShippedAndDeliveredFireOnce(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	ctx := context.Background()
	publish(t, s, `{"rules": [
	  {"name": "Shipped", "enabled": true, "trigger": "order.shipped", "actions": [{"action": "add_tag", "tag": "gone"}, {"action": "priority", "priority": 0}]},
	  {"name": "Delivered", "enabled": true, "trigger": "order.delivered", "actions": [{"action": "note", "text": "Ask for a review"}]},
	  {"name": "Hold shipped", "enabled": true, "trigger": "order.shipped", "actions": [{"action": "hold", "reason": "other"}]}]}`)
	o := place(t, a, apptest.DecodeOrder(t))
	if len(o.Fulfillments) != 1 {
		t.Fatalf("fulfillments %+v", o.Fulfillments)
	}
	fid := o.Fulfillments[0].ID
	if _, err := a.AcceptFulfillment(ctx, app.System, fid); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ship(ctx, app.System, fid, app.ShipInput{Carrier: "other", TrackingNumber: "X1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Deliver(ctx, app.System, fid); err != nil {
		t.Fatal(err)
	}
	o, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	msgs := messages(o)
	if !strings.Contains(strings.Join(o.Tags, ","), "gone") || strings.Count(msgs, "Ask for a review") != 1 {
		t.Errorf("tags %v, timeline:\n%s", o.Tags, msgs)
	}
	// A shipped order cannot be held: the rule says so instead of failing the shipment.
	if o.OnHold || !strings.Contains(msgs, "Automation rule “Hold shipped” (the order was shipped) did not hold the order: it is shipped.") {
		t.Errorf("held %v:\n%s", o.OnHold, msgs)
	}
}

func TestStockShortFires(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	ctx := context.Background()
	publish(t, s, `{"rules": [{"name": "Short", "enabled": true, "trigger": "stock.short",
	  "actions": [{"action": "hold", "reason": "other", "note": "stock short"}]}]}`)
	o := place(t, a, apptest.DecodeOrder(t))
	if _, err := a.CountStock(ctx, app.System, "L1", "TEE", app.CountInput{OnHand: apptest.Ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	o, err := a.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !o.OnHold || !strings.Contains(messages(o), "Automation rule “Short” held the order for another reason: stock short.") {
		t.Errorf("held %v:\n%s", o.OnHold, messages(o))
	}
	apptest.CheckInvariants(t, a)
}

// TestNewVersionReplacesTheCompiledOne: intake keeps the compiled rules of
// the version in force; publishing another (here: the rule disabled) takes
// effect on the next order.
func TestNewVersionReplacesTheCompiledOne(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	publish(t, s, bigFirst)
	if o := place(t, a, bigOrder(t, "1", "one@example.com")); !o.OnHold {
		t.Fatalf("version 1: order not held:\n%s", messages(o))
	}
	publish(t, s, strings.Replace(bigFirst, `"enabled": true`, `"enabled": false`, 1))
	if o := place(t, a, bigOrder(t, "2", "two@example.com")); o.OnHold {
		t.Fatalf("version 2 disables the rule, yet the order was held:\n%s", messages(o))
	}
	publish(t, s, bigFirst)
	if o := place(t, a, bigOrder(t, "3", "three@example.com")); !o.OnHold {
		t.Fatalf("version 3: order not held:\n%s", messages(o))
	}
}

// TestLateOrdersFireOnce: the sweep runs the order.late rules on an order
// once it is past its promised ship-by, once only, and not on shipped ones.
func TestLateOrdersFireOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	a := apptest.NewAppAt(t, func() time.Time { return now })
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustLocation(t, a, "L1", "web")
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "L1", "TEE", 100)
	publish(t, autorules.New(a), `{"rules": [{"name": "Late ones", "enabled": true, "trigger": "order.late",
	  "actions": [{"action": "add_tag", "tag": "late"}, {"action": "note", "text": "call the customer"}]}]}`)
	late := place(t, a, apptest.DecodeOrder(t))
	shipped := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "2"`))
	if late.PromisedShipBy == nil {
		t.Fatal("the order has no promised ship-by")
	}
	if n, err := a.AutomateLate(ctx); err != nil || n != 0 {
		t.Fatalf("before the promise: %d looked at, %v; want none", n, err)
	}
	if _, err := a.Ship(ctx, app.System, shipped.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	now = late.PromisedShipBy.Add(time.Hour)
	for range 2 {
		if n, err := a.AutomateLate(ctx); err != nil || n > 1 {
			t.Fatalf("sweep: %d looked at, %v; want the late order at most", n, err)
		}
	}
	o, err := a.OrderByNumber(ctx, late.Number)
	if err != nil {
		t.Fatal(err)
	}
	if msgs := messages(o); strings.Count(msgs, "Automation rule “Late ones”") != 1 || !slices.Contains(o.Tags, "late") {
		t.Errorf("late order: tags %v, timeline:\n%s", o.Tags, msgs)
	}
	s, err := a.OrderByNumber(ctx, shipped.Number)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(messages(s), "Late ones") {
		t.Errorf("a shipped order met the late rules:\n%s", messages(s))
	}
}

// TestSimulateReplaysRejectionsAndShortCounts: an order a location rejected
// and an order a count left short are found by rules on fulfillment.rejected
// and stock.short; an untouched order by neither; nothing is written.
func TestSimulateReplaysRejectionsAndShortCounts(t *testing.T) {
	a := apptest.OrderNetwork(t)
	s := autorules.New(a)
	ctx := context.Background()
	apptest.Count(t, a, "L2", "TEE", 1000)
	rejected := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "r"`))
	if _, err := a.RejectFulfillment(ctx, app.System, rejected.Fulfillments[0].ID, app.RejectInput{Reason: "damaged"}); err != nil {
		t.Fatal(err)
	}
	short := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "s"`))
	at := short.Fulfillments[0].Location
	if _, err := a.CountStock(ctx, app.System, at, "TEE", app.CountInput{OnHand: apptest.Ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "plain"`)) // after the count: never short
	rs, err := autorules.ParseJSON([]byte(`{"rules": [
	  {"name": "Rejected", "enabled": true, "trigger": "fulfillment.rejected", "actions": [{"action": "hold", "reason": "other"}]},
	  {"name": "Short", "enabled": true, "trigger": "stock.short", "actions": [{"action": "priority", "priority": 90}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	before := apptest.CountOutbox(t, a, "pending", "")
	sim, err := s.Simulate(ctx, app.System, rs, 50)
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]string{}
	for _, m := range sim.Matched {
		for _, f := range m.Fired {
			fired[m.Number] += f.Trigger + ":" + f.Rule + ":" + strings.Join(f.Actions, ",") + ";"
		}
	}
	want := map[string]string{
		rejected.Number: "fulfillment.rejected:Rejected:hold (other);",
		short.Number:    "stock.short:Short:set the priority to 90;",
	}
	b, _ := json.Marshal(sim)
	if sim.Orders != 3 || len(fired) != 2 || fired[rejected.Number] != want[rejected.Number] || fired[short.Number] != want[short.Number] {
		t.Fatalf("fired %v, want %v; simulation %s", fired, want, b)
	}
	if sim.PerRule["Rejected"] != 1 || sim.PerRule["Short"] != 1 {
		t.Errorf("per rule %v", sim.PerRule)
	}
	for _, n := range []string{rejected.Number, short.Number} {
		o, err := a.OrderByNumber(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		row, err := a.Read().GetOrder(ctx, orderID(t, a, n))
		if err != nil {
			t.Fatal(err)
		}
		if row.Priority != 0 || row.HoldReason == "other" || strings.Contains(messages(o), "Automation rule") {
			t.Errorf("the simulation changed %s:\n%s", n, messages(o))
		}
	}
	if after := apptest.CountOutbox(t, a, "pending", ""); after != before {
		t.Errorf("outbox %d -> %d", before, after)
	}
}

// TestSimulateReplaysLateOrders: the simulation fires order.late on an order
// open past its promised ship-by and on one shipped after it, not on one
// shipped in time, and writes nothing.
func TestSimulateReplaysLateOrders(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	a := apptest.NewAppAt(t, func() time.Time { return now })
	apptest.MustChannel(t, a, "web", 0)
	apptest.MustLocation(t, a, "L1", "web")
	apptest.MustSKU(t, a, "TEE")
	apptest.Count(t, a, "L1", "TEE", 100)
	onTime := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "on-time"`))
	shippedLate := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "shipped-late"`))
	open := place(t, a, apptest.DecodeOrder(t, `"external_id": "100234"`, `"external_id": "open"`))
	if open.PromisedShipBy == nil {
		t.Fatal("the order has no promised ship-by")
	}
	ship := func(o app.Order) {
		t.Helper()
		if _, err := a.Ship(ctx, app.System, o.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
			t.Fatal(err)
		}
	}
	ship(onTime)
	now = open.PromisedShipBy.Add(time.Hour)
	ship(shippedLate)
	rs, err := autorules.ParseJSON([]byte(`{"rules": [
	  {"name": "Late ones", "enabled": true, "trigger": "order.late", "actions": [{"action": "add_tag", "tag": "late"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	sim, err := autorules.New(a).Simulate(ctx, app.System, rs, 50)
	if err != nil {
		t.Fatal(err)
	}
	var late []string
	for _, m := range sim.Matched {
		for _, f := range m.Fired {
			if f.Trigger == "order.late" {
				late = append(late, m.Number)
			}
		}
	}
	slices.Sort(late)
	want := []string{shippedLate.Number, open.Number}
	slices.Sort(want)
	if !slices.Equal(late, want) || sim.PerRule["Late ones"] != 2 {
		t.Fatalf("late in the simulation: %v (per rule %v), want %v", late, sim.PerRule, want)
	}
	if o, err := a.OrderByNumber(ctx, open.Number); err != nil || slices.Contains(o.Tags, "late") {
		t.Fatalf("the simulation tagged %s: %v, %v", open.Number, o.Tags, err)
	}
}
