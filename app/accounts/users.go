package accounts

import (
	"switchyard/app"

	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/app/audit"
	store "switchyard/sql"
)

// User is a person who signs in.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      app.Role
	Active    bool
	Locations []app.LocationRef // warehouse users only
	Timezone  string            // IANA name for staff pages; "" = the browser's
	CreatedAt time.Time
}

// Actor is the user on whose behalf a use case runs.
func (u User) Actor() app.Actor {
	return app.Actor{Kind: app.ActorUser, ID: u.ID, Name: u.Name, Role: u.Role}
}

// Has reports whether u may use pages meant for any of roles.
func (u User) Has(roles ...app.Role) bool { return slices.Contains(roles, u.Role) }

// NewUser is the input for creating a user.
type NewUser struct {
	Email     string   `form:"email" validate:"required,email,max=254"`
	Name      string   `form:"name" validate:"required,max=100"`
	Role      string   `form:"role" validate:"required,oneof=admin ops warehouse support"`
	Password  string   `form:"password" validate:"omitempty,min=12,max=200"`
	Locations []string `form:"locations"`
}

// UserChanges is the input for editing a user's name, role and locations.
type UserChanges struct {
	Name      string   `form:"name" validate:"required,max=100"`
	Role      string   `form:"role" validate:"required,oneof=admin ops warehouse support"`
	Locations []string `form:"locations"`
}

