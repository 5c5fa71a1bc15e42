package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/imports"
	"switchyard/web/views"
)

// ratesPage lists the zone rates and postal codes; ?edit=ID fills the form with one rate.
func (s *Server) ratesPage(c echo.Context) error {
	p, err := s.ratesView(c)
	if err != nil {
		return err
	}
	p.Notice = takeNotice(c)
	if id, err := strconv.ParseInt(c.QueryParam("edit"), 10, 64); err == nil {
		for _, r := range p.Rates {
			if r.ID == id {
				p.Form = views.RateForm{Origin: r.Origin, Country: r.Country, Region: r.Region, Cost: r.Cost,
					Currency: r.Currency, TransitDays: strconv.Itoa(r.TransitDays)}
			}
		}
	}
	return s.render(c, http.StatusOK, "Zone rates", views.Rates(p))
}

// ratesView gathers the rates, the postal code counts and the locations to choose from.
func (s *Server) ratesView(c echo.Context) (views.RatesPage, error) {
	ctx := c.Request().Context()
	rates, err := s.imports.ZoneRates(ctx)
	if err != nil {
		return views.RatesPage{}, err
	}
	postal, err := s.imports.PostalCodeCounts(ctx)
	if err != nil {
		return views.RatesPage{}, err
	}
	locs, err := s.app.LocationChoices(ctx)
	if err != nil {
		return views.RatesPage{}, err
	}
	return views.RatesPage{CSRF: csrfToken(c), Rates: rates, PostalCodes: postal, Locations: locs}, nil
}

// saveRate adds a zone rate or replaces the one of the same origin, country and region.
func (s *Server) saveRate(c echo.Context) error {
	var f views.RateForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	in, err := rateInput(f)
	if err == nil {
		_, err = s.imports.PutZoneRate(c.Request().Context(), currentUser(c).Actor(), in)
	}
	if errs, msg, ok := fieldErrors(err); ok {
		p, verr := s.ratesView(c)
		if verr != nil {
			return verr
		}
		f.Errors, f.Message = errs, msg
		p.Form = f
		return s.render(c, http.StatusUnprocessableEntity, "Zone rates", views.Rates(p))
	} else if err != nil {
		return err
	}
	where := strings.TrimSpace(in.Country + " " + in.Region)
	return backToRates(c, fmt.Sprintf("Saved the rate from %s to %s", in.Origin, strings.ToUpper(where)))
}

// rateInput maps the rate form; transit days that are not a number are refused here.
func rateInput(f views.RateForm) (imports.ZoneRateInput, error) {
	in := imports.ZoneRateInput{Origin: f.Origin, Country: f.Country, Region: f.Region, Cost: f.Cost, Currency: f.Currency}
	raw := strings.TrimSpace(f.TransitDays)
	if raw == "" {
		return in, app.InvalidField("transit_days", "is required")
	}
	days, err := strconv.Atoi(raw)
	if err != nil {
		return in, app.InvalidField("transit_days", "must be a whole number of days")
	}
	in.TransitDays = days
	return in, nil
}

// deleteRate removes a zone rate.
func (s *Server) deleteRate(c echo.Context) error {
	id, err := pathID(c, "id", "zone rate")
	if err != nil {
		return err
	}
	if err := s.imports.DeleteZoneRate(c.Request().Context(), currentUser(c).Actor(), id); err != nil {
		return err
	}
	return backToRates(c, "Deleted the rate")
}

// importRates adds or replaces the zone rates of an uploaded CSV file, all or nothing.
func (s *Server) importRates(c echo.Context) error {
	return s.importRoutingCSV(c, maxRatesFile, s.imports.ImportZoneRatesCSV, func(p *views.RatesPage, st views.CSVImportState) { p.RatesCSV = st })
}

// importPostalCodes adds or replaces the postal codes of an uploaded CSV file, all or nothing.
func (s *Server) importPostalCodes(c echo.Context) error {
	return s.importRoutingCSV(c, maxPostalCodesFile, s.imports.ImportPostalCodesCSV, func(p *views.RatesPage, st views.CSVImportState) { p.PostalCSV = st })
}

// routingImport is an app import of one kind of routing CSV file.
type routingImport func(ctx context.Context, actor app.Actor, r io.Reader) (imports.ImportResult, error)

// importRoutingCSV runs one of the routing imports on the uploaded file (at
// most limit bytes): done,
// back to the page with a notice; refused, the page with every bad row (422).
func (s *Server) importRoutingCSV(c echo.Context, limit int64, run routingImport, show func(*views.RatesPage, views.CSVImportState)) error {
	name, data, err := uploadedFile(c, "file", limit)
	var res imports.ImportResult
	if err == nil {
		res, err = run(c.Request().Context(), currentUser(c).Actor(), bytes.NewReader(data))
	}
	var ae *app.Error
	if asAppErr(err, &ae) && ae.Kind == app.KindInvalid {
		p, verr := s.ratesView(c)
		if verr != nil {
			return verr
		}
		st := views.CSVImportState{Message: sentence(ae.Message)}
		if len(res.Problems) > 0 {
			st.Message, st.Result = name+": "+sentence(ae.Message), &res
		}
		show(&p, st)
		return s.render(c, http.StatusUnprocessableEntity, "Zone rates", views.Rates(p))
	} else if err != nil {
		return err
	}
	return backToRates(c, fmt.Sprintf("Imported %d rows of %s", res.Applied, name))
}

// backToRates sends the browser to the rates page with a notice.
func backToRates(c echo.Context, notice string) error {
	return redirectWithFlash(c, "/rules/rates", notice)
}
