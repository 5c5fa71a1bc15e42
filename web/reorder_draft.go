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
	keepDrafted(c, drafted)
	return redirectWithFlash(c, "/reorder"+v.Query(p.Page), draftedWords(drafted))
}

// draftedFlash is the session's flash key of the drafts just created, so
// the next reorder page links each number in its notice to the draft's page.
const draftedFlash = "drafted"

// keepDrafted keeps the numbers of the drafts for the next page's notice.
func keepDrafted(c echo.Context, drafted []reorder.Drafted) {
	sess := session(c)
	if sess == nil {
		return
	}
	for _, d := range drafted {
		sess.AddFlash(d.Number, draftedFlash)
	}
}

// takeDrafted returns the numbers of the drafts kept for this page and
// forgets them. They come from the session, never from the URL.
func takeDrafted(c echo.Context) []string {
	sess := session(c)
	if sess == nil {
		return nil
	}
	var numbers []string
	for _, f := range sess.Flashes(draftedFlash) {
		if n, ok := f.(string); ok {
			numbers = append(numbers, n)
		}
	}
	if len(numbers) > 0 {
		saveFlashes(c)
	}
	return numbers
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
