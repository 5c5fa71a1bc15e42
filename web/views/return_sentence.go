package views

import (
	"strings"

	"switchyard/app/returns"
)

// locationWhy is why the goods come back where they do, without the
// location's name the page shows just before it.
func locationWhy(r returns.Return) string {
	return strings.TrimPrefix(strings.TrimPrefix(r.LocationWhy, r.LocationName), ": ")
}

// startedBy says who started a return and how.
func startedBy(r returns.Return) string {
	switch r.StartedBy {
	case returns.OriginCustomer:
		return "the customer, on their tracking page"
	case returns.OriginAPI:
		return r.Actor + ", through the API"
	case returns.OriginChannel:
		return r.Actor + ", in the shop"
	}
	return r.Actor
}
