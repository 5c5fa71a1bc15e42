package channels

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/privacy"
	store "switchyard/sql"
)

// ShopifyPrivacyTopics are Shopify's mandatory compliance webhooks.
var ShopifyPrivacyTopics = []string{"customers/redact", "shop/redact", "customers/data_request"}

// shopifyPrivacy is the part of a compliance webhook Switchyard reads.
type shopifyPrivacy struct {
	Customer struct {
		Email string `json:"email"`
	} `json:"customer"`
	OrdersToRedact  []json.Number `json:"orders_to_redact"`
	OrdersRequested []json.Number `json:"orders_requested"`
	DataRequest     struct {
		ID json.Number `json:"id"`
	} `json:"data_request"`
}

// receiveShopifyPrivacy applies a compliance webhook once its signature
// verifies: customers/redact erases the orders it names and the customer's
// (by email), shop/redact every order of the channel, customers/data_request
// is recorded for an admin to answer. Erasing runs in batches outside the
// delivery's transaction, so a delivery already processed is answered as a
// duplicate before anything is erased again (and audited twice); two copies
// racing may both erase, which is harmless.
func (a *Service) receiveShopifyPrivacy(ctx context.Context, d Delivery, topic, sourceID string) (WebhookResult, error) {
	ch, err := a.verified(ctx, d.Channel, "shopify", func(secrets []string) bool { return Verify(d.Body, d.Signature, secrets) })
	if err != nil {
		return WebhookResult{}, err
	}
	ev := event{sourceID: sourceID, topic: topic}
	var p shopifyPrivacy
	if err := decode(d.Body, &p); err != nil {
		return a.takeEvent(ctx, ch, ev, refused(err))
	}
	actor := app.Actor{Kind: app.ActorChannel, Name: ch.Name, Channel: ch.Code}
	if topic == "customers/data_request" {
		return a.takeEvent(ctx, ch, ev, func(tx app.Tx, actor app.Actor) (string, int64, error) {
			return recordDataRequest(ctx, tx, actor, ch, p)
		})
	}
	done, err := a.core.Read().WebhookDeliveryDone(ctx, store.WebhookDeliveryDoneParams{ChannelID: ch.ID, SourceID: clipText(sourceID, 200)})
	if err != nil {
		return WebhookResult{}, fmt.Errorf("look up the delivery: %w", err)
	}
	if done > 0 {
		return a.takeEvent(ctx, ch, ev, func(app.Tx, app.Actor) (string, int64, error) { return "", 0, nil })
	}
	result, err := a.redactShopify(ctx, actor, ch.Code, topic, p)
	if err != nil {
		return WebhookResult{}, err
	}
	return a.takeEvent(ctx, ch, ev, func(app.Tx, app.Actor) (string, int64, error) { return result, 0, nil })
}

// redactShopify erases what a customers/redact or shop/redact names.
func (a *Service) redactShopify(ctx context.Context, actor app.Actor, channel, topic string, p shopifyPrivacy) (string, error) {
	priv := privacy.New(a.core)
	if topic == "shop/redact" {
		n, err := priv.RedactChannel(ctx, actor, channel)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("personal data erased from every order of the channel (%d)", n), nil
	}
	n, err := priv.RedactOrders(ctx, actor, channel, numbers(p.OrdersToRedact))
	if err != nil {
		return "", err
	}
	if _, bad := privacy.CheckEmail(p.Customer.Email); bad == nil {
		m, err := priv.RedactCustomer(ctx, actor, p.Customer.Email)
		if err != nil {
			return "", err
		}
		n += m
	}
	return fmt.Sprintf("customer's personal data erased from %d orders", n), nil
}

// recordDataRequest keeps a customers/data_request for an admin to answer.
func recordDataRequest(ctx context.Context, tx app.Tx, actor app.Actor, ch store.Channel, p shopifyPrivacy) (string, int64, error) {
	ref := ""
	if strings.TrimSpace(p.Customer.Email) != "" {
		ref = privacy.CustomerRef(p.Customer.Email)
	}
	ids := strings.Join(numbers(p.OrdersRequested), " ")
	if err := tx.Q.InsertPrivacyRequest(ctx, store.InsertPrivacyRequestParams{ChannelID: sql.NullInt64{Int64: ch.ID, Valid: true}, Kind: "data_request",
		CustomerRef: ref, ExternalIds: clipText(ids, 2000), ReceivedAt: app.Millis(tx.Now)}); err != nil {
		return "", 0, fmt.Errorf("record data request: %w", err)
	}
	err := audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.PrivacyDataRequested, ObjectKind: "customer",
		ObjectRef: ref, Detail: fmt.Sprintf("data request %s for orders %s: to answer within 30 days", p.DataRequest.ID, ids)})
	if err != nil {
		return "", 0, err
	}
	return "customer's data request recorded for an admin to answer", 0, nil
}

// numbers are ids as text.
func numbers(ids []json.Number) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, id.String())
	}
	return out
}
