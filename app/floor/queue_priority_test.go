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

// TestQueuePriorityAcrossPages: with pages of 2, the express order placed
// last (which oldest first would leave to the last page) opens page 1, and
// paging through returns every fulfillment exactly once, in order: late
// first, then higher priority, then oldest.
func TestQueuePriorityAcrossPages(t *testing.T) {
	ctx := context.Background()
	a := apptest.RouteNetwork(t)
	apptest.Count(t, a, "LYS", "TEE", 20)
	rules := autorules.New(a)
	p, q := 60, 30
	rs := automation.RuleSet{Rules: []automation.Rule{
		{Name: "Express first", Enabled: true, Trigger: automation.OrderReceived,
			Conditions: []automation.Condition{{Field: "tags", Op: "contains", Value: []byte(`"express"`)}},
			Actions:    []automation.Action{{Action: automation.ActPriority, Priority: &p}}},
		{Name: "VIP next", Enabled: true, Trigger: automation.OrderReceived,
			Conditions: []automation.Condition{{Field: "tags", Op: "contains", Value: []byte(`"vip"`)}},
			Actions:    []automation.Action{{Action: automation.ActPriority, Priority: &q}}}}}
	if _, err := rules.PutDraft(ctx, app.System, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := rules.Publish(ctx, app.System, ""); err != nil {
		t.Fatal(err)
	}
	tags := map[int][]string{1: {"vip"}, 4: {"vip"}, 6: {"express"}}
	var numbers []string
	for i := range 7 {
		in := apptest.LyonOrder(string(rune('a'+i)), 1)
		in.Tags = tags[i]
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, o.Number)
	}
	want := []string{numbers[6], numbers[1], numbers[4], numbers[0], numbers[2], numbers[3], numbers[5]}
	var got []string
	seen := map[int64]bool{}
	after, pages := "", 0
	for {
		page, err := svc(a).LocationQueuePage(ctx, app.System, "LYS", app.FulfillmentPending, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if pages == 1 && (len(page.Items) != 2 || page.Items[0].OrderNumber != numbers[6] || page.Items[0].Priority != 60) {
			t.Fatalf("page 1 does not open with the express order: %+v", page.Items)
		}
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Fatalf("fulfillment %d listed twice", it.ID)
			}
			seen[it.ID] = true
			got = append(got, it.OrderNumber)
		}
		if page.Next == "" || pages > 10 {
			break
		}
		after = page.Next
	}
	if pages != 4 || len(got) != len(want) {
		t.Fatalf("%d pages, got %v, want %v", pages, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("queue order %v, want %v", got, want)
		}
	}
	for _, bad := range []string{"x", "1~2~3", "2~0~0~0", "1~102~0~0", "1~-1~0~0"} {
		if _, err := svc(a).LocationQueuePage(ctx, app.System, "LYS", app.FulfillmentPending, bad, 2); app.ErrorKind(err) != app.KindInvalid {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
	apptest.CheckInvariants(t, a)
}
