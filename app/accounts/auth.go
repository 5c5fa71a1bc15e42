package accounts

import (
	"switchyard/app"

	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/app/audit"
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

// SignIn checks an email and password, starts a session for the user, and
// returns the user and the session's token (for the cookie). It refuses
// deactivated users and throttles repeated failures per account.
//
// The password is checked in one of the App's password slots, taken before
// the attempt is counted: when none frees in time, the sign-in is refused as
// busy (429) with nothing recorded, so a flood of sign-ins neither queues
// without bound nor uses up an account's allowance of failures.
func (a *Service) SignIn(ctx context.Context, email, password string, from Client) (User, string, error) {
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		fields := map[string]string{}
		if email == "" {
			fields["email"] = "is required"
		}
		if password == "" {
			fields["password"] = "is required"
		}
		return User{}, "", app.Invalid("enter your email and password", fields)
	}
	release, err := a.passwords.acquire(ctx)
	if err != nil {
		return User{}, "", err
	}
	attempt, row, err := a.checkCredentials(ctx, email, password)
	release()
	if err != nil {
		a.recordSignInRefused(ctx, email, from, err)
		return User{}, "", err
	}
	var token string
	err = a.core.Write(ctx, func(tx app.Tx) error {
		if err := tx.Q.ForgetLoginAttempt(ctx, attempt); err != nil {
			return fmt.Errorf("forget login attempt: %w", err)
		}
		who := app.Actor{Kind: app.ActorUser, ID: row.ID, Name: row.Name, Role: app.Role(row.Role)}
		if row.Active == 0 {
			return audit.Record(ctx, tx, audit.Entry{Actor: who, IP: from.IP, Action: audit.SignInFailed,
				ObjectKind: "user", ObjectRef: strconv.FormatInt(row.ID, 10), Detail: "account deactivated"})
		}
		if token, err = startSession(ctx, tx, row.ID, from); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: who, IP: from.IP, Action: audit.SignIn,
			ObjectKind: "user", ObjectRef: strconv.FormatInt(row.ID, 10), Detail: "signed in"})
	})
	if err != nil {
		return User{}, "", err
	}
	if row.Active == 0 {
		return User{}, "", app.Unauthorized("this account is deactivated: ask an admin")
	}
	u, err := a.GetUser(ctx, row.ID)
	return u, token, err
}

// checkCredentials counts the attempt against the account's throttle, then
// checks the password (against a dummy hash when the email is unknown, so
// that a wrong email takes as long as a wrong password). On a right password
// it returns the attempt's id, to forget, and the user's row.
func (a *Service) checkCredentials(ctx context.Context, email, password string) (int64, store.User, error) {
	attempt, err := a.reserveLoginAttempt(ctx, email)
	if err != nil {
		return 0, store.User{}, err
	}
	row, err := a.core.Read().GetUserByEmail(ctx, email)
	found := err == nil
	if err != nil && !store.IsNoRows(err) {
		return 0, store.User{}, fmt.Errorf("look up user: %w", err)
	}
	hash := dummyHash
	if found {
		hash = row.PasswordHash
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return 0, store.User{}, fmt.Errorf("check password: %w", err)
	}
	if !found || !ok {
		return 0, store.User{}, app.Unauthorized("wrong email or password") // the attempt stays counted
	}
	return attempt, row, nil
}

// reserveLoginAttempt counts the account's failures in the window and, below
// MaxLoginFailures, records this attempt as one more, in one write
// transaction: the writer runs one at a time, so however many attempts arrive
// at once, no more than MaxLoginFailures passwords are checked in a window.
// A right password forgets its attempt; older failures stay until they leave
// the window (a success does not clear them, or a burst racing a real
// sign-in would get more guesses). It returns the attempt's id.
func (a *Service) reserveLoginAttempt(ctx context.Context, email string) (int64, error) {
	var id int64
	err := a.core.Write(ctx, func(tx app.Tx) error {
		since := app.Millis(tx.Now.Add(-LoginWindow))
		if err := tx.Q.PruneLoginFailures(ctx, since); err != nil {
			return fmt.Errorf("prune login failures: %w", err)
		}
		st, err := tx.Q.CountLoginFailuresSince(ctx, store.CountLoginFailuresSinceParams{Email: email, FailedAt: since})
		if err != nil {
			return fmt.Errorf("count login failures: %w", err)
		}
		if st.Failures >= MaxLoginFailures {
			return tooManyFailures(app.FromMillis(st.Oldest).Add(LoginWindow).Sub(tx.Now))
		}
		id, err = tx.Q.ReserveLoginAttempt(ctx, store.ReserveLoginAttemptParams{Email: email, FailedAt: app.Millis(tx.Now)})
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
	return &app.Error{
		Kind:       app.KindTooMany,
		Message:    fmt.Sprintf("too many failed sign-in attempts for this account: try again in %d minute%s", minutes, app.Plural(minutes)),
		RetryAfter: wait,
	}
}

// recordSignInRefused records a refused sign-in: throttled, or a wrong email
// or password (other errors, such as a full writer, are not the caller's doing).
func (a *Service) recordSignInRefused(ctx context.Context, email string, from Client, err error) {
	var e *app.Error
	switch {
	case errors.As(err, &e) && e.Kind == app.KindTooMany:
		a.recordSignIn(ctx, audit.SignInThrottled, email, from, "refused: too many failed attempts")
	case errors.As(err, &e) && e.Kind == app.KindUnauthorized:
		a.recordSignIn(ctx, audit.SignInFailed, email, from, "wrong email or password")
	}
}
