// Package demo owns the demo network that `serve --demo` and the benchmarks
// start from: channels, locations, SKUs, stock, rules, users and a history
// of orders written at past times, so that every page has something to show.
package demo

import (
	"switchyard/app"
	"switchyard/app/accounts"
)

// Service is the demo's use cases over the core app.
type Service struct {
	core     *app.App
	accounts *accounts.Service
}

// New returns the demo service over core, making its users with accounts.
func New(core *app.App, accounts *accounts.Service) *Service {
	return &Service{core: core, accounts: accounts}
}
