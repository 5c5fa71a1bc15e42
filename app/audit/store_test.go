package audit_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/audit"
)

// recordAt appends an entry as of at.
func recordAt(t *testing.T, a *app.App, at time.Time, e audit.Entry) {
	t.Helper()
	err := a.Write(context.Background(), func(tx app.Tx) error { return audit.Record(context.Background(), tx.At(at), e) })
	if err != nil {
		t.Fatal(err)
	}
}

// rawDB opens a's database file directly, as someone with a SQL shell would.
func rawDB(t *testing.T, a *app.App) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestTheDatabaseRefusesToChangeOrDeleteEntries(t *testing.T) {
	a := apptest.NewApp(t)
	recordAt(t, a, a.Now().Add(-20*24*time.Hour), audit.Entry{Actor: admin, Action: audit.UserCreated, Detail: "created"})
	db := rawDB(t, a)
	for _, stmt := range []string{
		"UPDATE audit_log SET detail = 'nothing happened'",
		"UPDATE audit_log SET at = 0",
		"DELETE FROM audit_log",
		"DELETE FROM audit_log WHERE at > 0",
	} {
		_, err := db.Exec(stmt)
		if err == nil || (!strings.Contains(err.Error(), "append-only") && !strings.Contains(err.Error(), "retention")) {
			t.Errorf("%s: %v, want a refusal", stmt, err)
		}
	}
	if n := len(entries(t, a)); n != 1 {
		t.Errorf("%d entries after the refusals, want 1", n)
	}
	// Past the retention (365 days unset, then 90 set), a row may go.
	recordAt(t, a, a.Now().AddDate(0, 0, -100), audit.Entry{Actor: admin, Action: audit.UserChanged})
	if _, err := db.Exec("DELETE FROM audit_log WHERE action = 'user.changed'"); err == nil {
		t.Error("a 100-day-old entry was deleted under the default 365 days")
	}
	if _, err := audit.New(a).SetRetention(context.Background(), admin, audit.RetentionForm{Days: "90"}); err != nil {
		t.Fatal(err)
	}
	if items := entries(t, a); len(items) != 3 || items[0].Action != audit.AuditPurged {
		t.Errorf("after retention 90: %+v, want the purge, its setting and the young entry", items)
	}
	if _, err := db.Exec("DELETE FROM settings WHERE key = 'audit_retention_days'"); err != nil {
		t.Fatal(err)
	}
	// Lowering the retention below the floor does not let young rows go.
	if _, err := db.Exec("INSERT INTO settings (key, value) VALUES ('audit_retention_days', CAST('1' AS BLOB))"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM audit_log"); err == nil {
		t.Error("a 20-day-old entry was deleted under a 1-day retention (the floor is 30 days)")
	}
}

func TestRetentionPurgesOnlyOlderEntries(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := context.Background()
	now := a.Now()
	recordAt(t, a, now.AddDate(0, 0, -400), audit.Entry{Actor: admin, Action: audit.UserCreated, ObjectRef: "old"})
	recordAt(t, a, now.AddDate(0, 0, -100), audit.Entry{Actor: admin, Action: audit.UserCreated, ObjectRef: "middle"})
	recordAt(t, a, now.AddDate(0, 0, -1), audit.Entry{Actor: admin, Action: audit.UserCreated, ObjectRef: "young"})
	svc := audit.New(a)
	if n, err := svc.Purge(ctx); err != nil || n != 1 {
		t.Fatalf("purge at the default 365 days: %d, %v; want 1", n, err)
	}
	for _, bad := range []string{"", "abc", "10", "99999", "-5", "36.5"} {
		_, err := svc.SetRetention(ctx, admin, audit.RetentionForm{Days: bad})
		var ae *app.Error
		if !errors.As(err, &ae) || ae.Kind != app.KindInvalid || ae.Fields["days"] == "" {
			t.Errorf("retention %q: %v, want a problem with days", bad, err)
		}
	}
	if d, _ := svc.Retention(ctx); d != audit.DefaultRetentionDays {
		t.Errorf("retention %d after bad input, want %d", d, audit.DefaultRetentionDays)
	}
	if _, err := svc.SetRetention(ctx, app.Actor{Kind: app.ActorUser, Role: app.RoleOps, Name: "Olly"}, audit.RetentionForm{Days: "30"}); err == nil {
		t.Error("an ops user set the retention")
	}
	n, err := svc.SetRetention(ctx, admin, audit.RetentionForm{Days: "90"})
	if err != nil || n != 1 {
		t.Fatalf("retention 90: purged %d, %v; want 1", n, err)
	}
	var refs []string
	for _, it := range entries(t, a) {
		if it.Action == audit.UserCreated {
			refs = append(refs, it.ObjectRef)
		}
	}
	if strings.Join(refs, " ") != "young" {
		t.Errorf("kept %v, want only the young entry", refs)
	}
	items := entries(t, a)
	find(t, items, audit.RetentionChanged)
	find(t, items, audit.AuditPurged)
}

