package routing

import "time"

// defaultTransitDays is the transit time assumed when no zone rate matches.
const defaultTransitDays = 3

// maxWorkingDays bounds handling and transit days so bad input cannot make
// date arithmetic run away (ten years of working days).
const maxWorkingDays = 2600

// day is a local calendar date, held as midnight UTC so that adding days
// never meets a daylight-saving shift.
type day = time.Time

// promise computes the ship-by and deliver-by instants for a location.
//
// The next dispatch is today (local) when now is a working day (Mon–Fri)
// before the cut-off, otherwise the next working day; handling working days
// give the ship-by day and transit working days the deliver-by day. Each is
// reported as 23:59:59 local time on that day, converted to UTC.
func promise(now time.Time, loc *time.Location, cutoff string, handling, transit int) (shipBy, deliverBy time.Time) {
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	dispatch := today
	if !isWorkingDay(today) || !beforeCutoff(local, cutoff) {
		dispatch = nextWorkingDay(today)
	}
	ship := addWorkingDays(dispatch, handling)
	deliver := addWorkingDays(ship, transit)
	return endOfDay(ship, loc), endOfDay(deliver, loc)
}

// beforeCutoff reports whether the local time is strictly before the
// "HH:MM" cut-off; an empty or malformed cut-off never stops a dispatch.
func beforeCutoff(local time.Time, cutoff string) bool {
	mins, ok := parseClock(cutoff)
	if !ok {
		return true
	}
	secs := local.Hour()*3600 + local.Minute()*60 + local.Second()
	return secs < mins*60
}

// parseClock reads "H:MM" or "HH:MM" (00:00 to 23:59) as minutes after midnight.
func parseClock(s string) (int, bool) {
	if len(s) == 4 {
		s = "0" + s
	}
	if len(s) != 5 || s[2] != ':' || !allDigits(s[:2]) || !allDigits(s[3:]) {
		return 0, false
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// isWorkingDay reports whether d falls Monday to Friday.
func isWorkingDay(d day) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// nextWorkingDay returns the first working day after d.
func nextWorkingDay(d day) day {
	for {
		d = d.Add(24 * time.Hour)
		if isWorkingDay(d) {
			return d
		}
	}
}

// addWorkingDays moves n working days on from the working day d
// (n below zero counts as zero).
func addWorkingDays(d day, n int) day {
	n = min(max(n, 0), maxWorkingDays)
	d = d.Add(time.Duration(n/5) * 7 * 24 * time.Hour)
	for range n % 5 {
		d = nextWorkingDay(d)
	}
	return d
}

// endOfDay returns 23:59:59 of the calendar day d in loc, in UTC.
func endOfDay(d day, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc).UTC()
}
