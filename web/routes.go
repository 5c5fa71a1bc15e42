package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
)

// access says who may call a route.
type access struct {
	public bool       // anybody, signed in or not
	bare   bool       // no session, no CSRF: probes for load balancers
	roles  []app.Role // signed-in users with one of these roles
	scopes []string   // API keys holding any one of these scopes (API routes)
}

// Who may use what. Every route names one of these.
var (
	probe     = access{public: true, bare: true}
	hook      = access{public: true, bare: true}
	public    = access{public: true}
	anyone    = access{roles: app.Roles}
	admins    = access{roles: []app.Role{app.RoleAdmin}}
	network   = access{roles: []app.Role{app.RoleAdmin, app.RoleOps}}
	viewers   = access{roles: []app.Role{app.RoleAdmin, app.RoleOps, app.RoleSupport}}
	stockers  = access{roles: []app.Role{app.RoleAdmin, app.RoleOps, app.RoleWarehouse}}
	deskUsers = access{roles: []app.Role{app.RoleAdmin, app.RoleOps, app.RoleSupport}}
	noters    = access{roles: []app.Role{app.RoleAdmin, app.RoleOps, app.RoleSupport, app.RoleWarehouse}}
)

// apiPrefix starts every path of the JSON API.
const apiPrefix = "/api/v1"

// scope is the access of an API route: keys with any of scopes.
func scope(scopes ...string) access { return access{scopes: scopes} }

// readReturns is who may read returns over the API.
var readReturns = scope("returns:write", "orders:read", "orders:write")

// readInbound is who may read inbound stock over the API.
var readInbound = scope("inbound:read", "inbound:write")

// navOnly narrows a page's navigation entry to some of the roles that may
// open it: the navigation of admins and ops managers is full at 1280 px, so
// they reach the inbound list from Stock and the dashboard.
var navOnly = map[string][]app.Role{"/inbound": {app.RoleWarehouse, app.RoleSupport}}

// readCatalog is who may read SKUs, locations and channels over the API.
var readCatalog = scope("catalog:write", "stock:read", "stock:write")

// Route is one entry of the route table.
type Route struct {
	Method  string
	Path    string
	access  access
	nav     string // label in the navigation, for GET pages that have one
	handler echo.HandlerFunc
}