func TestListFiltersPagesAndExportsSafely(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := context.Background()
	now := a.Now()
	evil := app.Actor{Kind: app.ActorUser, ID: 7, Name: "=HYPERLINK(\"http://evil\")"}
	for i := range 5 {
		recordAt(t, a, now.Add(time.Duration(i-10)*time.Minute), audit.Entry{Actor: admin, Action: audit.SessionEnded, ObjectKind: "user", ObjectRef: "3"})
	}
	recordAt(t, a, now.Add(-time.Minute), audit.Entry{Actor: evil, Action: audit.CSVExported, ObjectKind: "export", ObjectRef: "orders", Detail: "+1 then @me"})
	svc := audit.New(a)
	p1, err := svc.List(ctx, audit.Query{Action: audit.SessionEnded, Limit: 3})
	if err != nil || len(p1.Items) != 3 || p1.Next == "" {
		t.Fatalf("first page: %+v, %v", p1, err)
	}
	p2, err := svc.List(ctx, audit.Query{Action: audit.SessionEnded, Limit: 3, After: p1.Next})
	if err != nil || len(p2.Items) != 2 || p2.Next != "" || !p2.Items[0].At.Before(p1.Items[2].At) {
		t.Fatalf("second page: %+v, %v", p2, err)
	}
	if p, _ := svc.List(ctx, audit.Query{Actor: "ada admin"}); len(p.Items) != 5 {
		t.Errorf("actor filter: %d entries, want 5", len(p.Items))
	}
	if p, _ := svc.List(ctx, audit.Query{ObjectKind: "export", ObjectRef: "orders"}); len(p.Items) != 1 || p.Items[0].Action != audit.CSVExported {
		t.Errorf("object filter: %+v, want the export", p.Items)
	}
	if p, _ := svc.List(ctx, audit.Query{Actor: "ADA ADMIN", Action: audit.SessionEnded, Limit: 2}); len(p.Items) != 2 || p.Next == "" {
		t.Errorf("actor and action: %+v, want a page of 2 and more", p)
	}
	if p, _ := svc.List(ctx, audit.Query{From: now.Add(-90 * time.Second)}); len(p.Items) != 1 {
		t.Errorf("from filter: %d entries, want 1", len(p.Items))
	}
	if _, err := svc.List(ctx, audit.Query{Action: "nonsense"}); err == nil {
		t.Error("an unknown action was accepted")
	}
	var buf bytes.Buffer
	if err := svc.Export(ctx, audit.Query{Action: audit.CSVExported}, time.UTC, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("CSV: %v, %v", recs, err)
	}
	for _, cell := range recs[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("cell %q is not neutralised", cell)
		}
	}
}

func TestRunPurgesPurgesAtOnceAndStops(t *testing.T) {
	a := apptest.NewApp(t)
	recordAt(t, a, a.Now().AddDate(0, 0, -400), audit.Entry{Actor: admin, Action: audit.UserCreated})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { audit.New(a).RunPurges(ctx, time.Hour); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		items := entries(t, a)
		if len(items) == 1 && items[0].Action == audit.AuditPurged {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not purged: %+v", items)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunPurges did not stop with its context")
	}
}
