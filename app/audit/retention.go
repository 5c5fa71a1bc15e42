package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// Retention bounds, in days. The delete trigger of migration 0027 reads the
// same setting and never lets a row younger than MinRetentionDays go.
const (
	DefaultRetentionDays = 365
	MinRetentionDays     = 30
	MaxRetentionDays     = 3650
	retentionSetting     = "audit_retention_days"
)

// RetentionForm is what the retention form posts.
type RetentionForm struct {
	Days string `form:"days" validate:"required,numeric,max=4"`
}

// Retention is how many days the log keeps its entries.
func (s *Service) Retention(ctx context.Context) (int, error) { return retention(ctx, s.core.Read()) }

// retention reads the retention through q.
func retention(ctx context.Context, q *store.Queries) (int, error) {
	v, err := q.GetSetting(ctx, retentionSetting)
	if store.IsNoRows(err) {
		return DefaultRetentionDays, nil
	} else if err != nil {
		return 0, fmt.Errorf("get audit retention: %w", err)
	}
	days, err := strconv.Atoi(string(v))
	if err != nil {
		return DefaultRetentionDays, nil
	}
	return days, nil
}

// SetRetention checks f, stores the retention, records the change, and
// purges the entries older than the new retention, all in one transaction.
// Only admins may; bad input writes nothing. It returns how many entries went.
func (s *Service) SetRetention(ctx context.Context, actor app.Actor, f RetentionForm) (int64, error) {
	if err := actor.RequireAdmin(); err != nil {
		return 0, err
	}
	f.Days = strings.TrimSpace(f.Days)
	days, err := checkRetention(f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.core.Write(ctx, func(tx app.Tx) error {
		old, err := retention(ctx, tx.Q)
		if err != nil {
			return err
		}
		if err := tx.Q.PutSetting(ctx, store.PutSettingParams{Key: retentionSetting, Value: []byte(strconv.Itoa(days))}); err != nil {
			return fmt.Errorf("save audit retention: %w", err)
		}
		detail := fmt.Sprintf("retention changed from %d to %d days", old, days)
		if err := Record(ctx, tx, Entry{Actor: actor, Action: RetentionChanged, ObjectKind: "setting", ObjectRef: retentionSetting, Detail: detail}); err != nil {
			return err
		}
		n, err = purge(ctx, tx, days)
		return err
	})
	return n, err
}

// checkRetention validates the form and returns the days.
func checkRetention(f RetentionForm) (int, error) {
	fields := app.CheckStruct(f)
	days, err := strconv.Atoi(f.Days)
	if f.Days != "" && (fields["days"] != "" || err != nil || days < MinRetentionDays || days > MaxRetentionDays) {
		fields["days"] = fmt.Sprintf("must be a whole number of days from %d to %d", MinRetentionDays, MaxRetentionDays)
	}
	return days, fields.Err("check the retention")
}

// Purge deletes the entries older than the retention and records how many
// went (when any did). serve runs it daily (RunPurges).
func (s *Service) Purge(ctx context.Context) (int64, error) {
	var n int64
	err := s.core.Write(ctx, func(tx app.Tx) error {
		days, err := retention(ctx, tx.Q)
		if err != nil {
			return err
		}
		n, err = purge(ctx, tx, days)
		return err
	})
	return n, err
}

// purge deletes the entries older than days in tx and records it when any went.
func purge(ctx context.Context, tx app.Tx, days int) (int64, error) {
	cutoff := tx.Now.Add(-time.Duration(max(days, MinRetentionDays)) * 24 * time.Hour)
	n, err := tx.Q.PurgeAudit(ctx, app.Millis(cutoff))
	if err != nil {
		return 0, fmt.Errorf("purge audit log: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	detail := fmt.Sprintf("purged %d entries older than %d days", n, days)
	return n, Record(ctx, tx, Entry{Actor: app.System, Action: AuditPurged, ObjectKind: "audit_log", Detail: detail})
}

// RunPurges purges the log now and then every interval until ctx ends,
// logging what went and any failure: serve runs it with a day's interval.
func (s *Service) RunPurges(ctx context.Context, every time.Duration) {
	s.core.RunEvery(ctx, every, "audit purge", s.Purge)
}
