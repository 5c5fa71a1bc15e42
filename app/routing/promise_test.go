package routing

import (
	"testing"
	"time"
)

func TestPromise(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	newYork, _ := time.LoadLocation("America/New_York")
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	// eod is 23:59:59 local on the given day, in UTC.
	eod := func(loc *time.Location, m time.Month, d int) time.Time {
		return time.Date(2026, m, d, 23, 59, 59, 0, loc).UTC()
	}
	cases := []struct {
		name              string
		now               time.Time
		loc               *time.Location
		cutoff            string
		handling, transit int
		ship, deliver     time.Time
	}{
		{"before cut-off ships from today", at(paris, 2026, 12, 2, 11, 0), paris, "15:00", 1, 3, eod(paris, 12, 3), eod(paris, 12, 8)},
		{"after cut-off dispatches tomorrow", at(paris, 2026, 12, 2, 16, 0), paris, "15:00", 0, 0, eod(paris, 12, 3), eod(paris, 12, 3)},
		{"exactly at cut-off is after it", at(paris, 2026, 12, 2, 15, 0), paris, "15:00", 0, 0, eod(paris, 12, 3), eod(paris, 12, 3)},
		{"one second before cut-off", at(paris, 2026, 12, 2, 14, 59).Add(59 * time.Second), paris, "15:00", 0, 0, eod(paris, 12, 2), eod(paris, 12, 2)},
		{"Friday after cut-off → Monday", at(paris, 2026, 12, 4, 16, 0), paris, "15:00", 0, 1, eod(paris, 12, 7), eod(paris, 12, 8)},
		{"Friday before cut-off, one handling day → Monday", at(paris, 2026, 12, 4, 9, 0), paris, "15:00", 1, 0, eod(paris, 12, 7), eod(paris, 12, 7)},
		{"Saturday → Monday", at(paris, 2026, 12, 5, 9, 0), paris, "15:00", 0, 0, eod(paris, 12, 7), eod(paris, 12, 7)},
		{"Sunday → Monday", at(paris, 2026, 12, 6, 9, 0), paris, "", 0, 2, eod(paris, 12, 7), eod(paris, 12, 9)},
		{"handling and transit skip weekends", at(paris, 2026, 12, 3, 9, 0), paris, "15:00", 2, 5, eod(paris, 12, 7), eod(paris, 12, 14)},
		{"whole weeks of handling", at(paris, 2026, 12, 2, 9, 0), paris, "15:00", 10, 0, eod(paris, 12, 16), eod(paris, 12, 16)},
		{"no cut-off: today whatever the hour", at(paris, 2026, 12, 2, 23, 30), paris, "", 0, 0, eod(paris, 12, 2), eod(paris, 12, 2)},
		{"malformed cut-off counts as none", at(paris, 2026, 12, 2, 23, 30), paris, "3pm", 0, 0, eod(paris, 12, 2), eod(paris, 12, 2)},
		{"single-digit hour cut-off", at(paris, 2026, 12, 2, 10, 0), paris, "9:30", 0, 0, eod(paris, 12, 3), eod(paris, 12, 3)},
		{"negative days count as zero", at(paris, 2026, 12, 2, 9, 0), paris, "15:00", -4, -1, eod(paris, 12, 2), eod(paris, 12, 2)},
		// 22:30 UTC Wednesday is 07:30 Thursday in Tokyo and 17:30 Wednesday in New York.
		{"Tokyo is already Thursday morning", time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC), tokyo, "15:00", 0, 0, eod(tokyo, 12, 3), eod(tokyo, 12, 3)},
		{"New York is past Wednesday's cut-off", time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC), newYork, "15:00", 0, 0, eod(newYork, 12, 3), eod(newYork, 12, 3)},
		{"UTC past Wednesday's cut-off", time.Date(2026, 12, 2, 22, 30, 0, 0, time.UTC), time.UTC, "15:00", 0, 0, eod(time.UTC, 12, 3), eod(time.UTC, 12, 3)},
		{"across the spring DST change", at(paris, 2026, 3, 27, 16, 0), paris, "15:00", 0, 0, eod(paris, 3, 30), eod(paris, 3, 30)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ship, deliver := promise(c.now, c.loc, c.cutoff, c.handling, c.transit)
			if !ship.Equal(c.ship) || !deliver.Equal(c.deliver) || ship.Location() != time.UTC {
				t.Fatalf("promise = %v, %v; want %v, %v", ship, deliver, c.ship, c.deliver)
			}
		})
	}
}

