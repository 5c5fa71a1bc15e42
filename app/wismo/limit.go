package wismo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// count records one attempt for the key and for the order name unless
// either has used its allowance in the window, inside tx: the writer runs
// one transaction at a time and the order is found in the same one, so
// parallel attempts cannot all slip through.
func (s *Service) count(ctx context.Context, tx app.Tx, actor app.Actor, in question) error {
	keys := []struct {
		key string
		max int64
	}{{"key:" + strconv.FormatInt(actor.ID, 10), s.limits.PerKey}, {orderKey(actor.Channel, in.name), s.limits.PerOrder}}
	since := app.Millis(tx.Now.Add(-s.limits.Window))
	if err := tx.Q.PruneWismoAttempts(ctx, since); err != nil {
		return fmt.Errorf("prune wismo attempts: %w", err)
	}
	for _, k := range keys {
		st, err := tx.Q.CountWismoAttempts(ctx, store.CountWismoAttemptsParams{Key: k.key, At: since})
		if err != nil {
			return fmt.Errorf("count wismo attempts: %w", err)
		}
		if st.Attempts >= k.max {
			wait := max(app.FromMillis(st.Oldest).Add(s.limits.Window).Sub(tx.Now), time.Second)
			return &app.Error{Kind: app.KindTooMany, RetryAfter: wait,
				Message: fmt.Sprintf("too many questions: try again in %d minutes", max(int(wait.Round(time.Minute)/time.Minute), 1))}
		}
	}
	for _, k := range keys {
		if err := tx.Q.RecordWismoAttempt(ctx, store.RecordWismoAttemptParams{Key: k.key, At: app.Millis(tx.Now)}); err != nil {
			return fmt.Errorf("record wismo attempt: %w", err)
		}
	}
	return nil
}

// digest keys the attempts without keeping what was asked.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}