// CreateUser adds a user. With no password given, one is generated; the
// password is returned so that it can be shown once.
func (a *Service) CreateUser(ctx context.Context, actor app.Actor, in NewUser) (User, string, error) {
	if err := actor.RequireAdmin(); err != nil {
		return User{}, "", err
	}
	in.Email = strings.TrimSpace(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if err := a.checkNewUser(ctx, in); err != nil {
		return User{}, "", err
	}
	password := in.Password
	if password == "" {
		password = GeneratePassword()
	}
	hash, err := a.HashPassword(ctx, password)
	if err != nil {
		return User{}, "", err
	}
	var id int64
	err = a.core.Write(ctx, func(tx app.Tx) error {
		if _, err := tx.Q.GetUserByEmail(ctx, in.Email); err == nil {
			return app.InvalidField("email", fmt.Sprintf("is already used by another user (%s)", in.Email))
		} else if !store.IsNoRows(err) {
			return fmt.Errorf("look up email: %w", err)
		}
		id, err = tx.Q.CreateUser(ctx, CreateUserParams(in, hash, tx))
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		detail := fmt.Sprintf("created %s (%s) as %s", in.Name, in.Email, in.Role)
		if err := recordUser(ctx, tx, actor, audit.UserCreated, id, detail); err != nil {
			return err
		}
		return SetUserLocations(ctx, tx, id, app.Role(in.Role), in.Locations)
	})
	if err != nil {
		return User{}, "", err
	}
	u, err := a.GetUser(ctx, id)
	return u, password, err
}

// checkNewUser finds every problem of a new user's form at once: its fields,
// an email already used, and locations (missing for a warehouse user, or
// unknown), so that one submit shows them all. The write checks again.
func (a *Service) checkNewUser(ctx context.Context, in NewUser) error {
	fields := app.CheckStruct(in)
	if _, ok := fields["email"]; !ok {
		if _, err := a.core.Read().GetUserByEmail(ctx, in.Email); err == nil {
			fields.Add("email", fmt.Sprintf("is already used by another user (%s)", in.Email))
		} else if !store.IsNoRows(err) {
			return fmt.Errorf("look up email: %w", err)
		}
	}
	if _, ok := fields["role"]; !ok && app.Role(in.Role) == app.RoleWarehouse {
		if err := a.checkLocations(ctx, fields, app.CleanCodes(in.Locations)); err != nil {
			return err
		}
	}
	return fields.Err("user is invalid")
}

// checkLocations notes a warehouse user's missing or unknown locations.
func (a *Service) checkLocations(ctx context.Context, fields app.FieldsError, codes []string) error {
	if len(codes) == 0 {
		fields.Add("locations", "a warehouse user needs at least one location")
		return nil
	}
	found, err := a.core.Read().GetLocationIDsByCodes(ctx, codes)
	if err != nil {
		return fmt.Errorf("look up locations: %w", err)
	}
	for _, code := range codes {
		if !slices.ContainsFunc(found, func(r store.GetLocationIDsByCodesRow) bool { return r.Code == code }) {
			fields.Add("locations", fmt.Sprintf("unknown location %q", code))
		}
	}
	return nil
}

// SetUserLocations replaces a user's locations; warehouse users need one at least,
// other roles have none.
func SetUserLocations(ctx context.Context, tx app.Tx, userID int64, role app.Role, codes []string) error {
	codes = app.CleanCodes(codes)
	if role != app.RoleWarehouse {
		codes = nil
	} else if len(codes) == 0 {
		return app.InvalidField("locations", "a warehouse user needs at least one location")
	}
	if err := tx.Q.ClearUserLocations(ctx, userID); err != nil {
		return fmt.Errorf("clear user locations: %w", err)
	}
	if len(codes) == 0 {
		return nil
	}
	found, err := tx.Q.GetLocationIDsByCodes(ctx, codes)
	if err != nil {
		return fmt.Errorf("look up locations: %w", err)
	}
	for _, code := range codes {
		i := slices.IndexFunc(found, func(r store.GetLocationIDsByCodesRow) bool { return r.Code == code })
		if i < 0 {
			return app.InvalidField("locations", fmt.Sprintf("unknown location %q", code))
		}
		if err := tx.Q.AddUserLocation(ctx, store.AddUserLocationParams{UserID: userID, LocationID: found[i].ID}); err != nil {
			return fmt.Errorf("add user location: %w", err)
		}
	}
	return nil
}

// GetUser returns one user with their locations.
func (a *Service) GetUser(ctx context.Context, id int64) (User, error) {
	row, err := a.core.Read().GetUser(ctx, id)
	if store.IsNoRows(err) {
		return User{}, app.NotFound("no user with id %d", id)
	}
	if err != nil {
		return User{}, fmt.Errorf("get user %d: %w", id, err)
	}
	u := userFromRow(row)
	locs, err := a.core.Read().ListUserLocations(ctx, id)
	if err != nil {
		return User{}, fmt.Errorf("user %d locations: %w", id, err)
	}
	for _, l := range locs {
		u.Locations = append(u.Locations, app.LocationRef{ID: l.ID, Code: l.Code, Name: l.Name})
	}
	return u, nil
}

// ListUsers returns every user, active ones first, with their location codes.
func (a *Service) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := a.core.Read().ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	locs, err := a.core.Read().ListAllUserLocations(ctx)
	if err != nil {
		return nil, fmt.Errorf("list user locations: %w", err)
	}
	users := make([]User, len(rows))
	for i, r := range rows {
		users[i] = userFromRow(r)
		for _, l := range locs {
			if l.UserID == r.ID {
				users[i].Locations = append(users[i].Locations, app.LocationRef{Code: l.Code})
			}
		}
	}
	return users, nil
}

