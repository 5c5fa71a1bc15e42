package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	store "switchyard/sql"
)

// Ledger reasons: why stock moved.
const (
	ReasonReceipt     = "receipt"
	ReasonAdjustment  = "adjustment"
	ReasonCount       = "count"
	ReasonReservation = "reservation"
	ReasonRelease     = "release"
	ReasonShipment    = "shipment"
	ReasonReturn      = "return"
	ReasonCorrection  = "correction"
	// A transfer's units leave the origin (on hand and reserved down) and
	// arrive at the destination (on hand up): app/inbound.
	ReasonTransferOut = "transfer_out"
	ReasonTransferIn  = "transfer_in"
)

// AdjustmentReasons are the reasons a person or a system may give for an adjustment.
var AdjustmentReasons = []string{ReasonReceipt, ReasonAdjustment, ReasonReturn, ReasonCorrection, ReasonShipment}

// StockLevel is the stock of one SKU at one location.
type StockLevel struct {
	Location    string    `json:"location"`
	SKU         string    `json:"sku"`
	OnHand      int64     `json:"on_hand"`
	Reserved    int64     `json:"reserved"`
	SafetyStock int64     `json:"safety_stock"`
	Available   int64     `json:"available"`
	Short       bool      `json:"short"` // fewer on hand than reserved: orders need another location
	UpdatedAt   time.Time `json:"updated_at"`
	// Kit: a kit's row, which holds nothing of its own; Available is what its
	// components allow there (app/kits_stock.go).
	Kit bool `json:"kit,omitempty"`
}

// newLevel computes the derived figures of a level.
func newLevel(location, sku string, onHand, reserved, safety, updated int64) StockLevel {
	return StockLevel{
		Location: location, SKU: sku, OnHand: onHand, Reserved: reserved, SafetyStock: safety,
		Available: max(0, onHand-reserved-safety), Short: onHand < reserved, UpdatedAt: FromMillis(updated),
	}
}

// BelowSafety reports whether the free stock is below the safety stock.
func (l StockLevel) BelowSafety() bool { return l.OnHand-l.Reserved < l.SafetyStock }

// CountInput is a stock count: the quantity on the shelf.
type CountInput struct {
	OnHand      *int64 `json:"on_hand" form:"on_hand" validate:"required,gte=0,lte=1000000000"`
	SafetyStock *int64 `json:"safety_stock" form:"safety_stock" validate:"omitempty,gte=0,lte=1000000000"`
	Note        string `json:"note" form:"note" validate:"max=500" text:"lines"`
}

// Adjustment changes the stock on hand of one SKU at one location by Delta.
type Adjustment struct {
	Location string `json:"location" form:"location" validate:"required"`
	SKU      string `json:"sku" form:"sku" validate:"required"`
	Delta    int64  `json:"delta" form:"delta" validate:"ne=0,gte=-1000000000,lte=1000000000"`
	Reason   string `json:"reason" form:"reason" validate:"required,oneof=receipt adjustment return correction shipment"`
	Note     string `json:"note" form:"note" validate:"max=500" text:"lines"`
}

// Adjustments is a batch applied all or nothing.
type Adjustments struct {
	Adjustments []Adjustment `json:"adjustments" validate:"required,min=1,max=10000,dive"`
}

// LevelKey names one stock level by ids.
type LevelKey struct{ SKU, Location int64 }

// CountStock sets the quantity on hand of sku at location to what was counted,
// writing the difference to the ledger. A count below the reserved quantity is
// kept (the shelf is the truth) and leaves the level short.
func (a *App) CountStock(ctx context.Context, actor Actor, location, sku string, in CountInput) (StockLevel, error) {
	if err := actor.Require(RoleAdmin, RoleOps, RoleWarehouse); err != nil {
		return StockLevel{}, err
	}
	if err := Validate("stock count is invalid", in); err != nil {
		return StockLevel{}, err
	}
	var lvl StockLevel
	err := a.Write(ctx, func(tx Tx) error {
		if err := actor.KnowsLocation(ctx, tx, location); err != nil {
			return err
		}
		key, err := ResolveLevel(ctx, tx, location, sku, "location", "sku")
		if err != nil {
			return err
		}
		if err := CountLevel(ctx, tx, key, *in.OnHand, in.SafetyStock, in.Note, actor.Label()); err != nil {
			return err
		}
		if err := afterStockChange(ctx, tx, key); err != nil {
			return err
		}
		lvl, err = readLevel(ctx, tx, key)
		return err
	})
	return lvl, err
}

