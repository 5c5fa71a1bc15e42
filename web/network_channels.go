package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app/audit"
	"switchyard/web/views"
)

// channelsPage lists the sales channels; admins also get a link to each
// channel's connection settings (/admin/channels/{code}).
func (s *Server) channelsPage(c echo.Context) error {
	chans, err := s.app.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	settings := currentUser(c).Has(admins.roles...)
	return s.render(c, http.StatusOK, "Channels", views.Channels(chans, settings, takeNotice(c)))
}

// newChannelPage shows the add-channel form.
func (s *Server) newChannelPage(c echo.Context) error {
	return s.channelEditor(c, http.StatusOK, views.ChannelForm{Kind: "manual", Buffer: "0", Active: true})
}

// createChannel adds a channel from the form.
func (s *Server) createChannel(c echo.Context) error {
	var f views.ChannelForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Code, f.Editing = strings.TrimSpace(f.Code), false
	return s.saveChannel(c, f)
}

// editChannelPage shows a channel's form.
func (s *Server) editChannelPage(c echo.Context) error {
	ch, err := s.app.Channel(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return s.channelEditor(c, http.StatusOK, channelFormOf(ch))
}

// updateChannel saves a channel's form.
func (s *Server) updateChannel(c echo.Context) error {
	ch, err := s.app.Channel(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	var f views.ChannelForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Code, f.Editing = ch.Code, true
	return s.saveChannel(c, f)
}

// saveChannel writes the posted channel, or shows the form again with what is wrong.
func (s *Server) saveChannel(c echo.Context, f views.ChannelForm) error {
	err := s.putChannel(c, f)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = errs, msg
		return s.channelEditor(c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/channels", "Saved "+f.Code)
}

// putChannel refuses a new code that exists, maps the form and saves it.
func (s *Server) putChannel(c echo.Context, f views.ChannelForm) error {
	ctx := c.Request().Context()
	if !f.Editing {
		if err := codeTaken(s.app.Channel(ctx, f.Code)); err != nil {
			return err
		}
	}
	in, err := channelInput(f)
	if err != nil {
		return err
	}
	actor := currentUser(c).Actor()
	_, _, err = s.app.PutChannel(ctx, actor, f.Code, in, audit.ChannelChange(actor, f.Code))
	return err
}

// channelEditor renders the channel form.
func (s *Server) channelEditor(c echo.Context, status int, f views.ChannelForm) error {
	title := "Add a channel"
	if f.Editing {
		title = f.Code
	}
	return s.render(c, status, title, views.ChannelEditor(csrfToken(c), f))
}
