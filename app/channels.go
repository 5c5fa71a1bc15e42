package app

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	store "switchyard/sql"
)

// ChannelKinds are the kinds of sales channel.
var ChannelKinds = []string{"shopify", "woocommerce", "api", "manual", "pos", "marketplace"}

// Channel is where orders are sold. Secrets and tokens are never shown.
type Channel struct {
	ID          int64  `json:"-"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Buffer      int64  `json:"buffer"`
	Active      bool   `json:"active"`
	Secrets     int    `json:"webhook_secrets_set"`   // how many webhook secrets are set
	ShopDomain  string `json:"shop_domain,omitempty"` // Shopify's shop domain or WooCommerce's site URL
	CallbackURL string `json:"callback_base_url,omitempty"`
	// InventoryLocation is the Shopify location GID whose stock Switchyard sets.
	InventoryLocation string `json:"inventory_location,omitempty"`
	// ShopifyAPIVersion is the Admin API version set for a Shopify channel;
	// empty: this build's ShopifyAPIVersion.
	ShopifyAPIVersion string `json:"shopify_api_version,omitempty"`
	HasToken          bool   `json:"callback_token_set"`
	// Connected: Switchyard can tell the channel things (ChannelConnected).
	Connected bool     `json:"connected"`
	Locations []string `json:"locations"` // the locations that serve it
	// SellIncoming: the channel sells stock on its way in (pre-orders), up to
	// IncomingLimit units of each SKU (app/preorders.go).
	SellIncoming  bool      `json:"sell_incoming"`
	IncomingLimit int64     `json:"incoming_limit"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ChannelInput is the content of PUT /api/v1/channels/{code} and the channel form.
// Absent secrets and callback leave the stored ones as they are.
type ChannelInput struct {
	Name     string         `json:"name" form:"name" validate:"required,max=100"`
	Kind     string         `json:"kind" form:"kind" validate:"required,oneof=shopify woocommerce api manual pos marketplace"`
	Buffer   int64          `json:"buffer" form:"buffer" validate:"gte=0,lte=1000000"`
	Active   *bool          `json:"active" form:"-"`
	Secrets  *[]string      `json:"webhook_secrets" form:"-" validate:"omitempty,max=2,dive,min=8,max=200"`
	Callback *CallbackInput `json:"callback" form:"-"`
	// ShopDomain is Shopify's shop domain (example.myshopify.com) or WooCommerce's site URL.
	ShopDomain *string `json:"shop_domain" form:"-" validate:"omitempty,max=255"`
	// InventoryLocation is the Shopify location id (gid://shopify/Location/123 or 123).
	InventoryLocation *string `json:"inventory_location" form:"-" validate:"omitempty,max=255"`
	// ShopifyAPIVersion is the Shopify Admin API version (2026-04 or later; empty: this build's).
	ShopifyAPIVersion *string `json:"shopify_api_version" form:"-" validate:"omitempty,max=20"`
	// Locations, when given, are the codes of exactly the locations that serve the channel.
	Locations *[]string `json:"locations" form:"-" validate:"omitempty,max=1000"`
	// SellIncoming and IncomingLimit, when given, set the channel's pre-orders
	// (absent: kept as stored; off on a new channel).
	SellIncoming  *bool  `json:"sell_incoming" form:"-"`
	IncomingLimit *int64 `json:"incoming_limit" form:"-"`
}

// CallbackInput is where and how Switchyard calls a channel back.
type CallbackInput struct {
	BaseURL string `json:"base_url" validate:"omitempty,http_url,max=500"`
	Token   string `json:"token" validate:"max=500"`
}

// PutChannel creates or replaces the channel code; it reports whether it was created.
// Each of first runs in the same transaction before the write, with the
// checked input (the audit log's entry: see audit.ChannelChange).
func (a *App) PutChannel(ctx context.Context, actor Actor, code string, in ChannelInput,
	first ...func(context.Context, Tx, ChannelInput) error) (Channel, bool, error) {
	if err := actor.Require(RoleAdmin, RoleOps); err != nil {
		return Channel{}, false, err
	}
	if !actor.Reach().Allows(code) {
		// A key bound to another channel neither sees nor makes this one, whether it exists or not.
		return Channel{}, false, NotFound("no channel %q", code)
	}
	in.Name = strings.TrimSpace(in.Name)
	fields := CheckStruct(in)
	if !ValidCode(code) {
		fields.Add("code", codeProblem)
	}
	if in.InventoryLocation != nil {
		gid, ok := ShopifyLocationGID(*in.InventoryLocation)
		if !ok {
			fields.Add("inventory_location", "must be a Shopify location id: gid://shopify/Location/123 or the number 123")
		}
		in.InventoryLocation = &gid
	}
	if in.ShopifyAPIVersion != nil {
		v, ok := ShopifyAPIVersionOK(*in.ShopifyAPIVersion)
		if !ok {
			fields.Add("shopify_api_version", "must be a stable Shopify API version such as "+ShopifyAPIVersion+
				" (YYYY-01, -04, -07 or -10), "+ShopifyAPIVersion+" or later; leave it empty for "+ShopifyAPIVersion)
		}
		in.ShopifyAPIVersion = &v
	}
	if in.Kind == "woocommerce" && in.Callback != nil {
		if p := WooHTTPSProblem(in.Callback.BaseURL); p != "" {
			fields.Add("callback.base_url", p)
		}
		if p := WooTokenProblem(in.Callback.Token); p != "" {
			fields.Add("callback.token", p)
		}
	}
	checkIncoming(fields, in)
	if err := fields.Err("channel is invalid"); err != nil {
		return Channel{}, false, err
	}
	var created bool
	err := a.Write(ctx, func(tx Tx) error {
		for _, fn := range first {
			if err := fn(ctx, tx, in); err != nil {
				return err
			}
		}
		var err error
		created, err = PutChannelInTx(ctx, tx, code, in)
		return err
	})
	if err != nil {
		return Channel{}, false, err
	}
	ch, err := a.Channel(ctx, code)
	return ch, created, err
}

// putChannel writes one validated channel inside tx.
func PutChannelInTx(ctx context.Context, tx Tx, code string, in ChannelInput) (bool, error) {
	active := in.Active == nil || *in.Active
	cur, err := tx.Q.GetChannelByCode(ctx, code)
	created := store.IsNoRows(err)
	switch {
	case created:
		cur.ID, err = tx.Q.CreateChannel(ctx, store.CreateChannelParams{
			Code: code, Name: in.Name, Kind: in.Kind, Buffer: in.Buffer, Active: BoolInt(active),
			CreatedAt: Millis(tx.Now), UpdatedAt: Millis(tx.Now),
		})
		if err != nil {
			return false, fmt.Errorf("insert channel: %w", err)
		}
	case err != nil:
		return false, fmt.Errorf("get channel: %w", err)
	default:
		if err := tx.Q.UpdateChannel(ctx, store.UpdateChannelParams{
			Name: in.Name, Kind: in.Kind, Buffer: in.Buffer, Active: BoolInt(active), UpdatedAt: Millis(tx.Now), ID: cur.ID,
		}); err != nil {
			return false, fmt.Errorf("update channel: %w", err)
		}
	}
	if in.Kind == "woocommerce" && in.Callback == nil { // kept as stored: it must suit WooCommerce too
		if p := WooHTTPSProblem(cur.CallbackBaseUrl); p != "" {
			return false, InvalidField("callback.base_url", p+" (the stored "+cur.CallbackBaseUrl+")")
		}
		if p := WooTokenProblem(cur.CallbackToken); p != "" {
			return false, InvalidField("callback.token", p+" (give it again)")
		}
	}
	if err := putChannelLocations(ctx, tx, cur.ID, in.Locations); err != nil {
		return false, err
	}
	if err := putChannelIncoming(ctx, tx, cur, in); err != nil {
		return false, err
	}
	return created, putChannelSecrets(ctx, tx, cur.ID, in)
}

// putChannelLocations makes codes, when given, exactly the locations that
// serve channel id; an unknown code is a field error.
func putChannelLocations(ctx context.Context, tx Tx, id int64, codes *[]string) error {
	if codes == nil {
		return nil
	}
	rows, err := tx.Q.GetLocationIDsByCodes(ctx, *codes)
	if err != nil {
		return fmt.Errorf("look up locations: %w", err)
	}
	ids := make(map[string]int64, len(rows))
	for _, r := range rows {
		ids[r.Code] = r.ID
	}
	var unknown []string
	for _, c := range *codes {
		if _, ok := ids[c]; !ok {
			unknown = append(unknown, Quote(c))
		}
	}
	if len(unknown) > 0 {
		return InvalidField("locations", "unknown location "+strings.Join(unknown, ", "))
	}
	if err := tx.Q.ClearChannelLocations(ctx, id); err != nil {
		return fmt.Errorf("clear channel locations: %w", err)
	}
	for _, locID := range ids {
		if err := tx.Q.AddLocationChannel(ctx, store.AddLocationChannelParams{LocationID: locID, ChannelID: id}); err != nil {
			return fmt.Errorf("add channel location: %w", err)
		}
	}
	return nil
}

// putChannelSecrets stores the write-only parts of a channel when given.
func putChannelSecrets(ctx context.Context, tx Tx, id int64, in ChannelInput) error {
	if in.Secrets != nil {
		if err := tx.Q.SetChannelSecrets(ctx, store.SetChannelSecretsParams{
			WebhookSecrets: strings.Join(*in.Secrets, "\n"), UpdatedAt: Millis(tx.Now), ID: id,
		}); err != nil {
			return fmt.Errorf("set channel secrets: %w", err)
		}
	}
	if in.ShopDomain != nil {
		if err := tx.Q.SetChannelShopDomain(ctx, store.SetChannelShopDomainParams{
			ShopDomain: strings.TrimSpace(*in.ShopDomain), UpdatedAt: Millis(tx.Now), ID: id,
		}); err != nil {
			return fmt.Errorf("set channel shop domain: %w", err)
		}
	}
	if in.InventoryLocation != nil {
		if err := tx.Q.SetChannelInventoryLocation(ctx, store.SetChannelInventoryLocationParams{
			InventoryLocation: *in.InventoryLocation, UpdatedAt: Millis(tx.Now), ID: id,
		}); err != nil {
			return fmt.Errorf("set channel inventory location: %w", err)
		}
	}
	if in.ShopifyAPIVersion != nil {
		if err := tx.Q.SetChannelShopifyAPIVersion(ctx, store.SetChannelShopifyAPIVersionParams{
			ShopifyApiVersion: *in.ShopifyAPIVersion, UpdatedAt: Millis(tx.Now), ID: id,
		}); err != nil {
			return fmt.Errorf("set channel Shopify API version: %w", err)
		}
	}
	if in.Callback != nil {
		if err := tx.Q.SetChannelCallback(ctx, store.SetChannelCallbackParams{
			CallbackBaseUrl: in.Callback.BaseURL, CallbackToken: in.Callback.Token, UpdatedAt: Millis(tx.Now), ID: id,
		}); err != nil {
			return fmt.Errorf("set channel callback: %w", err)
		}
	}
	return nil
}

// Channel returns one channel by code.
func (a *App) Channel(ctx context.Context, code string) (Channel, error) {
	return a.ChannelFor(ctx, Everywhere, code)
}

// ChannelFor returns one channel the reach covers; another is NotFound,
// exactly like an unknown code.
func (a *App) ChannelFor(ctx context.Context, r Reach, code string) (Channel, error) {
	row, err := a.Read().GetChannelByCode(ctx, code)
	if store.IsNoRows(err) || (err == nil && !r.Allows(row.Code)) {
		return Channel{}, NotFound("no channel %q", code)
	}
	if err != nil {
		return Channel{}, fmt.Errorf("get channel %s: %w", code, err)
	}
	chans, err := a.channelsWithLocations(ctx, []store.Channel{row})
	if err != nil {
		return Channel{}, err
	}
	return chans[0], nil
}

// Channels lists every channel with the locations that serve it.
func (a *App) Channels(ctx context.Context) ([]Channel, error) {
	return a.ChannelsFor(ctx, Everywhere)
}

// ChannelsFor lists the channels the reach covers, with the locations that serve them.
func (a *App) ChannelsFor(ctx context.Context, r Reach) ([]Channel, error) {
	rows, err := a.Read().ListChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("list channels: %w", err)
	}
	rows = slices.DeleteFunc(rows, func(c store.Channel) bool { return !r.Allows(c.Code) })
	return a.channelsWithLocations(ctx, rows)
}