// CountLevel writes a count (and a new safety stock, if given) for one level.
func CountLevel(ctx context.Context, tx Tx, key LevelKey, counted int64, safety *int64, note, actor string) error {
	if _, err := tx.Q.CountStockTo(ctx, store.CountStockToParams{
		Counted: counted, Actor: actor, Note: note, At: Millis(tx.Now), SkuID: key.SKU, LocationID: key.Location,
	}); err != nil {
		return fmt.Errorf("count stock: %w", err)
	}
	// Outbox: the ATP of this SKU may have changed for the channels this location serves.
	if err := markAvailability(ctx, tx, key); err != nil {
		return err
	}
	if safety != nil {
		if err := tx.Q.SetSafetyStock(ctx, store.SetSafetyStockParams{
			SafetyStock: *safety, UpdatedAt: Millis(tx.Now), SkuID: key.SKU, LocationID: key.Location,
		}); err != nil {
			return fmt.Errorf("set safety stock: %w", err)
		}
	}
	return nil
}

// AdjustStock applies a batch of adjustments, all or nothing, and returns the
// resulting levels in the batch's order.
func (a *App) AdjustStock(ctx context.Context, actor Actor, in Adjustments) ([]StockLevel, error) {
	if err := actor.Require(RoleAdmin, RoleOps, RoleWarehouse); err != nil {
		return nil, err
	}
	if err := Validate("stock adjustments are invalid", in); err != nil {
		return nil, err
	}
	var levels []StockLevel
	err := a.Write(ctx, func(tx Tx) error {
		levels = make([]StockLevel, 0, len(in.Adjustments))
		fields := FieldsError{}
		keys := make([]LevelKey, len(in.Adjustments))
		for i, adj := range in.Adjustments {
			if err := actor.KnowsLocation(ctx, tx, adj.Location); err != nil {
				return err
			}
			prefix := fmt.Sprintf("adjustments[%d].", i)
			key, err := ResolveLevel(ctx, tx, adj.Location, adj.SKU, prefix+"location", prefix+"sku")
			if err != nil {
				if !MergeFields(fields, err) {
					return err
				}
				continue
			}
			keys[i] = key
			if err := adjustLevel(ctx, tx, key, adj, actor.Label()); err != nil {
				if !MergeFields(fields, prefixFields(err, prefix)) {
					return err
				}
			}
		}
		if err := fields.Err("stock adjustments are invalid: nothing was changed"); err != nil {
			return err
		}
		for _, key := range keys {
			if err := afterStockChange(ctx, tx, key); err != nil {
				return err
			}
		}
		for _, key := range keys {
			lvl, err := readLevel(ctx, tx, key)
			if err != nil {
				return err
			}
			levels = append(levels, lvl)
		}
		return nil
	})
	return levels, err
}

// adjustLevel applies one adjustment, refusing to take on_hand below zero.
func adjustLevel(ctx context.Context, tx Tx, key LevelKey, adj Adjustment, actor string) error {
	n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
		DeltaOnHand: adj.Delta, Reason: adj.Reason, Actor: actor, Note: adj.Note, At: Millis(tx.Now),
		SkuID: key.SKU, LocationID: key.Location,
	})
	if err != nil {
		return fmt.Errorf("adjust stock: %w", err)
	}
	if n == 0 {
		lvl, err := readLevel(ctx, tx, key)
		if err != nil {
			return err
		}
		return InvalidField("delta", fmt.Sprintf("would take the stock on hand below zero (%d on hand)", lvl.OnHand))
	}
	return markAvailability(ctx, tx, key) // Outbox: the ATP may have changed (coalesced per channel and SKU).
}

// reserve moves qty of free stock into reserved, only when that much is free:
// on hand, not reserved, and (when respectSafety) not safety stock. It reports
// whether it did; the condition is checked by the database in the same statement.
func reserve(ctx context.Context, tx Tx, key LevelKey, qty int64, respectSafety bool, reference, actor string) (bool, error) {
	n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
		DeltaReserved: qty, Reason: ReasonReservation, Reference: reference, Actor: actor, At: Millis(tx.Now),
		SkuID: key.SKU, LocationID: key.Location, CheckFree: 1, RespectSafety: BoolInt(respectSafety),
	})
	if err != nil {
		return false, fmt.Errorf("reserve stock: %w", err)
	}
	if n == 1 { // Outbox: a reservation lowers the ATP (coalesced per channel and SKU).
		return true, markAvailability(ctx, tx, key)
	}
	return false, nil
}

