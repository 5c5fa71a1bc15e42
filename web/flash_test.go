package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/web"
	"switchyard/web/webtest"
)

// flashNotice matches the notices a page shows at its top (ok, warn, error).
var flashNotice = regexp.MustCompile(`(?s)<div class="notice (?:ok|warn|error)" role="status"[^>]*>(.*?)</div>`)

// noticesOf joins the text of every notice of a page.
func noticesOf(body string) string {
	var b strings.Builder
	for _, m := range flashNotice.FindAllStringSubmatch(body, -1) {
		b.WriteString(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], "")) + "\n")
	}
	return b.String()
}

// flashOnce fails unless path shows a notice containing want, and a reload no longer does.
func flashOnce(t *testing.T, c *webtest.Client, path, want string) {
	t.Helper()
	first := c.Get(path)
	if first.StatusCode != http.StatusOK || !strings.Contains(noticesOf(first.Body), want) {
		t.Errorf("GET %s = %d with notices %q, want one saying %q", path, first.StatusCode, noticesOf(first.Body), want)
		return
	}
	again := c.Get(path)
	if again.StatusCode != http.StatusOK || strings.Contains(noticesOf(again.Body), want) {
		t.Errorf("GET %s again = %d still says %q: a flash shows once", path, again.StatusCode, noticesOf(again.Body))
	}
}

// visibleText is a page's text without its tags (and their attributes).
func visibleText(body string) string {
	return html.UnescapeString(regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " "))
}

// lure is what an attacker's link asks a page to say.
const lure = "Call 555 now"

// lureQuery is every query parameter that once chose a notice, set to the lure.
var lureQuery = "notice=" + url.QueryEscape(lure) + "&shipped=1&accepted=99&skipped=0"

// TestNoticeFromTheURLIsNeverShown: no page, for any role, shows text from
// its address as a notice (the 9 pages that once did, and every other GET).
func TestNoticeFromTheURLIsNeverShown(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	admin, u := env.SignedIn(app.RoleAdmin)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	pages := []string{
		"/admin/users", "/admin/channels/web-eu", "/channels", "/locations", "/orders/" + o.Number,
		"/orders/" + o.Number + "/routing", "/admin/outbox", "/rules/rates", "/rules", "/stock",
		"/locations/LYS-WH/queue", "/fulfillments/" + quFID(o) + "/ship", "/admin/users/" + itoa(u.ID),
	}
	subst := strings.NewReplacer(":number", o.Number, ":id", quFID(o), ":code", "LYS-WH", ":location", "LYS-WH",
		":sku", "TEE", ":index", "0", ":version", "1", ":file", "orders.csv", ":token", "x", ":channel", "web-eu")
	for _, r := range web.RouteTable() {
		if r.Method == http.MethodGet && !r.API() && !strings.HasSuffix(r.Path, ".csv") && r.Path != "/logout" {
			pages = append(pages, subst.Replace(r.Path))
		}
	}
	for _, c := range []*webtest.Client{admin, lead, env.Client()} {
		for _, p := range pages {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			res := c.Get(p + sep + lureQuery)
			if strings.Contains(visibleText(res.Body), "Call 555") { // the lure's words: a random token may hold 555
				t.Errorf("GET %s (%d) shows the link's text", p+sep+lureQuery, res.StatusCode)
			}
		}
	}
}

// TestFlashShowsOnceAfterEachKindOfPost: every POST that used to put its
// notice in the URL now redirects to a clean address whose page says it
// once; a reload says nothing.
func TestFlashShowsOnceAfterEachKindOfPost(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 1)
	o2 := quPlace(t, env, "2", nil, "TEE", 1)
	admin, _ := env.SignedIn(app.RoleAdmin)
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	other, _ := env.AddUser(app.RoleSupport)
	back := "/locations/LYS-WH/queue?status=pending"
	cases := []struct {
		name       string
		c          *webtest.Client
		path       string
		form       url.Values
		target     string
		wantNotice string
	}{
		{"save a user", admin, "/admin/users/" + itoa(other.ID), url.Values{"name": {"Renamed"}, "role": {"support"}}, "/admin/users", "Saved "},
		{"deactivate a user", admin, "/admin/users/" + itoa(other.ID) + "/deactivate", nil, "/admin/users", "Deactivated "},
		{"add a location", admin, "/locations", pgLocationForm(nil), "/locations", "Saved PAR-ST"},
		{"deactivate a location", admin, "/locations/PAR-ST/deactivate", nil, "/locations", "Deactivated PAR-ST"},
		{"save a channel", admin, "/channels/web-eu", url.Values{"name": {"Web EU"}, "kind": {"shopify"}, "buffer": {"0"}, "active": {"true"}}, "/channels", "Saved web-eu"},
		{"save a draft rule", admin, "/rules/draft/0", rlRuleForm("Lyon first", nil), "/rules", "Saved Lyon first in the draft"},
		{"publish the rules", admin, "/rules/publish", nil, "/rules", "Published version"},
		{"save a rate", admin, "/rules/rates", rtForm(nil), "/rules/rates", "Saved the rate from LYS-WH to FR"},
		{"route again", admin, "/orders/" + o2.Number + "/reroute", nil, "/orders/" + o2.Number + "/routing", "Routed the order again"},
		{"accept at the queue", lead, "/fulfillments/" + quFID(o) + "/accept", url.Values{"back": {back}}, back, "Accepted"},
	}
	// A draft rule to save and publish.
	if res := admin.PostForm("/rules/draft/rules", rlRuleForm("Lyon first", nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a draft rule = %d\n%s", res.StatusCode, res.Body)
	}
	for _, tc := range cases {
		res := tc.c.PostForm(tc.path, tc.form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tc.target {
			t.Errorf("%s: = %d to %q, want 303 to %q\n%s", tc.name, res.StatusCode, res.Header.Get("Location"), tc.target, res.Body)
			continue
		}
		flashOnce(t, tc.c, tc.target, tc.wantNotice)
	}
}
