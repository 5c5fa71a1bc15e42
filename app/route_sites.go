package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"switchyard/app/routing"
	store "switchyard/sql"
)

// A decision's input is stored with its candidates' lasting facts (what a
// location is, where, what it serves, its capacity and hours) named by the
// hash of a routing_sites row (migrations/0016_routing_sites.sql), and only
// what changes from order to order inline: each candidate's stock and the
// fulfillments it took that day. decodeInput puts the two back together.

// siteFacts is every location of one network version as a routing candidate
// without stock or usage, encoded, and the hash that names it.
type siteFacts struct {
	hash  string
	facts string
}

// newSiteFacts encodes places and hashes them.
func newSiteFacts(places []routing.Candidate) (*siteFacts, error) {
	b, err := jsonv2.Marshal(places)
	if err != nil {
		return nil, fmt.Errorf("location facts: %w", err)
	}
	sum := sha256.Sum256(b)
	return &siteFacts{hash: hex.EncodeToString(sum[:]), facts: string(b)}, nil
}

// storedInput is a routing input as stored: its candidates' lasting facts by
// reference (Sites), the published rules by their version.
type storedInput struct {
	Sites      string             `json:"sites"`
	Order      routing.Order      `json:"order"`
	Candidates []storedCandidate  `json:"candidates"`
	Rules      routing.RuleSet    `json:"rules"`
	Rates      []routing.ZoneRate `json:"rates"`
	Now        time.Time          `json:"now"`
}

// storedCandidate is what a stored input keeps of a candidate itself; its
// handling costs are kept here, in the order's currency, rather than with
// the location's facts, which hold for orders in every currency.
type storedCandidate struct {
	Code                string                   `json:"code"`
	UsedToday           int64                    `json:"used_today"`
	Stock               map[string]routing.Stock `json:"stock"`
	HandlingPerShipment int64                    `json:"handling_per_shipment,omitempty"`
	HandlingPerUnit     int64                    `json:"handling_per_unit,omitempty"`
	HandlingUnknown     bool                     `json:"handling_unknown,omitempty"`
}

// encodeInput encodes in for storage, its candidates' facts named by sites.
func encodeInput(in routing.Input, sites *siteFacts) ([]byte, error) {
	s := storedInput{Sites: sites.hash, Order: in.Order, Rules: routing.RuleSet{Version: in.Rules.Version},
		Rates: in.Rates, Now: in.Now, Candidates: make([]storedCandidate, len(in.Candidates))}
	for i, c := range in.Candidates {
		s.Candidates[i] = storedCandidate{Code: c.Code, UsedToday: c.UsedToday, Stock: c.Stock,
			HandlingPerShipment: c.HandlingPerShipment, HandlingPerUnit: c.HandlingPerUnit, HandlingUnknown: c.HandlingUnknown}
	}
	b, err := jsonv2.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("routing input: %w", err)
	}
	return b, nil
}

// InputReader decodes stored inputs, reading each set of location facts they
// name once. It is safe for concurrent use.
type InputReader struct {
	q     *store.Queries
	mu    sync.Mutex
	sites map[string]map[string]routing.Candidate // by hash, then location code
}

// NewInputReader reads location facts through q.
func NewInputReader(q *store.Queries) *InputReader {
	return &InputReader{q: q, sites: map[string]map[string]routing.Candidate{}}
}

// Decode returns the input stored as raw, its candidates whole again. Inputs
// stored with whole candidates (before routing_sites) are returned as they are.
func (r *InputReader) Decode(ctx context.Context, raw []byte) (routing.Input, error) {
	var whole struct {
		Sites string `json:"sites"`
		routing.Input
	}
	if err := jsonv2.Unmarshal(raw, &whole); err != nil {
		return routing.Input{}, err
	}
	in := whole.Input
	if whole.Sites == "" {
		return in, nil
	}
	places, err := r.places(ctx, whole.Sites)
	if err != nil {
		return routing.Input{}, err
	}
	for i, c := range in.Candidates {
		p, ok := places[c.Code]
		if !ok {
			return routing.Input{}, fmt.Errorf("location %s is missing from the location facts %s", c.Code, whole.Sites)
		}
		p.UsedToday, p.Stock = c.UsedToday, c.Stock
		p.HandlingPerShipment, p.HandlingPerUnit, p.HandlingUnknown = c.HandlingPerShipment, c.HandlingPerUnit, c.HandlingUnknown
		in.Candidates[i] = p
	}
	return in, nil
}

// places returns the location facts named hash, by location code.
func (r *InputReader) places(ctx context.Context, hash string) (map[string]routing.Candidate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.sites[hash]; ok {
		return m, nil
	}
	facts, err := r.q.GetRoutingSites(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("location facts %s: %w", hash, err)
	}
	var list []routing.Candidate
	if err := jsonv2.Unmarshal([]byte(facts), &list); err != nil {
		return nil, fmt.Errorf("location facts %s: %w", hash, err)
	}
	m := make(map[string]routing.Candidate, len(list))
	for _, c := range list {
		m[c.Code] = c
	}
	r.sites[hash] = m
	return m, nil
}
