package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Flash messages: a POST handler keeps a notice in the session before its
// redirect, and the next page shows it once. Nothing from the URL is ever
// shown as a notice, so a link cannot make Switchyard say a sentence of
// someone else's choosing.

// ctxFlashSaved marks a request whose session is already saved before the answer.
const ctxFlashSaved = "flash-saved"

// flashSep parts a flash's kind from its text in the session.
const flashSep = ":"

// addFlash keeps a notice of kind (ok, warn or error) for the next page.
func addFlash(c echo.Context, kind, msg string) {
	sess := session(c)
	if sess == nil || msg == "" {
		return
	}
	sess.AddFlash(kind + flashSep + msg)
	saveFlashes(c)
}

// takeFlash returns the notice kept for this page and forgets it: kind and
// text, both "" when there is none. Of several, the latest wins.
func takeFlash(c echo.Context) (kind, msg string) {
	sess := session(c)
	if sess == nil {
		return "", ""
	}
	flashes := sess.Flashes()
	if len(flashes) == 0 {
		return "", ""
	}
	saveFlashes(c)
	raw, _ := flashes[len(flashes)-1].(string)
	kind, msg, ok := strings.Cut(raw, flashSep)
	if !ok {
		return "", ""
	}
	return kind, msg
}

// takeNotice is the text of the notice kept for this page, "" when none.
func takeNotice(c echo.Context) string {
	_, msg := takeFlash(c)
	return msg
}

// saveFlashes writes the session with the answer, once per request.
func saveFlashes(c echo.Context) {
	if c.Get(ctxFlashSaved) != nil {
		return
	}
	c.Set(ctxFlashSaved, true)
	saveBeforeWrite(c, session(c))
}

// redirectWithFlash keeps an ok notice for the next page and sends the browser to path.
func redirectWithFlash(c echo.Context, path, msg string) error {
	addFlash(c, "ok", msg)
	return c.Redirect(http.StatusSeeOther, path)
}
