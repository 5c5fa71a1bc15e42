package app

import (
	"context"
	"fmt"

	store "switchyard/sql"
)

// checkIncoming checks a channel's pre-order setting: the limit is a whole
// number of units from 0, and at least 1 when the channel sells incoming stock.
func checkIncoming(f FieldsError, in ChannelInput) {
	if in.IncomingLimit != nil && (*in.IncomingLimit < 0 || *in.IncomingLimit > MaxIncomingLimit) {
		f.Add("incoming_limit", fmt.Sprintf("must be a number of units from 0 to %d", MaxIncomingLimit))
		return
	}
	if in.SellIncoming != nil && *in.SellIncoming && in.IncomingLimit != nil && *in.IncomingLimit < 1 {
		f.Add("incoming_limit", "give how many units of each SKU may be sold before they arrive (1 or more)")
	}
}

// putChannelIncoming stores the pre-order setting when given; what is not
// given stays as stored.
func putChannelIncoming(ctx context.Context, tx Tx, cur store.Channel, in ChannelInput) error {
	if in.SellIncoming == nil && in.IncomingLimit == nil {
		return nil
	}
	sell, limit := cur.SellIncoming, cur.IncomingLimit
	if in.SellIncoming != nil {
		sell = BoolInt(*in.SellIncoming)
	}
	if in.IncomingLimit != nil {
		limit = *in.IncomingLimit
	}
	if sell == 1 && limit < 1 {
		return InvalidField("incoming_limit", "give how many units of each SKU may be sold before they arrive (1 or more)")
	}
	if sell == cur.SellIncoming && limit == cur.IncomingLimit {
		return nil
	}
	if err := tx.Q.SetChannelIncoming(ctx, store.SetChannelIncomingParams{SellIncoming: sell, IncomingLimit: limit, ID: cur.ID}); err != nil {
		return fmt.Errorf("set pre-orders: %w", err)
	}
	// The channel's ATP of every SKU on its way to it moved: tell it.
	n, err := tx.Q.MarkChannelIncomingPending(ctx, store.MarkChannelIncomingPendingParams{
		Due: Millis(tx.Now.Add(AvailabilityDelay)), Now: Millis(tx.Now), ChannelID: cur.ID})
	if err != nil {
		return fmt.Errorf("mark pre-order availability: %w", err)
	}
	if n > 0 {
		tx.KickOutbox()
	}
	return nil
}
