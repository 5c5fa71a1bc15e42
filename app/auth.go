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
	attempt, err := a.reserveLoginAttempt(ctx, email)
	if err != nil {
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
		return User{}, Unauthorized("wrong email or password") // the attempt stays counted
	}
	if err := a.write(ctx, func(tx Tx) error { return tx.Q.ForgetLoginAttempt(ctx, attempt) }); err != nil {
		return User{}, fmt.Errorf("forget login attempt: %w", err)
	}
	if row.Active == 0 {
		return User{}, Unauthorized("this account is deactivated: ask an admin")
	}
	return a.GetUser(ctx, row.ID)
}

// reserveLoginAttempt counts the account's failures in the window and, below
// MaxLoginFailures, records this attempt as one more, in one write
// transaction: the writer runs one at a time, so however many attempts arrive
// at once, no more than MaxLoginFailures passwords are checked in a window.
// A right password forgets its attempt; older failures stay until they leave
// the window (a success does not clear them, or a burst racing a real
// sign-in would get more guesses). It returns the attempt's id.
func (a *App) reserveLoginAttempt(ctx context.Context, email string) (int64, error) {
	var id int64
	err := a.write(ctx, func(tx Tx) error {
		since := ms(tx.Now.Add(-LoginWindow))
		if err := tx.Q.PruneLoginFailures(ctx, since); err != nil {
			return fmt.Errorf("prune login failures: %w", err)
		}
		st, err := tx.Q.CountLoginFailuresSince(ctx, store.CountLoginFailuresSinceParams{Email: email, FailedAt: since})
		if err != nil {
			return fmt.Errorf("count login failures: %w", err)
		}
		if st.Failures >= MaxLoginFailures {
			return tooManyFailures(fromMS(st.Oldest).Add(LoginWindow).Sub(tx.Now))
		}
		id, err = tx.Q.ReserveLoginAttempt(ctx, store.ReserveLoginAttemptParams{Email: email, FailedAt: ms(tx.Now)})
		if err != nil {
			return fmt.Errorf("record login attempt: %w", err)
		}
		return nil
	})
	return id, err
}

// tooManyFailures is the refusal of a throttled account, for wait more.
func tooManyFailures(wait time.Duration) error {
	wait = max(wait, time.Second)
	minutes := max(int(wait.Round(time.Minute)/time.Minute), 1)
	return &Error{
		Kind:       KindTooMany,
		Message:    fmt.Sprintf("too many failed sign-in attempts for this account: try again in %d minute%s", minutes, plural(minutes)),
		RetryAfter: wait,
	}
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