// Routes is the one route table, grouped by who may use each route.
func (s *Server) Routes() []Route {
	const get, post, put = http.MethodGet, http.MethodPost, http.MethodPut
	return []Route{
		// Anybody.
		{get, "/healthz", probe, "", s.healthz},
		{get, "/readyz", probe, "", s.readyz},
		{get, "/favicon.ico", probe, "", s.favicon},
		{get, "/login", public, "", s.loginPage},
		{post, "/login", public, "", s.login},
		{get, "/t/:token", public, "", s.trackingPage},
		{get, "/t/:token/return", public, "", s.customerReturnPage},
		{post, "/t/:token/return", public, "", s.customerReturn},

		// Channels calling in (signatures checked in the handler).
		{post, "/webhooks/shopify/:channel", hook, "", s.shopifyWebhook},
		{post, "/webhooks/woocommerce/:channel", hook, "", s.wooWebhook},

		// Every signed-in user.
		{get, "/", anyone, "Home", s.home},
		{get, "/logout", anyone, "", s.logoutPage},
		{post, "/logout", anyone, "", s.logout},
		{get, "/account", anyone, "", s.accountPage},
		{post, "/account", anyone, "", s.saveAccount},

		// The support desk: search, exceptions, the dashboard.
		{get, "/search", deskUsers, "", s.searchPage},
		{get, "/exceptions", deskUsers, "Exceptions", s.exceptionsPage},
		{post, "/exceptions/take", deskUsers, "", s.takeException},
		{post, "/exceptions/reevaluate", network, "", s.reevaluateAssignments},
		{get, "/dashboard", network, "", s.dashboardPage}, // Home, for ops and admins

		// Orders: support, ops and admins (each action checks its own roles in app).
		{get, "/orders", deskUsers, "Orders", s.ordersPage},
		{get, "/orders/new", deskUsers, "", s.newOrderPage},
		{post, "/orders", deskUsers, "", s.createOrder},
		{get, "/orders/new/line", deskUsers, "", s.newOrderLine},
		{get, "/orders/:number", deskUsers, "", s.orderPage},
		{post, "/orders/:number/hold", deskUsers, "", s.holdOrder},
		{post, "/orders/:number/release", deskUsers, "", s.releaseOrder},
		{post, "/orders/:number/cancel", deskUsers, "", s.cancelOrder},
		{post, "/orders/:number/address", deskUsers, "", s.changeOrderAddress},
		{get, "/skus/search", deskUsers, "", s.searchSKUs},

		// Returns at the desk: support, ops and admins (warehouse users have their location's page).
		{get, "/returns", deskUsers, "Returns", s.returnsPage},
		{get, "/returns.csv", deskUsers, "", s.exportReturns},
		{get, "/returns/:number", deskUsers, "", s.returnPage},
		{post, "/returns/:number/approve", deskUsers, "", s.approveReturn},
		{post, "/returns/:number/decline", deskUsers, "", s.declineReturn},
		{post, "/returns/:number/cancel", deskUsers, "", s.cancelReturn},
		{post, "/returns/:number/refund", deskUsers, "", s.refundReturn},
		{post, "/returns/:number/confirm-refund", deskUsers, "", s.confirmRefund},
		{post, "/orders/:number/returns", deskUsers, "", s.startReturn},

		// Reorder suggestions: ops managers and admins.
		{get, "/reorder", network, "", s.reorderPage}, // linked from the dashboard: the nav is full at 1280 px
		{post, "/reorder/draft", network, "", s.draftPurchaseOrder},
		{post, "/reorder/settings", network, "", s.saveReorderSettings},
		{get, "/reorder.csv", network, "", s.exportReorder},

		// Inbound stock: ops and admins create, send, cancel and close; leads see,
		// receive and ship only their locations' (checked in app: others 404).
		// In the navigation of leads and support (navOnly).
		{get, "/inbound", noters, "Inbound", s.inboundListPage},
		{get, "/inbound.csv", noters, "", s.exportInbound},
		{get, "/inbound/new", network, "", s.newInboundPage},
		{post, "/inbound", network, "", s.createInbound},
		{get, "/inbound/:number", noters, "", s.inboundPage},
		{post, "/inbound/:number/send", network, "", s.sendInbound},
		{post, "/inbound/:number/ship", stockers, "", s.shipInbound},
		{post, "/inbound/:number/receive", stockers, "", s.receiveInbound},
		{post, "/inbound/:number/cancel", network, "", s.cancelInbound},
		{post, "/inbound/:number/close", network, "", s.closeInbound},

		// Stock: everyone reads (warehouse users only their locations); ops and admins edit.
		{get, "/stock", anyone, "Stock", s.stockPage},
		{get, "/skus/new", network, "", s.newSKUPage},
		{post, "/skus", network, "", s.createSKU},
		{get, "/skus/:code", anyone, "", s.skuPage},
		{get, "/skus/:code/edit", network, "", s.editSKUPage},
		{post, "/skus/:code", network, "", s.updateSKU},
		{post, "/stock/:location/:sku/adjust", stockers, "", s.adjustStock},
		{get, "/stock/:location/:sku/ledger", anyone, "", s.ledgerPage},

		// The floor: a location's queue; warehouse users only their own locations (checked in app).
		{get, "/queue", stockers, "Queue", s.queueHome},
		{get, "/locations/:code/queue", stockers, "", s.queuePage},
		{get, "/locations/:code/picklist", stockers, "", s.pickListPage},
		{post, "/locations/:code/queue/accept", stockers, "", s.acceptMany},
		{get, "/locations/:code/returns", stockers, "", s.returnsDockPage},
		{get, "/locations/:code/returns/counter", stockers, "", s.counterPage},
		{post, "/locations/:code/returns/counter", stockers, "", s.counterReturn},
		{post, "/locations/:code/returns/:number/receive", stockers, "", s.receiveReturn},
		{post, "/fulfillments/:id/accept", stockers, "", s.acceptFulfillment},
		{post, "/fulfillments/:id/reject", stockers, "", s.rejectFulfillment},
		{get, "/fulfillments/:id/ship", stockers, "", s.shipPage},
		{post, "/fulfillments/:id/ship", stockers, "", s.shipFulfillment},
		{post, "/fulfillments/:id/scan", stockers, "", s.scanFulfillment},
		{post, "/fulfillments/:id/deliver", stockers, "", s.deliverFulfillment},

		// Tracking numbers: checked as they are typed, corrected after shipping by the desk
		// and by warehouse users at their own locations (checked in app: others 404).
		{get, "/tracking/check", noters, "", s.trackingCheck},
		{get, "/shipments/:id/tracking", noters, "", s.correctTrackingPage},
		{post, "/shipments/:id/tracking", noters, "", s.correctTracking},

		// Internal notes: the desk on any order, warehouse users ("box damaged") only on
		// orders with a fulfillment at one of their locations (checked in app: others 404).
		{post, "/orders/:number/notes", noters, "", s.addOrderNote},

		// The network: ops and admins edit; support reads.
		{get, "/locations", viewers, "Locations", s.locationsPage},
		{get, "/locations/new", network, "", s.newLocationPage},
		{post, "/locations", network, "", s.createLocation},
		{get, "/locations/:code", anyone, "", s.locationPage},
		{get, "/locations/:code/edit", network, "", s.editLocationPage},
		{post, "/locations/:code", network, "", s.updateLocation},
		{post, "/locations/:code/deactivate", network, "", s.deactivateLocation},
		{post, "/locations/:code/activate", network, "", s.activateLocation},
		{get, "/channels", network, "Channels", s.channelsPage},
		{get, "/channels/new", network, "", s.newChannelPage},
		{post, "/channels", network, "", s.createChannel},
		{get, "/channels/:code/edit", network, "", s.editChannelPage},
		{post, "/channels/:code", network, "", s.updateChannel},
		{get, "/channels/:code/returns", network, "", s.returnPolicyPage},
		{post, "/channels/:code/returns", network, "", s.saveReturnPolicy},

		// Return rules: ops and admins. Before /returns/:number, which they are not.
		{get, "/returns/rules", network, "", s.returnRulesPage},
		{post, "/returns/rules/draft", network, "", s.saveReturnRules},
		{post, "/returns/rules/publish", network, "", s.publishReturnRules},

		// Routing: ops and admins edit the rules and rates; support reads decisions.
		{get, "/rules", network, "Rules", s.rulesPage},
		{post, "/rules/draft/rules", network, "", s.addDraftRule},
		{get, "/rules/draft/:index/edit", network, "", s.editDraftRulePage},
		{post, "/rules/draft/:index", network, "", s.saveDraftRule},
		{post, "/rules/draft/:index/move", network, "", s.moveDraftRule},
		{post, "/rules/draft/:index/toggle", network, "", s.toggleDraftRule},
		{post, "/rules/draft/:index/delete", network, "", s.deleteDraftRule},
		{post, "/rules/publish", network, "", s.publishRules},
		{get, "/rules/check", network, "", s.checkRulePage},
		{get, "/rules/export.json", network, "", s.exportRules},
		{post, "/rules/import", network, "", s.importRules},
		{get, "/rules/versions/:version", network, "", s.ruleVersionPage},
		{get, "/rules/rates", network, "", s.ratesPage},
		{post, "/rules/rates", network, "", s.saveRate},
		{post, "/rules/rates/:id/delete", network, "", s.deleteRate},
		{post, "/rules/rates/import", network, "", s.importRates},
		{post, "/rules/postal-codes/import", network, "", s.importPostalCodes},
		{get, "/rules/simulate", network, "", s.simulatePage},
		// Automation rules: ops and admins, as the routing rules.
		{get, "/automation", network, "", s.automationPage}, // linked from the Rules page
		{post, "/automation/draft", network, "", s.saveAutomationDraft},
		{post, "/automation/publish", network, "", s.publishAutomation},
		{post, "/rules/simulate", network, "", s.runSimulation},
		{get, "/orders/:number/routing", deskUsers, "", s.orderRoutingPage},
		{post, "/orders/:number/reroute", deskUsers, "", s.rerouteOrder},

		// CSV import and export: ops and admins.
		{get, "/imports", network, "Import", s.importsPage},
		{post, "/imports/:kind", network, "", s.startImport},
		{get, "/imports/jobs/:id", network, "", s.importJobPage},
		{get, "/exports/:file", network, "", s.exportCSV},

		// Admins (one navigation entry: the admin page links the rest).
		{get, "/admin", admins, "Admin", s.adminHome},
		{get, "/admin/users", admins, "", s.listUsers},
		{get, "/admin/users/new", admins, "", s.newUserPage},
		{post, "/admin/users", admins, "", s.createUser},
		{get, "/admin/users/:id", admins, "", s.editUserPage},
		{post, "/admin/users/:id", admins, "", s.updateUser},
		{post, "/admin/users/:id/deactivate", admins, "", s.deactivateUser},
		{post, "/admin/users/:id/activate", admins, "", s.activateUser},
		{post, "/admin/users/:id/password", admins, "", s.resetPassword},
		{post, "/admin/users/:id/sessions/end", admins, "", s.endUserSessions},
		{post, "/admin/users/:id/sessions/:session/end", admins, "", s.endUserSession},
		{get, "/admin/apikeys", admins, "", s.listAPIKeys},
		{post, "/admin/apikeys", admins, "", s.createAPIKey},
		{post, "/admin/apikeys/:id/revoke", admins, "", s.revokeAPIKey},
		{get, "/admin/outbox", admins, "", s.outboxPage},
		{post, "/admin/outbox/:id/retry", admins, "", s.retryOutbox},
		{post, "/admin/outbox/channels/:code/pause", admins, "", s.pauseChannelOutbox},
		{post, "/admin/outbox/channels/:code/resume", admins, "", s.resumeChannelOutbox},
		{get, "/admin/webhooks", admins, "", s.webhooksPage},
		{post, "/admin/webhooks", admins, "", s.createWebhook},
		{get, "/admin/channels/:code", admins, "", s.channelSettingsPage},
		{post, "/admin/channels/:code", admins, "", s.saveChannelSettings},
		{post, "/admin/channels/:code/pull", admins, "", s.pullChannel},
		{get, "/admin/audit", admins, "", s.auditPage},
		{get, "/admin/audit.csv", admins, "", s.exportAudit},
		{post, "/admin/audit/retention", admins, "", s.saveAuditRetention},
		{get, "/admin/privacy", admins, "", s.privacyPage},
		{post, "/admin/privacy/redact", admins, "", s.redactCustomer},
		{post, "/admin/privacy/anonymise", admins, "", s.saveAnonymiseAge},

		// The JSON API (API keys with scopes).
		{put, "/api/v1/skus/:code", scope("catalog:write"), "", s.apiPutSKU},
		{get, "/api/v1/skus/:code", readCatalog, "", s.apiGetSKU},
		{get, "/api/v1/skus", readCatalog, "", s.apiListSKUs},
		{put, "/api/v1/locations/:code", scope("catalog:write"), "", s.apiPutLocation},
		{get, "/api/v1/locations/:code", readCatalog, "", s.apiGetLocation},
		{get, "/api/v1/locations", readCatalog, "", s.apiListLocations},
		{put, "/api/v1/channels/:code", scope("catalog:write"), "", s.apiPutChannel},
		{get, "/api/v1/channels/:code", readCatalog, "", s.apiGetChannel},
		{get, "/api/v1/channels", readCatalog, "", s.apiListChannels},
		{post, "/api/v1/channels/:code/pull", scope("orders:write"), "", s.apiPullChannel},
		{put, "/api/v1/stock/:location/:sku", scope("stock:write"), "", s.apiCountStock},
		{post, "/api/v1/stock/adjustments", scope("stock:write"), "", s.apiAdjustStock},
		{get, "/api/v1/stock", scope("stock:read", "stock:write"), "", s.apiListStock},
		{get, "/api/v1/availability", scope("stock:read", "stock:write"), "", s.apiAvailability},
		{post, "/api/v1/orders", scope("orders:write"), "", s.apiCreateOrder},
		{get, "/api/v1/orders", scope("orders:read", "orders:write"), "", s.apiFindOrder},
		{get, "/api/v1/orders/:number", scope("orders:read", "orders:write"), "", s.apiGetOrder},
		{post, "/api/v1/orders/:number/hold", scope("orders:write"), "", s.apiHoldOrder},
		{post, "/api/v1/orders/:number/release", scope("orders:write"), "", s.apiReleaseOrder},
		{post, "/api/v1/orders/:number/cancel", scope("orders:write"), "", s.apiCancelOrder},
		{put, "/api/v1/orders/:number/shipping_address", scope("orders:write"), "", s.apiChangeOrderAddress},
		{post, "/api/v1/orders/:number/notes", scope("orders:write"), "", s.apiAddOrderNote},
		{post, "/api/v1/orders/:number/reroute", scope("orders:write"), "", s.apiRerouteOrder},
		{post, "/api/v1/orders/:number/returns", scope("returns:write"), "", s.apiCreateReturn},
		{get, "/api/v1/orders/:number/returns", readReturns, "", s.apiOrderReturns},
		{get, "/api/v1/returns/:number", readReturns, "", s.apiGetReturn},
		{get, "/api/v1/locations/:code/returns", readReturns, "", s.apiLocationReturns},
		{post, "/api/v1/returns/:number/approve", scope("returns:write"), "", s.apiApproveReturn},
		{post, "/api/v1/returns/:number/decline", scope("returns:write"), "", s.apiDeclineReturn},
		{post, "/api/v1/returns/:number/cancel", scope("returns:write"), "", s.apiCancelReturn},
		{post, "/api/v1/returns/:number/receive", scope("returns:write", "fulfillments:write"), "", s.apiReceiveReturn},
		{post, "/api/v1/returns/:number/refund", scope("returns:write"), "", s.apiRefundReturn},
		{post, "/api/v1/wismo", scope("wismo:read"), "", s.apiWismo},
		{post, "/api/v1/fulfillments/:id/accept", scope("fulfillments:write"), "", s.apiAcceptFulfillment},
		{post, "/api/v1/fulfillments/:id/reject", scope("fulfillments:write"), "", s.apiRejectFulfillment},
		{post, "/api/v1/fulfillments/:id/ship", scope("fulfillments:write"), "", s.apiShipFulfillment},
		{post, "/api/v1/fulfillments/:id/deliver", scope("fulfillments:write"), "", s.apiDeliverFulfillment},
		{get, "/api/v1/locations/:code/fulfillments", scope("fulfillments:write", "orders:read"), "", s.apiLocationFulfillments},
		{post, "/api/v1/inbound", scope("inbound:write"), "", s.apiCreateInbound},
		{get, "/api/v1/inbound", readInbound, "", s.apiListInbound},
		{get, "/api/v1/inbound/:number", readInbound, "", s.apiGetInbound},
		{post, "/api/v1/inbound/:number/send", scope("inbound:write"), "", s.apiSendInbound},
		{post, "/api/v1/inbound/:number/ship", scope("inbound:write"), "", s.apiShipInbound},
		{post, "/api/v1/inbound/:number/receive", scope("inbound:write"), "", s.apiReceiveInbound},
		{post, "/api/v1/inbound/:number/cancel", scope("inbound:write"), "", s.apiCancelInbound},
		{post, "/api/v1/inbound/:number/close", scope("inbound:write"), "", s.apiCloseInbound},
		{get, "/api/v1/routing/rules", scope("routing:write", "orders:read"), "", s.apiGetRules},
		{put, "/api/v1/routing/rules/draft", scope("routing:write"), "", s.apiPutDraftRules},
		{post, "/api/v1/routing/rules/publish", scope("routing:write"), "", s.apiPublishRules},
		{get, "/api/v1/automation/rules", scope("routing:write", "orders:read"), "", s.apiGetAutomation},
		{put, "/api/v1/automation/rules/draft", scope("routing:write"), "", s.apiPutAutomationDraft},
		{post, "/api/v1/automation/rules/publish", scope("routing:write"), "", s.apiPublishAutomation},
		{post, "/api/v1/automation/rules/simulate", scope("routing:write"), "", s.apiSimulateAutomation},
	}
}

