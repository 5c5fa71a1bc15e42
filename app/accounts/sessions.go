package accounts

import (
	"switchyard/app"

	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"time"

	"switchyard/app/audit"
	store "switchyard/sql"
)

// Server-side sessions: signing in makes a random token (256 bits) that the
// browser keeps in its session cookie; the database keeps only the token's
// SHA-256. Every request looks the record up, so signing out, deactivation, a
// password reset, a role change or an admin ends a session at once.
const (
	// SessionTTL is how long a sign-in lasts, whatever the activity.
	SessionTTL = 12 * time.Hour
	// sessionTouchEvery is how stale a session's last-seen time may get
	// before a request writes it again (not a write per request).
	sessionTouchEvery = time.Minute
	// sessionKeepEnded is how long ended and expired sessions stay before
	// a sign-in deletes them.
	sessionKeepEnded = 24 * time.Hour
	// maxUserAgent bounds the user agent kept with a session, in bytes.
	maxUserAgent = 256
)

// Client says where a sign-in comes from, as the admin sees it.
type Client struct {
	UserAgent string
	IP        string
}

// Session is an open sign-in, as the admin's user page lists it.
type Session struct {
	ID         int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	IP         string
}

// Signed is the user a session token belongs to, and the session's id.
type Signed struct {
	User      User
	SessionID int64
}

