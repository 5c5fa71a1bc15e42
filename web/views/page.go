// Package views holds the templ components that render Switchyard's pages.
package views

import (
	"encoding/json"
	"time"

	"switchyard/app"
)

// Page is what the layout needs to frame any page.
type Page struct {
	Title  string
	User   *app.User // nil when nobody is signed in
	CSRF   string
	Nav    []NavItem
	Active string // path of the current section, to highlight it
}

// NavItem is one entry of the navigation.
type NavItem struct {
	Label string
	Path  string
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
