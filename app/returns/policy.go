package returns

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// Policy is one channel's return policy.
type Policy struct {
	Channel string `json:"channel" form:"-"`
	// WindowDays is how many days after delivery a return may be started.
	WindowDays int64 `json:"window_days" form:"window_days" validate:"gte=0,lte=3650"`
	// CustomerNeedsApproval: customers' requests wait for a person (staff's
	// and the API's with "approve": true do not).
	CustomerNeedsApproval bool `json:"customer_needs_approval" form:"customer_needs_approval"`
	// RestockingFeePct is kept from the goods' value, in percent.
	RestockingFeePct int64 `json:"restocking_fee_percent" form:"restocking_fee_pct" validate:"gte=0,lte=100"`
	// RefundShipping: never, whole_order (when everything comes back) or always.
	RefundShipping string `json:"refund_shipping" form:"refund_shipping" validate:"oneof=never whole_order always"`
	// Reasons offered to customers; empty means all.
	Reasons   []string `json:"reasons" form:"reasons" validate:"dive,oneof=too_small too_large not_as_described damaged defective wrong_item changed_mind late other"`
	UpdatedBy string   `json:"updated_by,omitempty" form:"-"`
}

// DefaultPolicy is the policy of a channel nobody has set one for.
func DefaultPolicy() Policy {
	return Policy{WindowDays: 30, CustomerNeedsApproval: true, RefundShipping: "whole_order"}
}

// Offers reports whether the policy offers reason r.
func (p Policy) Offers(r string) bool { return len(p.Reasons) == 0 || slices.Contains(p.Reasons, r) }

// Offered lists the reasons the policy offers, in the standard order.
func (p Policy) Offered() []string {
	var out []string
	for _, r := range Reasons {
		if p.Offers(r) {
			out = append(out, r)
		}
	}
	return out
}

// policyOf reads a channel's policy (the defaults without a row).
func policyOf(ctx context.Context, q *store.Queries, channelID int64) (Policy, error) {
	row, err := q.GetReturnPolicy(ctx, channelID)
	if store.IsNoRows(err) {
		return DefaultPolicy(), nil
	} else if err != nil {
		return Policy{}, fmt.Errorf("return policy: %w", err)
	}
	return Policy{WindowDays: row.WindowDays, CustomerNeedsApproval: row.CustomerNeedsApproval == 1,
		RestockingFeePct: row.RestockingFeePct, RefundShipping: row.RefundShipping, Reasons: strings.Fields(row.Reasons),
		UpdatedBy: row.UpdatedBy}, nil
}

// Policy reads the return policy of the channel code.
func (s *Service) Policy(ctx context.Context, channel string) (Policy, error) {
	ch, err := s.core.Read().GetChannelByCode(ctx, channel)
	if store.IsNoRows(err) {
		return Policy{}, app.NotFound("no channel %q", channel)
	} else if err != nil {
		return Policy{}, fmt.Errorf("get channel: %w", err)
	}
	p, err := policyOf(ctx, s.core.Read(), ch.ID)
	p.Channel = ch.Code
	return p, err
}

// SetPolicy stores the return policy of the channel code (ops and admins).
func (s *Service) SetPolicy(ctx context.Context, actor app.Actor, channel string, p Policy) (Policy, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Policy{}, err
	}
	p.Reasons = app.CleanCodes(p.Reasons)
	if err := app.Validate("return policy is invalid", p); err != nil {
		return Policy{}, err
	}
	err := s.core.Write(ctx, func(tx app.Tx) error {
		ch, err := tx.Q.GetChannelByCode(ctx, channel)
		if store.IsNoRows(err) {
			return app.NotFound("no channel %q", channel)
		} else if err != nil {
			return fmt.Errorf("get channel: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.ReturnPolicyChanged, ObjectKind: "channel",
			ObjectRef: ch.Code, Detail: policyWords(p)}); err != nil {
			return err
		}
		return tx.Q.UpsertReturnPolicy(ctx, store.UpsertReturnPolicyParams{ChannelID: ch.ID, WindowDays: p.WindowDays,
			CustomerNeedsApproval: app.BoolInt(p.CustomerNeedsApproval), RestockingFeePct: p.RestockingFeePct,
			RefundShipping: p.RefundShipping, Reasons: strings.Join(p.Reasons, " "), UpdatedAt: app.Millis(tx.Now),
			UpdatedBy: actor.Label()})
	})
	if err != nil {
		return Policy{}, err
	}
	return s.Policy(ctx, channel)
}

// policyWords says a saved policy in words, for the audit log.
func policyWords(p Policy) string {
	return fmt.Sprintf("window %d days, approval %t, restocking fee %d%%, refund shipping %s, reasons [%s]",
		p.WindowDays, p.CustomerNeedsApproval, p.RestockingFeePct, p.RefundShipping, strings.Join(p.Reasons, " "))
}
