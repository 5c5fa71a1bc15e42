package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// stockPage is the stock overview: per SKU its levels at the locations the
// user sees, their sums and its ATP per channel; search, filters, keyset pages.
func (s *Server) stockPage(c echo.Context) error {
	q, err := stockListQuery(c)
	if err != nil {
		return err
	}
	page, err := s.app.StockOverview(c.Request().Context(), currentUser(c).Actor(),
		app.StockOverviewQuery{Q: q.Q, Filter: q.Filter, After: q.After, Limit: q.Limit})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Stock", views.StockOverviewPage(stockAccess(c), page, q, takeNotice(c)))
}

// skuPage shows a SKU, its stock at each location the user may see, and its ATP per channel.
func (s *Server) skuPage(c echo.Context) error {
	st, err := s.app.StockOfSKU(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	u := currentUser(c)
	st.Levels = visibleLevels(u, st.Levels)
	back := c.Request().URL.RequestURI()
	return s.render(c, http.StatusOK, st.SKU.Name, views.SKUStock(stockAccess(c), st, back, seesATP(u)))
}

// newSKUPage shows the add-SKU form.
func (s *Server) newSKUPage(c echo.Context) error {
	return s.skuEditor(c, http.StatusOK, views.SKUForm{Active: true})
}

// createSKU adds a SKU from the form.
func (s *Server) createSKU(c echo.Context) error {
	var f views.SKUForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Code, f.Editing = strings.TrimSpace(f.Code), false
	return s.saveSKU(c, f)
}

// editSKUPage shows a SKU's form.
func (s *Server) editSKUPage(c echo.Context) error {
	sku, err := s.app.SKU(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return s.skuEditor(c, http.StatusOK, skuFormOf(sku))
}

// updateSKU saves a SKU's form.
func (s *Server) updateSKU(c echo.Context) error {
	sku, err := s.app.SKU(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	var f views.SKUForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Code, f.Editing = sku.Code, true
	return s.saveSKU(c, f)
}

// saveSKU writes the posted SKU and shows its page, or shows the form again with what is wrong.
func (s *Server) saveSKU(c echo.Context, f views.SKUForm) error {
	err := s.putSKU(c, &f)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = errs, msg
		return s.skuEditor(c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/skus/"+f.Code)
}

// putSKU refuses a new code that exists, maps the form and saves it.
func (s *Server) putSKU(c echo.Context, f *views.SKUForm) error {
	ctx := c.Request().Context()
	if !f.Editing {
		if err := codeTaken(s.app.SKU(ctx, f.Code)); err != nil {
			return err
		}
	}
	n := formNumbers{}
	in := app.SKUInput{Name: f.Name, Barcode: f.Barcode, WeightGrams: n.int("weight_grams", f.WeightGrams), Tags: splitList(f.Tags), Active: &f.Active}
	comps := formComponents(n, f)
	in.Components = &comps
	if err := n.err(); err != nil {
		return err
	}
	_, _, err := s.app.PutSKU(ctx, currentUser(c).Actor(), f.Code, in)
	return err
}

// skuEditor renders the SKU form.
func (s *Server) skuEditor(c echo.Context, status int, f views.SKUForm) error {
	title := "Add a SKU"
	if f.Editing {
		title = f.Code
	}
	return s.render(c, status, title, views.SKUEditor(csrfToken(c), f))
}

// skuFormOf fills the edit form from a stored SKU.
func skuFormOf(s app.SKU) views.SKUForm {
	f := views.SKUForm{
		Code: s.Code, Name: s.Name, Barcode: s.Barcode, WeightGrams: formInt(s.WeightGrams),
		Tags: strings.Join(s.Tags, ", "), Active: s.Active, Editing: true,
	}
	for _, c := range s.Components {
		f.ComponentSKU = append(f.ComponentSKU, c.SKU)
		f.ComponentQty = append(f.ComponentQty, formInt(c.Quantity))
	}
	return f
}

// formComponents reads the form's component rows, dropping the rows without
// a SKU (and keeping f's rows in step, so a problem shows beside its row); a
// row without units takes 1.
func formComponents(n formNumbers, f *views.SKUForm) []app.Component {
	comps := []app.Component{}
	var skus, qtys []string
	for i, code := range f.ComponentSKU {
		code = strings.TrimSpace(code)
		raw := ""
		if i < len(f.ComponentQty) {
			raw = strings.TrimSpace(f.ComponentQty[i])
		}
		if code == "" {
			continue
		}
		skus, qtys = append(skus, code), append(qtys, raw)
		q := int64(1)
		if raw != "" {
			q = n.int(fmt.Sprintf("components[%d].quantity", len(comps)), raw)
		}
		comps = append(comps, app.Component{SKU: code, Quantity: q})
	}
	f.ComponentSKU, f.ComponentQty = skus, qtys
	return comps
}