func TestPromiseEndOfDayIsLocal(t *testing.T) {
	ship, _ := promise(time.Date(2026, 3, 27, 16, 0, 0, 0, time.UTC), loadZone("Europe/Paris"), "15:00", 0, 0)
	if want := time.Date(2026, 3, 30, 21, 59, 59, 0, time.UTC); !ship.Equal(want) {
		t.Fatalf("ship-by %v, want %v (CEST)", ship, want)
	}
}

func TestPromiseHugeDaysTerminate(t *testing.T) {
	ship, deliver := promise(wednesday10, time.UTC, "", 1<<40, 1<<40)
	if ship.Year() > 2040 || deliver.Before(ship) {
		t.Fatalf("%v %v", ship, deliver)
	}
}

func TestPromiseInDecision(t *testing.T) {
	a := loc("A", "A", lyon, "FR", map[string]int64{"TEE": 1})
	a.Timezone = "Not/AZone"
	a.HandlingDays = 0
	b := loc("B", "B", berlin, "DE", map[string]int64{"TEE": 1})
	b.Timezone = ""
	d := Decide(Input{Order: order("TEE", 1), Candidates: []Candidate{a, b}, Now: wednesday10,
		Rates: []ZoneRate{{Origin: "A", Country: "FR", TransitDays: 1}}})
	fa, fb := reportOf(t, d, "A").Figures, reportOf(t, d, "B").Figures
	if fa.Timezone != "UTC" || fb.Timezone != "UTC" {
		t.Fatalf("time zones %q %q", fa.Timezone, fb.Timezone)
	}
	if want := time.Date(2026, 12, 3, 23, 59, 59, 0, time.UTC); !fa.DeliverBy.Equal(want) || fa.TransitDefault {
		t.Fatalf("A deliver-by %v, want %v", fa.DeliverBy, want)
	}
	if !fb.TransitDefault || fb.TransitDays != 3 {
		t.Fatalf("B transit %+v", fb)
	}
	if !d.PromiseShipBy.Equal(d.Shipments[0].ShipBy) || !d.PromiseDeliverBy.Equal(d.Shipments[0].DeliverBy) {
		t.Fatalf("order promise %v %v", d.PromiseShipBy, d.PromiseDeliverBy)
	}
}

func TestOrderPromiseIsLatestShipment(t *testing.T) {
	a := loc("A", "A", lyon, "FR", map[string]int64{"TEE": 1})
	b := loc("B", "B", berlin, "DE", map[string]int64{"CAP": 1})
	b.HandlingDays = 4
	d := Decide(Input{Order: order("TEE", 1, "CAP", 1), Candidates: []Candidate{a, b}, Now: wednesday10})
	if len(d.Shipments) != 2 || !d.PromiseShipBy.Equal(reportOf(t, d, "B").Figures.ShipBy) || !d.PromiseDeliverBy.Equal(reportOf(t, d, "B").Figures.DeliverBy) {
		t.Fatalf("%s", dump(d))
	}
}

func TestZonesGivenOrLoadedAgree(t *testing.T) {
	in := Input{Order: order("TEE", 1), Now: wednesday10, Candidates: []Candidate{
		with(loc("A", "A", lyon, "FR", map[string]int64{"TEE": 1}), func(c *Candidate) { c.Timezone = "America/New_York" }),
		with(loc("B", "B", lyon, "FR", map[string]int64{"TEE": 1}), func(c *Candidate) { c.Timezone = "bad" }),
	}}
	cold := mustJSON(t, Decide(in))
	in.Zones = LoadZones(in.Candidates)
	if warm := mustJSON(t, Decide(in)); warm != cold {
		t.Fatalf("preloaded zones changed the decision:\n%s\n%s", cold, warm)
	}
}