// newSessionToken returns 32 random bytes, base64url-encoded.
func newSessionToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // cannot happen on a supported OS
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the database keeps of a session token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// startSession records a new session for userID in tx and returns its token.
// It also deletes the sessions that ended or expired more than a day ago.
func startSession(ctx context.Context, tx app.Tx, userID int64, from Client) (string, error) {
	if err := tx.Q.PruneSessions(ctx, sql.NullInt64{Int64: app.Millis(tx.Now.Add(-sessionKeepEnded)), Valid: true}); err != nil {
		return "", fmt.Errorf("prune sessions: %w", err)
	}
	token := newSessionToken()
	_, err := tx.Q.CreateSession(ctx, store.CreateSessionParams{
		TokenHash: tokenHash(token), UserID: userID,
		CreatedAt: app.Millis(tx.Now), LastSeenAt: app.Millis(tx.Now), ExpiresAt: app.Millis(tx.Now.Add(SessionTTL)),
		UserAgent: clip(from.UserAgent, maxUserAgent), Ip: clip(from.IP, 64),
	})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// clip is app.Clip, control characters dropped.
func clip(s string, n int) string { return app.Clip(s, n, -1) }

// SessionUser returns the user a session token belongs to, or Unauthorized
// when the token is unknown, its session ended or expired, or the user is
// gone or deactivated. It writes the session's last-seen time at most once
// a minute.
func (a *Service) SessionUser(ctx context.Context, token string) (Signed, error) {
	if token == "" {
		return Signed{}, app.Unauthorized("please sign in")
	}
	row, err := a.core.Read().GetSessionByToken(ctx, tokenHash(token))
	if store.IsNoRows(err) {
		return Signed{}, app.Unauthorized("please sign in")
	} else if err != nil {
		return Signed{}, fmt.Errorf("look up session: %w", err)
	}
	now := a.core.Now()
	if row.EndedAt.Valid || app.Millis(now) >= row.ExpiresAt {
		return Signed{}, app.Unauthorized("your session has ended: please sign in again")
	}
	u, err := a.GetUser(ctx, row.UserID)
	if app.ErrorKind(err) == app.KindNotFound {
		return Signed{}, app.Unauthorized("please sign in")
	} else if err != nil {
		return Signed{}, err
	}
	if !u.Active {
		return Signed{}, app.Unauthorized("this account is deactivated: ask an admin")
	}
	if now.Sub(app.FromMillis(row.LastSeenAt)) >= sessionTouchEvery {
		a.touchSession(ctx, row.ID)
	}
	return Signed{User: u, SessionID: row.ID}, nil
}

// touchSession records that a session was just used. A failure is logged,
// not shown: the last-seen time is for the admin's list only.
func (a *Service) touchSession(ctx context.Context, id int64) {
	err := a.core.Write(ctx, func(tx app.Tx) error {
		return tx.Q.TouchSession(ctx, store.TouchSessionParams{LastSeenAt: app.Millis(tx.Now), ID: id})
	})
	if err != nil {
		a.core.Log().Warn("touch session", "session_id", id, "err", err)
	}
}

// SignOut ends the session of token (nothing happens for an unknown one).
func (a *Service) SignOut(ctx context.Context, token string) error {
	return a.endByToken(ctx, token, nil)
}

// LogOut ends the session of token because its user signed out, and says so
// in the audit log (nothing happens for an unknown or ended session).
func (a *Service) LogOut(ctx context.Context, actor app.Actor, token string) error {
	return a.endByToken(ctx, token, func(tx app.Tx) error {
		return recordUser(ctx, tx, actor, audit.SignedOut, actor.ID, "signed out")
	})
}

// endByToken ends the open session of token, then runs record (when given)
// in the same transaction if a session was ended.
func (a *Service) endByToken(ctx context.Context, token string, record func(tx app.Tx) error) error {
	if token == "" {
		return nil
	}
	err := a.core.Write(ctx, func(tx app.Tx) error {
		n, err := tx.Q.EndSessionByToken(ctx, store.EndSessionByTokenParams{EndedAt: nowMS(tx), TokenHash: tokenHash(token)})
		if err != nil || n == 0 || record == nil {
			return err
		}
		return record(tx)
	})
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// ListSessions returns a user's open sessions, the most recently used first.
func (a *Service) ListSessions(ctx context.Context, actor app.Actor, userID int64) ([]Session, error) {
	if err := actor.RequireAdmin(); err != nil {
		return nil, err
	}
	rows, err := a.core.Read().ListOpenSessions(ctx, store.ListOpenSessionsParams{UserID: userID, ExpiresAt: app.Millis(a.core.Now())})
	if err != nil {
		return nil, fmt.Errorf("list sessions of user %d: %w", userID, err)
	}
	out := make([]Session, len(rows))
	for i, r := range rows {
		out[i] = Session{ID: r.ID, CreatedAt: app.FromMillis(r.CreatedAt), LastSeenAt: app.FromMillis(r.LastSeenAt),
			ExpiresAt: app.FromMillis(r.ExpiresAt), UserAgent: r.UserAgent, IP: r.Ip}
	}
	return out, nil
}

// EndSession ends one open session of a user; NotFound when the user has no
// such open session.
func (a *Service) EndSession(ctx context.Context, actor app.Actor, userID, sessionID int64) error {
	if err := actor.RequireAdmin(); err != nil {
		return err
	}
	err := a.core.Write(ctx, func(tx app.Tx) error {
		n, err := tx.Q.EndUserSession(ctx, store.EndUserSessionParams{EndedAt: nowMS(tx), ID: sessionID, UserID: userID})
		if err != nil {
			return fmt.Errorf("end session %d: %w", sessionID, err)
		}
		if n == 0 {
			return app.NotFound("user %d has no open session %d", userID, sessionID)
		}
		return recordUser(ctx, tx, actor, audit.SessionEnded, userID, fmt.Sprintf("ended session %d", sessionID))
	})
	if err != nil {
		return err
	}
	a.core.Log().Info("session ended", "user_id", userID, "session_id", sessionID, "by", actor.Label())
	return nil
}

// EndSessions ends every open session of a user and returns how many there were.
func (a *Service) EndSessions(ctx context.Context, actor app.Actor, userID int64) (int64, error) {
	if err := actor.RequireAdmin(); err != nil {
		return 0, err
	}
	var n int64
	err := a.core.Write(ctx, func(tx app.Tx) error {
		if _, err := tx.Q.GetUser(ctx, userID); store.IsNoRows(err) {
			return app.NotFound("no user with id %d", userID)
		} else if err != nil {
			return fmt.Errorf("get user: %w", err)
		}
		var err error
		if n, err = endAllSessions(ctx, tx, userID); err != nil {
			return err
		}
		return recordUser(ctx, tx, actor, audit.SessionsEnded, userID, fmt.Sprintf("ended %d open sessions", n))
	})
	if err != nil {
		return 0, err
	}
	a.core.Log().Info("sessions ended", "user_id", userID, "count", n, "by", actor.Label())
	return n, nil
}

// endAllSessions ends every open session of userID in tx: for a
// deactivation, a password reset or a role change, in the same transaction.
func endAllSessions(ctx context.Context, tx app.Tx, userID int64) (int64, error) {
	n, err := tx.Q.EndUserSessions(ctx, store.EndUserSessionsParams{EndedAt: nowMS(tx), UserID: userID})
	if err != nil {
		return 0, fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// nowMS is tx's now as a nullable column value.
func nowMS(tx app.Tx) sql.NullInt64 { return sql.NullInt64{Int64: app.Millis(tx.Now), Valid: true} }
