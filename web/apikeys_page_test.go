package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

// TestAPIKeysPageHelpsAndRefusesUnknownChannels: the empty list says what
// keys are for, the channel is chosen among those that exist, each scope has
// its sentence, a key bound to "nowhere" is refused (in the use case too), and
// the new key comes with how to use it.
func TestAPIKeysPageHelpsAndRefusesUnknownChannels(t *testing.T) {
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Web shop", Kind: "manual"}); err != nil {
		t.Fatal(err)
	}
	admin, _ := env.SignedIn(app.RoleAdmin)
	page := admin.Get("/admin/apikeys").Body
	if !strings.Contains(page, `data-testid="apikeys-empty"`) || !strings.Contains(page, "lets another system use Switchyard") {
		t.Fatal("the empty list does not say what keys are for")
	}
	if !regexp.MustCompile(`<select id="key-channel" name="channel"[^>]*>.*<option value="web">Web shop \(web\)</option>`).MatchString(page) {
		t.Fatal("the channel is not chosen from a select of the channels")
	}
	for _, s := range accounts.Scopes {
		if !strings.Contains(page, `value="`+s+`"`) || !strings.Contains(page, accounts.ScopeWords[s]) {
			t.Fatalf("scope %s lacks its checkbox or its sentence", s)
		}
	}

	res := admin.PostForm("/admin/apikeys", url.Values{"name": {"ERP"}, "scopes": {"orders:write"}, "channel": {"nowhere"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="channel"`) || !strings.Contains(res.Body, `there is no channel &#34;nowhere&#34;`) {
		t.Fatalf("a key bound to nowhere = %d, want 422 naming the channel field", res.StatusCode)
	}
	_, _, err := env.Svc.Accounts.CreateAPIKey(ctx, app.System, accounts.NewAPIKey{Name: "x", Scopes: []string{"orders:write"}, Channel: "nowhere"})
	if app.ErrorKind(err) != app.KindInvalid || !strings.Contains(err.Error(), "channel") {
		t.Fatalf("the use case takes a key bound to nowhere: %v", err)
	}
	if keys, err := env.Svc.Accounts.ListAPIKeys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("refused keys were stored: %d %v", len(keys), err)
	}

	res = admin.PostForm("/admin/apikeys", url.Values{"name": {"Shop"}, "scopes": {"orders:write"}, "channel": {"web"}})
	key := regexp.MustCompile(`data-testid="apikey">([^<]+)<`).FindStringSubmatch(res.Body)
	if res.StatusCode != http.StatusCreated || key == nil {
		t.Fatalf("create = %d", res.StatusCode)
	}
	if !strings.Contains(res.Body, "Authorization: Bearer "+key[1]) {
		t.Fatal("the created key's message does not say to send it as Authorization: Bearer")
	}
	curl := regexp.MustCompile(`data-testid="apikey-curl">([^<]+)<`).FindStringSubmatch(res.Body)
	want := "curl -H &#39;Authorization: Bearer " + key[1] + "&#39; &#39;" + env.Server.URL + "/api/v1/orders?channel=web&amp;external_id=ORDER-ID&#39;"
	if curl == nil || curl[1] != want {
		t.Fatalf("curl example %v, want %s", curl, want)
	}
	// The example works as written: the key is taken, the order looked up.
	status, body := env.API(http.MethodGet, "/api/v1/orders?channel=web&external_id=ORDER-ID", key[1], "")
	if status != http.StatusNotFound || !strings.Contains(body, "not_found") {
		t.Fatalf("the example call = %d %s, want the key taken and no such order", status, body)
	}
	k, err := env.Svc.Accounts.AuthenticateAPIKey(ctx, key[1])
	if err != nil || k.Channel != "web" {
		t.Fatalf("the key is not bound to web: %+v %v", k, err)
	}
	if strings.Contains(admin.Get("/admin/apikeys").Body, `data-testid="apikeys-empty"`) {
		t.Fatal("the empty-list sentence shows beside a key")
	}
}
