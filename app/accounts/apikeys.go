package accounts

import (
	"switchyard/app"

	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/app/audit"
	store "switchyard/sql"
)

// Scopes an integration's API key may hold, together (see API.md).
var Scopes = []string{
	"catalog:write", "stock:read", "stock:write", "orders:read", "orders:write",
	"fulfillments:write", "routing:write", "returns:write", "inbound:read", "inbound:write",
}

// WismoScope is the scope of an assistant's key (a chat vendor's), a key of
// its own kind: it may ask POST /api/v1/wismo what a customer may know of
// their order, and holds no other scope.
const WismoScope = "wismo:read"

// ScopeWords says in a sentence what each scope lets a key do.
var ScopeWords = map[string]string{
	"catalog:write":      "Create and change SKUs, locations and channels (and read them).",
	"stock:read":         "Read stock levels and what each channel may sell.",
	"stock:write":        "Count and adjust stock (and read it).",
	"orders:read":        "Read orders, fulfillments lists and the routing rules.",
	"orders:write":       "Place orders and act on them: hold, release, cancel, change the address, add notes, reroute.",
	"fulfillments:write": "Accept, reject, ship and deliver fulfillments (a warehouse system or 3PL).",
	"routing:write":      "Edit the draft routing rules and publish them.",
	"returns:write":      "Start, approve, decline, cancel, receive and refund returns (and read them).",
	WismoScope:           "An assistant's key (a chat vendor's): answer a customer who gives their order's name and email or postal code, and nothing else. It holds no other scope.",
	"inbound:read":       "Read purchase orders and transfers on their way in.",
	"inbound:write":      "Create, send, ship, receive, cancel and close purchase orders and transfers (and read them).",
}

// apiKeyPrefix starts every key, so that leaked keys are easy to recognise.
const apiKeyPrefix = "sy_"

