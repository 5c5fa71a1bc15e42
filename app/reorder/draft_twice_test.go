package reorder

import (
	"context"
	"testing"

	"switchyard/app"
	"switchyard/app/inbound"
)

// TestSentOrderIsNotSuggestedAgain: once a drafted purchase order is sent,
// what it brings counts towards the location's stock: the suggestion goes
// (drafting it again finds nothing to order), and after a partial receipt
// what was counted is on hand and the rest still on order, counted once.
func TestSentOrderIsNotSuggestedAgain(t *testing.T) {
	ctx := context.Background()
	_, s := draftNetwork(t)
	if _, err := s.DraftPurchaseOrders(ctx, ops, DraftForm{Supplier: "Acme", Lines: []string{"MUG@LYS"}}); err != nil {
		t.Fatal(err)
	}
	in := inbound.New(s.core)
	if _, err := in.Send(ctx, ops, "IN-000001"); err != nil {
		t.Fatal(err)
	}
	_, err := s.DraftPurchaseOrders(ctx, ops, DraftForm{Supplier: "Acme", Lines: []string{"MUG@LYS"}})
	if ae, ok := app.AsError(err); !ok || ae.Kind != app.KindInvalid || ae.Fields["line"] == "" {
		t.Fatalf("drafting MUG@LYS again after its order was sent: %v, want nothing to order", err)
	}
	mugSuggested := func(when string) {
		t.Helper()
		page, err := s.List(ctx, ops, Query{Location: "LYS", OnlyOrder: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Lines {
			if l.SKU == "MUG" {
				t.Errorf("MUG at LYS still suggested %s: %+v", when, l)
			}
		}
	}
	mugSuggested("after its order was sent")
	if _, err := in.Receive(ctx, ops, "IN-000001", inbound.ReceiveInput{Lines: []inbound.ReceiveLine{{SKU: "MUG", Quantity: 2, Damaged: 1}}}); err != nil {
		t.Fatal(err)
	}
	mugSuggested("after a partial receipt")
	if _, err := in.Close(ctx, ops, "IN-000001"); err != nil {
		t.Fatal(err)
	}
	if l, _, _ := s.suggestion(ctx, "MUG", "LYS"); l.Suggested != 17 {
		t.Errorf("after closing the order short, suggested %+v, want 20 - 3 on hand", l)
	}
}
