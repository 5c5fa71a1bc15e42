package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/outbox"
	"switchyard/web/views"
)

// outboxPage lists the dead letters (with a retry button), the messages
// waiting and the latest deliveries, each with how many there are; ?status=
// shows one of them alone, a page at a time (?before=id, ?limit=).
func (s *Server) outboxPage(c echo.Context) error {
	return s.renderOutbox(c, http.StatusOK, takeNotice(c))
}

// outboxParams is the outbox page's query string.
type outboxParams struct {
	Status string `query:"status"` // one status alone; "" for the summary of each
	Before string `query:"before"` // the page cursor, with a status
	Limit  string `query:"limit"`  // the page size, with a status
}

// outboxSections are the statuses the outbox page shows, with each one's first page size.
var outboxSections = []struct {
	status string
	size   int
}{{app.OutboxDead, 200}, {app.OutboxPending, 100}, {app.OutboxDelivered, 50}}

// renderOutbox renders the outbox page with a notice.
func (s *Server) renderOutbox(c echo.Context, status int, notice string) error {
	ctx := c.Request().Context()
	var p outboxParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	v := views.OutboxView{CSRF: csrfToken(c), Notice: notice, Status: p.Status}
	if p.Status != "" {
		before, err := strconv.ParseInt(p.Before, 10, 64)
		if p.Before != "" && (err != nil || before < 1) {
			return app.InvalidField("before", "is not a page cursor")
		}
		limit, err := strconv.Atoi(p.Limit)
		if p.Limit != "" && (err != nil || limit < 1 || limit > 500) {
			return app.InvalidField("limit", "must be a whole number from 1 to 500")
		}
		l, err := s.outbox.OutboxPage(ctx, p.Status, before, limit)
		if err != nil {
			return err
		}
		v.Lists, v.Limit = []outbox.OutboxList{l}, limit
		return s.render(c, status, "Outbox", views.Outbox(v))
	}
	for _, sec := range outboxSections {
		l, err := s.outbox.OutboxPage(ctx, sec.status, 0, sec.size)
		if err != nil {
			return err
		}
		v.Lists = append(v.Lists, l)
	}
	summary, err := s.outbox.OutboxSummary(ctx)
	if err != nil {
		return err
	}
	v.Summary = summary
	return s.render(c, status, "Outbox", views.Outbox(v))
}

// retryOutbox puts a dead message back in the queue.
func (s *Server) retryOutbox(c echo.Context) error {
	id, err := pathID(c, "id", "message")
	if err != nil {
		return err
	}
	if err := s.outbox.RetryOutbox(c.Request().Context(), currentUser(c).Actor(), id); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/outbox", "Queued again")
}

// pauseChannelOutbox holds a channel's outbox messages until resumed.
func (s *Server) pauseChannelOutbox(c echo.Context) error {
	code := c.Param("code")
	if err := s.outbox.PauseChannel(c.Request().Context(), currentUser(c).Actor(), code); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/outbox", "Messages to "+code+" paused: they wait here until resumed")
}

// resumeChannelOutbox lets a paused channel's messages go again.
func (s *Server) resumeChannelOutbox(c echo.Context) error {
	code := c.Param("code")
	if err := s.outbox.ResumeChannel(c.Request().Context(), currentUser(c).Actor(), code); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/outbox", "Messages to "+code+" resumed")
}

// webhooksPage lists the generic webhook endpoints and the form for a new one.
func (s *Server) webhooksPage(c echo.Context) error {
	return s.renderWebhooks(c, http.StatusOK, views.WebhookForm{}, "")
}

// createWebhook registers an endpoint and shows its secret once.
func (s *Server) createWebhook(c echo.Context) error {
	var in outbox.NewWebhookEndpoint
	if err := bindForm(c, &in); err != nil {
		return err
	}
	_, secret, err := s.outbox.CreateWebhookEndpoint(c.Request().Context(), currentUser(c).Actor(), in)
	if errs, _, ok := fieldErrors(err); ok {
		return s.renderWebhooks(c, http.StatusUnprocessableEntity, views.WebhookForm{URL: in.URL, Events: in.Events, Errors: errs}, "")
	} else if err != nil {
		return err
	}
	return s.renderWebhooks(c, http.StatusCreated, views.WebhookForm{}, secret)
}

// renderWebhooks renders the webhooks page.
func (s *Server) renderWebhooks(c echo.Context, status int, f views.WebhookForm, secret string) error {
	eps, err := s.outbox.WebhookEndpoints(c.Request().Context())
	if err != nil {
		return err
	}
	v := views.WebhooksView{CSRF: csrfToken(c), Endpoints: eps, Form: f, Secret: secret, Events: app.WebhookEvents,
		Docs: webhookEventDocs()}
	return s.render(c, status, "Webhooks", views.Webhooks(v))
}
