package channels

import (
	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/outbox"
)

// svc is the one Service over a test's App (the default WooCommerce client).
func svc(a *app.App) *Service {
	return apptest.Service(a, func(a *app.App) *Service { return New(a, nil) })
}

// outboxOf is the one outbox over a test's App, its channel messages sent by svc(a).
func outboxOf(a *app.App) *outbox.Service {
	return apptest.Service(a, func(a *app.App) *outbox.Service { return outbox.New(a, svc(a).Sender()) })
}
