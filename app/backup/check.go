package backup

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// checkFile runs PRAGMA integrity_check on the SQLite file at path and
// counts its orders.
func checkFile(ctx context.Context, path string) (orders int64, err error) {
	db, err := openFile(path, "rw")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := integrity(ctx, db); err != nil {
		return 0, err
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM orders").Scan(&orders); err != nil {
		return 0, fmt.Errorf("count the orders: %w (not a Switchyard database?)", err)
	}
	return orders, nil
}

// integrity runs PRAGMA integrity_check and turns anything but "ok" into an
// error that quotes the first problems.
func integrity(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}
