package store

import "context"

// PragmaForTest reads a pragma on the writer connection.
func PragmaForTest(ctx context.Context, db *DB, name string, dst any) error {
	return db.writer.QueryRowContext(ctx, "PRAGMA "+name).Scan(dst)
}
