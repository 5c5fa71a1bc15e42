package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/outbox"
	"switchyard/web/views"
)

// outboxPage lists the dead letters (with a retry button) and the latest deliveries.
func (s *Server) outboxPage(c echo.Context) error {
	return s.renderOutbox(c, http.StatusOK, takeNotice(c))
}

// renderOutbox renders the outbox page with a notice.
func (s *Server) renderOutbox(c echo.Context, status int, notice string) error {
	ctx := c.Request().Context()
	dead, err := s.outbox.OutboxMessages(ctx, "dead", 200)
	if err != nil {
		return err
	}
	pending, err := s.outbox.OutboxMessages(ctx, "pending", 100)
	if err != nil {
		return err
	}
	delivered, err := s.outbox.OutboxMessages(ctx, "delivered", 50)
	if err != nil {
		return err
	}
	summary, err := s.outbox.OutboxSummary(ctx)
	if err != nil {
		return err
	}
	v := views.OutboxView{CSRF: csrfToken(c), Dead: dead, Pending: pending, Delivered: delivered, Summary: summary, Notice: notice}
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
	v := views.WebhooksView{CSRF: csrfToken(c), Endpoints: eps, Form: f, Secret: secret, Events: app.WebhookEvents}
	return s.render(c, status, "Webhooks", views.Webhooks(v))
}
