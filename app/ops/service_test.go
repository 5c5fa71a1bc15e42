package ops

import (
	"sync"

	"switchyard/app"
)

// services holds one Service per App a test made, as serve holds one.
var services sync.Map

// svc is the one Service over a.
func svc(a *app.App) *Service {
	s, _ := services.LoadOrStore(a, New(a))
	return s.(*Service)
}
