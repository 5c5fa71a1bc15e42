package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// adjustStock applies one inline adjustment. htmx gets the row back (200, or
// 422 with the errors beside the fields); a browser without JavaScript goes back.
func (s *Server) adjustStock(c echo.Context) error {
	loc, sku := c.Param("location"), c.Param("sku")
	if err := visibleLocation(currentUser(c), loc); err != nil {
		return err
	}
	var f views.AdjustForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.View, f.Back = adjustView(f.View), adjustBack(f.Back, sku)
	lvl, err := s.adjust(c, loc, sku, f)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = rowErrors(errs, msg)
		return s.adjustAnswer(c, http.StatusUnprocessableEntity, loc, sku, f, nil)
	} else if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, f.Back)
	}
	if f.View == views.ViewSKU && seesATP(currentUser(c)) {
		// the ATP per channel on the SKU's page reloads itself
		c.Response().Header().Set("HX-Trigger", `{"`+views.StockChanged+`":{"target":"#atp"}}`)
	}
	saved := views.AdjustForm{View: f.View, Back: f.Back, Reason: f.Reason, Saved: savedNote(lvl, f)}
	return s.adjustAnswer(c, http.StatusOK, loc, sku, saved, &lvl)
}

// adjust parses the delta and applies the adjustment as the signed-in user.
func (s *Server) adjust(c echo.Context, loc, sku string, f views.AdjustForm) (app.StockLevel, error) {
	delta, err := strconv.ParseInt(strings.TrimSpace(f.Delta), 10, 64)
	if err != nil {
		return app.StockLevel{}, app.InvalidField("delta", "must be a whole number, such as 5 or -2")
	}
	adj := app.Adjustment{Location: loc, SKU: sku, Delta: delta, Reason: f.Reason, Note: strings.TrimSpace(f.Note)}
	levels, err := s.app.AdjustStock(c.Request().Context(), currentUser(c).Actor(), app.Adjustments{Adjustments: []app.Adjustment{adj}})
	if err != nil {
		return app.StockLevel{}, err
	}
	return levels[0], nil
}

// adjustAnswer renders the adjusted row: alone for htmx, in a page otherwise.
// With lvl nil the level is read again (nothing changed).
func (s *Server) adjustAnswer(c echo.Context, status int, loc, sku string, f views.AdjustForm, lvl *app.StockLevel) error {
	ctx := c.Request().Context()
	if lvl == nil {
		page, err := s.app.Ledger(ctx, loc, sku, 0, 1)
		var ae *app.Error
		switch {
		case err == nil:
			lvl = &page.Level
		case errors.As(err, &ae) && ae.Kind == app.KindNotFound && f.Errors["sku"] != "":
			// a refused SKU with no level there (a kit): its row, empty
			lvl = &app.StockLevel{Location: loc, SKU: sku}
		default:
			return err
		}
	}
	a := stockAccess(c)
	row, err := s.levelRow(ctx, a, *lvl, f)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		row = views.AdjustOutcome(f.View, f.Back, a, row)
	}
	return s.render(c, status, "Adjust stock", row)
}

// levelRow is the row of lvl as the page named by f.View shows it.
func (s *Server) levelRow(ctx context.Context, a views.StockAccess, lvl app.StockLevel, f views.AdjustForm) (templ.Component, error) {
	if f.View == views.ViewLocation {
		sku, err := s.app.SKU(ctx, lvl.SKU)
		return views.LocationLevelRow(a, app.SKULevel{StockLevel: lvl, SKUName: sku.Name}, f), err
	}
	l, err := s.app.Location(ctx, lvl.Location)
	row := app.LocationLevel{StockLevel: lvl, LocationName: l.Name, Kind: l.Kind, Country: l.Address.Country, Active: l.Active, Ships: l.Ships}
	return views.SKULevelRow(a, row, f), err
}

// rowFields are the fields a row shows errors beside.
var rowFields = []string{"delta", "reason", "note", "location", "sku"}

// rowErrors strips the batch prefix ("adjustments[0].") from field names; the
// summary is kept only when some problem has no field in the row to stand beside.
func rowErrors(errs views.Errors, msg string) (views.Errors, string) {
	out := views.Errors{}
	summary := len(errs) == 0
	for f, m := range errs {
		f = strings.TrimPrefix(f, "adjustments[0].")
		out[f] = m
		if !slices.Contains(rowFields, f) {
			summary = true
		}
	}
	if !summary {
		msg = ""
	}
	return out, msg
}

// adjustView is the page the row is on; anything unknown is the SKU's page.
func adjustView(v string) string {
	if v == views.ViewLocation {
		return v
	}
	return views.ViewSKU
}

// adjustBack is the local page to return to, the SKU's page when none is given.
func adjustBack(back, sku string) string {
	if back == "" {
		return "/skus/" + sku
	}
	return safeNext(back)
}

// savedNote confirms an applied adjustment in its row.
func savedNote(lvl app.StockLevel, f views.AdjustForm) string {
	delta, _ := strconv.ParseInt(strings.TrimSpace(f.Delta), 10, 64) // parsed once already
	return fmt.Sprintf("Saved: %+d (%s), %d on hand.", delta, f.Reason, lvl.OnHand)
}
