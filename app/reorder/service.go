// Package reorder owns what an ops manager reads to know what to buy before
// the shelf is empty: per SKU and location, the sales velocity over a window,
// the days of cover left, and a suggested quantity from the lead time and
// cover (or min/max) set for that SKU there. A selection of suggestions
// becomes draft purchase orders (app/inbound), one per supplier and destination.
package reorder

import "switchyard/app"

// Defaults where no setting is stored.
const (
	DefaultWindowDays = 28
	DefaultLeadDays   = 14
	DefaultCoverDays  = 30
	MaxDays           = 365
	PageSize          = 100
)

// Service is reorder's use cases over the core app.
type Service struct{ core *app.App }

// New returns the reorder service over core.
func New(core *app.App) *Service { return &Service{core: core} }
