package reorder

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"switchyard/app"
	store "switchyard/sql"
)

// SettingsForm is what the form of one line posts: the lead time and cover
// in days, and an optional min/max (both or neither).
type SettingsForm struct {
	SKU      string `form:"sku"`
	Location string `form:"location"`
	LeadTime string `form:"lead_time_days"`
	Cover    string `form:"cover_days"`
	Min      string `form:"min_qty"`
	Max      string `form:"max_qty"`
}

// setting is a checked form.
type setting struct {
	lead, cover int64
	min, max    sql.NullInt64
}

// SaveSettings checks f and stores the setting of one SKU at one location:
// ops managers and admins only; bad input writes nothing and names each field.
func (s *Service) SaveSettings(ctx context.Context, actor app.Actor, f SettingsForm) error {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return err
	}
	st, err := checkSettings(f)
	if err != nil {
		return err
	}
	return s.core.Write(ctx, func(tx app.Tx) error {
		sku, err := tx.Q.GetSKUByCode(ctx, strings.TrimSpace(f.SKU))
		if store.IsNoRows(err) {
			return app.InvalidField("sku", "SKU: no such SKU")
		} else if err != nil {
			return fmt.Errorf("get SKU %q: %w", f.SKU, err)
		}
		loc, err := tx.Q.GetLocationByCode(ctx, strings.TrimSpace(f.Location))
		if store.IsNoRows(err) {
			return app.InvalidField("location", "Location: no such location")
		} else if err != nil {
			return fmt.Errorf("get location %q: %w", f.Location, err)
		}
		if n, err := tx.Q.StockLevelExists(ctx, store.StockLevelExistsParams{SkuID: sku.ID, LocationID: loc.ID}); err != nil {
			return fmt.Errorf("find stock level: %w", err)
		} else if n == 0 {
			return app.InvalidField("location", "Location does not hold this SKU")
		}
		if err := tx.Q.UpsertReorderSetting(ctx, store.UpsertReorderSettingParams{SkuID: sku.ID, LocationID: loc.ID,
			LeadTimeDays: st.lead, CoverDays: st.cover, MinQty: st.min, MaxQty: st.max, UpdatedAt: app.Millis(tx.Now)}); err != nil {
			return fmt.Errorf("save reorder setting: %w", err)
		}
		return nil
	})
}

// checkSettings returns the setting f asks for, or an Invalid error naming each bad field.
func checkSettings(f SettingsForm) (setting, error) {
	fields := app.FieldsError{}
	var st setting
	st.lead = days(fields, "lead_time_days", "Lead time", f.LeadTime)
	st.cover = days(fields, "cover_days", "Cover", f.Cover)
	st.min = quantity(fields, "min_qty", "Min", f.Min)
	st.max = quantity(fields, "max_qty", "Max", f.Max)
	switch {
	case st.min.Valid && !st.max.Valid && fields["max_qty"] == "":
		fields.Add("max_qty", "Max is needed with a min")
	case st.max.Valid && !st.min.Valid && fields["min_qty"] == "":
		fields.Add("min_qty", "Min is needed with a max")
	case st.min.Valid && st.max.Valid && st.max.Int64 < st.min.Int64:
		fields.Add("max_qty", "Max must be at least the min")
	}
	return st, fields.Err("check the reorder setting")
}

// days reads a whole number of days from 0 to MaxDays.
func days(fields app.FieldsError, name, label, v string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 || n > MaxDays {
		fields.Add(name, fmt.Sprintf("%s must be a whole number of days from 0 to %d", label, MaxDays))
	}
	return n
}

// quantity reads an optional whole number of units, 0 or more.
func quantity(fields app.FieldsError, name, label, v string) sql.NullInt64 {
	v = strings.TrimSpace(v)
	if v == "" {
		return sql.NullInt64{}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 1_000_000_000 {
		fields.Add(name, label+" must be a whole number of units, 0 or more")
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: n, Valid: true}
}
