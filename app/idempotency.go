package app

import "sync"

// pendingKeys remembers the Idempotency-Keys whose first request is still
// being answered, so that a second request with the same key is told to wait.
// One process owns the database file, so memory is the right place for it.
type pendingKeys struct {
	mu   sync.Mutex
	keys map[pendingKey]struct{}
}

// pendingKey names a key: keys are per API key.
type pendingKey struct {
	apiKey int64
	key    string
}

// newPendingKeys returns an empty set.
func newPendingKeys() *pendingKeys { return &pendingKeys{keys: map[pendingKey]struct{}{}} }

// BeginIdempotent marks idem's key as in flight and returns the function that
// ends that; a key already in flight is a Conflict (409).
func (a *App) BeginIdempotent(idem IdempotencyIn) (func(), error) {
	k := pendingKey{apiKey: idem.APIKeyID, key: idem.Key}
	p := a.pending
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, busy := p.keys[k]; busy {
		return nil, Conflict("a request with this Idempotency-Key is still being processed: retry in a moment")
	}
	p.keys[k] = struct{}{}
	return func() {
		p.mu.Lock()
		delete(p.keys, k)
		p.mu.Unlock()
	}, nil
}
