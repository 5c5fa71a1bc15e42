// Package accounts owns who may sign in and act: users and their locations,
// passwords (argon2id, bounded in flight), sign-in with its throttle,
// server-side sessions and API keys. The actors and roles every use case
// checks live in the core (app.Actor); this package makes them.
package accounts

import "switchyard/app"

// Service is the accounts use cases over the core app.
type Service struct {
	core      *app.App
	passwords *passwordGate // bounds the argon2id hashes in flight (see password_slots.go)
}

// New returns the accounts service over core, changed by opts.
func New(core *app.App, opts ...Option) *Service {
	s := &Service{core: core, passwords: defaultPasswordGate()}
	for _, opt := range opts {
		opt(s)
	}
	return s
}
