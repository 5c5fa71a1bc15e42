package web

import (
	"switchyard/app/money"

	"context"
	"crypto/rand"
	"encoding/base32"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// skuSuggestions is how many SKUs the search-as-you-type offers.
const skuSuggestions = 10

// newOrderPage shows the manual order form: three empty lines, EUR, shipping,
// the first manual channel chosen when there is one, and the external id the
// order gets if none is typed in.
func (s *Server) newOrderPage(c echo.Context) error {
	f := views.NewOrderForm{Currency: "EUR", Method: "ship", Lines: make([]views.LineForm, views.NewOrderLines), DraftID: manualExternalID()}
	return s.newOrderForm(c, http.StatusOK, f)
}

// createOrder takes in a manual order from the form. An empty external id is
// replaced here by one generated server-side ("M-" and 8 random base32
// characters): the one generated with the form (draft_id), so that the same
// form sent twice is deduplicated by the app like any channel's order, or a
// new one. Blank line rows are left out. Done: 303 to the order; bad input:
// the form again with every value kept and the errors beside the fields
// (422), nothing written.
func (s *Server) createOrder(c echo.Context) error {
	f, err := newOrderFormOf(c)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	in, rows, err := newOrderInput(f)
	var o app.Order
	created := false
	if err == nil {
		o, created, err = s.app.PlaceOrder(ctx, actor, in)
		err = renumberLines(err, rows)
	} else {
		err = withAppProblems(err, renumberLines(s.app.CheckOrder(ctx, actor, in), rows))
	}
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = errs, msg
		return s.newOrderForm(c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	notice := "Order created."
	if !created {
		notice = "This order was already taken in: nothing was changed."
	}
	return redirectWithFlash(c, orderURL(o.Number), notice)
}

// newOrderForm renders the manual order form with the channels and pickup locations to choose from.
func (s *Server) newOrderForm(c echo.Context, status int, f views.NewOrderForm) error {
	chans, pickups, err := s.orderChoices(c.Request().Context())
	if err != nil {
		return err
	}
	if f.Channel == "" && status == http.StatusOK {
		f.Channel = firstManualChannel(chans)
	}
	v := views.NewOrderView{CSRF: csrfToken(c), Form: f, Channels: chans, Pickups: pickups}
	return s.render(c, status, "New order", views.NewOrder(v))
}

// orderChoices are the active channels and the active locations that offer pickup.
func (s *Server) orderChoices(ctx context.Context) ([]app.Channel, []app.Location, error) {
	all, err := s.app.Channels(ctx)
	if err != nil {
		return nil, nil, err
	}
	locs, err := s.app.Locations(ctx)
	if err != nil {
		return nil, nil, err
	}
	var chans []app.Channel
	for _, ch := range all {
		if ch.Active {
			chans = append(chans, ch)
		}
	}
	var pickups []app.Location
	for _, l := range locs {
		if l.Pickup && l.Active {
			pickups = append(pickups, l)
		}
	}
	return chans, pickups, nil
}

// firstManualChannel is the code of the first channel of kind manual, or "".
func firstManualChannel(chans []app.Channel) string {
	for _, ch := range chans {
		if ch.Kind == "manual" {
			return ch.Code
		}
	}
	return ""
}

// newOrderPost is what the manual order form posts, besides its line rows.
type newOrderPost struct {
	views.NewOrderForm
	ShippingAddress shippingAddressPost
}

// shippingAddressPost is the manual order form's shipping address; it
// converts to views.AddressForm, whose fields it has.
type shippingAddressPost struct {
	Name       string       `form:"shipping_address.name"`
	Line1      string       `form:"shipping_address.line1"`
	Line2      string       `form:"shipping_address.line2"`
	City       string       `form:"shipping_address.city"`
	Region     string       `form:"shipping_address.region"`
	PostalCode string       `form:"shipping_address.postal_code"`
	Country    string       `form:"shipping_address.country"`
	Phone      string       `form:"shipping_address.phone"`
	Errors     views.Errors `form:"-"`
}

// newOrderFormOf reads the manual order form as typed; its line rows are
// lines[k].sku, .quantity, .unit_price and .name (k from 0 to 999).
func newOrderFormOf(c echo.Context) (views.NewOrderForm, error) {
	var p newOrderPost
	if err := bindForm(c, &p); err != nil {
		return views.NewOrderForm{}, err
	}
	form, err := c.FormParams()
	if err != nil {
		return views.NewOrderForm{}, app.Invalid("the form could not be read", nil)
	}
	f := p.NewOrderForm
	f.DraftID = draftID(f.DraftID)
	f.Address = views.AddressForm(p.ShippingAddress)
	rows := formLines(form)
	n := views.NewOrderLines
	if len(rows) > 0 {
		n = max(n, rows[len(rows)-1].k+1)
	}
	f.Lines = make([]views.LineForm, n) // row k stays row k, so that errors land beside it
	for _, r := range rows {
		f.Lines[r.k] = views.LineForm{SKU: r.vals["sku"], Quantity: r.vals["quantity"], UnitPrice: r.vals["unit_price"], Name: r.vals["name"]}
	}
	return f, nil
}

// newOrderInput turns the form into the app's new order; rows[j] is the form
// row of the app's lines[j].
func newOrderInput(f views.NewOrderForm) (app.NewOrder, []int, error) {
	in := app.NewOrder{
		Channel: f.Channel, ExternalID: strings.TrimSpace(f.ExternalID), Currency: f.Currency,
		Customer:      app.CustomerInput{Email: f.Email, Name: f.Name, Phone: f.Phone},
		Delivery:      app.DeliveryInput{Method: strings.TrimSpace(f.Method)},
		ShippingPrice: formAmount(f.ShippingPrice), Tags: strings.Split(f.Tags, ","), Note: strings.TrimSpace(f.Note),
	}
	if in.ExternalID == "" {
		in.ExternalID = f.DraftID
	}
	if in.Delivery.Method == "pickup" {
		in.Delivery.Location = strings.TrimSpace(f.Location)
	}
	if in.Delivery.Method != "pickup" || !f.Address.Blank() {
		addr := f.Address.Input()
		in.ShippingAddress = &addr
	}
	lines, rows, err := newOrderLines(f.Lines)
	in.Lines = lines
	return in, rows, err
}

// newOrderLines turns the line rows into the order's lines, leaving out rows
// with nothing typed; rows[j] is the form row of lines[j]. A quantity that is
// not a whole number is refused here, before the app.
func newOrderLines(form []views.LineForm) ([]app.LineInput, []int, error) {
	var lines []app.LineInput
	var rows []int
	bad := map[string]string{}
	for k, l := range form {
		if l.Blank() {
			continue
		}
		var qty int64
		if raw := strings.TrimSpace(l.Quantity); raw != "" {
			var err error
			if qty, err = strconv.ParseInt(raw, 10, 64); err != nil {
				bad[lineFormField(k, "quantity")] = "must be a whole number"
			}
		}
		lines = append(lines, app.LineInput{SKU: l.SKU, Name: strings.TrimSpace(l.Name), Quantity: qty, UnitPrice: formAmount(l.UnitPrice)})
		rows = append(rows, k)
	}
	if len(bad) > 0 {
		return lines, rows, app.Invalid("order is invalid", bad)
	}
	return lines, rows, nil
}

// withAppProblems adds the app's problems of the order (checked without
// writing) to the form's own, so that one submit shows them all; beside a
// field the form's own words win. An error of another kind than invalid
// (forbidden, a failed read) is answered instead.
func withAppProblems(formErr, appErr error) error {
	var fe, ae *app.Error
	if appErr == nil || !asAppErr(formErr, &fe) || fe.Kind != app.KindInvalid {
		return formErr
	}
	if !asAppErr(appErr, &ae) || ae.Kind != app.KindInvalid {
		return appErr
	}
	fields := app.FieldsError{}
	app.MergeFields(fields, formErr)
	app.MergeFields(fields, appErr)
	return app.Invalid(ae.Message, fields)
}

// manualID is the shape of a generated external id.
var manualID = regexp.MustCompile(`^M-[A-Z2-7]{8}$`)

// draftID keeps the form's generated external id when it has that shape, else makes a new one.
func draftID(posted string) string {
	if manualID.MatchString(posted) {
		return posted
	}
	return manualExternalID()
}

// manualExternalID makes an external id for a manual order: "M-" and 8 random base32 characters.
func manualExternalID() string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return "M-" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// newOrderLine answers "Add a line" (GET /orders/new/line?i=N): line row N and
// the button that fetches row N+1.
func (s *Server) newOrderLine(c echo.Context) error {
	i, err := strconv.Atoi(c.QueryParam("i"))
	if err != nil || i < 0 || i > maxLineRow {
		return app.InvalidField("i", "must be a whole number from 0 to "+strconv.Itoa(maxLineRow))
	}
	return renderFragment(c, http.StatusOK, views.NewOrderLine(i))
}

// searchSKUs answers the search-as-you-type of a line's SKU input with up to
// 10 active SKUs whose code starts with, or whose name contains, what was
// typed, as <option> elements for the line's datalist. What was typed is q,
// or else the lines[N].sku value the input sends.
func (s *Server) searchSKUs(c echo.Context) error {
	var skus []app.SKU
	if q := skuQueryOf(c.QueryParams()); q != "" {
		page, err := s.app.SKUs(c.Request().Context(), q, "", 2*skuSuggestions)
		if err != nil {
			return err
		}
		for _, sku := range page.SKUs {
			if sku.Active && len(skus) < skuSuggestions {
				skus = append(skus, sku)
			}
		}
	}
	return renderFragment(c, http.StatusOK, views.SKUOptions(skus))
}

// skuQueryOf is what was typed into a SKU input: q, or the first lines[N].sku.
func skuQueryOf(params url.Values) string {
	if q := strings.TrimSpace(params.Get("q")); q != "" {
		return q
	}
	for _, r := range formLines(params) {
		if q := strings.TrimSpace(r.vals["sku"]); q != "" {
			return q
		}
	}
	return ""
}

// formAmount reads an amount typed in a form, where a decimal comma is as
// good as a point ("19,90" is 19.90); a comma beside a point, or several,
// is left for the amount's check to refuse.
func formAmount(s string) money.Decimal {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return money.Decimal(s)
}
