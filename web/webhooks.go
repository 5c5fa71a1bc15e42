package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app/channels"
)

// shopifyWebhook takes in a Shopify webhook (app/channels checks the
// signature over the raw body before anything is parsed).
func (s *Server) shopifyWebhook(c echo.Context) error {
	body, err := readWebhookBody(c)
	if err != nil {
		return s.webhookAnswer(c, channels.WebhookResult{}, err)
	}
	h := c.Request().Header
	res, err := s.channels.ReceiveShopify(c.Request().Context(), channels.Delivery{Channel: c.Param("channel"),
		Topic: h.Get("X-Shopify-Topic"), ID: h.Get("X-Shopify-Webhook-Id"), Signature: h.Get("X-Shopify-Hmac-Sha256"), Body: body})
	return s.webhookAnswer(c, res, err)
}

// wooWebhook takes in a WooCommerce webhook, its unsigned creation ping included.
func (s *Server) wooWebhook(c echo.Context) error {
	body, err := readWebhookBody(c)
	if err != nil {
		return s.webhookAnswer(c, channels.WebhookResult{}, err)
	}
	h := c.Request().Header
	res, err := s.channels.ReceiveWoo(c.Request().Context(), channels.Delivery{Channel: c.Param("channel"),
		Topic: h.Get("X-WC-Webhook-Topic"), Signature: h.Get("X-WC-Webhook-Signature"), Body: body})
	return s.webhookAnswer(c, res, err)
}

// readWebhookBody reads the raw body, at most maxBody bytes (limitBody bounds it).
func readWebhookBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	var tooBig *echo.HTTPError
	if errors.As(err, &tooBig) {
		return nil, tooBig
	}
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the body")
	}
	return body, nil
}

// webhookAnswer answers a channel in JSON: 200 with what was done, or the
// error (a 5xx makes the channel send it again).
func (s *Server) webhookAnswer(c echo.Context, res channels.WebhookResult, err error) error {
	if err == nil {
		return c.JSON(http.StatusOK, res)
	}
	p := describeError(err)
	if p.status >= 500 {
		s.log.Error("webhook intake", "path", c.Request().URL.Path, "err", err)
	}
	return c.JSON(p.status, jsonError(p))
}
