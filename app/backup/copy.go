package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// stepPages is how many pages (4 KiB each) one step of the copy takes:
// between steps the copy checks for cancellation and gives the CPU back.
const stepPages = 256

// copyDB copies the database at src into the empty file dst with SQLite's
// online backup API, from one read transaction held on src for the whole
// copy. In WAL mode that transaction blocks no writer, and it pins the
// snapshot: without it each step starts a read transaction of its own, and
// the backup restarts from page one whenever another connection committed
// since the last step, which under steady intake is always. The copy is
// left in rollback-journal mode, one self-contained file.
func copyDB(ctx context.Context, src, dst string) (err error) {
	srcDB, err := openFile(src, "ro")
	if err != nil {
		return err
	}
	defer srcDB.Close()
	dstDB, err := openFile(dst, "rw")
	if err != nil {
		return err
	}
	defer dstDB.Close()
	sc, err := srcDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer sc.Close()
	if err := beginSnapshot(ctx, sc); err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	defer sc.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // read-only
	dc, err := dstDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open %s: %w", dst, err)
	}
	defer dc.Close()
	err = dc.Raw(func(d any) error {
		return sc.Raw(func(s any) error {
			return stepAll(ctx, d.(*sqlite3.SQLiteConn), s.(*sqlite3.SQLiteConn))
		})
	})
	if err != nil {
		return err
	}
	if _, err := dc.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return fmt.Errorf("journal mode of the copy: %w", err)
	}
	return nil
}

// beginSnapshot opens a read transaction on conn and reads, so that it holds
// one snapshot of the database until ROLLBACK.
func beginSnapshot(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	var n int
	return conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
}

// stepAll runs the backup from src into dst stepPages at a time.
func stepAll(ctx context.Context, dst, src *sqlite3.SQLiteConn) error {
	b, err := dst.Backup("main", src, "main")
	if err != nil {
		return fmt.Errorf("start the copy: %w", err)
	}
	restarts, last := 0, -1
	for {
		done, err := b.Step(stepPages)
		if err != nil {
			return errors.Join(fmt.Errorf("copy: %w", err), b.Finish())
		}
		if done {
			break
		}
		if err := ctx.Err(); err != nil {
			return errors.Join(err, b.Finish())
		}
		left := b.Remaining()
		switch {
		case last >= 0 && left > last:
			if restarts++; restarts > maxRestarts {
				return errors.Join(errors.New("copy: the database kept changing under the copy"), b.Finish())
			}
		case left == last: // busy or locked: wait a moment
			time.Sleep(10 * time.Millisecond)
		}
		last = left
	}
	if err := b.Finish(); err != nil {
		return fmt.Errorf("finish the copy: %w", err)
	}
	return nil
}

// maxRestarts bounds the restarts of a copy (none are expected: the source
// snapshot is pinned).
const maxRestarts = 10
