package returns

import (
	"context"
	"testing"

	"switchyard/app"
)

// The note of a published version of the return rules is text: anything
// else is refused naming note, and nothing is published.
func TestPublishNoteMustBeText(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	if err := s.SaveDraft(ctx, ops, []Rule{{Name: "everything", Location: Nearest}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Publish(ctx, ops, "spring\x00rules")
	if f := fields(t, err); f["note"] == "" {
		t.Fatalf("fields = %v, want note", f)
	}
	if vs, err := s.Versions(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("versions after a refused publish: %+v %v", vs, err)
	}
	if _, err := s.Publish(ctx, ops, "spring rules"); err != nil {
		t.Fatal(err)
	}
}

// A channel's refund on one order that names a return of another order is
// recorded on its order, linked to no return: it settles nothing of the other.
func TestChannelRefundNamingAnotherOrdersReturn(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	o1, o2 := delivered(t, a, "R1", 1), delivered(t, a, "R2", 1)
	if _, _, err := s.Create(ctx, support, o1.Number, NewReturn{Resolution: ResolutionRefund, Location: "LYS",
		ExternalID: "gid://shopify/Return/1", Lines: []LineInput{{Line: o1.Lines[0].ID, Quantity: 1, Reason: "too_small"}}}); err != nil {
		t.Fatal(err)
	}
	row, err := a.Read().GetOrder(ctx, o2.ID)
	if err != nil {
		t.Fatal(err)
	}
	channel := app.Actor{Kind: app.ActorChannel, Name: "Web", Channel: "web"}
	err = a.Write(ctx, func(tx app.Tx) error {
		_, err := RecordChannelRefundTx(ctx, tx, channel, row, ChannelRefund{ExternalID: "r-9", Amount: 1000,
			ReturnExternalID: "gid://shopify/Return/1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	refunds, err := a.Read().ListOrderRefunds(ctx, o2.ID)
	if err != nil || len(refunds) != 1 || refunds[0].ReturnID.Valid {
		t.Fatalf("refunds of %s: %+v %v", o2.Number, refunds, err)
	}
}
