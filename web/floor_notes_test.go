package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
)

// noteEvents lists the internal notes on an order's timeline as "who: text".
func noteEvents(t *testing.T, o app.Order) []string {
	t.Helper()
	var out []string
	for _, e := range o.Events {
		if e.Kind == "note" {
			out = append(out, e.ActorName+": "+e.Message)
		}
	}
	return out
}

// TestWarehouseLeadNotesAnOrderAtTheirLocation: a lead notes "box damaged"
// from the fulfillment's page; the note is on the timeline with their name,
// the page shows it and says so once.
func TestWarehouseLeadNotesAnOrderAtTheirLocation(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "TEE", 2)
	lead, u := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	ship := "/fulfillments/" + quFID(o) + "/ship"

	page := quGet(t, lead, ship, http.StatusOK).Body
	if !strings.Contains(page, `data-testid="floor-note-form"`) || !strings.Contains(page, `action="/orders/`+o.Number+`/notes"`) {
		t.Fatalf("the fulfillment's page has no note form for the lead:\n%s", page)
	}
	back := "/locations/LYS-WH/queue?status=pending"
	res := quPost(t, lead, "/orders/"+o.Number+"/notes", url.Values{"note": {"Box damaged, repacked."}, "fulfillment": {quFID(o)}, "back": {back}}, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != ship+"?back="+url.QueryEscape(back) {
		t.Fatalf("after the note the lead goes to %q, want the fulfillment's page", loc)
	}
	if got := noteEvents(t, quOrder(t, env, o.Number)); len(got) != 1 || got[0] != u.Name+": Box damaged, repacked." {
		t.Fatalf("timeline notes = %q, want the lead's note with their name", got)
	}
	page = quGet(t, lead, res.Header.Get("Location"), http.StatusOK).Body
	if kind, msg := quNotice(page); kind != "ok" || msg != "Note added to order "+o.Number+"." {
		t.Errorf("after the note the page says %s %q", kind, msg)
	}
	if !strings.Contains(page, "Box damaged, repacked.") || !strings.Contains(page, u.Name) {
		t.Errorf("the page does not show the note with its author")
	}
	if _, msg := quNotice(quGet(t, lead, ship, http.StatusOK).Body); msg != "" {
		t.Errorf("the notice shows again on reload: %q", msg)
	}

	// A blank note: the page again, with the error beside the note, nothing written.
	res = quPost(t, lead, "/orders/"+o.Number+"/notes", url.Values{"note": {"  "}, "fulfillment": {quFID(o)}}, http.StatusUnprocessableEntity)
	if quBeside(res.Body, "note") == "" || !strings.Contains(res.Body, `data-testid="ship-page"`) {
		t.Errorf("a blank note is not refused beside the field on the fulfillment's page:\n%s", res.Body)
	}
	if got := noteEvents(t, quOrder(t, env, o.Number)); len(got) != 1 {
		t.Errorf("a blank note was written: %q", got)
	}
}

// TestWarehouseLeadCannotNoteOtherLocationsOrders: an order with no
// fulfillment at the lead's locations is not found, and nothing is written,
// even when the form names one of their own fulfillments.
func TestWarehouseLeadCannotNoteOtherLocationsOrders(t *testing.T) {
	env := quEnv(t)
	lyon := quPlace(t, env, "1", nil, "TEE", 1)
	paris := quPlace(t, env, "2", nil, "CAP", 1)
	if paris.Fulfillments[0].Location != "PAR-WH" {
		t.Fatalf("caps routed to %s", paris.Fulfillments[0].Location)
	}
	lead, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	for name, form := range map[string]url.Values{
		"no fulfillment":       {"note": {"box damaged"}},
		"their fulfillment":    {"note": {"box damaged"}, "fulfillment": {quFID(lyon)}},
		"paris's fulfillment":  {"note": {"box damaged"}, "fulfillment": {quFID(paris)}},
		"unknown order number": nil,
	} {
		number := paris.Number
		if form == nil {
			number, form = "SY-999999", url.Values{"note": {"box damaged"}}
		}
		res := lead.PostForm("/orders/"+number+"/notes", form)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: = %d, want 404 as for any order they cannot see", name, res.StatusCode)
		}
	}
	if got := noteEvents(t, quOrder(t, env, paris.Number)); len(got) != 0 {
		t.Fatalf("notes were written on another location's order: %q", got)
	}
	if got := noteEvents(t, quOrder(t, env, lyon.Number)); len(got) != 0 {
		t.Fatalf("notes were written on the lead's own order: %q", got)
	}
}

// TestDeskStillNotesAnyOrder: support and ops add notes to any order and go
// back to the order's page; a signed-out visitor is sent to sign in.
func TestDeskStillNotesAnyOrder(t *testing.T) {
	env := quEnv(t)
	o := quPlace(t, env, "1", nil, "CAP", 1)
	for _, role := range []app.Role{app.RoleSupport, app.RoleOps} {
		c, u := env.SignedIn(role)
		res := quPost(t, c, "/orders/"+o.Number+"/notes", url.Values{"note": {"Customer called."}}, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/orders/"+o.Number {
			t.Errorf("%s: after the note = %q, want the order's page", role, loc)
		}
		found := false
		for _, n := range noteEvents(t, quOrder(t, env, o.Number)) {
			found = found || n == u.Name+": Customer called."
		}
		if !found {
			t.Errorf("%s: the note is not on the timeline", role)
		}
	}
	before := len(noteEvents(t, quOrder(t, env, o.Number)))
	res := env.Client().PostForm("/orders/"+o.Number+"/notes", url.Values{"note": {"anonymous"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("signed out: = %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
	}
	if after := len(noteEvents(t, quOrder(t, env, o.Number))); after != before {
		t.Errorf("a signed-out note was written")
	}
}
