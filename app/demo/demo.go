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
	err = a.core.Write(ctx, func(tx app.Tx) error {
		if err := seedNetwork(ctx, tx); err != nil {
			return err
		}
		for _, u := range demoUsers {
			if err := seedUser(ctx, tx, u, hash); err != nil {
				return err
			}
		}
		return nil
	})
	return err == nil, signIns, err
}

// seedNetwork writes the demo channels, locations, SKUs and stock.
func seedNetwork(ctx context.Context, tx app.Tx) error {
	for _, ch := range demoChannels {
		if _, err := app.PutChannelInTx(ctx, tx, ch.code, ch.in); err != nil {
			return fmt.Errorf("demo channel %s: %w", ch.code, err)
		}
	}
	for _, l := range demoLocations() {
		if err := app.CheckLocation(&l.in, l.code).Err("demo location"); err != nil {
			return fmt.Errorf("demo location %s: %w", l.code, err)
		}
		if _, err := app.PutLocationInTx(ctx, tx, l.code, l.in); err != nil {
			return fmt.Errorf("demo location %s: %w", l.code, err)
		}
	}
	skus := demoSKUs()
	for _, s := range skus {
		if _, err := app.PutSKUInTx(ctx, tx, s.code, s.in); err != nil {
			return fmt.Errorf("demo SKU %s: %w", s.code, err)
		}
	}
	if err := seedStock(ctx, tx, skus); err != nil {
		return err
	}
	if err := seedRules(ctx, tx); err != nil {
		return err
	}
	return seedOrders(ctx, tx, skus, tx.Now)
}

// seedStock counts uneven demo stock: warehouses carry most SKUs, stores a part,
// some levels are empty and some below their safety stock.
func seedStock(ctx context.Context, tx app.Tx, skus []demoSKU) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	for _, l := range demoLocations() {
		for _, s := range skus {
			if rng.Float64() >= l.carries || (s.in.Tags != nil && contains(s.in.Tags, "oversize") && l.in.Kind == "store") {
				continue
			}
			key, err := app.ResolveLevel(ctx, tx, l.code, s.code, "location", "sku")
			if err != nil {
				return err
			}
			onHand := demoQuantity(rng, l.in.Kind)
			safety := int64(0)
			if l.in.Kind == "warehouse" || l.in.Kind == "store" {
				safety = int64(rng.IntN(4))
			}
			if err := app.CountLevel(ctx, tx, key, onHand, &safety, "demo stock", app.System.Label()); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoQuantity draws an uneven quantity: often a few, sometimes none, sometimes many.
func demoQuantity(rng *rand.Rand, kind string) int64 {
	switch r := rng.Float64(); {
	case r < 0.12:
		return 0
	case r < 0.30:
		return int64(1 + rng.IntN(3))
	case kind == "store":
		return int64(2 + rng.IntN(15))
	default:
		return int64(10 + rng.IntN(240))
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
