package privacy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/audit"
	store "switchyard/sql"
)

// The age after which finished orders are anonymised: 0 (the default) is
// never, else between MinAnonymiseDays and MaxAnonymiseDays.
const (
	MinAnonymiseDays = 30
	MaxAnonymiseDays = 3650
	anonymiseSetting = "privacy_anonymise_after_days"
)

// AnonymiseAfter is the age in days after which finished orders lose their
// customer's personal data; 0 is never.
func (s *Service) AnonymiseAfter(ctx context.Context) (int, error) {
	return anonymiseAfter(ctx, s.core.Read())
}

// anonymiseAfter reads the setting through q.
func anonymiseAfter(ctx context.Context, q *store.Queries) (int, error) {
	v, err := q.GetSetting(ctx, anonymiseSetting)
	if store.IsNoRows(err) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("get %s: %w", anonymiseSetting, err)
	}
	days, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, nil
	}
	return days, nil
}

// SetAnonymiseAfter stores the age (as typed: "" or "0" is never) and
// records the change; only admins may, and bad input writes nothing.
func (s *Service) SetAnonymiseAfter(ctx context.Context, actor app.Actor, typed string) (int, error) {
	if err := actor.RequireAdmin(); err != nil {
		return 0, err
	}
	days, err := checkDays(typed)
	if err != nil {
		return 0, err
	}
	return days, s.core.Write(ctx, func(tx app.Tx) error {
		old, err := anonymiseAfter(ctx, tx.Q)
		if err != nil {
			return err
		}
		if err := tx.Q.PutSetting(ctx, store.PutSettingParams{Key: anonymiseSetting, Value: []byte(strconv.Itoa(days))}); err != nil {
			return fmt.Errorf("save %s: %w", anonymiseSetting, err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.PrivacyAgeChanged, ObjectKind: "setting",
			ObjectRef: anonymiseSetting, Detail: fmt.Sprintf("anonymise finished orders after %d days (was %d; 0 is never)", days, old)})
	})
}

// checkDays reads the typed age: 0, or within the bounds.
func checkDays(typed string) (int, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return 0, nil
	}
	days, err := strconv.Atoi(typed)
	if err != nil || (days != 0 && (days < MinAnonymiseDays || days > MaxAnonymiseDays)) {
		return 0, app.InvalidField("days", fmt.Sprintf("must be 0 (never) or %d to %d", MinAnonymiseDays, MaxAnonymiseDays))
	}
	return days, nil
}

// Anonymise erases the personal data of the finished orders (shipped,
// delivered, cancelled, returned) placed longer ago than the setting, and
// returns how many it erased; nothing when the setting is 0.
func (s *Service) Anonymise(ctx context.Context) (int, error) {
	days, err := s.AnonymiseAfter(ctx)
	if err != nil || days == 0 {
		return 0, err
	}
	before := app.Millis(s.core.Now().AddDate(0, 0, -days))
	why := fmt.Sprintf("%d days after the order (privacy setting)", days)
	var afterPlaced, afterID int64
	total := 0
	for {
		var rows []store.PrivacyOldOrdersRow
		err := s.core.Write(ctx, func(tx app.Tx) error {
			var err error
			rows, err = tx.Q.PrivacyOldOrders(ctx, store.PrivacyOldOrdersParams{Before: before, AfterPlaced: afterPlaced, AfterID: afterID, Lim: batch})
			if err != nil {
				return fmt.Errorf("old orders: %w", err)
			}
			for _, r := range rows {
				if _, err := eraseOrder(ctx, tx, app.System, r.ID, why); err != nil {
					return err
				}
			}
			if len(rows) == 0 {
				return nil
			}
			return audit.Record(ctx, tx, audit.Entry{Actor: app.System, Action: audit.PrivacyRedacted, ObjectKind: "orders",
				ObjectRef: "older than " + strconv.Itoa(days) + " days", Detail: fmt.Sprintf("anonymised %d finished orders placed over %d days ago", len(rows), days)})
		})
		if err != nil {
			return total, fmt.Errorf("anonymise orders: %w", err)
		}
		total += len(rows)
		if len(rows) < batch {
			return total, nil
		}
		afterPlaced, afterID = rows[len(rows)-1].PlacedAt, rows[len(rows)-1].ID
	}
}

// RunAnonymise anonymises old orders now and every period until ctx ends
// (serve runs it on the leader, as the audit purge).
func (s *Service) RunAnonymise(ctx context.Context, every time.Duration) {
	s.core.RunEvery(ctx, every, "anonymise orders", func(ctx context.Context) (int64, error) {
		n, err := s.Anonymise(ctx)
		return int64(n), err
	})
}
