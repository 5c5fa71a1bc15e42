// Package views holds the templ components that render Switchyard's pages.
package views

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
)

// Page is what the layout needs to frame any page.
type Page struct {
	Title  string
	User   *accounts.User // nil when nobody is signed in
	CSRF   string
	Nav    []NavItem
	Active string // path of the current section, to highlight it
	Search bool   // the user may search orders: show the search box
	Query  string // what the search box holds
}

// NavItem is one entry of the navigation, with a count to show beside it (0: none).
type NavItem struct {
	Label string
	Path  string
	Count int64
}

// Errors maps form field names to what is wrong with them.
type Errors map[string]string

// csrfHeaders is the hx-headers value that sends the CSRF token with every htmx request.
func csrfHeaders(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}

// date formats a time for people, in UTC.
func date(t time.Time) string { return t.UTC().Format(dateLayout) }

// zoneKey keys the request's time zone in a context.
type zoneKey struct{}

// WithZone returns ctx carrying loc, the zone staff pages write times in.
func WithZone(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, zoneKey{}, loc)
}

// Zone is the time zone ctx carries, UTC when none.
func Zone(ctx context.Context) *time.Location {
	if loc, ok := ctx.Value(zoneKey{}).(*time.Location); ok && loc != nil {
		return loc
	}
	return time.UTC
}

// dateOf formats a time for the person reading the page: in the request's
// zone (the user's setting, else the browser's), the zone named.
func dateOf(ctx context.Context, t time.Time) string {
	return t.In(Zone(ctx)).Format(dateLayout)
}

// dateLayout is the one way dates and times are written: "6 Dec 2026, 04:47 UTC",
// the zone always named.
const dateLayout = "2 Jan 2006, 15:04 MST"

// dateIn writes t in loc (a location's zone), the zone named; in UTC when
// loc is nil.
func dateIn(t time.Time, loc *time.Location) string {
	if loc == nil {
		return date(t)
	}
	return t.In(loc).Format(dateLayout)
}

// roleLabel names a role for people.
func roleLabel(r app.Role) string {
	switch r {
	case app.RoleAdmin:
		return "Admin"
	case app.RoleOps:
		return "Ops manager"
	case app.RoleWarehouse:
		return "Warehouse / store lead"
	case app.RoleSupport:
		return "Support agent"
	}
	return string(r)
}

// intString formats a whole number.
func intString(n int64) string { return strconv.FormatInt(n, 10) }
