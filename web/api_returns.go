package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/app/returns"
)

// returnsJSON is a list of returns as the API returns it.
type returnsJSON struct {
	Returns []returns.Return `json:"returns"`
}

// apiCreateReturn starts a return of an order: 201 when new, 200 when the
// channel's external_id was taken in before. With an Idempotency-Key, the same
// key and body get the first answer again.
func (s *Server) apiCreateReturn(c echo.Context) error {
	// The key answers the same request again: the same body for the same order.
	idem, done, err := s.beginIdempotent(c, c.Param("number"))
	if err != nil {
		return err
	}
	defer done()
	if idem != nil {
		if ans, err := s.returns.LookupIdempotency(c.Request().Context(), *idem); err != nil || ans != nil {
			if err != nil {
				return err
			}
			return writeJSON(c, ans.Status, ans.Return)
		}
	}
	var in returns.NewReturn
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.Idempotency = idem
	r, created, err := s.returns.Create(c.Request().Context(), apiKey(c).Actor(), c.Param("number"), in)
	if err != nil {
		return err
	}
	return writeJSON(c, putStatus(created), r)
}

// apiGetReturn returns one return; a key bound to another channel gets 404.
func (s *Server) apiGetReturn(c echo.Context) error {
	r, err := s.returns.Get(c.Request().Context(), apiKey(c).Reach(), c.Param("number"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, r)
}

// apiOrderReturns lists an order's returns, oldest first.
func (s *Server) apiOrderReturns(c echo.Context) error {
	o, err := s.app.OrderFor(c.Request().Context(), apiKey(c).Reach(), c.Param("number"))
	if err != nil {
		return err
	}
	rs, err := s.returns.ForOrder(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, returnsJSON{Returns: rs})
}

// declineJSON is the body of a decline.
type declineJSON struct {
	Reason string `json:"reason"`
}

// refundJSON is the body of a refund: no amount refunds what is due.
type refundJSON struct {
	Amount *money.Decimal `json:"amount"`
}

// apiApproveReturn approves a requested return.
func (s *Server) apiApproveReturn(c echo.Context) error {
	return s.returnAction(c, nil, func(a app.Actor, n string) (returns.Return, error) {
		return s.returns.Approve(c.Request().Context(), a, n)
	})
}

// apiDeclineReturn declines a requested return: {reason}.
func (s *Server) apiDeclineReturn(c echo.Context) error {
	var in declineJSON
	return s.returnAction(c, &in, func(a app.Actor, n string) (returns.Return, error) {
		return s.returns.Decline(c.Request().Context(), a, n, in.Reason)
	})
}

// apiCancelReturn cancels a return nothing of which arrived.
func (s *Server) apiCancelReturn(c echo.Context) error {
	return s.returnAction(c, nil, func(a app.Actor, n string) (returns.Return, error) {
		return s.returns.Cancel(c.Request().Context(), a, n)
	})
}

// apiReceiveReturn counts what arrived: {lines: [{line, quantity, disposition}], note?}.
func (s *Server) apiReceiveReturn(c echo.Context) error {
	var in returns.Receipt
	return s.returnAction(c, &in, func(a app.Actor, n string) (returns.Return, error) {
		return s.returns.Receive(c.Request().Context(), a, n, in)
	})
}

// apiRefundReturn refunds a return: {amount?}.
func (s *Server) apiRefundReturn(c echo.Context) error {
	var in refundJSON
	return s.returnAction(c, &in, func(a app.Actor, n string) (returns.Return, error) {
		return s.returns.Refund(c.Request().Context(), a, n, in.Amount)
	})
}

// returnAction binds the body (when in is not nil), runs act as the key's
// actor on the return in the path, and answers the return afterwards.
func (s *Server) returnAction(c echo.Context, in any, act func(app.Actor, string) (returns.Return, error)) error {
	if in != nil && c.Request().ContentLength != 0 {
		if err := bindJSON(c, in); err != nil {
			return err
		}
	}
	r, err := act(apiKey(c).Actor(), c.Param("number"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, r)
}

// apiLocationReturns lists the returns coming back to a location:
// ?status=, ?after= (the cursor the previous page gave), ?limit= (1 to 500).
func (s *Server) apiLocationReturns(c echo.Context) error {
	limit, err := pageLimit(c.QueryParam("limit"))
	if err != nil {
		return err
	}
	page, err := s.returns.AtLocation(c.Request().Context(), apiKey(c).Actor(), pathCode(c, "code"),
		c.QueryParam("status"), c.QueryParam("after"), limit)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, page)
}
