package main

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
)

func TestRedactCommand(t *testing.T) {
	a := apptest.OrderNetwork(t)
	if _, _, err := a.PlaceOrder(context.Background(), app.System, apptest.DecodeOrder(t)); err != nil {
		t.Fatal(err)
	}
	db := a.DB().Path()
	out, _, err := cli(t, "", nil, "redact", "--db", db, "--email", "ANA@example.com")
	if err != nil || !strings.Contains(out, "redacted 1 orders of customer #") {
		t.Fatalf("redact: %q %v", out, err)
	}
	if strings.Contains(out, "ana@") {
		t.Errorf("the output names the email: %q", out)
	}
	var left int
	openRaw(t, db).QueryRow(`SELECT count(*) FROM orders WHERE customer_email <> '' OR ship_line1 <> ''`).Scan(&left)
	if left != 0 {
		t.Errorf("%d orders keep personal data", left)
	}
	out, _, err = cli(t, "", nil, "redact", "--db", db, "--email", "ana@example.com")
	if err != nil || !strings.Contains(out, "redacted 0 orders") {
		t.Fatalf("redact again: %q %v", out, err)
	}
	if _, _, err = cli(t, "", nil, "redact", "--db", db, "--email", "nope"); err == nil || !strings.Contains(err.Error(), "email") {
		t.Fatalf("bad email: %v", err)
	}
	if _, _, err = cli(t, "", nil, "redact", "--db", db); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Fatalf("no email: %v", err)
	}
}
