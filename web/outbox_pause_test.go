package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/outbox"
	"switchyard/web/webtest"
)

// feedEnv is Switchyard with an "api" channel feed connected to a receiver
// that counts availability posts, a location L1 serving it, and a channel
// quiet with no callback.
func feedEnv(t *testing.T) (*webtest.Env, *atomic.Int64) {
	t.Helper()
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "feed", app.ChannelInput{Name: "Feed", Kind: "api",
		Callback: &app.CallbackInput{BaseURL: srv.URL}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.App.PutChannel(ctx, app.System, "quiet", app.ChannelInput{Name: "Quiet shop", Kind: "shopify"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("L1", "Lyon", "feed", "quiet")
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE", app.SKUInput{Name: "Tee"}); err != nil {
		t.Fatal(err)
	}
	return env, &posts
}

// dispatch delivers what is due a second from now.
func dispatch(t *testing.T, env *webtest.Env) int {
	t.Helper()
	env.Clock.Advance(2 * time.Second)
	n, err := env.Svc.Outbox.DispatchDue(context.Background(), outbox.DispatcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOutboxPauseAndResume: only an admin pauses a channel's messages; a
// paused channel's messages are not sent and count no attempt; the page says
// since when and by whom; resumed, they are sent.
func TestOutboxPauseAndResume(t *testing.T) {
	env, posts := feedEnv(t)
	admin, adminUser := env.SignedIn(app.RoleAdmin)
	ops, _ := env.SignedIn(app.RoleOps)

	if res := ops.PostForm("/admin/outbox/channels/feed/pause", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("ops pausing = %d, want 403", res.StatusCode)
	}
	if res := admin.PostForm("/admin/outbox/channels/nowhere/pause", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("pausing an unknown channel = %d, want 404", res.StatusCode)
	}
	env.Stock("L1", "TEE", 10) // an availability message for feed
	if n := dispatch(t, env); n != 1 || posts.Load() != 1 {
		t.Fatalf("not paused: %d attempts, %d posts; want 1 and 1 (ops could not pause)", n, posts.Load())
	}

	if res := admin.PostForm("/admin/outbox/channels/feed/pause", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin pausing = %d", res.StatusCode)
	}
	env.Stock("L1", "TEE", 7)
	if n := dispatch(t, env); n != 0 || posts.Load() != 1 {
		t.Fatalf("paused: %d attempts, %d posts; want nothing sent", n, posts.Load())
	}
	page := admin.Get("/admin/outbox").Body
	if !regexp.MustCompile(`data-testid="paused".*paused since [^<]+ by ` + regexp.QuoteMeta(adminUser.Name)).MatchString(page) {
		t.Fatalf("the outbox page does not say who paused feed and when:\n%s", page)
	}
	if !strings.Contains(page, `data-channel="feed" data-kind="availability"`) || !strings.Contains(page, `data-testid="resume"`) {
		t.Fatal("the summary lacks feed's availability row or its resume button")
	}
	if got := summaryCount(t, page, "feed", "availability", "pending"); got != "1" {
		t.Fatalf("feed pending availability = %s, want 1", got)
	}
	pending, err := env.Svc.Outbox.OutboxMessages(context.Background(), app.OutboxPending, 10)
	if err != nil || len(pending) != 1 || pending[0].Attempts != 0 {
		t.Fatalf("the paused message must wait with no attempt counted: %+v %v", pending, err)
	}

	if res := ops.PostForm("/admin/outbox/channels/feed/resume", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("ops resuming = %d, want 403", res.StatusCode)
	}
	if res := admin.PostForm("/admin/outbox/channels/feed/resume", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin resuming = %d", res.StatusCode)
	}
	if n := dispatch(t, env); n != 1 || posts.Load() != 2 {
		t.Fatalf("resumed: %d attempts, %d posts; want the waiting message sent", n, posts.Load())
	}
	page = admin.Get("/admin/outbox").Body
	if strings.Contains(page, `data-testid="paused"`) || summaryCount(t, page, "feed", "availability", "delivered") != "2" {
		t.Fatal("after resuming, feed must read as not paused with 2 delivered")
	}
}

// summaryCount reads one count of the outbox page's summary.
func summaryCount(t *testing.T, page, channel, kind, status string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr data-channel="` + channel + `" data-kind="` + regexp.QuoteMeta(kind) + `">(.*?)</tr>`).FindStringSubmatch(page)
	if row == nil {
		t.Fatalf("no summary row for %s %s", channel, kind)
	}
	m := regexp.MustCompile(`data-status="` + status + `">(\d+)<`).FindStringSubmatch(row[1])
	if m == nil {
		t.Fatalf("no %s count for %s %s", status, channel, kind)
	}
	return m[1]
}

// TestChannelNotConnectedIsSaid: the channels page, the channel's settings and
// the outbox page say a channel without a callback is told nothing, and its
// stock changes put nothing in the outbox while a connected one's do.
func TestChannelNotConnectedIsSaid(t *testing.T) {
	env, _ := feedEnv(t)
	admin, _ := env.SignedIn(app.RoleAdmin)
	env.Stock("L1", "TEE", 10)
	const words = "Switchyard does not tell this channel anything"
	chans := admin.Get("/channels").Body
	quiet := regexp.MustCompile(`(?s)<tr[^>]*data-channel="quiet">.*?</tr>`).FindString(chans)
	feed := regexp.MustCompile(`(?s)<tr[^>]*data-channel="feed">.*?</tr>`).FindString(chans)
	if !strings.Contains(quiet, "not connected") || !strings.Contains(quiet, words) || strings.Contains(feed, "not connected") {
		t.Fatalf("channels page: quiet row %q, feed row %q", quiet, feed)
	}
	if body := admin.Get("/admin/channels/quiet").Body; !strings.Contains(body, "not connected: "+words) {
		t.Fatal("quiet's settings do not say it is not connected")
	}
	if body := admin.Get("/admin/channels/feed").Body; strings.Contains(body, "not connected") {
		t.Fatal("feed's settings say it is not connected")
	}
	page := admin.Get("/admin/outbox").Body
	if summaryCount(t, page, "feed", "availability", "pending") != "1" || strings.Contains(page, `data-channel="quiet" data-kind=`) {
		t.Fatal("the connected channel must have its availability message and the unconnected one none")
	}
}
