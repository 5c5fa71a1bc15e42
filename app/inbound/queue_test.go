package inbound

import (
	"context"
	"testing"

	"switchyard/app"
)

// TestAt: a location's queue counts the inbound on its way to it and the
// transfers it has to ship; a lead of another location gets NotFound.
func TestAt(t *testing.T) {
	ctx := context.Background()
	a := network(t)
	mustCreate(t, a, purchase(10)) // to LYS, sent
	draft := purchase(3)
	draft.Draft = true
	mustCreate(t, a, draft)             // to LYS, not sent: not expected yet
	tr := mustCreate(t, a, transfer(2)) // PAR to LYS, to ship from PAR
	for code, want := range map[string]AtLocation{"LYS": {Expected: 1}, "PAR": {ToShip: 1}, "BER": {}} {
		if got, err := svc(a).At(ctx, ops, code); err != nil || got != want {
			t.Errorf("at %s: %+v %v; want %+v", code, got, err, want)
		}
	}
	if _, err := svc(a).Ship(ctx, ops, tr.Number, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc(a).At(ctx, ops, "LYS"); got.Expected != 2 {
		t.Errorf("after the transfer shipped LYS expects %d; want 2", got.Expected)
	}
	if _, err := svc(a).At(ctx, makeLead(t, a, "BER"), "LYS"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("Berlin's lead at LYS: %v; want NotFound", err)
	}
	if _, err := svc(a).At(ctx, ops, "NOWHERE"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("an unknown location: %v; want NotFound", err)
	}
	if _, err := svc(a).List(ctx, ops, ListQuery{Location: "NOWHERE"}); fieldsOf(t, err)["location"] == "" {
		t.Errorf("a list of an unknown location: %v; want the field named", err)
	}
}
