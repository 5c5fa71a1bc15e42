package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// locationsPage shows the network at a glance.
func (s *Server) locationsPage(c echo.Context) error {
	locs, err := s.app.Locations(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Locations", views.Locations(locs, mayEdit(currentUser(c)), takeNotice(c)))
}

// newLocationPage shows the add-location form.
func (s *Server) newLocationPage(c echo.Context) error {
	f := views.LocationForm{Kind: "warehouse", Ships: true, Active: true, AcceptsReturns: true, DailyCapacity: "0", HandlingDays: "0", Rank: "0"}
	return s.locationEditor(c, http.StatusOK, f, nil)
}

// createLocation adds a location from the form.
func (s *Server) createLocation(c echo.Context) error {
	var f views.LocationForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Code, f.Editing = strings.TrimSpace(f.Code), false
	return s.saveLocation(c, f, nil)
}

// editLocationPage shows a location's form and its status actions.
func (s *Server) editLocationPage(c echo.Context) error {
	loc, err := s.app.Location(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return s.locationEditor(c, http.StatusOK, locationFormOf(loc), &loc)
}

// updateLocation saves a location's form.
func (s *Server) updateLocation(c echo.Context) error {
	loc, err := s.app.Location(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	var f views.LocationForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Code, f.Editing = loc.Code, true
	return s.saveLocation(c, f, &loc)
}

// deactivateLocation stops routing from using a location.
func (s *Server) deactivateLocation(c echo.Context) error { return s.setLocationActive(c, false) }

// activateLocation lets routing use a location again.
func (s *Server) activateLocation(c echo.Context) error { return s.setLocationActive(c, true) }

// setLocationActive deactivates or reactivates the location in the path.
func (s *Server) setLocationActive(c echo.Context, active bool) error {
	code := c.Param("code")
	if err := s.app.SetLocationActive(c.Request().Context(), currentUser(c).Actor(), code, active); err != nil {
		return err
	}
	verb := "Deactivated "
	if active {
		verb = "Reactivated "
	}
	return redirectWithFlash(c, "/locations", verb+code)
}

// saveLocation writes the posted location, or shows the form again with what is wrong.
func (s *Server) saveLocation(c echo.Context, f views.LocationForm, loc *app.Location) error {
	err := s.putLocation(c, f)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = errs, msg
		return s.locationEditor(c, http.StatusUnprocessableEntity, f, loc)
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/locations", "Saved "+f.Code)
}

// putLocation refuses a new code that exists, maps the form and saves it.
func (s *Server) putLocation(c echo.Context, f views.LocationForm) error {
	ctx := c.Request().Context()
	if !f.Editing {
		if err := codeTaken(s.app.Location(ctx, f.Code)); err != nil {
			return err
		}
	}
	in, err := locationInput(f)
	if err != nil {
		return err
	}
	_, _, err = s.app.PutLocation(ctx, currentUser(c).Actor(), f.Code, in)
	return err
}

// locationEditor renders the location form with the channels to choose from.
func (s *Server) locationEditor(c echo.Context, status int, f views.LocationForm, loc *app.Location) error {
	chans, err := s.app.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	title := "Add a location"
	if loc != nil {
		title = loc.Name
	}
	return s.render(c, status, title, views.LocationEditor(csrfToken(c), f, chans, loc))
}