// channelsWithLocations maps rows to Channels and fills in their locations.
func (a *App) channelsWithLocations(ctx context.Context, rows []store.Channel) ([]Channel, error) {
	links, err := a.Read().ListChannelLocations(ctx)
	if err != nil {
		return nil, fmt.Errorf("list channel locations: %w", err)
	}
	out := make([]Channel, len(rows))
	for i, r := range rows {
		out[i] = Channel{
			ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, Buffer: r.Buffer, Active: r.Active == 1,
			Secrets: countSecrets(r.WebhookSecrets), ShopDomain: r.ShopDomain, CallbackURL: r.CallbackBaseUrl, HasToken: r.CallbackToken != "",
			Connected:         ChannelConnected(r.Kind, r.CallbackBaseUrl, r.CallbackToken),
			InventoryLocation: r.InventoryLocation, ShopifyAPIVersion: r.ShopifyApiVersion,
			Locations: []string{}, UpdatedAt: FromMillis(r.UpdatedAt),
			SellIncoming: r.SellIncoming == 1, IncomingLimit: r.IncomingLimit,
		}
		for _, l := range links {
			if l.ChannelID == r.ID {
				out[i].Locations = append(out[i].Locations, l.Code)
			}
		}
	}
	return out, nil
}

// ChannelConnected reports whether Switchyard can tell a channel anything: it
// has a callback base URL and, for Shopify and WooCommerce, the credentials
// their APIs take. Nothing is written to the outbox for a channel that is not
// connected (the same rule is in queries/outbox.sql for availability).
func ChannelConnected(kind, baseURL, token string) bool {
	if baseURL == "" {
		return false
	}
	return (kind != "shopify" && kind != "woocommerce") || token != ""
}

