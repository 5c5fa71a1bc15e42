// Package views holds the templ components that render Switchyard's pages.
package views

import (
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
func date(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }

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
