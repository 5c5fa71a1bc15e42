package demo

import (
	"switchyard/app"
	"switchyard/app/accounts"

	"context"
	"fmt"
	"math/rand/v2"
)

// DemoPassword is the password of every demo user. Demo databases only.
const DemoPassword = "switchyard-demo"

// DemoSignIn is one demo user to print for the newcomer.
type DemoSignIn struct {
	Role  app.Role
	Email string
}

// demoUsers are the demo sign-ins, one per role, and a store lead.
var demoUsers = []accounts.NewUser{
	{Email: "admin@demo.switchyard.dev", Name: "Ada Admin", Role: string(app.RoleAdmin)},
	{Email: "ops@demo.switchyard.dev", Name: "Omar Ops", Role: string(app.RoleOps)},
	{Email: "warehouse@demo.switchyard.dev", Name: "Wanda Warehouse", Role: string(app.RoleWarehouse), Locations: []string{"LYS-WH"}},
	{Email: "store@demo.switchyard.dev", Name: "Pierre Store", Role: string(app.RoleWarehouse), Locations: []string{"PAR-01"}},
	{Email: "support@demo.switchyard.dev", Name: "Sam Support", Role: string(app.RoleSupport)},
}

// SeedDemo fills an empty database (no users) with the demo network and users.
// It reports whether it did, and the demo sign-ins either way.
func (a *Service) SeedDemo(ctx context.Context) (bool, []DemoSignIn, error) {
	signIns := make([]DemoSignIn, len(demoUsers))
	for i, u := range demoUsers {
		signIns[i] = DemoSignIn{Role: app.Role(u.Role), Email: u.Email}
	}
	n, err := a.accounts.CountUsers(ctx)
	if err != nil {
		return false, nil, err
	}
	if n > 0 {
		return false, signIns, nil
	}
	hash, err := a.accounts.HashPassword(ctx, DemoPassword)
	if err != nil {
		return false, nil, err
	}
	var st staged
	err = a.core.Write(ctx, func(tx app.Tx) error {
		var err error
		if st, err = seedNetwork(ctx, tx); err != nil {
			return err
		}
		for _, u := range demoUsers {
			if err := seedUser(ctx, tx, u, hash); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, nil, err
	}
	if err := a.stageExceptions(ctx, st); err != nil {
		return true, signIns, fmt.Errorf("demo exceptions: %w", err)
	}
	if err := a.core.Write(ctx, func(tx app.Tx) error { return seedAutomation(ctx, tx) }); err != nil {
		return true, signIns, err
	}
	return true, signIns, nil
}

// seedNetwork writes the demo channels, locations, SKUs, stock and orders,
// and returns the orders to turn into exceptions once it is committed.
func seedNetwork(ctx context.Context, tx app.Tx) (staged, error) {
	for _, ch := range demoChannels {
		if _, err := app.PutChannelInTx(ctx, tx, ch.code, ch.in); err != nil {
			return staged{}, fmt.Errorf("demo channel %s: %w", ch.code, err)
		}
	}
	for _, l := range demoLocations() {
		if err := app.CheckLocation(&l.in, l.code).Err("demo location"); err != nil {
			return staged{}, fmt.Errorf("demo location %s: %w", l.code, err)
		}
		if _, err := app.PutLocationInTx(ctx, tx, l.code, l.in); err != nil {
			return staged{}, fmt.Errorf("demo location %s: %w", l.code, err)
		}
	}
	skus := demoSKUs()
	for _, s := range skus {
		if _, err := app.PutSKUInTx(ctx, tx, s.code, s.in); err != nil {
			return staged{}, fmt.Errorf("demo SKU %s: %w", s.code, err)
		}
	}
	if err := seedStock(ctx, tx, skus); err != nil {
		return staged{}, err
	}
	if err := seedRules(ctx, tx); err != nil {
		return staged{}, err
	}
	return seedOrders(ctx, tx, skus, tx.Now)
}

// seedStock counts the demo stock: the Lyon warehouse and the US 3PL carry
// every SKU in quantity, so that no order waits by chance; the other
// warehouses most; stores a few of a part, some empty and some below their
// safety stock. The SKUs the staged exceptions are made of are counted apart.
func seedStock(ctx context.Context, tx app.Tx, skus []demoSKU) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	for _, l := range demoLocations() {
		for _, s := range skus {
			if rng.Float64() >= l.carries || (s.in.Tags != nil && contains(s.in.Tags, "oversize") && l.in.Kind == "store") {
				continue
			}
			if _, special := specialStock[s.code]; special {
				continue
			}
			key, err := app.ResolveLevel(ctx, tx, l.code, s.code, "location", "sku")
			if err != nil {
				return err
			}
			onHand := demoQuantity(rng, l.in.Kind, l.carries == 1)
			safety := int64(0)
			if l.in.Kind == "warehouse" || l.in.Kind == "store" {
				safety = int64(rng.IntN(4))
			}
			if err := app.CountLevel(ctx, tx, key, onHand, &safety, "demo stock", app.System.Label()); err != nil {
				return err
			}
		}
	}
	for sku, onHand := range specialStock {
		key, err := app.ResolveLevel(ctx, tx, "LYS-WH", sku, "location", "sku")
		if err != nil {
			return err
		}
		if err := app.CountLevel(ctx, tx, key, onHand, nil, "demo stock", app.System.Label()); err != nil {
			return err
		}
	}
	return nil
}

// demoQuantity draws a quantity: stores hold often a few, sometimes none;
// warehouses plenty, and a backstop (one that carries everything) never none.
func demoQuantity(rng *rand.Rand, kind string, backstop bool) int64 {
	r := rng.Float64()
	switch {
	case kind == "store" && r < 0.12:
		return 0
	case kind == "store" && r < 0.30:
		return int64(1 + rng.IntN(3))
	case kind == "store":
		return int64(2 + rng.IntN(15))
	case r < 0.04 && !backstop:
		return 0
	default:
		return int64(80 + rng.IntN(220))
	}
}

// seedUser writes one demo user with the shared demo password hash.
func seedUser(ctx context.Context, tx app.Tx, u accounts.NewUser, hash string) error {
	id, err := tx.Q.CreateUser(ctx, accounts.CreateUserParams(u, hash, tx))
	if err != nil {
		return fmt.Errorf("demo user %s: %w", u.Email, err)
	}
	return accounts.SetUserLocations(ctx, tx, id, app.Role(u.Role), u.Locations)
}

// contains reports whether tags holds t.
func contains(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}