// countSecrets counts the stored webhook secrets.
func countSecrets(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "\n") + 1
}

// shopifyLocationPrefix starts the GraphQL id of a Shopify location.
const shopifyLocationPrefix = "gid://shopify/Location/"

// ShopifyLocationGID normalises a Shopify location id (the GID or its bare
// number) to the GID; empty stays empty. ok is false when s is neither.
func ShopifyLocationGID(s string) (gid string, ok bool) {
	s = strings.TrimSpace(s)
	num := strings.TrimPrefix(s, shopifyLocationPrefix)
	switch {
	case s == "":
		return "", true
	case num == "" || len(num) > 20 || strings.Trim(num, "0123456789") != "":
		return s, false
	}
	return shopifyLocationPrefix + num, true
}

// ShopifyAPIVersion is the Admin API version a Shopify channel is called with
// unless its settings name a later one. The GraphQL documents below are
// written and checked for it: it is also the oldest version they work with
// (2026-04 made changeFromQuantity and @idempotent required on
// inventorySetQuantities, and earlier versions do not know them).
const ShopifyAPIVersion = "2026-04"

// shopifyVersionPattern is a stable Admin API version: a quarter's first month.
var shopifyVersionPattern = regexp.MustCompile(`^20[0-9]{2}-(01|04|07|10)$`)

