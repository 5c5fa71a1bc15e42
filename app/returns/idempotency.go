package returns

import (
	"context"
	"crypto/subtle"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// Answer is the first answer to an API request with an Idempotency-Key.
type Answer struct {
	Status int
	Return Return
}

// LookupIdempotency returns the answer already given to this key, if any:
// the same body gets the same answer, another body is refused (422).
func (s *Service) LookupIdempotency(ctx context.Context, idem app.IdempotencyIn) (*Answer, error) {
	row, err := s.core.Read().GetReturnIdempotencyKey(ctx, store.GetReturnIdempotencyKeyParams{ApiKeyID: idem.APIKeyID, Key: idem.Key})
	if store.IsNoRows(err) || (err == nil && app.FromMillis(row.CreatedAt).Before(s.core.Now().Add(-app.IdempotencyKeep))) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up idempotency key: %w", err)
	}
	if subtle.ConstantTimeCompare(row.RequestHash, idem.Hash) != 1 {
		return nil, app.InvalidField("Idempotency-Key", "was already used with a different request body")
	}
	r, err := s.byID(ctx, row.ReturnID)
	if err != nil {
		return nil, err
	}
	return &Answer{Status: int(row.StatusCode), Return: r}, nil
}

// remember stores an API request's Idempotency-Key with its answer, in the
// transaction that made the return.
func remember(ctx context.Context, tx app.Tx, idem *app.IdempotencyIn, status, returnID int64) error {
	if idem == nil {
		return nil
	}
	if err := tx.Q.PruneReturnIdempotencyKeys(ctx, app.Millis(tx.Now.Add(-app.IdempotencyKeep))); err != nil {
		return fmt.Errorf("prune idempotency keys: %w", err)
	}
	err := tx.Q.InsertReturnIdempotencyKey(ctx, store.InsertReturnIdempotencyKeyParams{ApiKeyID: idem.APIKeyID, Key: idem.Key,
		RequestHash: idem.Hash, StatusCode: status, ReturnID: returnID, CreatedAt: app.Millis(tx.Now)})
	if store.IsUniqueViolation(err) {
		return app.Conflict("a request with this Idempotency-Key was answered meanwhile: send it again to get that answer")
	}
	if err != nil {
		return fmt.Errorf("store idempotency key: %w", err)
	}
	return nil
}
