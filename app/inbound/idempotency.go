package inbound

import (
	"context"
	"crypto/subtle"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// The API requests an Idempotency-Key may guard.
const (
	actionCreate  = "create"
	actionReceive = "receive"
	actionShip    = "ship"
)

// Answer is the first answer to an API request with an Idempotency-Key.
type Answer struct {
	Status  int
	Inbound Inbound
}

// LookupIdempotency returns the answer already given to this key for the
// same request (action, e.g. "receive", and body), if any; the key used with
// another request is refused (422).
func (s *Service) LookupIdempotency(ctx context.Context, action string, idem app.IdempotencyIn) (*Answer, error) {
	row, err := s.core.Read().GetInboundIdempotencyKey(ctx, store.GetInboundIdempotencyKeyParams{ApiKeyID: idem.APIKeyID, Key: idem.Key})
	if store.IsNoRows(err) || (err == nil && app.FromMillis(row.CreatedAt).Before(s.core.Now().Add(-app.IdempotencyKeep))) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up idempotency key: %w", err)
	}
	if row.Action != action || subtle.ConstantTimeCompare(row.RequestHash, idem.Hash) != 1 {
		return nil, app.InvalidField("Idempotency-Key", "was already used with a different request")
	}
	number, err := s.core.Read().GetInboundNumber(ctx, row.InboundID)
	if err != nil {
		return nil, fmt.Errorf("idempotent inbound: %w", err)
	}
	in, err := s.Get(ctx, app.System, number)
	if err != nil {
		return nil, err
	}
	return &Answer{Status: int(row.StatusCode), Inbound: in}, nil
}

// remember stores an API request's Idempotency-Key with its answer, in the
// transaction that acted on the inbound.
func remember(ctx context.Context, tx app.Tx, idem *app.IdempotencyIn, action string, status, inboundID int64) error {
	if idem == nil {
		return nil
	}
	if err := tx.Q.PruneInboundIdempotencyKeys(ctx, app.Millis(tx.Now.Add(-app.IdempotencyKeep))); err != nil {
		return fmt.Errorf("prune idempotency keys: %w", err)
	}
	err := tx.Q.InsertInboundIdempotencyKey(ctx, store.InsertInboundIdempotencyKeyParams{ApiKeyID: idem.APIKeyID, Key: idem.Key,
		Action: action, RequestHash: idem.Hash, StatusCode: status, InboundID: inboundID, CreatedAt: app.Millis(tx.Now)})
	if store.IsUniqueViolation(err) {
		return app.Conflict("a request with this Idempotency-Key was answered meanwhile: send it again to get that answer")
	}
	if err != nil {
		return fmt.Errorf("store idempotency key: %w", err)
	}
	return nil
}