// UpdateUser changes a user's name, role and locations. A role change signs
// the user out everywhere.
func (a *Service) UpdateUser(ctx context.Context, actor app.Actor, id int64, in UserChanges) (User, error) {
	if err := actor.RequireAdmin(); err != nil {
		return User{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := app.Validate("user is invalid", in); err != nil {
		return User{}, err
	}
	err := a.core.Write(ctx, func(tx app.Tx) error {
		cur, err := tx.Q.GetUser(ctx, id)
		if store.IsNoRows(err) {
			return app.NotFound("no user with id %d", id)
		} else if err != nil {
			return fmt.Errorf("get user: %w", err)
		}
		if cur.Role == string(app.RoleAdmin) && in.Role != string(app.RoleAdmin) && cur.Active == 1 {
			if err := requireAnotherAdmin(ctx, tx); err != nil {
				return err
			}
		}
		detail, err := userChanges(ctx, tx, cur, in)
		if err != nil {
			return err
		}
		if err := recordUser(ctx, tx, actor, audit.UserChanged, id, detail); err != nil {
			return err
		}
		if err := tx.Q.UpdateUserProfile(ctx, store.UpdateUserProfileParams{
			Name: in.Name, Role: in.Role, UpdatedAt: app.Millis(tx.Now), ID: id,
		}); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if cur.Role != in.Role {
			if _, err := endAllSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		return SetUserLocations(ctx, tx, id, app.Role(in.Role), in.Locations)
	})
	if err != nil {
		return User{}, err
	}
	return a.GetUser(ctx, id)
}

// requireAnotherAdmin refuses to remove the last active admin.
func requireAnotherAdmin(ctx context.Context, tx app.Tx) error {
	n, err := tx.Q.CountActiveAdmins(ctx)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if n <= 1 {
		return app.Conflict("this is the last active admin: make another user admin first")
	}
	return nil
}

// SetUserActive deactivates (signing them out everywhere) or reactivates a user.
func (a *Service) SetUserActive(ctx context.Context, actor app.Actor, id int64, active bool) (User, error) {
	if err := actor.RequireAdmin(); err != nil {
		return User{}, err
	}
	if !active && actor.Kind == app.ActorUser && actor.ID == id {
		return User{}, app.Conflict("you cannot deactivate your own account")
	}
	err := a.core.Write(ctx, func(tx app.Tx) error {
		cur, err := tx.Q.GetUser(ctx, id)
		if store.IsNoRows(err) {
			return app.NotFound("no user with id %d", id)
		} else if err != nil {
			return fmt.Errorf("get user: %w", err)
		}
		if !active && cur.Role == string(app.RoleAdmin) && cur.Active == 1 {
			if err := requireAnotherAdmin(ctx, tx); err != nil {
				return err
			}
		}
		if err := tx.Q.SetUserActive(ctx, store.SetUserActiveParams{Active: app.BoolInt(active), UpdatedAt: app.Millis(tx.Now), ID: id}); err != nil {
			return fmt.Errorf("set user active: %w", err)
		}
		if active {
			return recordUser(ctx, tx, actor, audit.UserReactivated, id, "reactivated "+cur.Name)
		}
		if err := recordUser(ctx, tx, actor, audit.UserDeactivated, id, "deactivated "+cur.Name+", sessions ended"); err != nil {
			return err
		}
		_, err = endAllSessions(ctx, tx, id)
		return err
	})
	if err != nil {
		return User{}, err
	}
	return a.GetUser(ctx, id)
}

// ResetPassword sets a new password (generated when empty), signs the user out
// everywhere, and returns the password so it can be shown once.
func (a *Service) ResetPassword(ctx context.Context, actor app.Actor, id int64, password string) (string, error) {
	if err := actor.RequireAdmin(); err != nil {
		return "", err
	}
	if password == "" {
		password = GeneratePassword()
	} else if len(password) < MinPasswordLength {
		return "", app.InvalidField("password", fmt.Sprintf("must be at least %d characters", MinPasswordLength))
	}
	hash, err := a.HashPassword(ctx, password)
	if err != nil {
		return "", err
	}
	err = a.core.Write(ctx, func(tx app.Tx) error {
		if _, err := tx.Q.GetUser(ctx, id); store.IsNoRows(err) {
			return app.NotFound("no user with id %d", id)
		} else if err != nil {
			return fmt.Errorf("get user: %w", err)
		}
		if err := tx.Q.SetUserPassword(ctx, store.SetUserPasswordParams{PasswordHash: hash, UpdatedAt: app.Millis(tx.Now), ID: id}); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if err := recordUser(ctx, tx, actor, audit.PasswordReset, id, "password reset, sessions ended"); err != nil {
			return err
		}
		_, err := endAllSessions(ctx, tx, id)
		return err
	})
	return password, err
}

// userFromRow maps a database row to a User.
func userFromRow(r store.User) User {
	return User{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: app.Role(r.Role), Active: r.Active == 1,
		Timezone: r.Timezone, CreatedAt: app.FromMillis(r.CreatedAt),
	}
}

// CreateUserParams builds the insert of a new user with a password hash.
func CreateUserParams(u NewUser, hash string, tx app.Tx) store.CreateUserParams {
	return store.CreateUserParams{
		Email: u.Email, Name: u.Name, Role: u.Role, PasswordHash: hash,
		CreatedAt: app.Millis(tx.Now), UpdatedAt: app.Millis(tx.Now),
	}
}

// CountUsers counts every user, active or not.
func (a *Service) CountUsers(ctx context.Context) (int64, error) {
	n, err := a.core.Read().CountUsers(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
