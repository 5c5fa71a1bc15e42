package accounts

import (
	"switchyard/app"

	"context"
	"runtime"
	"time"
)

// Each argon2id hash takes argonMemoryKiB of memory for as long as it runs, so
// the hashes in flight are bounded: a burst of sign-ins waits a moment for a
// slot, and past that wait is refused (429 with Retry-After) rather than
// queued without limit.

// passwordSlotWait is how long a hash waits for a free slot before it is refused.
const passwordSlotWait = time.Second

// Option changes how New builds the Service.
type Option func(*Service)

// PasswordSlots bounds the password hashes in flight to n (by default the
// number of cores), each waiting at most wait for a slot (by default 1 s).
func PasswordSlots(n int, wait time.Duration) Option {
	return func(a *Service) { a.passwords = newPasswordGate(n, wait, a.passwords.hook) }
}

// OnPasswordWork calls hook(true) when a password hash takes a slot and
// hook(false) just before it gives the slot back: for tests that count what
// runs at once. A hook that blocks keeps its slot.
func OnPasswordWork(hook func(start bool)) Option {
	return func(a *Service) { a.passwords.hook = hook }
}

// passwordGate is the App's bound on password hashes in flight.
type passwordGate struct {
	slots chan struct{}
	wait  time.Duration
	hook  func(start bool)
}

// newPasswordGate returns a gate of n slots (at least one).
func newPasswordGate(n int, wait time.Duration, hook func(bool)) *passwordGate {
	return &passwordGate{slots: make(chan struct{}, max(n, 1)), wait: wait, hook: hook}
}

// defaultPasswordGate has one slot per core.
func defaultPasswordGate() *passwordGate {
	return newPasswordGate(runtime.NumCPU(), passwordSlotWait, nil)
}

// acquire takes a slot, waiting at most g.wait, and returns the function that
// gives it back. When no slot frees in time it refuses with KindTooMany.
func (g *passwordGate) acquire(ctx context.Context) (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return nil, busyHashing()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if g.hook != nil {
		g.hook(true)
	}
	return func() {
		if g.hook != nil {
			g.hook(false)
		}
		<-g.slots
	}, nil
}

// busyHashing is the refusal when every password slot stays taken.
func busyHashing() error {
	return &app.Error{Kind: app.KindTooMany, RetryAfter: time.Second,
		Message: "Switchyard is busy checking other passwords: try again in a second"}
}

// HashPassword hashes password in one of the App's password slots.
func (a *Service) HashPassword(ctx context.Context, password string) (string, error) {
	release, err := a.passwords.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password)
}
