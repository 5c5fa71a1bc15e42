package outbox

import (
	"switchyard/app"

	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	store "switchyard/sql"
)

// SignWebhook signs a webhook as the Standard Webhooks specification says:
// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where
// the key is the base64 part of a "whsec_" secret.
func SignWebhook(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "", fmt.Errorf("webhook secret is not whsec_<base64>: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// webhook delivers one generic webhook, signed with the endpoint's secret.
// The webhook-id is the same on every attempt, so receivers can deduplicate.
func (d *dispatcher) webhook(ctx context.Context, m store.OutboxMessage) Result {
	ep, err := d.a.Read().GetWebhookEndpoint(ctx, m.EndpointID.Int64)
	if err != nil {
		return Result{Err: fmt.Errorf("endpoint: %w", err)}
	}
	if ep.Active == 0 {
		return Result{Gone: true, Err: fmt.Errorf("the endpoint is disabled: %s", ep.DisabledReason)}
	}
	id := "msg_" + strconv.FormatInt(m.ID, 10)
	now := d.a.Now()
	sig, err := SignWebhook(ep.Secret, id, now, []byte(m.Payload))
	if err != nil {
		return Result{Err: err}
	}
	hdr := http.Header{
		"Content-Type":      {"application/json"},
		"Webhook-Id":        {id},
		"Webhook-Timestamp": {strconv.FormatInt(now.Unix(), 10)},
		"Webhook-Signature": {sig},
	}
	code, _, err := d.do(ctx, http.MethodPost, ep.Url, hdr, []byte(m.Payload))
	return HTTPFailure(code, err)
}

// WebhookEndpoint is a registered generic webhook receiver. The secret is shown once.
type WebhookEndpoint struct {
	ID             int64
	URL            string
	Events         []string
	Active         bool
	DisabledReason string
	CreatedAt      time.Time
}

// NewWebhookEndpoint is the form for registering an endpoint.
type NewWebhookEndpoint struct {
	URL    string   `form:"url" json:"url"`
	Events []string `form:"events" json:"events"`
}

// CreateWebhookEndpoint registers an endpoint and returns it with its secret (shown once).
func (a *Service) CreateWebhookEndpoint(ctx context.Context, actor app.Actor, in NewWebhookEndpoint) (WebhookEndpoint, string, error) {
	if err := actor.RequireAdmin(); err != nil {
		return WebhookEndpoint{}, "", err
	}
	f := app.FieldsError{}
	in.URL = strings.TrimSpace(in.URL)
	u, err := url.Parse(in.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.URL) > 500 {
		f.Add("url", "must be an http or https URL")
	}
	if len(in.Events) == 0 {
		f.Add("events", "choose at least one event")
	}
	for _, e := range in.Events {
		if !slices.Contains(app.WebhookEvents, e) {
			f.Add("events", "must be among "+strings.Join(app.WebhookEvents, ", "))
		}
	}
	if err := f.Err("webhook endpoint is invalid"); err != nil {
		return WebhookEndpoint{}, "", err
	}
	key := make([]byte, 24)
	if _, err := rand.Read(key); err != nil {
		return WebhookEndpoint{}, "", err
	}
	secret := "whsec_" + base64.StdEncoding.EncodeToString(key)
	var ep WebhookEndpoint
	err = a.core.Write(ctx, func(tx app.Tx) error {
		id, err := tx.Q.InsertWebhookEndpoint(ctx, store.InsertWebhookEndpointParams{
			Url: in.URL, Events: strings.Join(in.Events, " "), Secret: secret, CreatedAt: app.Millis(tx.Now), UpdatedAt: app.Millis(tx.Now),
		})
		ep = WebhookEndpoint{ID: id, URL: in.URL, Events: in.Events, Active: true, CreatedAt: tx.Now}
		tx.WebhookEndpointsChanged()
		return err
	})
	if err != nil {
		return WebhookEndpoint{}, "", fmt.Errorf("register webhook endpoint: %w", err)
	}
	return ep, secret, nil
}

// WebhookEndpoints lists the registered endpoints (never their secrets).
func (a *Service) WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error) {
	rows, err := a.core.Read().ListWebhookEndpoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("list webhook endpoints: %w", err)
	}
	out := make([]WebhookEndpoint, 0, len(rows))
	for _, r := range rows {
		out = append(out, WebhookEndpoint{ID: r.ID, URL: r.Url, Events: strings.Fields(r.Events), Active: r.Active == 1,
			DisabledReason: r.DisabledReason, CreatedAt: app.FromMillis(r.CreatedAt)})
	}
	return out, nil
}
