package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app"
)

// access says who may call a route.
type access struct {
	public bool       // anybody, signed in or not
	bare   bool       // no session, no CSRF: probes for load balancers
	roles  []app.Role // signed-in users with one of these roles
}

// Who may use what. Every route names one of these.
var (
	probe  = access{public: true, bare: true}
	public = access{public: true}
	anyone = access{roles: app.Roles}
	admins = access{roles: []app.Role{app.RoleAdmin}}
)

// Route is one entry of the route table.
type Route struct { //nolint:govet // field order follows the table's columns
	Method  string
	Path    string
	access  access
	nav     string // label in the navigation, for GET pages that have one
	handler echo.HandlerFunc
}

// Routes is the one route table, grouped by who may use each route.
func (s *Server) Routes() []Route {
	return []Route{
		// Anybody.
		{Method: http.MethodGet, Path: "/healthz", access: probe, handler: s.healthz},
		{Method: http.MethodGet, Path: "/readyz", access: probe, handler: s.readyz},
		{Method: http.MethodGet, Path: "/login", access: public, handler: s.loginPage},
		{Method: http.MethodPost, Path: "/login", access: public, handler: s.login},

		// Every signed-in user.
		{Method: http.MethodGet, Path: "/", access: anyone, nav: "Home", handler: s.home},
		{Method: http.MethodGet, Path: "/logout", access: anyone, handler: s.logoutPage},
		{Method: http.MethodPost, Path: "/logout", access: anyone, handler: s.logout},

		// Admins.
		{Method: http.MethodGet, Path: "/admin/users", access: admins, nav: "Users", handler: s.listUsers},
		{Method: http.MethodGet, Path: "/admin/users/new", access: admins, handler: s.newUserPage},
		{Method: http.MethodPost, Path: "/admin/users", access: admins, handler: s.createUser},
		{Method: http.MethodGet, Path: "/admin/users/:id", access: admins, handler: s.editUserPage},
		{Method: http.MethodPost, Path: "/admin/users/:id", access: admins, handler: s.updateUser},
		{Method: http.MethodPost, Path: "/admin/users/:id/deactivate", access: admins, handler: s.deactivateUser},
		{Method: http.MethodPost, Path: "/admin/users/:id/activate", access: admins, handler: s.activateUser},
		{Method: http.MethodPost, Path: "/admin/users/:id/password", access: admins, handler: s.resetPassword},
		{Method: http.MethodGet, Path: "/admin/apikeys", access: admins, nav: "API keys", handler: s.listAPIKeys},
		{Method: http.MethodPost, Path: "/admin/apikeys", access: admins, handler: s.createAPIKey},
		{Method: http.MethodPost, Path: "/admin/apikeys/:id/revoke", access: admins, handler: s.revokeAPIKey},
	}
}

// register adds every route of the table to e, each behind its guard.
func (s *Server) register(e *echo.Echo) {
	browser := e.Group("", s.loadSession, s.checkCSRF)
	for _, r := range s.Routes() {
		if r.access.bare {
			e.Add(r.Method, r.Path, r.handler)
			continue
		}
		browser.Add(r.Method, r.Path, r.handler, s.guard(r.access))
	}
}

// RouteInfo describes a route for tests and documentation: who may use it.
type RouteInfo struct {
	Method string
	Path   string
	Public bool
	Roles  []app.Role
}

// RouteTable lists every route with who may use it.
func RouteTable() []RouteInfo {
	var s Server
	routes := s.Routes()
	out := make([]RouteInfo, len(routes))
	for i, r := range routes {
		out[i] = RouteInfo{Method: r.Method, Path: r.Path, Public: r.access.public, Roles: r.access.roles}
	}
	return out
}