// release gives back qty of reserved stock; it refuses to release more than is reserved.
func release(ctx context.Context, tx Tx, key LevelKey, qty int64, reference, actor string) error {
	n, err := tx.Q.AppendLedgerIf(ctx, store.AppendLedgerIfParams{
		DeltaReserved: -qty, Reason: ReasonRelease, Reference: reference, Actor: actor, At: Millis(tx.Now),
		SkuID: key.SKU, LocationID: key.Location,
	})
	if err != nil {
		return fmt.Errorf("release stock: %w", err)
	}
	if n == 0 {
		return Conflict("cannot release %d: less than that is reserved", qty)
	}
	return markAvailability(ctx, tx, key) // Outbox: a release raises the ATP (coalesced).
}

// ResolveLevel finds the ids of a location and a SKU by code and makes sure
// their stock level exists. Unknown codes are field errors.
func ResolveLevel(ctx context.Context, tx Tx, location, sku, locField, skuField string) (LevelKey, error) {
	fields := FieldsError{}
	loc, err := tx.Q.GetLocationByCode(ctx, location)
	if store.IsNoRows(err) {
		fields.Add(locField, "unknown location "+Quote(location))
	} else if err != nil {
		return LevelKey{}, fmt.Errorf("get location: %w", err)
	}
	s, err := tx.Q.GetSKUByCode(ctx, sku)
	if store.IsNoRows(err) {
		fields.Add(skuField, "unknown SKU "+Quote(sku))
	} else if err != nil {
		return LevelKey{}, fmt.Errorf("get SKU: %w", err)
	}
	if err := fields.Err("unknown codes"); err != nil {
		return LevelKey{}, err
	}
	if s.IsKit == 1 { // refused here, before the database's trigger would be
		return LevelKey{}, InvalidField(skuField, KitStockProblem(s.Code))
	}
	key := LevelKey{SKU: s.ID, Location: loc.ID}
	if err := tx.Q.EnsureStockLevel(ctx, store.EnsureStockLevelParams{SkuID: key.SKU, LocationID: key.Location, UpdatedAt: Millis(tx.Now)}); err != nil {
		return LevelKey{}, fmt.Errorf("create stock level: %w", err)
	}
	return key, nil
}

// readLevel reads one level inside tx.
func readLevel(ctx context.Context, tx Tx, key LevelKey) (StockLevel, error) {
	r, err := tx.Q.GetStockLevel(ctx, store.GetStockLevelParams{SkuID: key.SKU, LocationID: key.Location})
	if err != nil {
		return StockLevel{}, fmt.Errorf("read stock level: %w", err)
	}
	return newLevel(r.Location, r.Sku, r.OnHand, r.Reserved, r.SafetyStock, r.UpdatedAt), nil
}

// KnowsLocation answers NotFound to a warehouse user naming a location that is
// not theirs, whether it exists or not, so that codes cannot be probed.
func (a Actor) KnowsLocation(ctx context.Context, tx Tx, code string) error {
	if a.Kind != ActorUser || a.Role != RoleWarehouse {
		return nil
	}
	locs, err := tx.Q.ListUserLocations(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("user locations: %w", err)
	}
	for _, l := range locs {
		if l.Code == code {
			return nil
		}
	}
	return NotFound("no location %q", code)
}

// MergeFields copies the field errors of err into fields; false if err has none.
func MergeFields(fields FieldsError, err error) bool {
	ae, ok := AsError(err)
	if !ok || ae.Kind != KindInvalid || len(ae.Fields) == 0 {
		return false
	}
	for f, msg := range ae.Fields {
		fields.Add(f, msg)
	}
	return true
}

// prefixFields puts prefix in front of every field name of an Invalid error.
func prefixFields(err error, prefix string) error {
	ae, ok := AsError(err)
	if !ok || ae.Kind != KindInvalid {
		return err
	}
	fields := make(map[string]string, len(ae.Fields))
	for f, msg := range ae.Fields {
		if !strings.HasPrefix(f, prefix) {
			f = prefix + f
		}
		fields[f] = msg
	}
	return Invalid(ae.Message, fields)
}
