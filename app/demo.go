package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// DemoPassword is the password of every demo user. Demo databases only.
const DemoPassword = "switchyard-demo"

// DemoSignIn is one demo user to print for the newcomer.
type DemoSignIn struct {
	Role  Role
	Email string
}

// demoLocations are the demo network's locations (code, name).
var demoLocations = [][2]string{
	{"LYS-WH", "Lyon warehouse"},
	{"PAR-01", "Paris Marais store"},
}

// demoUsers are the demo sign-ins, one per role.
var demoUsers = []NewUser{
	{Email: "admin@demo.switchyard.dev", Name: "Ada Admin", Role: string(RoleAdmin)},
	{Email: "ops@demo.switchyard.dev", Name: "Omar Ops", Role: string(RoleOps)},
	{Email: "warehouse@demo.switchyard.dev", Name: "Wanda Warehouse", Role: string(RoleWarehouse), Locations: []string{"LYS-WH"}},
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
	hash, err := HashPassword(DemoPassword)
	if err != nil {
		return false, nil, err
	}
	err = a.write(ctx, func(tx Tx) error {
		for _, l := range demoLocations {
			if _, err := tx.Q.CreateLocationStub(ctx, store.CreateLocationStubParams{
				Code: l[0], Name: l[1], CreatedAt: ms(tx.Now), UpdatedAt: ms(tx.Now),
			}); err != nil {
				return fmt.Errorf("demo location %s: %w", l[0], err)
			}
		}
		for _, u := range demoUsers {
			id, err := tx.Q.CreateUser(ctx, store.CreateUserParams{
				Email: u.Email, Name: u.Name, Role: u.Role, PasswordHash: hash,
				CreatedAt: ms(tx.Now), UpdatedAt: ms(tx.Now),
			})
			if err != nil {
				return fmt.Errorf("demo user %s: %w", u.Email, err)
			}
			if err := setUserLocations(ctx, tx, id, Role(u.Role), u.Locations); err != nil {
				return err
			}
		}
		return nil
	})
	return err == nil, signIns, err
}

// CountUsers counts every user, active or not.
func (a *App) CountUsers(ctx context.Context) (int64, error) {
	n, err := a.read().CountUsers(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
