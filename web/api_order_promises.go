package web

import (
	"github.com/labstack/echo/v4"

	"switchyard/app"
)

// orderAnswer is the order as the API returns it, each backordered line
// with its promise date when an inbound covers it (read only when a line is
// backordered).
func (s *Server) orderAnswer(c echo.Context, o app.Order) (orderJSON, error) {
	out := toOrderJSON(o)
	promises, err := s.orderPromises(c, o)
	if err != nil {
		return out, err
	}
	for _, p := range promises {
		for i, l := range o.Lines {
			if l.No == p.Line {
				out.Lines[i].PromisedOn = p.ExpectedAt
			}
		}
	}
	return out, nil
}

// writeOrder answers status with the order and its promise dates.
func (s *Server) writeOrder(c echo.Context, status int, o app.Order) error {
	out, err := s.orderAnswer(c, o)
	if err != nil {
		return err
	}
	return writeJSON(c, status, out)
}
