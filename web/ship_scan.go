package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/floor"
	"switchyard/web/views"
)

// maxScanLen is the longest scan kept: longer is no barcode and no SKU code.
const maxScanLen = 100

// scanFulfillment counts one scan against the ship form (htmx): the form's
// quantities and scans so far come with it, and the panel comes back with
// the scan counted, or refused (422) when it is no item of this shipment or
// one too many. An empty scan only recounts (a quantity changed).
func (s *Server) scanFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return app.Invalid("the form could not be read", nil)
	}
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	w, err := s.floor.Work(ctx, actor, id)
	if err != nil {
		return err
	}
	f := views.ShipForm{Quantities: map[int]string{}}
	for _, r := range formLines(form) {
		f.Quantities[r.k] = strings.TrimSpace(r.vals["quantity"])
	}
	v := s.shipView(c, w, f, "")
	codes, err := s.withScans(ctx, &v, form["scans"])
	if err != nil {
		return err
	}
	status := http.StatusOK
	if scan := strings.TrimSpace(form.Get("scan")); scan != "" {
		if v.Scan.Refused = addScan(&v.Scan, codes, scan); v.Scan.Refused != "" {
			status = http.StatusUnprocessableEntity
		}
	}
	return renderFragment(c, status, views.ShipScan(v))
}

// withScans adds to v whether the location requires scanning and what the
// scans count against the form's quantities (scans that read as none of the
// fulfillment's SKUs are dropped). It returns the codes scans may read.
func (s *Server) withScans(ctx context.Context, v *views.ShipView, scans []string) (app.ScanCodes, error) {
	loc, err := s.app.Location(ctx, v.Work.Location)
	if err != nil {
		return nil, err
	}
	v.ScanRequired = loc.ScanToShip
	var skus []string
	for _, l := range v.Work.Lines {
		skus = append(skus, l.SKU)
	}
	codes, err := s.app.ScanCodesOf(ctx, skus)
	if err != nil {
		return nil, err
	}
	v.Scan = views.ScanState{}
	for _, sc := range scans {
		sc = strings.TrimSpace(sc)
		if _, ok := codes.SKU(sc); ok && len(sc) <= maxScanLen {
			v.Scan.Scans = append(v.Scan.Scans, sc)
		}
	}
	v.Scan.Rows = scanRows(v.Work, v.Form.Quantities, codes, v.Scan.Scans)
	return codes, nil
}

// scanRows counts scans per open line, against the quantity typed on it (a
// quantity that is not one ships nothing). A SKU's scans fill its lines in
// order; any over goes on its last line.
func scanRows(w floor.FulfillmentWork, qty map[int]string, codes app.ScanCodes, scans []string) []views.ScanRow {
	left, _ := codes.Count(scans)
	var rows []views.ScanRow
	last := map[string]int{}
	for k, l := range w.Lines {
		if l.Open() <= 0 {
			continue
		}
		q, msg := shipQuantity(qty[k], w, k, l.SKU)
		if msg != "" {
			q = 0
		}
		n := min(left[l.SKU], q)
		left[l.SKU] -= n
		last[l.SKU] = len(rows)
		rows = append(rows, views.ScanRow{K: k, SKU: l.SKU, Scanned: n, ToShip: q})
	}
	for sku, n := range left {
		if i, ok := last[sku]; ok && n > 0 {
			rows[i].Scanned += n
		}
	}
	return rows
}

// addScan counts one scan, or says why not: it is no item of this
// shipment, or one more than is to ship of its SKU.
func addScan(st *views.ScanState, codes app.ScanCodes, scan string) string {
	shown := scan
	if len(shown) > maxScanLen {
		shown = shown[:maxScanLen] + "…"
	}
	sku, ok := codes.SKU(scan)
	if codes.Ambiguous(scan) {
		return fmt.Sprintf("%s is the barcode of several items of this shipment: type the item's SKU code instead.", strconv.Quote(shown))
	}
	if !ok || len(scan) > maxScanLen {
		return fmt.Sprintf("Wrong item: %s is not in this shipment. Put it back.", strconv.Quote(shown))
	}
	var scanned, toShip int64
	for _, r := range st.Rows {
		if r.SKU == sku {
			scanned, toShip = scanned+r.Scanned, toShip+r.ToShip
		}
	}
	if scanned >= toShip {
		return fmt.Sprintf("One too many: %s is %s, and %d of it is to ship, all scanned already. Put it back.", strconv.Quote(shown), sku, toShip)
	}
	st.Scans = append(st.Scans, scan)
	for i := range st.Rows {
		if st.Rows[i].SKU == sku && st.Rows[i].Scanned < st.Rows[i].ToShip {
			st.Rows[i].Scanned++
			break
		}
	}
	st.Last = sku
	return ""
}
