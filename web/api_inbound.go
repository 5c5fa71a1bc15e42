package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/inbound"
)

// apiCreateInbound makes a purchase order or a transfer: 201 with the
// inbound. With an Idempotency-Key, the same key and body get the first
// answer again.
func (s *Server) apiCreateInbound(c echo.Context) error {
	idem, done, err := s.beginIdempotent(c, "inbound")
	if err != nil {
		return err
	}
	defer done()
	if ans, err := s.inboundReplay(c, "create", idem); err != nil || ans {
		return err
	}
	var in inbound.NewInbound
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.Idempotency = idem
	got, err := s.inbound.Create(c.Request().Context(), apiKey(c).Actor(), in)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, got)
}

// inboundReplay answers a request whose Idempotency-Key was answered
// before, reporting whether it did.
func (s *Server) inboundReplay(c echo.Context, action string, idem *app.IdempotencyIn) (bool, error) {
	if idem == nil {
		return false, nil
	}
	ans, err := s.inbound.LookupIdempotency(c.Request().Context(), action, *idem)
	if err != nil || ans == nil {
		return false, err
	}
	return true, writeJSON(c, ans.Status, ans.Inbound)
}

// apiGetInbound returns one inbound.
func (s *Server) apiGetInbound(c echo.Context) error {
	got, err := s.inbound.Get(c.Request().Context(), apiKey(c).Actor(), c.Param("number"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, got)
}

// apiListInbound lists inbound, newest first: ?status=, ?kind=, ?location=
// (to or from it), ?after= (the cursor the previous page gave), ?limit=.
func (s *Server) apiListInbound(c echo.Context) error {
	limit, err := pageLimit(c.QueryParam("limit"))
	if err != nil {
		return err
	}
	list, err := s.inbound.List(c.Request().Context(), apiKey(c).Actor(), inbound.ListQuery{Status: c.QueryParam("status"),
		Kind: c.QueryParam("kind"), Location: c.QueryParam("location"), After: c.QueryParam("after"), Limit: limit})
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, list)
}

// apiReceiveInbound counts goods in: {lines: [{sku, quantity, damaged?, seen?}], note?}.
func (s *Server) apiReceiveInbound(c echo.Context) error {
	idem, done, err := s.beginIdempotent(c, "receive "+c.Param("number"))
	if err != nil {
		return err
	}
	defer done()
	if ans, err := s.inboundReplay(c, "receive", idem); err != nil || ans {
		return err
	}
	var in inbound.ReceiveInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.Idempotency = idem
	got, err := s.inbound.Receive(c.Request().Context(), apiKey(c).Actor(), c.Param("number"), in)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, got)
}

// apiShipInbound ships a transfer from its origin.
func (s *Server) apiShipInbound(c echo.Context) error {
	idem, done, err := s.beginIdempotent(c, "ship "+c.Param("number"))
	if err != nil {
		return err
	}
	defer done()
	if ans, err := s.inboundReplay(c, "ship", idem); err != nil || ans {
		return err
	}
	got, err := s.inbound.Ship(c.Request().Context(), apiKey(c).Actor(), c.Param("number"), idem)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, got)
}

// apiSendInbound marks a draft purchase order sent to its supplier.
func (s *Server) apiSendInbound(c echo.Context) error {
	got, err := s.inbound.Send(c.Request().Context(), apiKey(c).Actor(), c.Param("number"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, got)
}

// cancelInboundJSON is the body of a cancellation (optional).
type cancelInboundJSON struct {
	Reason string `json:"reason"`
}

// apiCancelInbound cancels an inbound nothing was received of: {reason?}.
func (s *Server) apiCancelInbound(c echo.Context) error {
	var in cancelInboundJSON
	if c.Request().ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	got, err := s.inbound.Cancel(c.Request().Context(), apiKey(c).Actor(), c.Param("number"), in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, got)
}

// apiCloseInbound closes an inbound: what did not arrive is short.
func (s *Server) apiCloseInbound(c echo.Context) error {
	got, err := s.inbound.Close(c.Request().Context(), apiKey(c).Actor(), c.Param("number"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, got)
}
