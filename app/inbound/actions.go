package inbound

import (
	"context"
	"fmt"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// Send marks a draft purchase order sent to its supplier (ops managers and
// admins). A transfer is sent by shipping it at its origin (Ship).
func (s *Service) Send(ctx context.Context, actor app.Actor, number string) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Inbound{}, err
	}
	err := s.core.Write(ctx, func(tx app.Tx) error {
		row, err := inReach(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if row.Kind == KindTransfer {
			return app.Conflict("transfer %s is sent when %s ships it", number, row.FromCode)
		}
		if err := move(ctx, tx, actor, row, StatusSent); err != nil {
			return err
		}
		return announce(ctx, tx, row.ID)
	})
	if err != nil {
		return Inbound{}, err
	}
	return s.Get(ctx, app.System, number)
}

// Ship sends a draft transfer from its origin (its leads, ops managers,
// admins and API keys): every line leaves the origin's shelf and its
// reservation (ledger reason transfer_out), and the transfer is in transit
// (sent) until the destination receives it.
func (s *Service) Ship(ctx context.Context, actor app.Actor, number string, idem *app.IdempotencyIn) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleWarehouse); err != nil {
		return Inbound{}, err
	}
	err := s.core.Write(ctx, func(tx app.Tx) error {
		row, err := inReach(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if row.Kind != KindTransfer {
			return app.Conflict("%s is a purchase: its supplier ships it", number)
		}
		if err := mayAt(ctx, tx.Q, actor, row.FromLocationID.Int64, row.FromCode+" ship this transfer"); err != nil {
			return err
		}
		if err := move(ctx, tx, actor, row, StatusSent); err != nil {
			return err
		}
		lines, err := tx.Q.ListInboundLines(ctx, row.ID)
		if err != nil {
			return fmt.Errorf("inbound lines: %w", err)
		}
		for _, l := range lines {
			key := app.LevelKey{SKU: l.SkuID, Location: row.FromLocationID.Int64}
			if err := app.ShipTransfer(ctx, tx, key, l.Quantity, number, actor.Label()); err != nil {
				return err
			}
		}
		if err := announce(ctx, tx, row.ID); err != nil {
			return err
		}
		return remember(ctx, tx, idem, actionShip, 200, row.ID)
	})
	if err != nil {
		return Inbound{}, err
	}
	return s.Get(ctx, app.System, number)
}

// Cancel calls off an inbound nothing was received of (ops managers and
// admins): a draft or sent purchase, or a transfer not shipped yet, whose
// reservation at the origin is released. A shipped transfer is on its way:
// receive it, or close it.
func (s *Service) Cancel(ctx context.Context, actor app.Actor, number, reason string) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Inbound{}, err
	}
	f := app.FieldsError{}
	checkText(f, "reason", reason, 500, true)
	if err := f.Err("the cancellation is invalid"); err != nil {
		return Inbound{}, err
	}
	err := s.core.Write(ctx, func(tx app.Tx) error {
		row, err := inReach(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if row.Kind == KindTransfer && (Status(row.Status) == StatusSent || Status(row.Status) == StatusPartiallyReceived) {
			return app.Conflict("transfer %s has shipped from %s: receive it, or close it", number, row.FromCode)
		}
		if err := end(ctx, tx, actor, row, StatusCancelled, "cancelled"); err != nil {
			return err
		}
		if row.Kind == KindTransfer {
			if err := releaseTransfer(ctx, tx, actor, row); err != nil {
				return err
			}
		}
		detail := "cancelled"
		if reason != "" {
			detail += ": " + reason
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.InboundCancelled, ObjectKind: "inbound",
			ObjectRef: number, Detail: detail})
	})
	if err != nil {
		return Inbound{}, err
	}
	return s.Get(ctx, app.System, number)
}

// end moves an inbound to status (cancelled or closed), and tells the orders
// it was promised to that it will not bring their goods (what: the status
// in words).
func end(ctx context.Context, tx app.Tx, actor app.Actor, row store.GetInboundByNumberRow, status Status, what string) error {
	told, err := promised(ctx, tx, row.ID)
	if err != nil {
		return err
	}
	if err := move(ctx, tx, actor, row, status); err != nil {
		return err
	}
	return withdraw(ctx, tx, told, what)
}

// releaseTransfer gives back every line's reservation at the origin.
func releaseTransfer(ctx context.Context, tx app.Tx, actor app.Actor, row store.GetInboundByNumberRow) error {
	lines, err := tx.Q.ListInboundLines(ctx, row.ID)
	if err != nil {
		return fmt.Errorf("inbound lines: %w", err)
	}
	for _, l := range lines {
		key := app.LevelKey{SKU: l.SkuID, Location: row.FromLocationID.Int64}
		if err := app.ReleaseTransfer(ctx, tx, key, l.Quantity, row.Number, actor.Label()); err != nil {
			return err
		}
	}
	return nil
}

// Close ends a sent or received inbound (ops managers and admins): nothing
// more is expected, and what did not arrive is short.
func (s *Service) Close(ctx context.Context, actor app.Actor, number string) (Inbound, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Inbound{}, err
	}
	err := s.core.Write(ctx, func(tx app.Tx) error {
		row, err := inReach(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if err := end(ctx, tx, actor, row, StatusClosed, "closed"); err != nil {
			return err
		}
		detail := "closed: nothing more is expected"
		if row.Kind == KindTransfer && (Status(row.Status) == StatusSent || Status(row.Status) == StatusPartiallyReceived) {
			detail = "closed in transit: what left " + row.FromCode + " and was not received is written off"
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.InboundClosed, ObjectKind: "inbound",
			ObjectRef: number, Detail: detail})
	})
	if err != nil {
		return Inbound{}, err
	}
	return s.Get(ctx, app.System, number)
}

// move changes the inbound's status, refusing an illegal move, and a
// concurrent one (the row changed meanwhile) with a 409.
func move(ctx context.Context, tx app.Tx, actor app.Actor, row store.GetInboundByNumberRow, to Status) error {
	if err := checkMove(row.Number, Status(row.Status), to); err != nil {
		return err
	}
	n, err := tx.Q.MoveInbound(ctx, store.MoveInboundParams{ToStatus: string(to), Now: app.Millis(tx.Now), Actor: actor.Label(),
		ID: row.ID, FromStatus: row.Status})
	if err != nil {
		return fmt.Errorf("move inbound %s: %w", row.Number, err)
	}
	if n == 0 {
		return app.Conflict("inbound %s changed meanwhile: reload it", row.Number)
	}
	return incomingChanged(ctx, tx, row.ID, row.ToLocationID) // pre-orders
}
