package app

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

	"switchyard/app/geo"
	"switchyard/app/routing"
)

// TestDecisionsKeepTheLocationFactsTheySaw: an input is stored with its
// locations' lasting facts named by hash, not inline, and reads back whole,
// with the facts of its own time even after a location changed.
func TestDecisionsKeepTheLocationFactsTheySaw(t *testing.T) {
	ctx := context.Background()
	a := routeNetwork(t)
	count(t, a, "LYS", "TEE", 5)
	first, _, err := a.PlaceOrder(ctx, System, lyonOrder("1", 1))
	if err != nil {
		t.Fatal(err)
	}
	yes, lat, lon := true, 45.76, 4.83
	if _, _, err := a.PutLocation(ctx, System, "LYS", LocationInput{
		Name: "Lyon Gerland warehouse", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
		Address: Address{City: "Lyon", Country: "FR"}, Lat: &lat, Lon: &lon, Channels: []string{"web"},
	}); err != nil {
		t.Fatal(err)
	}
	second, _, err := a.PlaceOrder(ctx, System, lyonOrder("2", 1))
	if err != nil {
		t.Fatal(err)
	}

	raw, err := a.Read().LatestDecision(ctx, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw.Input, "warehouse") || !strings.Contains(raw.Input, `"sites":"`) {
		t.Errorf("stored input %s: want the locations' facts named by hash, not inline", raw.Input)
	}
	for _, c := range []struct {
		number, lyon   string
		used, reserved int64 // by the time of the decision: the first order took one tee
	}{{first.Number, "Lyon warehouse", 0, 0}, {second.Number, "Lyon Gerland warehouse", 1, 1}} {
		ds, err := a.Decisions(ctx, c.number)
		if err != nil || len(ds) != 1 {
			t.Fatalf("decisions of %s: %+v, %v", c.number, ds, err)
		}
		in := ds[0].Input
		if len(in.Candidates) != 3 {
			t.Fatalf("%s: %d candidates, want 3", c.number, len(in.Candidates))
		}
		var lys routing.Candidate
		for _, c := range in.Candidates {
			if c.Code == "LYS" {
				lys = c
			}
		}
		want := routing.Candidate{Code: "LYS", Name: c.lyon, Kind: "warehouse", Country: "FR", Point: geo.Point{Lat: 45.76, Lon: 4.83},
			Tags: lys.Tags, Active: true, Ships: true, Pickup: true, Channels: []string{"web"}, DailyCapacity: lys.DailyCapacity,
			Rank: lys.Rank, Timezone: "Europe/Paris", Cutoff: lys.Cutoff, HandlingDays: lys.HandlingDays, UsedToday: c.used,
			Stock: map[string]routing.Stock{"TEE": {OnHand: 5, Reserved: c.reserved}}}
		if !reflect.DeepEqual(lys, want) {
			t.Errorf("%s: Lyon as the decision saw it:\n got %+v\nwant %+v", c.number, lys, want)
		}
		if !ds[0].Recomputed {
			t.Errorf("%s: the engine does not reach the stored decision again from the stored input", c.number)
		}
	}
	if n := len(mustSites(t, a)); n != 2 {
		t.Errorf("%d sets of location facts stored, want 2 (before and after the change)", n)
	}
}

// TestInputsStoredWholeStillRead: inputs stored before the facts were named
// by hash carry their candidates whole, and read back as they are.
func TestInputsStoredWholeStillRead(t *testing.T) {
	in := routing.Input{Order: routing.Order{Channel: "web", Lines: []routing.Line{{ID: 1, SKU: "TEE", Quantity: 1}}},
		Candidates: []routing.Candidate{{Code: "LYS", Name: "Lyon warehouse", Kind: "warehouse", Channels: []string{"web"},
			Stock: map[string]routing.Stock{"TEE": {OnHand: 3}}}}, Rules: routing.RuleSet{Version: 2}}
	raw, err := jsonv2.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewInputReader(nil).Decode(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := jsonv2.Marshal(got); string(again) != string(raw) {
		t.Errorf("read back %s, want %s", again, raw)
	}
}

// mustSites lists the hashes of the stored location facts.
func mustSites(t *testing.T, a *App) []string {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+a.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var hashes []string
	rows, err := raw.Query(`SELECT hash FROM routing_sites ORDER BY hash`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	return hashes
}