// APIKey is a key's record; the key itself is never stored.
type APIKey struct {
	ID         int64
	Name       string
	Prefix     string // the first characters, to recognise the key in lists
	Scopes     []string
	Channel    string // the channel it may create orders for, or ""
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// HasScope reports whether the key grants scope.
func (k APIKey) HasScope(scope string) bool { return slices.Contains(k.Scopes, scope) }

// Actor is the key acting as a party in audit trails and timelines.
func (k APIKey) Actor() app.Actor {
	return app.Actor{Kind: app.ActorAPIKey, ID: k.ID, Name: k.Name, Channel: k.Channel}
}

// NewAPIKey is the input for creating an API key.
type NewAPIKey struct {
	Name    string   `form:"name" validate:"required,max=100"`
	Scopes  []string `form:"scopes" validate:"min=1"`
	Channel string   `form:"channel" validate:"max=64"`
}

// CreateAPIKey makes a key, stores only its SHA-256, and returns the key once.
func (a *Service) CreateAPIKey(ctx context.Context, actor app.Actor, in NewAPIKey) (string, APIKey, error) {
	if err := actor.RequireAdmin(); err != nil {
		return "", APIKey{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Channel = strings.TrimSpace(in.Channel)
	in.Scopes = app.CleanCodes(in.Scopes)
	if err := app.Validate("API key is invalid", in); err != nil {
		return "", APIKey{}, err
	}
	for _, s := range in.Scopes {
		if !slices.Contains(Scopes, s) && s != WismoScope {
			return "", APIKey{}, app.InvalidField("scopes", fmt.Sprintf("unknown scope %q (known: %s, and %s alone)", s, strings.Join(Scopes, ", "), WismoScope))
		}
	}
	if slices.Contains(in.Scopes, WismoScope) && len(in.Scopes) > 1 {
		return "", APIKey{}, app.InvalidField("scopes", WismoScope+" is an assistant's key and holds no other scope: make a separate key for the rest")
	}
	if in.Channel != "" {
		if err := a.requireChannel(ctx, in.Channel); err != nil {
			return "", APIKey{}, err
		}
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", APIKey{}, fmt.Errorf("generate key: %w", err)
	}
	key := apiKeyPrefix + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(key))
	var id int64
	err := a.core.Write(ctx, func(tx app.Tx) error {
		var err error
		id, err = tx.Q.CreateAPIKey(ctx, store.CreateAPIKeyParams{
			Name: in.Name, Prefix: key[:len(apiKeyPrefix)+8], KeyHash: sum[:],
			Scopes: strings.Join(in.Scopes, ","), ChannelCode: app.NullString(in.Channel),
			CreatedBy: actor.Name, CreatedAt: app.Millis(tx.Now),
		})
		if err != nil {
			return fmt.Errorf("insert API key: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.APIKeyCreated, ObjectKind: "api_key",
			ObjectRef: strconv.FormatInt(id, 10), Detail: apiKeyDetail(in)})
	})
	if err != nil {
		return "", APIKey{}, err
	}
	return key, APIKey{
		ID: id, Name: in.Name, Prefix: key[:len(apiKeyPrefix)+8], Scopes: in.Scopes,
		Channel: in.Channel, CreatedBy: actor.Name, CreatedAt: a.core.Now(),
	}, nil
}

// requireChannel refuses a key bound to a channel that does not exist,
// naming the field and the channels there are.
func (a *Service) requireChannel(ctx context.Context, code string) error {
	chans, err := a.core.Channels(ctx)
	if err != nil {
		return err
	}
	codes := make([]string, len(chans))
	for i, c := range chans {
		codes[i] = c.Code
	}
	if slices.Contains(codes, code) {
		return nil
	}
	if len(codes) == 0 {
		return app.InvalidField("channel", fmt.Sprintf("there is no channel %q: there are no channels yet", code))
	}
	return app.InvalidField("channel", fmt.Sprintf("there is no channel %q (there are: %s)", code, strings.Join(codes, ", ")))
}

// AuthenticateAPIKey returns the live key matching raw, or Unauthorized.
func (a *Service) AuthenticateAPIKey(ctx context.Context, raw string) (APIKey, error) {
	if !strings.HasPrefix(raw, apiKeyPrefix) {
		return APIKey{}, app.Unauthorized("the API key is not valid")
	}
	sum := sha256.Sum256([]byte(raw))
	row, err := a.core.Read().GetAPIKeyByHash(ctx, sum[:])
	if store.IsNoRows(err) {
		return APIKey{}, app.Unauthorized("the API key is not valid or was revoked")
	}
	if err != nil {
		return APIKey{}, fmt.Errorf("look up API key: %w", err)
	}
	key := apiKeyFromRow(row)
	if now := a.core.Now(); key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) > time.Minute {
		// At most one write a minute per key, so that busy keys cost no extra commits.
		if err := a.core.Write(ctx, func(tx app.Tx) error {
			return tx.Q.TouchAPIKey(ctx, store.TouchAPIKeyParams{LastUsedAt: app.NullInt(app.Millis(tx.Now)), ID: key.ID})
		}); err != nil {
			return APIKey{}, fmt.Errorf("note API key use: %w", err)
		}
	}
	return key, nil
}

// ListAPIKeys returns every key, live ones first.
func (a *Service) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	rows, err := a.core.Read().ListAPIKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	keys := make([]APIKey, len(rows))
	for i, r := range rows {
		keys[i] = apiKeyFromRow(r)
	}
	return keys, nil
}

// RevokeAPIKey stops a key from working.
func (a *Service) RevokeAPIKey(ctx context.Context, actor app.Actor, id int64) error {
	if err := actor.RequireAdmin(); err != nil {
		return err
	}
	return a.core.Write(ctx, func(tx app.Tx) error {
		n, err := tx.Q.RevokeAPIKey(ctx, store.RevokeAPIKeyParams{RevokedAt: app.NullInt(app.Millis(tx.Now)), ID: id})
		if err != nil {
			return fmt.Errorf("revoke API key: %w", err)
		}
		if n == 0 {
			return app.NotFound("no live API key with id %d", id)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.APIKeyRevoked, ObjectKind: "api_key",
			ObjectRef: strconv.FormatInt(id, 10), Detail: "revoked"})
	})
}

// apiKeyFromRow maps a database row to an APIKey.
func apiKeyFromRow(r store.ApiKey) APIKey {
	k := APIKey{
		ID: r.ID, Name: r.Name, Prefix: r.Prefix, Scopes: strings.Split(r.Scopes, ","),
		Channel: r.ChannelCode.String, CreatedBy: r.CreatedBy, CreatedAt: app.FromMillis(r.CreatedAt),
	}
	if r.LastUsedAt.Valid {
		t := app.FromMillis(r.LastUsedAt.Int64)
		k.LastUsedAt = &t
	}
	if r.RevokedAt.Valid {
		t := app.FromMillis(r.RevokedAt.Int64)
		k.RevokedAt = &t
	}
	return k
}

// Reach is what the key reaches (see Actor.Reach).
func (k APIKey) Reach() app.Reach { return k.Actor().Reach() }
