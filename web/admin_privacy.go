package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/privacy"
	"switchyard/web/views"
)

// privacyRequestsShown is how many data requests the privacy page lists.
const privacyRequestsShown = 100

// redactForm is the form that erases a customer's personal data.
type redactForm struct {
	Email   string `form:"email"`
	Confirm string `form:"confirm"`
}

// privacyPage shows the form that erases a customer's data and the channels' data requests.
func (s *Server) privacyPage(c echo.Context) error {
	v, err := s.privacyView(c, views.PrivacyForm{})
	if err != nil {
		return err
	}
	v.Notice.Kind, v.Notice.Text = takeFlash(c)
	return s.render(c, http.StatusOK, "Customer privacy", views.PrivacyPage(v))
}

// privacyView is the page with form f.
func (s *Server) privacyView(c echo.Context, f views.PrivacyForm) (views.PrivacyView, error) {
	svc := privacy.New(s.app)
	reqs, err := svc.Requests(c.Request().Context(), privacyRequestsShown)
	if err != nil {
		return views.PrivacyView{}, err
	}
	days, err := svc.AnonymiseAfter(c.Request().Context())
	if err != nil {
		return views.PrivacyView{}, err
	}
	return views.PrivacyView{Form: f, Age: views.AnonymiseForm{Days: strconv.Itoa(days)}, Requests: reqs, CSRF: csrfToken(c)}, nil
}

// anonymiseForm is the form that sets the age of anonymisation.
type anonymiseForm struct {
	Days string `form:"days"`
}

// saveAnonymiseAge stores the age after which finished orders are
// anonymised; bad input writes nothing and shows the form again.
func (s *Server) saveAnonymiseAge(c echo.Context) error {
	var f anonymiseForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	days, err := privacy.New(s.app).SetAnonymiseAfter(c.Request().Context(), currentUser(c).Actor(), f.Days)
	if errs, msg, ok := fieldErrors(err); ok {
		v, err := s.privacyView(c, views.PrivacyForm{})
		if err != nil {
			return err
		}
		v.Age = views.AnonymiseForm{Days: f.Days, Errors: errs, Message: msg}
		return s.render(c, http.StatusUnprocessableEntity, "Customer privacy", views.PrivacyPage(v))
	} else if err != nil {
		return err
	}
	if days == 0 {
		return redirectWithFlash(c, "/admin/privacy", "Old orders are not anonymised.")
	}
	return redirectWithFlash(c, "/admin/privacy", fmt.Sprintf("Finished orders are anonymised %d days after they were placed.", days))
}

// redactCustomer erases a customer's personal data once confirmed; a bad
// email or no confirmation writes nothing and shows the form again.
func (s *Server) redactCustomer(c echo.Context) error {
	var f redactForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	n, err := s.redact(c, f)
	if errs, msg, ok := fieldErrors(err); ok {
		v, err := s.privacyView(c, views.PrivacyForm{Email: f.Email, Errors: errs, Message: msg})
		if err != nil {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "Customer privacy", views.PrivacyPage(v))
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/privacy", fmt.Sprintf("Personal data erased from %d order%s of %s.", n, app.Plural(int(n)), privacy.CustomerRef(f.Email)))
}

// redact checks the form and erases.
func (s *Server) redact(c echo.Context, f redactForm) (int, error) {
	bad := app.FieldsError{}
	if _, err := privacy.CheckEmail(f.Email); err != nil {
		bad.Add("email", "is not an email address")
	}
	if f.Confirm != "yes" {
		bad.Add("confirm", "tick to confirm: the data cannot be restored")
	}
	if err := bad.Err("nothing was erased"); err != nil {
		return 0, err
	}
	return privacy.New(s.app).RedactCustomer(c.Request().Context(), currentUser(c).Actor(), f.Email)
}
