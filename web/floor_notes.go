package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// floorNoteAnswer answers a note added from a fulfillment's page, where the
// floor sees an order (warehouse users cannot open the order's own page).
// Done: 303 back to that page, which says so once. Bad input: the page again
// with the note's error (422). Without a fulfillment to go back to, done goes
// to the queue and bad input to the error page; anything else (an order not
// at the user's locations: 404) goes to the central error handler.
func (s *Server) floorNoteAnswer(c echo.Context, p orderNotePost, o app.Order, err error) error {
	id, perr := strconv.ParseInt(p.Fulfillment, 10, 64)
	if perr != nil || id <= 0 {
		id = 0
	}
	if err == nil {
		addFlash(c, "ok", "Note added to order "+o.Number+".")
		if id == 0 {
			return c.Redirect(http.StatusSeeOther, "/queue")
		}
		return c.Redirect(http.StatusSeeOther, shipPageURL(id, p.Back))
	}
	errs, msg, invalid := fieldErrors(err)
	if !invalid || id == 0 {
		return err
	}
	w, lerr := s.floor.Work(c.Request().Context(), currentUser(c).Actor(), id)
	if lerr != nil {
		return lerr
	}
	v := s.shipView(c, w, views.ShipFormOf(w), queueBack(p.Back, w.Location, w.Status))
	f := p.NoteForm
	f.Errors = errs
	v.Note, v.NoticeKind, v.Notice = f, "error", msg
	return s.renderShip(c, http.StatusUnprocessableEntity, v)
}

// shipPageURL is the address of fulfillment id's page, going back to back
// (a path on this site) when given.
func shipPageURL(id int64, back string) string {
	u := "/fulfillments/" + strconv.FormatInt(id, 10) + "/ship"
	if back != "" && safeNext(back) == back {
		u += "?back=" + url.QueryEscape(back)
	}
	return u
}
