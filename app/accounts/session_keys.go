package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// sessionKeysSetting is where generated session keys are kept.
const sessionKeysSetting = "session_keys"

// SessionKeys returns the 64 bytes that sign (first 32) and encrypt (last 32)
// session cookies. fromEnv, when set, is the base64 of those 64 bytes;
// otherwise the keys are generated on first start and kept in the database.
func (a *Service) SessionKeys(ctx context.Context, fromEnv string) ([]byte, error) {
	if fromEnv != "" {
		key, err := base64.StdEncoding.DecodeString(fromEnv)
		if err != nil || len(key) != 64 {
			return nil, fmt.Errorf("SWITCHYARD_SESSION_KEY must be the base64 of 64 random bytes (openssl rand -base64 64)")
		}
		return key, nil
	}
	fresh := make([]byte, 64)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("generate session keys: %w", err)
	}
	var key []byte
	err := a.core.Write(ctx, func(tx app.Tx) error {
		if err := tx.Q.PutSettingIfAbsent(ctx, store.PutSettingIfAbsentParams{Key: sessionKeysSetting, Value: fresh}); err != nil {
			return fmt.Errorf("store session keys: %w", err)
		}
		var err error
		key, err = tx.Q.GetSetting(ctx, sessionKeysSetting)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("session keys: %w", err)
	}
	return key, nil
}