// ShopifyAPIVersionOK normalises a channel's Shopify API version setting:
// empty (the built-in ShopifyAPIVersion) or a stable version no older than it.
func ShopifyAPIVersionOK(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	return s, shopifyVersionPattern.MatchString(s) && s >= ShopifyAPIVersion
}

// WooHTTPSProblem says why a WooCommerce channel's base URL cannot be used:
// the REST API keys travel as HTTP Basic, which WooCommerce accepts only over
// HTTPS (and which anyone on the way could read over plain HTTP). "" when it
// is an https:// address (or empty: nothing is called).
func WooHTTPSProblem(base string) string {
	base = strings.TrimSpace(base)
	if base == "" {
		return ""
	}
	if u, err := url.Parse(base); err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" {
		return "must be an https:// address: WooCommerce takes its REST API keys (sent as HTTP Basic) over HTTPS only"
	}
	return ""
}

// WooTokenProblem says why a WooCommerce channel's token cannot be used: it
// must be the REST API's consumer key and consumer secret, joined by a colon.
// "" when it is (or empty: nothing is set).
func WooTokenProblem(token string) string {
	if token == "" {
		return ""
	}
	if k, s, ok := strings.Cut(token, ":"); !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(s) == "" {
		return "must be the WooCommerce REST API key as consumer_key:consumer_secret"
	}
	return ""
}
