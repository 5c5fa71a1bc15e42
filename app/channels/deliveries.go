package channels

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
)

// Delivery is one webhook delivery as it arrived: the channel's code from the
// URL, the topic, the sender's delivery id and signature from the headers,
// and the raw body, not parsed yet.
type Delivery struct {
	Channel   string
	Topic     string
	ID        string // the sender's delivery id ("" when it has none)
	Signature string
	Body      []byte
}

// ReceiveShopify takes in a Shopify webhook: the signature is checked over the
// raw body before it is parsed; topics other than orders, returns and refunds
// are acknowledged and ignored. A delivery is named by Shopify's webhook id, or by its content.
func (a *Service) ReceiveShopify(ctx context.Context, d Delivery) (WebhookResult, error) {
	topic := strings.TrimSpace(d.Topic)
	id := strings.TrimSpace(d.ID)
	if id == "" {
		id = contentID(d.Body)
	}
	if slices.Contains(ShopifyReturnTopics, topic) {
		return a.receiveShopifyReturn(ctx, d, topic, id)
	}
	if slices.Contains(ShopifyPrivacyTopics, topic) {
		return a.receiveShopifyPrivacy(ctx, d, topic, id)
	}
	return a.receive(ctx, webhookIn{
		Channel: d.Channel, Kind: "shopify", SourceID: id, Topic: topic,
		Verify: func(secrets []string) bool { return Verify(d.Body, d.Signature, secrets) },
		Decode: func() (*ChannelOrder, error) {
			if !slices.Contains(ShopifyTopics, topic) {
				return nil, nil
			}
			m, err := ShopifyOrder(d.Channel, d.Body)
			if errors.Is(err, ErrNotOrder) { // a fulfillment sent to an order topic
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return m.ChannelOrder(), nil
		},
	})
}

// ReceiveWoo takes in a WooCommerce webhook, and acknowledges its unsigned
// creation ping (webhook_id=N). WooCommerce's delivery ids change on every
// send, so a delivery is named by its content: the same order state sent
// twice is one delivery.
func (a *Service) ReceiveWoo(ctx context.Context, d Delivery) (WebhookResult, error) {
	if d.Signature == "" && IsWooPing(d.Body) {
		return WebhookResult{Result: "ping acknowledged"}, nil
	}
	topic := strings.TrimSpace(d.Topic)
	return a.receive(ctx, webhookIn{
		Channel: d.Channel, Kind: "woocommerce", SourceID: contentID(d.Body), Topic: topic,
		Verify: func(secrets []string) bool { return Verify(d.Body, d.Signature, secrets) },
		Decode: func() (*ChannelOrder, error) {
			if !slices.Contains(WooTopics, topic) {
				return nil, nil
			}
			return WooChannelOrder(d.Channel, d.Body)
		},
	})
}

// contentID names a delivery by its content, for senders without a stable delivery id.
func contentID(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha256:" + hex.EncodeToString(sum[:])
}
