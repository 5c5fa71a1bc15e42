package privacy

import (
	"context"
	"fmt"
	"time"
)

// Request is a customer's request for her data that a channel passed on.
type Request struct {
	At          time.Time
	Channel     string
	CustomerRef string // "customer #" and a SHA-256 prefix of the email
	ExternalIDs string // the channel's order ids it names, space-separated
}

// Requests are the newest data requests, up to limit.
func (s *Service) Requests(ctx context.Context, limit int) ([]Request, error) {
	rows, err := s.core.Read().ListPrivacyRequests(ctx, int64(limit))
	if err != nil {
		return nil, fmt.Errorf("list privacy requests: %w", err)
	}
	out := make([]Request, 0, len(rows))
	for _, r := range rows {
		out = append(out, Request{At: time.UnixMilli(r.ReceivedAt).UTC(), Channel: r.Channel, CustomerRef: r.CustomerRef, ExternalIDs: r.ExternalIds})
	}
	return out, nil
}
