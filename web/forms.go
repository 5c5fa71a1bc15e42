package web

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// bindForm fills dst from the request's form values (by `form` tags).
func bindForm(c echo.Context, dst any) error {
	if err := (&echo.DefaultBinder{}).BindBody(c, dst); err != nil {
		return app.Invalid("the form could not be read", nil)
	}
	return nil
}

// bindQuery fills dst from the request's query string (by `query` tags).
func bindQuery(c echo.Context, dst any) error {
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, dst); err != nil {
		return app.Invalid("the query string could not be read", nil)
	}
	return nil
}

// fieldErrors returns the field messages and summary of an Invalid error, and
// whether err is one; such errors are shown beside the form's fields.
func fieldErrors(err error) (views.Errors, string, bool) {
	var ae *app.Error
	if !asAppErr(err, &ae) || ae.Kind != app.KindInvalid {
		return nil, "", false
	}
	if len(ae.Fields) > 0 {
		return ae.Fields, "Please correct the fields marked below.", true
	}
	return ae.Fields, sentence(ae.Message), true
}

// pathID reads a numeric id from the path parameter name.
func pathID(c echo.Context, name, what string) (int64, error) {
	raw := c.Param(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, badID(what, raw)
	}
	return id, nil
}
