package rules

import (
	"switchyard/app"
	"switchyard/app/apptest"
)

// svc is the one Service over a test's App.
func svc(a *app.App) *Service { return apptest.Service(a, New) }
