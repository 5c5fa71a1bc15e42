package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchSummary is the last line `switchyard bench intake` prints.
var benchSummary = regexp.MustCompile(`^intake: (\d+) orders/s, p50 (\d+\.\d) ms, p99 (\d+\.\d) ms, errors (\d+), ceiling (\d+) orders/s, ratio (\d+\.\d\d)$`)

func TestBenchIntake(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and writes a few hundred orders twice")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "bench.db")
	out, m := runBenchCmd(t, benchSummary, "bench", "intake", "--orders", "300", "--concurrency", "8", "--db", db)
	if !strings.Contains(out.String(), "0 ledger mismatches, 0 reserved mismatches, 0 chain breaks, 0 kit mismatches: OK") {
		t.Errorf("after the run the stock invariants must be checked and hold; output:\n%s", out.String())
	}
	for i, name := range map[int]string{1: "intake", 5: "ceiling"} {
		if n, _ := strconv.Atoi(m[i]); n <= 0 {
			t.Errorf("%s %s orders/s, want more than 0", name, m[i])
		}
	}
	if p50, p99 := m[2], m[3]; mustFloat(t, p50) > mustFloat(t, p99) {
		t.Errorf("p50 %s ms above p99 %s ms", p50, p99)
	}

	// Every order went through the API into --db, and the ceiling's
	// temporary database was removed.
	if n := countRowsWhere(t, db, "orders", "external_id LIKE 'bench-%'"); n != 300 {
		t.Errorf("orders from the bench in --db = %d, want 300", n)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "bench.db") {
			t.Errorf("%s left behind in the database's directory", e.Name())
		}
	}
}

// TestBenchWired checks that `switchyard bench` reaches app/bench, flags
// and environment included; TestBenchIntake and TestBenchWebhooks run it.
// hookBenchSummary is the last line `switchyard bench webhooks` prints.
var hookBenchSummary = regexp.MustCompile(`^webhooks: (\d+) orders/s, p50 (\d+\.\d) ms, p99 (\d+\.\d) ms, errors (\d+)$`)

// hookBenchCreated is its line on the orders the database holds afterwards.
var hookBenchCreated = regexp.MustCompile(`(?m)^  orders created (\d+) of (\d+) deliveries .*: OK$`)

func TestBenchWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and takes in a few hundred webhooks")
	}
	db := filepath.Join(t.TempDir(), "hooks.db")
	out, m := runBenchCmd(t, hookBenchSummary, "bench", "webhooks", "--orders", "200", "--concurrency", "8", "--db", db)
	if n, _ := strconv.Atoi(m[1]); n <= 0 {
		t.Errorf("%s orders/s, want more than 0", m[1])
	}
	if p50, p99 := m[2], m[3]; mustFloat(t, p50) > mustFloat(t, p99) {
		t.Errorf("p50 %s ms above p99 %s ms", p50, p99)
	}
	if c := hookBenchCreated.FindStringSubmatch(out.String()); c == nil || c[1] != "200" || c[2] != "200" {
		t.Errorf("want \"orders created 200 of 200 deliveries ...: OK\"; output:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "0 ledger mismatches, 0 reserved mismatches, 0 chain breaks, 0 kit mismatches: OK") {
		t.Errorf("after the run the stock invariants must be checked and hold; output:\n%s", out.String())
	}

	// In the database: one order per delivery, 100 from each channel, with
	// the exact ids sent (Shopify's above 2^53) and SKUs that route.
	of := func(channel string) string {
		return "channel_id IN (SELECT id FROM channels WHERE code = '" + channel + "')"
	}
	if n := countRowsWhere(t, db, "orders", of("bench-shopify")+" AND CAST(external_id AS INTEGER) > 7000000000000000000"); n != 100 {
		t.Errorf("Shopify orders with ids above 7e18 = %d, want 100", n)
	}
	if n := countRowsWhere(t, db, "orders", of("bench-woo")); n != 100 {
		t.Errorf("WooCommerce orders = %d, want 100", n)
	}
	if n := countRowsWhere(t, db, "orders", of("bench-woo")+" AND status = 'routed'"); n != 100 {
		t.Errorf("routed WooCommerce orders = %d, want 100 (their lines carry stocked SKUs)", n)
	}
}

func TestBenchWired(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"bench"}, nil, "usage: switchyard bench intake"},
		{[]string{"bench", "intake"}, map[string]string{"SWITCHYARD_URL": "http://127.0.0.1:1"}, "--url needs --key"},
		{[]string{"bench", "webhooks", "--orders", "0"}, nil, "--orders must be from 1"},
	} {
		if _, _, err := cli(t, "", tc.env, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

// countRowsWhere counts the rows of table that match where.
func countRowsWhere(t *testing.T, path, table, where string) int {
	t.Helper()
	var n int
	if err := openRaw(t, path).QueryRow("SELECT count(*) FROM " + table + " WHERE " + where).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// runBenchCmd runs a bench command to its end and returns its output and the
// fields summary matches in its last line, failing the test when it fails,
// its last line does not match, or it counted errors (the fourth field).
func runBenchCmd(t *testing.T, summary *regexp.Regexp, args ...string) (*bytes.Buffer, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	if err := run(ctx, args, func(string) string { return "" }, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("%s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	m := summary.FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("last line %q does not have the bench format; output:\n%s", last, out.String())
	}
	if m[4] != "0" {
		t.Fatalf("errors %s, want 0; stderr:\n%s", m[4], errOut.String())
	}
	return &out, m
}
