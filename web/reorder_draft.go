package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app/inbound"
	"switchyard/app/reorder"
	"switchyard/web/views"
)

// draftPurchaseOrder turns the selected suggestions into draft purchase
// orders, then shows the same filters again with a notice naming each draft.
// A bad selection writes nothing: 422, the page again with the selection
// kept and the problem named.
func (s *Server) draftPurchaseOrder(c echo.Context) error {
	var p reorderParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	var f reorder.DraftForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	drafted, err := reorder.New(s.app).DraftPurchaseOrders(c.Request().Context(), currentUser(c).Actor(), f)
	if errs, msg, ok := fieldErrors(err); ok {
		v, err := s.reorderView(c, p)
		if err != nil {
			return err
		}
		v.Draft, v.DraftErrs, v.Message = f, errs, msg
		return s.render(c, http.StatusUnprocessableEntity, "Reorder", views.Reorder(v))
	} else if err != nil {
		return err
	}
	v := views.ReorderView{Location: p.query().Location, OnlyOrder: p.query().OnlyOrder}
	return redirectWithFlash(c, "/reorder"+v.Query(p.Page), draftedWords(drafted))
}

// draftedWords says what was drafted: "Created draft purchase order
// IN-000004 to LYS from Acme: 2 lines, 219 units, expected 20 Dec 2026."
func draftedWords(drafted []reorder.Drafted) string {
	parts := make([]string, len(drafted))
	for i, d := range drafted {
		parts[i] = fmt.Sprintf("%s to %s from %s: %d lines, %d units, expected %s", d.Number, d.Location, d.Supplier,
			d.Lines, d.Units, inbound.Day(d.ExpectedAt))
	}
	if len(parts) == 1 {
		return "Created draft purchase order " + parts[0] + "."
	}
	return fmt.Sprintf("Created %d draft purchase orders: %s.", len(parts), strings.Join(parts, "; "))
}
