package app

import (
	"context"
	"fmt"
	"math/rand/v2"
)

// DemoPassword is the password of every demo user. Demo databases only.
const DemoPassword = "switchyard-demo"

// DemoSignIn is one demo user to print for the newcomer.
type DemoSignIn struct {
	Role  Role
	Email string
}

// demoUsers are the demo sign-ins, one per role, and a store lead.
var demoUsers = []NewUser{
	{Email: "admin@demo.switchyard.dev", Name: "Ada Admin", Role: string(RoleAdmin)},
	{Email: "ops@demo.switchyard.dev", Name: "Omar Ops", Role: string(RoleOps)},
	{Email: "warehouse@demo.switchyard.dev", Name: "Wanda Warehouse", Role: string(RoleWarehouse), Locations: []string{"LYS-WH"}},
	{Email: "store@demo.switchyard.dev", Name: "Pierre Store", Role: string(RoleWarehouse), Locations: []string{"PAR-01"}},
	{Email: "support@demo.switchyard.dev", Name: "Sam Support", Role: string(RoleSupport)},
}

// SeedDemo fills an empty database (no users) with the demo network and users.
// It reports whether it did, and the demo sign-ins either way.
func (a *App) SeedDemo(ctx context.Context) (bool, []DemoSignIn, error) {
	signIns := make([]DemoSignIn, len(demoUsers))
	for i, u := range demoUsers {
		signIns[i] = DemoSignIn{Role: Role(u.Role), Email: u.Email}
	}
	n, err := a.CountUsers(ctx)
	if err != nil {
		return false, nil, err
	}
	if n > 0 {
		return false, signIns, nil
	}
	hash, err := a.HashPassword(ctx, DemoPassword)
	if err != nil {
		return false, nil, err
	}
	err = a.Write(ctx, func(tx Tx) error {
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
func seedNetwork(ctx context.Context, tx Tx) error {
	for _, ch := range demoChannels {
		if _, err := PutChannelInTx(ctx, tx, ch.code, ch.in); err != nil {
			return fmt.Errorf("demo channel %s: %w", ch.code, err)
		}
	}
	for _, l := range demoLocations() {
		if err := CheckLocation(&l.in, l.code).Err("demo location"); err != nil {
			return fmt.Errorf("demo location %s: %w", l.code, err)
		}
		if _, err := PutLocationInTx(ctx, tx, l.code, l.in); err != nil {
			return fmt.Errorf("demo location %s: %w", l.code, err)
		}
	}
	skus := demoSKUs()
	for _, s := range skus {
		if _, err := PutSKUInTx(ctx, tx, s.code, s.in); err != nil {
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
func seedStock(ctx context.Context, tx Tx, skus []demoSKU) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	for _, l := range demoLocations() {
		for _, s := range skus {
			if rng.Float64() >= l.carries || (s.in.Tags != nil && contains(s.in.Tags, "oversize") && l.in.Kind == "store") {
				continue
			}
			key, err := ResolveLevel(ctx, tx, l.code, s.code, "location", "sku")
			if err != nil {
				return err
			}
			onHand := demoQuantity(rng, l.in.Kind)
			safety := int64(0)
			if l.in.Kind == "warehouse" || l.in.Kind == "store" {
				safety = int64(rng.IntN(4))
			}
			if err := CountLevel(ctx, tx, key, onHand, &safety, "demo stock", System.Label()); err != nil {
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
func seedUser(ctx context.Context, tx Tx, u NewUser, hash string) error {
	id, err := tx.Q.CreateUser(ctx, createUserParams(u, hash, tx))
	if err != nil {
		return fmt.Errorf("demo user %s: %w", u.Email, err)
	}
	return SetUserLocations(ctx, tx, id, Role(u.Role), u.Locations)
}

// CountUsers counts every user, active or not.
func (a *App) CountUsers(ctx context.Context) (int64, error) {
	n, err := a.Read().CountUsers(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
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
