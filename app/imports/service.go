// Package imports owns bulk data in and out as CSV: SKUs, locations, stock
// counts and orders, imported all or nothing and checked row by row (the
// background jobs that run the large ones), the exports (formula cells made
// safe for spreadsheets), and the zone rates and postal codes that routing's
// costs read.
package imports

import "switchyard/app"

// Service is the import and export use cases over the core app.
type Service struct {
	core *app.App
	jobs *ImportJobs // the import jobs under way and recently finished
}

// New returns the import and export service over core.
func New(core *app.App) *Service {
	return &Service{core: core, jobs: NewImportJobs()}
}
