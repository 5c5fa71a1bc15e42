package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// pullChannel pulls a WooCommerce channel's changed orders now (the "Pull
// orders now" button) and shows what the pull did, or why it failed, on the
// channel's settings page.
func (s *Server) pullChannel(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.app.Channel(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	res, err := s.channels.PullWooOrders(ctx, currentUser(c).Actor(), ch.Code)
	if err == nil {
		return redirectWithFlash(c, "/admin/channels/"+url.PathEscape(ch.Code), "Pull done: "+res.Result+".")
	}
	p := describeError(err)
	if p.status >= http.StatusInternalServerError && p.status != http.StatusBadGateway {
		return err
	}
	f := views.ChannelSettingsForm{ShopDomain: ch.ShopDomain, CallbackURL: ch.CallbackURL}
	return s.channelSettings(c, p.status, ch, f, views.Flash{Kind: "error", Text: "The pull failed: " + sentence(p.message)})
}

// apiPullChannel pulls a WooCommerce channel's changed orders now and answers
// what the pull did (a store that cannot be read: 502).
func (s *Server) apiPullChannel(c echo.Context) error {
	res, err := s.channels.PullWooOrders(c.Request().Context(), apiKey(c).Actor(), pathCode(c, "code"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, res)
}
