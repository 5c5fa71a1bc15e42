package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// RedactOrders erases the personal data of the orders of channel whose
// external ids are externalIDs (Shopify's customers/redact orders_to_redact),
// skipping ids it does not know, and returns how many orders it erased.
func (s *Service) RedactOrders(ctx context.Context, actor app.Actor, channel string, externalIDs []string) (int, error) {
	total := 0
	for start := 0; start < len(externalIDs) || start == 0; start += batch {
		part := externalIDs[start:min(start+batch, len(externalIDs))]
		last := start+batch >= len(externalIDs)
		n := 0
		err := s.core.Write(ctx, func(tx app.Tx) error {
			ch, err := channelID(ctx, tx, channel)
			if err != nil {
				return err
			}
			ids, err := orderIDs(ctx, tx, ch, part)
			if err != nil {
				return err
			}
			n = len(ids)
			if err := eraseAll(ctx, tx, actor, ids); err != nil {
				return err
			}
			if !last {
				return nil
			}
			return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.PrivacyRedacted,
				ObjectKind: "channel", ObjectRef: channel,
				Detail: fmt.Sprintf("erased the personal data of %d of %d orders the channel named", total+len(ids), len(externalIDs))})
		})
		if err != nil {
			return total, fmt.Errorf("redact orders of %s: %w", channel, err)
		}
		total += n
	}
	return total, nil
}

// RedactChannel erases the personal data of every order of channel
// (Shopify's shop/redact) and returns how many orders it went through.
func (s *Service) RedactChannel(ctx context.Context, actor app.Actor, channel string) (int, error) {
	var after int64
	total := 0
	for {
		var ids []int64
		err := s.core.Write(ctx, func(tx app.Tx) error {
			ch, err := channelID(ctx, tx, channel)
			if err != nil {
				return err
			}
			ids, err = tx.Q.PrivacyOrdersOfChannel(ctx, store.PrivacyOrdersOfChannelParams{ChannelID: ch, After: after, Lim: batch})
			if err != nil {
				return fmt.Errorf("orders of channel %s: %w", channel, err)
			}
			if err := eraseAll(ctx, tx, actor, ids); err != nil {
				return err
			}
			if len(ids) == batch {
				return nil
			}
			return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.PrivacyRedacted,
				ObjectKind: "channel", ObjectRef: channel,
				Detail: fmt.Sprintf("erased the personal data of every order of the channel (%d)", total+len(ids))})
		})
		if err != nil {
			return total, fmt.Errorf("redact channel %s: %w", channel, err)
		}
		total += len(ids)
		if len(ids) < batch {
			return total, nil
		}
		after = ids[len(ids)-1]
	}
}

// channelID is the id of the channel coded code.
func channelID(ctx context.Context, tx app.Tx, code string) (int64, error) {
	ch, err := tx.Q.GetChannelByCode(ctx, code)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, app.NotFound("no channel %s", code)
	}
	if err != nil {
		return 0, fmt.Errorf("channel %s: %w", code, err)
	}
	return ch.ID, nil
}

// orderIDs are the ids of the orders of channel ch with the external ids given, known ones only.
func orderIDs(ctx context.Context, tx app.Tx, ch int64, externalIDs []string) ([]int64, error) {
	var ids []int64
	for _, ext := range externalIDs {
		id, err := tx.Q.GetOrderIDByExternal(ctx, store.GetOrderIDByExternalParams{ChannelID: ch, ExternalID: strings.TrimSpace(ext)})
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("order %s: %w", ext, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
