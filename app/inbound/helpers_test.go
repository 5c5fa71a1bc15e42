package inbound

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/apptest"
	store "switchyard/sql"
)

// svc is the one Service over a test's App.
func svc(a *app.App) *Service { return apptest.Service(a, New) }

// network is apptest's route network (LYS, PAR, BER serving web) with 10
// TEE in Paris.
func network(t *testing.T) *app.App {
	t.Helper()
	a := apptest.RouteNetwork(t)
	apptest.MustSKU(t, a, "MUG")
	apptest.Count(t, a, "PAR", "TEE", 10)
	return a
}

// level reads the stock of sku at loc.
func level(t *testing.T, a *app.App, loc, sku string) app.StockLevel {
	t.Helper()
	page, err := a.ListStock(context.Background(), app.StockQuery{SKU: sku, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range page.Levels {
		if l.Location == loc && l.SKU == sku {
			return l
		}
	}
	return app.StockLevel{Location: loc, SKU: sku}
}

// purchase is a purchase of qty TEE from Acme to LYS, expected 20 Dec 2026.
func purchase(qty int64) NewInbound {
	return NewInbound{Kind: KindPurchase, Supplier: "Acme", To: "LYS", ExpectedAt: "2026-12-20",
		Lines: []LineInput{{SKU: "TEE", Quantity: qty}}}
}

// transfer is a transfer of qty TEE from PAR to LYS.
func transfer(qty int64) NewInbound {
	return NewInbound{Kind: KindTransfer, From: "PAR", To: "LYS", ExpectedAt: "2026-12-20",
		Lines: []LineInput{{SKU: "TEE", Quantity: qty}}}
}

// mustCreate creates in as the system or fails the test.
func mustCreate(t *testing.T, a *app.App, in NewInbound) Inbound {
	t.Helper()
	got, err := svc(a).Create(context.Background(), app.System, in)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// fieldsOf is the field errors of err, or fails the test.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid {
		t.Fatalf("got %v, want field errors", err)
	}
	return ae.Fields
}

// storeListAll lists every inbound, newest first.
func storeListAll() store.ListInboundParams {
	return store.ListInboundParams{Before: 1 << 62, Lim: 1000}
}

// makeLead makes a warehouse user of the location code.
func makeLead(t *testing.T, a *app.App, code string) app.Actor {
	t.Helper()
	u, _, err := accounts.New(a).CreateUser(context.Background(), app.System, accounts.NewUser{Email: "lead-" + strings.ToLower(code) + "@example.com",
		Name: "Lead of " + code, Role: string(app.RoleWarehouse), Password: "a long enough password", Locations: []string{code}})
	if err != nil {
		t.Fatal(err)
	}
	return app.Actor{Kind: app.ActorUser, ID: u.ID, Name: u.Name, Role: app.RoleWarehouse}
}

// ops is an ops manager.
var ops = app.Actor{Kind: app.ActorUser, ID: 0, Name: "Olga Ops", Role: app.RoleOps}

// count is a receipt of good and damaged units of one SKU.
func count(sku string, good, damaged int64) ReceiveInput {
	return ReceiveInput{Lines: []ReceiveLine{{SKU: sku, Quantity: good, Damaged: damaged}}}
}

// ledgerReasons lists the reasons of the ledger of sku at loc, oldest first.
func ledgerReasons(t *testing.T, a *app.App, loc, sku string) []string {
	t.Helper()
	page, err := a.Ledger(context.Background(), loc, sku, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(page.Entries) - 1; i >= 0; i-- {
		e := page.Entries[i]
		out = append(out, fmt.Sprintf("%s %+d/%+d %s", e.Reason, e.DeltaOnHand, e.DeltaReserved, e.Reference))
	}
	return out
}
