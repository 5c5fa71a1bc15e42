package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	store "switchyard/sql"
)

// Sign-in throttling: after MaxLoginFailures failed attempts for one account
// within LoginWindow, sign-in is refused until the oldest of them leaves the window.
const (
	MaxLoginFailures = 10
	LoginWindow      = 15 * time.Minute
)

// dummyHash is checked against when the email is unknown, so that a wrong
// email takes as long as a wrong password.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// SignIn checks an email and password and returns the user. It refuses
// deactivated users and throttles repeated failures per account.
func (a *App) SignIn(ctx context.Context, email, password string) (User, error) {
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		fields := map[string]string{}
		if email == "" {
			fields["email"] = "is required"
		}
		if password == "" {
			fields["password"] = "is required"
		}
		return User{}, Invalid("enter your email and password", fields)
	}
	now := a.Now()
	if err := a.checkThrottle(ctx, email, now); err != nil {
		return User{}, err
	}
	row, err := a.read().GetUserByEmail(ctx, email)
	found := err == nil
	if err != nil && !store.IsNoRows(err) {
		return User{}, fmt.Errorf("look up user: %w", err)
	}
	hash := dummyHash
	if found {
		hash = row.PasswordHash
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return User{}, fmt.Errorf("check password: %w", err)
	}
	if !found || !ok {
		if err := a.recordLoginFailure(ctx, email); err != nil {
			return User{}, err
		}
		return User{}, Unauthorized("wrong email or password")
	}
	if row.Active == 0 {
		return User{}, Unauthorized("this account is deactivated: ask an admin")
	}
	if err := a.write(ctx, func(tx Tx) error { return tx.Q.ClearLoginFailures(ctx, email) }); err != nil {
		return User{}, fmt.Errorf("clear login failures: %w", err)
	}
	return a.GetUser(ctx, row.ID)
}

// checkThrottle refuses sign-in while the account has too many recent failures.
func (a *App) checkThrottle(ctx context.Context, email string, now time.Time) error {
	st, err := a.read().CountLoginFailuresSince(ctx, store.CountLoginFailuresSinceParams{
		Email: email, FailedAt: ms(now.Add(-LoginWindow)),
	})
	if err != nil {
		return fmt.Errorf("count login failures: %w", err)
	}
	if st.Failures < MaxLoginFailures {
		return nil
	}
	wait := fromMS(st.Oldest).Add(LoginWindow).Sub(now)
	minutes := int(wait.Round(time.Minute) / time.Minute)
	if minutes < 1 {
		minutes = 1
	}
	return &Error{
		Kind:       KindTooMany,
		Message:    fmt.Sprintf("too many failed sign-in attempts for this account: try again in %d minute%s", minutes, plural(minutes)),
		RetryAfter: wait,
	}
}

// recordLoginFailure notes a failed attempt and forgets those outside the window.
func (a *App) recordLoginFailure(ctx context.Context, email string) error {
	return a.write(ctx, func(tx Tx) error {
		if err := tx.Q.PruneLoginFailures(ctx, ms(tx.Now.Add(-LoginWindow))); err != nil {
			return fmt.Errorf("prune login failures: %w", err)
		}
		if err := tx.Q.RecordLoginFailure(ctx, store.RecordLoginFailureParams{Email: email, FailedAt: ms(tx.Now)}); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		return nil
	})
}

// SessionUser returns the user a session belongs to, or Unauthorized when the
// user is gone, deactivated, or the session predates a password or role change.
func (a *App) SessionUser(ctx context.Context, id, version int64) (User, error) {
	u, err := a.GetUser(ctx, id)
	if ErrorKind(err) == KindNotFound {
		return User{}, Unauthorized("please sign in")
	}
	if err != nil {
		return User{}, err
	}
	if !u.Active || u.SessionVersion != version {
		return User{}, Unauthorized("please sign in again")
	}
	return u, nil
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
