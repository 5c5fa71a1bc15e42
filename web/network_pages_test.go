package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// pgAddChannel creates an active manual channel with code.
func pgAddChannel(t *testing.T, env *webtest.Env, code string) {
	t.Helper()
	_, _, err := env.App.PutChannel(context.Background(), app.System, code, app.ChannelInput{Name: "Channel " + code, Kind: "manual"})
	if err != nil {
		t.Fatalf("add channel %s: %v", code, err)
	}
}

// pgLocationForm is a valid location form, changed by the given values.
func pgLocationForm(changes url.Values) url.Values {
	f := url.Values{
		"code": {"PAR-ST"}, "name": {"Paris store"}, "kind": {"store"},
		"address.line1": {"3 rue de Rivoli"}, "address.city": {"Paris"}, "address.postal_code": {"75004"},
		"address.country": {"fr"}, "timezone": {"Europe/Paris"}, "ships": {"true"}, "pickup": {"true"},
		"daily_capacity": {"120"}, "cutoff": {"15:30"}, "handling_days": {"1"}, "rank": {"2"},
		"tags": {"Flagship, city"}, "channels": {"web-eu"}, "active": {"true"},
	}
	for k, v := range changes {
		f[k] = v
	}
	return f
}

// pgErrorBeside returns the message shown beside field, or "" with ok false.
func pgErrorBeside(body, field string) (string, bool) {
	m := regexp.MustCompile(`data-field="` + regexp.QuoteMeta(field) + `">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// pgLocationCount counts the stored locations.
func pgLocationCount(t *testing.T, env *webtest.Env) int {
	t.Helper()
	locs, err := env.App.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(locs)
}

func TestCreateLocation(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	ops, _ := env.SignedIn(app.RoleOps)

	if res := ops.Get("/locations/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "country's centre") {
		t.Fatalf("GET /locations/new = %d, want the form explaining empty coordinates\n%s", res.StatusCode, res.Body)
	}
	res := ops.PostForm("/locations", pgLocationForm(nil))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/locations") {
		t.Fatalf("create = %d to %q, want 303 to /locations\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	loc, err := env.App.Location(context.Background(), "PAR-ST")
	if err != nil {
		t.Fatalf("the location was not stored: %v", err)
	}
	if loc.Address.Country != "FR" || !loc.ApproxCoords || !loc.Ships || !loc.Pickup || loc.DailyCapacity != 120 ||
		loc.Cutoff != "15:30" || loc.HandlingDays != 1 || loc.Rank != 2 || strings.Join(loc.Tags, ",") != "city,flagship" ||
		strings.Join(loc.Channels, ",") != "web-eu" || !loc.Active || loc.Kind != "store" {
		t.Errorf("stored location = %+v", loc)
	}
	list := ops.Get(res.Header.Get("Location"))
	for _, want := range []string{"PAR-ST", "Paris store", "Paris, FR", "15:30", "Europe/Paris", "web-eu", "city, flagship", "Add a location", `href="/locations/PAR-ST/edit"`} {
		if !strings.Contains(list.Body, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
}

func TestCreateLocationWithCoordinatesAndNoLimit(t *testing.T) {
	env := webtest.New(t)
	ops, _ := env.SignedIn(app.RoleOps)
	form := pgLocationForm(url.Values{"lat": {"48.8566"}, "lon": {"2.3522"}, "daily_capacity": {""}, "channels": nil, "pickup": nil})
	delete(form, "pickup")
	delete(form, "channels")
	if res := ops.PostForm("/locations", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
	}
	loc, err := env.App.Location(context.Background(), "PAR-ST")
	if err != nil {
		t.Fatal(err)
	}
	if loc.ApproxCoords || loc.Lat != 48.8566 || loc.Lon != 2.3522 || loc.Pickup || loc.DailyCapacity != 0 {
		t.Errorf("stored location = %+v, want exact coordinates, no pickup, no capacity limit", loc)
	}
	if body := ops.Get("/locations").Body; !strings.Contains(body, "no limit") {
		t.Error("the list does not say that a capacity of 0 is no limit")
	}
}

func TestCreateLocationBadInput(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	env.AddLocation("LYS-WH", "Lyon warehouse")
	ops, _ := env.SignedIn(app.RoleOps)
	cases := []struct {
		name, field, says string
		changes           url.Values
	}{
		{"bad country", "address.country", "ISO 3166-1", url.Values{"address.country": {"XX"}}},
		{"lat without lon", "lat", "both lat and lon", url.Values{"lat": {"48.8"}}},
		{"lat not a number", "lat", "must be a number", url.Values{"lat": {"north"}, "lon": {"2.3"}}},
		{"bad time zone", "timezone", "IANA time zone", url.Values{"timezone": {"Paris/Central"}}},
		{"capacity not a number", "daily_capacity", "whole number", url.Values{"daily_capacity": {"lots"}}},
		{"negative handling days", "handling_days", "at least 0", url.Values{"handling_days": {"-1"}}},
		{"bad cut-off", "cutoff", "time of day", url.Values{"cutoff": {"25:00"}}},
		{"unknown channel", "channels", `unknown channel "nope"`, url.Values{"channels": {"nope"}}},
		{"unknown kind", "kind", "must be one of", url.Values{"kind": {"castle"}}},
		{"no name", "name", "is required", url.Values{"name": {""}}},
		{"no city", "address.city", "is required", url.Values{"address.city": {""}}},
		{"bad code", "code", "letters, digits", url.Values{"code": {"a b"}}},
		{"code taken", "code", "already used", url.Values{"code": {"LYS-WH"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := pgLocationCount(t, env)
			res := ops.PostForm("/locations", pgLocationForm(tc.changes))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, res.Body)
			}
			if msg, ok := pgErrorBeside(res.Body, tc.field); !ok || !strings.Contains(msg, tc.says) {
				t.Fatalf("beside %q: %q, want %q\n%s", tc.field, msg, tc.says, res.Body)
			}
			if !strings.Contains(res.Body, `value="3 rue de Rivoli"`) {
				t.Error("the form lost what was typed")
			}
			if after := pgLocationCount(t, env); after != before {
				t.Fatalf("locations %d -> %d: bad input wrote", before, after)
			}
			if tc.name == "code taken" {
				if loc, _ := env.App.Location(context.Background(), "LYS-WH"); loc.Name != "Lyon warehouse" {
					t.Fatalf("adding over an existing code replaced it: %+v", loc)
				}
			}
		})
	}
}

func TestEditLocation(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	ops, _ := env.SignedIn(app.RoleOps)
	if res := ops.PostForm("/locations", pgLocationForm(url.Values{"lat": {"48.8566"}, "lon": {"2.3522"}})); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
	}
	page := ops.Get("/locations/PAR-ST/edit")
	for _, want := range []string{`value="Paris store"`, `value="48.8566"`, `value="15:30"`, `value="city, flagship"`, `name="channels" value="web-eu" checked`, "Deactivate Paris store"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the edit form lacks %q", want)
		}
	}
	if strings.Contains(page.Body, `name="code"`) {
		t.Error("the edit form lets the code change")
	}

	form := pgLocationForm(url.Values{"name": {"Paris Rivoli"}, "lat": {""}, "lon": {""}, "code": {"OTHER"}})
	delete(form, "pickup")
	delete(form, "channels")
	res := ops.PostForm("/locations/PAR-ST", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update = %d\n%s", res.StatusCode, res.Body)
	}
	loc, _ := env.App.Location(context.Background(), "PAR-ST")
	if loc.Name != "Paris Rivoli" || loc.Pickup || len(loc.Channels) != 0 || !loc.ApproxCoords {
		t.Errorf("after the edit: %+v", loc)
	}
	if _, err := env.App.Location(context.Background(), "OTHER"); err == nil {
		t.Error("the posted code created another location")
	}

	res = ops.PostForm("/locations/PAR-ST", pgLocationForm(url.Values{"timezone": {"Mars/Olympus"}}))
	if msg, _ := pgErrorBeside(res.Body, "timezone"); res.StatusCode != http.StatusUnprocessableEntity || msg == "" {
		t.Fatalf("bad edit = %d, error %q", res.StatusCode, msg)
	}
	if loc, _ := env.App.Location(context.Background(), "PAR-ST"); loc.Timezone != "Europe/Paris" {
		t.Error("a refused edit changed the location")
	}
	if res := ops.Get("/locations/NOPE/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("edit of an unknown location = %d, want 404", res.StatusCode)
	}
}

func TestDeactivateLocation(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	ops, _ := env.SignedIn(app.RoleOps)
	res := ops.PostForm("/locations/LYS-WH/deactivate", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d\n%s", res.StatusCode, res.Body)
	}
	if loc, err := env.App.Location(context.Background(), "LYS-WH"); err != nil {
		t.Fatal(err)
	} else if loc.Active {
		t.Fatal("the location is still active")
	}
	if body := ops.Get(res.Header.Get("Location")).Body; !strings.Contains(body, "Deactivated LYS-WH") || !strings.Contains(body, "inactive") {
		t.Error("the list does not show the location as deactivated")
	}
	if body := ops.Get("/locations/LYS-WH/edit").Body; !strings.Contains(body, "Reactivate Lyon warehouse") {
		t.Error("the edit page does not offer to reactivate")
	}
	if res := ops.PostForm("/locations/LYS-WH/activate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate = %d", res.StatusCode)
	}
	if loc, _ := env.App.Location(context.Background(), "LYS-WH"); !loc.Active {
		t.Fatal("the location was not reactivated")
	}
	if res := ops.PostRaw("/locations/LYS-WH/deactivate", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("deactivate without CSRF = %d, want 403", res.StatusCode)
	}
	if res := ops.PostForm("/locations/NOPE/deactivate", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("deactivate unknown = %d, want 404", res.StatusCode)
	}
}

func TestSupportReadsLocationsWithoutEditLinks(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	support, _ := env.SignedIn(app.RoleSupport)
	res := support.Get("/locations")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Lyon warehouse") {
		t.Fatalf("support /locations = %d", res.StatusCode)
	}
	for _, hidden := range []string{"Add a location", "/locations/LYS-WH/edit", "/locations/new"} {
		if strings.Contains(res.Body, hidden) {
			t.Errorf("support sees %q", hidden)
		}
	}
}

// pgChannelCount counts the stored channels.
func pgChannelCount(t *testing.T, env *webtest.Env) int {
	t.Helper()
	chans, err := env.App.Channels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(chans)
}

func TestChannelForms(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	admin, _ := env.SignedIn(app.RoleAdmin)
	res := admin.PostForm("/channels", url.Values{"code": {"shop-fr"}, "name": {"Shop FR"}, "kind": {"shopify"}, "buffer": {"3"}, "active": {"true"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create channel = %d\n%s", res.StatusCode, res.Body)
	}
	secret := "a-very-secret-value"
	if _, _, err := env.App.PutChannel(context.Background(), app.System, "shop-fr", app.ChannelInput{
		Name: "Shop FR", Kind: "shopify", Buffer: 3, Secrets: &[]string{secret},
	}); err != nil {
		t.Fatal(err)
	}
	list := admin.Get("/channels").Body
	for _, want := range []string{"shop-fr", "Shop FR", "shopify", "<td>1 set</td>", `href="/channels/shop-fr/edit"`} {
		if !strings.Contains(list, want) {
			t.Errorf("the channel list lacks %q", want)
		}
	}
	edit := admin.Get("/channels/shop-fr/edit").Body
	if strings.Contains(list+edit, secret) {
		t.Fatal("a webhook secret is shown")
	}
	if !strings.Contains(edit, `value="3"`) {
		t.Error("the edit form lacks the buffer")
	}
	res = admin.PostForm("/channels/shop-fr", url.Values{"name": {"Shop France"}, "kind": {"shopify"}, "buffer": {"5"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update channel = %d\n%s", res.StatusCode, res.Body)
	}
	ch, _ := env.App.Channel(context.Background(), "shop-fr")
	if ch.Name != "Shop France" || ch.Buffer != 5 || ch.Active || ch.Secrets != 1 {
		t.Errorf("after the edit: %+v (want the secret kept)", ch)
	}
}

func TestChannelFormBadInput(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	ops, _ := env.SignedIn(app.RoleOps)
	valid := url.Values{"code": {"pos-1"}, "name": {"Till"}, "kind": {"pos"}, "buffer": {"0"}}
	cases := []struct {
		name, field, says string
		key, value        string
	}{
		{"bad kind", "kind", "must be one of", "kind", "fax"},
		{"buffer not a number", "buffer", "whole number", "buffer", "some"},
		{"negative buffer", "buffer", "at least 0", "buffer", "-2"},
		{"no name", "name", "is required", "name", " "},
		{"code taken", "code", "already used", "code", "web-eu"},
		{"no code", "code", "letters, digits", "code", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range valid {
				form[k] = v
			}
			form.Set(tc.key, tc.value)
			before := pgChannelCount(t, env)
			res := ops.PostForm("/channels", form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.StatusCode, res.Body)
			}
			if msg, ok := pgErrorBeside(res.Body, tc.field); !ok || !strings.Contains(msg, tc.says) {
				t.Fatalf("beside %q: %q, want %q", tc.field, msg, tc.says)
			}
			if after := pgChannelCount(t, env); after != before {
				t.Fatalf("channels %d -> %d: bad input wrote", before, after)
			}
		})
	}
	if ch, _ := env.App.Channel(context.Background(), "web-eu"); ch.Name != "Channel web-eu" {
		t.Error("adding over an existing code replaced it")
	}
}

func TestChannelListLinksSettingsForAdminsOnly(t *testing.T) {
	env := webtest.New(t)
	pgAddChannel(t, env, "web-eu")
	pgAddChannel(t, env, "shop-fr")
	const link = `href="/admin/channels/shop-fr"`

	admin, _ := env.SignedIn(app.RoleAdmin)
	list := admin.Get("/channels")
	if list.StatusCode != http.StatusOK {
		t.Fatalf("admin /channels = %d", list.StatusCode)
	}
	for _, want := range []string{link, `href="/admin/channels/web-eu"`} {
		if !strings.Contains(list.Body, want) {
			t.Errorf("the admin's channel list lacks the settings link %s\n%s", want, list.Body)
		}
	}
	if m := regexp.MustCompile(`<a href="/admin/channels/shop-fr"[^>]*>([^<]*)</a>`).FindStringSubmatch(list.Body); m == nil || m[1] != "Settings" {
		t.Errorf("the settings link of shop-fr reads %q, want Settings", m)
	}
	if res := admin.Get("/admin/channels/shop-fr"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="secret_1"`) {
		t.Errorf("following the link: %d, want the channel's settings form", res.StatusCode)
	}

	ops, _ := env.SignedIn(app.RoleOps)
	list = ops.Get("/channels")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `href="/channels/shop-fr/edit"`) {
		t.Fatalf("ops /channels = %d, want the list with its edit links", list.StatusCode)
	}
	if strings.Contains(list.Body, "/admin/channels/") {
		t.Error("an ops manager sees a link to the admin-only channel settings")
	}
	if res := ops.Get("/admin/channels/shop-fr"); res.StatusCode != http.StatusForbidden {
		t.Errorf("ops GET /admin/channels/shop-fr = %d, want 403", res.StatusCode)
	}
}
