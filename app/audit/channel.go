package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// ChannelChange is the entry of a channel's settings being saved, for
// app.PutChannel to run in its transaction: it names the fields that change
// (and, for the plain ones, nothing more), never a secret's or token's value.
func ChannelChange(actor app.Actor, code string) func(context.Context, app.Tx, app.ChannelInput) error {
	return func(ctx context.Context, tx app.Tx, in app.ChannelInput) error {
		cur, err := tx.Q.GetChannelByCode(ctx, code)
		if store.IsNoRows(err) {
			return Record(ctx, tx, Entry{Actor: actor, Action: ChannelSettings, ObjectKind: "channel", ObjectRef: code,
				Detail: Fields("created with", channelFields(store.Channel{}, nil, in))})
		} else if err != nil {
			return fmt.Errorf("get channel: %w", err)
		}
		locs, err := tx.Q.ListChannelLocationCodes(ctx, cur.ID)
		if err != nil {
			return fmt.Errorf("list channel locations: %w", err)
		}
		return Record(ctx, tx, Entry{Actor: actor, Action: ChannelSettings, ObjectKind: "channel", ObjectRef: code,
			Detail: Fields("changed", channelFields(cur, locs, in))})
	}
}

// channelFields names the fields in differs from cur in.
func channelFields(cur store.Channel, locs []string, in app.ChannelInput) []string {
	var out []string
	add := func(changed bool, name string) {
		if changed {
			out = append(out, name)
		}
	}
	active := in.Active == nil || *in.Active
	add(cur.Name != in.Name, "name")
	add(cur.Kind != in.Kind, "kind")
	add(cur.Buffer != in.Buffer, "buffer")
	add((cur.Active == 1) != active, "active")
	add(in.Secrets != nil && strings.Join(*in.Secrets, "\n") != cur.WebhookSecrets, "webhook secrets")
	if in.Callback != nil {
		add(in.Callback.BaseURL != cur.CallbackBaseUrl, "callback base URL")
		add(in.Callback.Token != cur.CallbackToken, "callback token")
	}
	add(in.ShopDomain != nil && *in.ShopDomain != cur.ShopDomain, "shop domain")
	add(in.InventoryLocation != nil && *in.InventoryLocation != cur.InventoryLocation, "inventory location")
	add(in.ShopifyAPIVersion != nil && *in.ShopifyAPIVersion != cur.ShopifyApiVersion, "Shopify API version")
	if in.Locations != nil {
		want := slices.Clone(*in.Locations)
		slices.Sort(want)
		want = slices.Compact(want)
		slices.Sort(locs)
		add(!slices.Equal(want, locs), "locations")
	}
	return out
}