// register adds every route of the table to e, each behind its guard:
// probes bare, API routes behind an API key, pages behind a session and CSRF.
// A page's session and role are checked before anything reads its body.
func (s *Server) register(e *echo.Echo) {
	browser := e.Group("", withAuditIP, s.loadSession)
	// The API's OpenAPI document and its reference page are public and
	// outside the route table, whose API routes all need a key
	// (TestEveryRouteDeclaresWhoMayUseIt).
	e.GET(openAPIPath, s.openAPI)
	e.GET(apiDocsPath, s.apiDocs)
	api := e.Group(apiPrefix, withAuditIP, s.authAPIKey)
	for _, r := range s.Routes() {
		switch {
		case r.access.bare:
			e.Add(r.Method, r.Path, r.handler)
		case len(r.access.scopes) > 0:
			api.Add(r.Method, strings.TrimPrefix(r.Path, apiPrefix), r.handler, requireScope(r.access.scopes))
		default:
			browser.Add(r.Method, r.Path, r.handler, s.guard(r.access), readForm, s.checkCSRF)
		}
	}
}

// RouteInfo describes a route for tests and documentation: who may use it.
type RouteInfo struct {
	Method string
	Path   string
	Public bool
	Roles  []app.Role
	Scopes []string
}

// API reports whether the route belongs to the JSON API.
func (r RouteInfo) API() bool { return strings.HasPrefix(r.Path, "/api/") }

// RouteTable lists every route with who may use it.
func RouteTable() []RouteInfo {
	var s Server
	routes := s.Routes()
	out := make([]RouteInfo, len(routes))
	for i, r := range routes {
		out[i] = RouteInfo{Method: r.Method, Path: r.Path, Public: r.access.public, Roles: r.access.roles, Scopes: r.access.scopes}
	}
	return out
}
