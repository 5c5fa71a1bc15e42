package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/channels"
	"switchyard/web/views"
)

// recentDeliveries is how many webhook deliveries the settings page lists.
const recentDeliveries = 50

// channelSettingsPage shows a channel's connection settings (secrets
// write-only) and its recent deliveries in.
func (s *Server) channelSettingsPage(c echo.Context) error {
	ch, err := s.app.Channel(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	f := views.ChannelSettingsForm{ShopDomain: ch.ShopDomain, CallbackURL: ch.CallbackURL, InventoryLocation: ch.InventoryLocation,
		ShopifyAPIVersion: ch.ShopifyAPIVersion, SellIncoming: ch.SellIncoming, IncomingLimit: strconv.FormatInt(ch.IncomingLimit, 10)}
	kind, msg := takeFlash(c)
	return s.channelSettings(c, http.StatusOK, ch, f, views.Flash{Kind: kind, Text: msg})
}

// channelSettingsPost is what the settings form posts. LocationsShown is set
// when the form lists the locations, so that none ticked means none.
type channelSettingsPost struct {
	ShopDomain        string   `form:"shop_domain"`
	LocationsShown    string   `form:"locations_shown"`
	Locations         []string `form:"locations"`
	InventoryLocation string   `form:"inventory_location"`
	ShopifyAPIVersion string   `form:"shopify_api_version"`
	Secret1           string   `form:"secret_1"`
	Secret2           string   `form:"secret_2"`
	ClearSecrets      string   `form:"clear_secrets"`
	CallbackBaseURL   string   `form:"callback_base_url"`
	CallbackToken     string   `form:"callback_token"`
	IncomingShown     string   `form:"incoming_shown"`
	SellIncoming      string   `form:"sell_incoming"`
	IncomingLimit     string   `form:"incoming_limit"`
}

// saveChannelSettings stores the posted settings; empty secret and token
// fields keep what is stored.
func (s *Server) saveChannelSettings(c echo.Context) error {
	ctx := c.Request().Context()
	ch, err := s.app.Channel(ctx, c.Param("code"))
	if err != nil {
		return err
	}
	var p channelSettingsPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	domain := strings.TrimSpace(p.ShopDomain)
	in := app.ChannelInput{Name: ch.Name, Kind: ch.Kind, Buffer: ch.Buffer, Active: &ch.Active, ShopDomain: &domain}
	var serving []string
	if p.LocationsShown != "" { // the form lists the locations: none ticked is none
		serving = append([]string{}, p.Locations...)
		in.Locations = &serving
	}
	incoming := incomingOf(p, &in)
	location, version := ch.InventoryLocation, ch.ShopifyAPIVersion
	if ch.Kind == "shopify" { // only Shopify channels have the fields
		location, version = strings.TrimSpace(p.InventoryLocation), strings.TrimSpace(p.ShopifyAPIVersion)
		in.InventoryLocation, in.ShopifyAPIVersion = &location, &version
	}
	var secrets []string
	for _, v := range []string{p.Secret1, p.Secret2} {
		if v := strings.TrimSpace(v); v != "" {
			secrets = append(secrets, v)
		}
	}
	switch {
	case p.ClearSecrets != "":
		in.Secrets = &[]string{}
	case len(secrets) > 0:
		in.Secrets = &secrets
	}
	base, token := strings.TrimSpace(p.CallbackBaseURL), strings.TrimSpace(p.CallbackToken)
	if base != ch.CallbackURL || token != "" {
		in.Callback = &app.CallbackInput{BaseURL: base, Token: token}
		if token == "" && ch.HasToken {
			in.Callback = nil // the token cannot be kept while the URL changes without reading it: ask for it
			if base != ch.CallbackURL {
				f := views.ChannelSettingsForm{ShopDomain: domain, CallbackURL: base, InventoryLocation: location, ShopifyAPIVersion: version,
					Locations: serving, SellIncoming: incoming.SellIncoming, IncomingLimit: incoming.IncomingLimit,
					Errors: views.Errors{"callback.base_url": "give the token again to change the base URL"}}
				return s.channelSettings(c, http.StatusUnprocessableEntity, ch, f, views.Flash{})
			}
		}
	}
	actor := currentUser(c).Actor()
	if incoming.problem != "" {
		err = app.InvalidField("incoming_limit", incoming.problem)
	} else {
		_, _, err = s.app.PutChannel(ctx, actor, ch.Code, in, audit.ChannelChange(actor, ch.Code))
	}
	if errs, _, ok := fieldErrors(err); ok {
		f := views.ChannelSettingsForm{ShopDomain: domain, CallbackURL: base, InventoryLocation: location, ShopifyAPIVersion: version,
			Locations: serving, SellIncoming: incoming.SellIncoming, IncomingLimit: incoming.IncomingLimit, Errors: errs}
		return s.channelSettings(c, http.StatusUnprocessableEntity, ch, f, views.Flash{})
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/channels/"+url.PathEscape(ch.Code), "Settings saved.")
}

// channelSettings renders the settings page, with how far a WooCommerce
// channel's orders have been pulled.
func (s *Server) channelSettings(c echo.Context, status int, ch app.Channel, f views.ChannelSettingsForm, notice views.Flash) error {
	ctx := c.Request().Context()
	ds, err := s.channels.WebhookDeliveries(ctx, ch.Code, recentDeliveries)
	if err != nil {
		return err
	}
	var pull *channels.WooPullStatus
	if ch.Kind == "woocommerce" {
		st, err := s.channels.WooPullState(ctx, ch.Code)
		if err != nil {
			return err
		}
		pull = &st
	}
	locs, err := s.app.Locations(ctx)
	if err != nil {
		return err
	}
	if f.Locations == nil {
		f.Locations = ch.Locations
	}
	return s.render(c, status, ch.Name, views.ChannelSettings(csrfToken(c), ch, f, locs, ds, pull, notice, siteURL(c)))
}

// siteURL is this site's address as the request reached it (https behind a
// proxy that says so), for addresses to paste elsewhere.
func siteURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host
}

// incomingPost is the pre-orders as posted, and a problem with the limit
// that needs no app to see (not a whole number).
type incomingPost struct {
	SellIncoming  bool
	IncomingLimit string
	problem       string
}

// incomingOf reads the posted pre-orders into in, when the form shows them.
func incomingOf(p channelSettingsPost, in *app.ChannelInput) incomingPost {
	out := incomingPost{SellIncoming: p.SellIncoming != "", IncomingLimit: strings.TrimSpace(p.IncomingLimit)}
	if p.IncomingShown == "" {
		return out
	}
	limit := int64(0)
	if out.IncomingLimit != "" {
		n, err := strconv.ParseInt(out.IncomingLimit, 10, 64)
		if err != nil {
			out.problem = "must be a whole number of units"
			return out
		}
		limit = n
	}
	in.SellIncoming, in.IncomingLimit = &out.SellIncoming, &limit
	return out
}
