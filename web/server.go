// Package web is Switchyard's HTTP layer: routes, middleware, handlers and views.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/autorules"
	"switchyard/app/channels"
	"switchyard/app/desk"
	"switchyard/app/floor"
	"switchyard/app/imports"
	"switchyard/app/inbound"
	"switchyard/app/metrics"
	"switchyard/app/ops"
	"switchyard/app/outbox"
	"switchyard/app/returns"
	"switchyard/app/rules"
	"switchyard/app/search"
	"switchyard/app/simulate"
	"switchyard/app/wismo"
	"switchyard/assets"
)

// Server holds what the handlers depend on.
type Server struct {
	app      *app.App
	accounts *accounts.Service
	channels *channels.Service
	outbox   *outbox.Service
	imports  *imports.Service
	search   *search.Service
	simulate *simulate.Service
	floor    *floor.Service
	desk     *desk.Service
	rules    *rules.Service
	auto     *autorules.Service
	ops      *ops.Service
	returns  *returns.Service
	wismo    *wismo.Service
	inbound  *inbound.Service
	log      *slog.Logger
	sessions *sessions.CookieStore
	version  string
	role     func(context.Context) string // the node's role in a cluster; nil: a single file
	metrics  *metrics.Metrics             // nil: nothing recorded
	// reevaluateMinSaving is the re-evaluation's threshold (see Config).
	reevaluateMinSaving string
}

// Services are the app's capability packages, each over the same core App.
type Services struct {
	Accounts *accounts.Service
	Channels *channels.Service
	Outbox   *outbox.Service
	Imports  *imports.Service
	Search   *search.Service
	Simulate *simulate.Service
	Floor    *floor.Service
	Desk     *desk.Service
	Rules    *rules.Service
	Auto     *autorules.Service // the automation rules
	Ops      *ops.Service
	Returns  *returns.Service
	Wismo    *wismo.Service
	Inbound  *inbound.Service
}

// NewServices builds every capability package over core, wiring the outbox
// to the channels' senders. accountOpts tune the password slots (tests).
func NewServices(core *app.App, wooClient *http.Client, accountOpts ...accounts.Option) Services {
	ch := channels.New(core, wooClient)
	d, rets := desk.New(core), returns.New(core)
	return Services{
		Accounts: accounts.New(core, accountOpts...),
		Channels: ch,
		Outbox:   outbox.New(core, ch.Sender()),
		Imports:  imports.New(core),
		Search:   search.New(core),
		Simulate: simulate.New(core),
		Floor:    floor.New(core),
		Desk:     d,
		Rules:    rules.New(core),
		Auto:     autorules.New(core),
		Ops:      ops.New(core),
		Returns:  rets,
		Wismo:    wismo.New(core, d, rets, wismo.DefaultLimits()),
		Inbound:  inbound.New(core),
	}
}

// Config is what the web layer needs from the outside.
type Config struct {
	App         *app.App
	Services    Services
	Log         *slog.Logger
	SessionKeys []byte // 32 bytes to sign, 32 to encrypt
	Version     string
	// Role says, for /readyz, the node's role in a dqlite cluster ("leader"
	// or "follower"); nil for Switchyard on a single file.
	Role func(context.Context) string
	// WriterURL, on a node of a dqlite cluster, is the base URL of the node
	// whose writer commits (the leader's), "" when it is this node: a
	// follower sends every request that may change data there. nil on a
	// single file.
	WriterURL func(context.Context) (string, error)
	// Metrics records the requests (route pattern, method, status,
	// duration); nil records nothing. /metrics is served elsewhere (see
	// MetricsHandler), never on this router.
	Metrics *metrics.Metrics
	// ReevaluateMinSaving is what the exceptions page's re-evaluation must
	// save to move an order (serve's --reevaluate-min-saving; "": the default).
	ReevaluateMinSaving string
}

// New builds the echo router with every route and middleware.
func New(cfg Config) *echo.Echo {
	s := &Server{
		app:      cfg.App,
		accounts: cfg.Services.Accounts,
		channels: cfg.Services.Channels,
		outbox:   cfg.Services.Outbox,
		imports:  cfg.Services.Imports,
		search:   cfg.Services.Search,
		simulate: cfg.Services.Simulate,
		floor:    cfg.Services.Floor,
		desk:     cfg.Services.Desk,
		rules:    cfg.Services.Rules,
		auto:     cfg.Services.Auto,
		ops:      cfg.Services.Ops,
		returns:  cfg.Services.Returns,
		wismo:    cfg.Services.Wismo,
		inbound:  cfg.Services.Inbound,
		log:      cfg.Log,
		sessions: newSessionStore(cfg.SessionKeys),
		version:  cfg.Version,
		role:     cfg.Role,
		metrics:  cfg.Metrics,

		reevaluateMinSaving: cfg.ReevaluateMinSaving,
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(
		middleware.RequestID(),
		s.logRequests(),
		middleware.Recover(),
		securityHeaders,
		limitBody,
		newForwarder(cfg.WriterURL, cfg.SessionKeys).middleware,
	)
	e.StaticFS("/assets", assets.Static())
	s.register(e)
	return e
}

// contentSecurityPolicy allows only Switchyard's own files: no inline script
// or style (the templates have none, and htmx's indicator CSS is turned off in
// the layout), no plugins, no <base>, no framing, forms post only here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every answer carries, errors and assets included.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		if c.Request().Method == http.MethodGet && !isAsset(c.Request().URL.Path) {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// isAsset reports whether path is a static asset.
func isAsset(path string) bool { return len(path) > 8 && path[:8] == "/assets/" }
