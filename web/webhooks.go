package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app/channels"
)

// shopifyWebhook takes in a Shopify webhook: the signature is checked over the
// raw body before it is parsed; unknown topics are acknowledged and ignored.
func (s *Server) shopifyWebhook(c echo.Context) error {
	body, err := readWebhookBody(c)
	if err != nil {
		return s.webhookAnswer(c, channels.WebhookResult{}, err)
	}
	h := c.Request().Header
	topic := strings.TrimSpace(h.Get("X-Shopify-Topic"))
	source := strings.TrimSpace(h.Get("X-Shopify-Webhook-Id"))
	if source == "" {
		source = bodyID(body)
	}
	sig := h.Get("X-Shopify-Hmac-Sha256")
	res, err := s.channels.ReceiveWebhook(c.Request().Context(), channels.WebhookIn{
		Channel: c.Param("channel"), Kind: "shopify", SourceID: source, Topic: topic,
		Verify: func(secrets []string) bool { return channels.Verify(body, sig, secrets) },
		Decode: func() (*channels.ChannelOrder, error) {
			if !slices.Contains(channels.ShopifyTopics, topic) {
				return nil, nil
			}
			return channelOrder(channels.ShopifyOrder(c.Param("channel"), body))
		},
	})
	return s.webhookAnswer(c, res, err)
}

// wooWebhook takes in a WooCommerce webhook, and answers its unsigned
// creation ping (webhook_id=N) with 200.
func (s *Server) wooWebhook(c echo.Context) error {
	body, err := readWebhookBody(c)
	if err != nil {
		return s.webhookAnswer(c, channels.WebhookResult{}, err)
	}
	h := c.Request().Header
	if h.Get("X-WC-Webhook-Signature") == "" && channels.IsWooPing(body) {
		return c.JSON(http.StatusOK, channels.WebhookResult{Result: "ping acknowledged"})
	}
	topic := strings.TrimSpace(h.Get("X-WC-Webhook-Topic"))
	sig := h.Get("X-WC-Webhook-Signature")
	// WooCommerce's delivery ids change on every send: a delivery is named by
	// its content (the same order state sent twice is one delivery).
	res, err := s.channels.ReceiveWebhook(c.Request().Context(), channels.WebhookIn{
		Channel: c.Param("channel"), Kind: "woocommerce", SourceID: bodyID(body), Topic: topic,
		Verify: func(secrets []string) bool { return channels.Verify(body, sig, secrets) },
		Decode: func() (*channels.ChannelOrder, error) {
			if !slices.Contains(channels.WooTopics, topic) {
				return nil, nil
			}
			return channels.WooChannelOrder(c.Param("channel"), body)
		},
	})
	return s.webhookAnswer(c, res, err)
}

// channelOrder turns a mapper's answer into the use case's input; a body that
// is not an order (a fulfillment sent to an order topic) is ignored.
func channelOrder(m channels.Mapped, err error) (*channels.ChannelOrder, error) {
	if errors.Is(err, channels.ErrNotOrder) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return m.ChannelOrder(), nil
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

// bodyID names a delivery by its content, for senders without a stable delivery id.
func bodyID(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
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
