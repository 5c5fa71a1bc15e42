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
		if v.Scan.Refused = kitScanned(w, codes, scan); v.Scan.Refused == "" {
			v.Scan.Refused = addScan(&v.Scan, codes, scan)
		}
		if v.Scan.Refused != "" {
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
		skus = append(skus, scanSKUs(l)...)
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

// scanSKUs is what a line's units are scanned as: a plain line's SKU, a
// kit's parts (the kit is packed from them; its own code is no item).
func scanSKUs(l app.FulfillmentLine) []string {
	if len(l.Parts) == 0 {
		return []string{l.SKU}
	}
	out := make([]string, len(l.Parts))
	for i, p := range l.Parts {
		out[i] = p.SKU
	}
	return out
}

// kitScanned refuses the code of a kit line of the fulfillment, which
// reads as none of its items: the lead is told to scan the kit's parts.
func kitScanned(w floor.FulfillmentWork, codes app.ScanCodes, scan string) string {
	if _, ok := codes.SKU(scan); ok {
		return ""
	}
	for _, l := range w.Lines {
		if len(l.Parts) > 0 && app.NormScan(l.SKU) == app.NormScan(scan) {
			return fmt.Sprintf("%s is a kit: scan each of its parts instead (%s).", l.SKU, strings.Join(scanSKUs(l), ", "))
		}
	}
	return ""
}

// scanRows counts scans per open line, against the quantity typed on it (a
// quantity that is not one ships nothing); a kit line has a row per part,
// its kits to ship times the part's units per kit. A SKU's scans fill its
// rows in order; any over goes on its last row.
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
		for _, u := range scanUnits(l, q) {
			n := min(left[u.SKU], u.ToShip)
			left[u.SKU] -= n
			last[u.SKU] = len(rows)
			u.K, u.Scanned = k, n
			rows = append(rows, u)
		}
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

// scanUnits is what shipping q of line l asks to scan, as rows to fill: the
// line's SKU q times, or each part of a kit q times its units per kit.
func scanUnits(l app.FulfillmentLine, q int64) []views.ScanRow {
	if len(l.Parts) == 0 {
		return []views.ScanRow{{SKU: l.SKU, ToShip: q}}
	}
	out := make([]views.ScanRow, len(l.Parts))
	for i, p := range l.Parts {
		out[i] = views.ScanRow{SKU: p.SKU, Kit: l.SKU, ToShip: p.Units(q), PerKit: p.PerKit}
	}
	return out
}
