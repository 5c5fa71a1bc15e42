package floor

import (
	"context"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/automation"
	"switchyard/app/autorules"
)

// TestQueuePutsHigherPriorityFirst: an automation rule gives express orders
// a priority, and the location's queue shows them before older ones.
func TestQueuePutsHigherPriorityFirst(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 10)
	rules := autorules.New(a)
	p := 60
	rs := automation.RuleSet{Rules: []automation.Rule{{Name: "Express first", Enabled: true, Trigger: automation.OrderReceived,
		Conditions: []automation.Condition{{Field: "tags", Op: "contains", Value: []byte(`"express"`)}},
		Actions:    []automation.Action{{Action: automation.ActPriority, Priority: &p}}}}}
	if _, err := rules.PutDraft(ctx, app.System, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := rules.Publish(ctx, app.System, ""); err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for i, ext := range []string{"1", "2", "3"} {
		in := apptest.LyonOrder(ext, 1)
		if i == 1 {
			in.Tags = []string{"express"}
		}
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, o.Number)
	}
	q, err := svc(a).LocationQueue(ctx, app.System, "LYS", app.FulfillmentPending)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range q.Items {
		got = append(got, it.OrderNumber)
	}
	want := []string{numbers[1], numbers[0], numbers[2]}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("queue %v, want %v", got, want)
	}
	if q.Items[0].Priority != 60 {
		t.Errorf("priority %d", q.Items[0].Priority)
	}
}
