package app

import (
	"context"
	"errors"
	"testing"
)

func TestResolvePlacedAfterAnUnknownOutcome(t *testing.T) {
	ctx := context.Background()
	a := orderNetwork(t)
	in := decodeOrder(t)
	placed, _, err := a.PlaceOrder(ctx, System, in)
	if err != nil {
		t.Fatal(err)
	}
	commitLost := errors.New("commit: leadership lost while replicating")

	// The commit failed as far as the writer knows, but the order is there.
	o, created, err := a.resolvePlaced(ctx, in, commitLost)
	if err != nil || !created || o.Number != placed.Number {
		t.Fatalf("resolved %q created %v err %v: want the order %s", o.Number, created, err, placed.Number)
	}
	// The order is not there: the write's error stands.
	missing := decodeOrder(t, `"100234"`, `"never-written"`)
	if _, _, err := a.resolvePlaced(ctx, missing, commitLost); !errors.Is(err, commitLost) {
		t.Fatalf("err %v: want the write's own error", err)
	}
	// A refusal by the rules is known: it is answered as is, even when an
	// order with that id exists.
	refused := InvalidField("lines[0].sku", "unknown")
	if _, _, err := a.resolvePlaced(ctx, in, refused); !errors.Is(err, refused) {
		t.Fatalf("err %v: want the refusal", err)
	}
	// A caller that gave up gets its own error back.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := a.resolvePlaced(gone, in, commitLost); !errors.Is(err, commitLost) {
		t.Fatalf("err %v: want the write's error", err)
	}
}
