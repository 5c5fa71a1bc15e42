package channels

import (
	"sync"

	"switchyard/app"
	"switchyard/app/outbox"
)

// services holds one Service per App a test made, as serve holds one.
var services sync.Map

// svc is the one Service over a.
func svc(a *app.App) *Service {
	s, _ := services.LoadOrStore(a, New(a, nil))
	return s.(*Service)
}

// outboxes holds one outbox Service per App, delivering with a's channel sender.
var outboxes sync.Map

// outboxOf is the outbox over a, its channel messages sent by svc(a).
func outboxOf(a *app.App) *outbox.Service {
	s, _ := outboxes.LoadOrStore(a, outbox.New(a, svc(a).Sender()))
	return s.(*outbox.Service)
}
