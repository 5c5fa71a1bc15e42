package demo

import (
	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/apptest"
)

// svc is the one Service over a test's App.
func svc(a *app.App) *Service {
	return apptest.Service(a, func(a *app.App) *Service { return New(a, accounts.New(a)) })
}
