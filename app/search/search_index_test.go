package search

import (
	"switchyard/app"

	"context"
	"slices"
	"testing"
)

// TestSearchIndexesOrdersAfterIntake: intake leaves new orders out of the
// search index; a search (or the indexer) puts them in first, as they are
// then, so a name changed before indexing is found by the new name only, and
// one changed after indexing too.
func TestSearchIndexesOrdersAfterIntake(t *testing.T) {
	ctx := context.Background()
	a := searchNetwork(t)
	withShipName := func(name string) func(*app.NewOrder) {
		return func(in *app.NewOrder) { in.ShippingAddress.Name = name }
	}
	first := searchOrder(t, a, "s1", 3, withShipName("Aurelie Fontaine"))
	second := searchOrder(t, a, "s2", 4, withShipName("Bastien Lemaire"))
	if lag, err := a.Read().SearchIndexLag(ctx); err != nil || lag.Upto >= second.ID {
		t.Fatalf("intake should leave the index behind: %+v %v", lag, err)
	}
	// Before it is indexed, the second order's name changes.
	addr := *second.ShippingAddress
	addr.Name = "Camille Rousseau"
	if _, err := a.ChangeAddress(ctx, app.System, second.Number, addr); err != nil {
		t.Fatal(err)
	}
	if got := numbers(mustSearch(t, a, "Aurelie Fontaine")); !slices.Equal(got, []string{first.Number}) {
		t.Fatalf("search for the first name found %v, want %s", got, first.Number)
	}
	if got := numbers(mustSearch(t, a, "Camille Rousseau")); !slices.Equal(got, []string{second.Number}) {
		t.Fatalf("search for the new name found %v, want %s", got, second.Number)
	}
	if got := numbers(mustSearch(t, a, "Bastien Lemaire")); len(got) != 0 {
		t.Fatalf("the name changed before indexing is still found: %v", got)
	}
	// Indexed now: a change goes through the index's triggers.
	addr.Name = "Delphine Marchal"
	if _, err := a.ChangeAddress(ctx, app.System, second.Number, addr); err != nil {
		t.Fatal(err)
	}
	if got := numbers(mustSearch(t, a, "Delphine Marchal")); !slices.Equal(got, []string{second.Number}) {
		t.Fatalf("search for the newest name found %v", got)
	}
	if got := numbers(mustSearch(t, a, "Camille Rousseau")); len(got) != 0 {
		t.Fatalf("the name changed after indexing is still found: %v", got)
	}
	n, err := svc(a).IndexSearch(ctx)
	if err != nil || n != 0 {
		t.Fatalf("nothing should be left to index: %d, %v", n, err)
	}
}
