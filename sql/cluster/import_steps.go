//go:build dqlite

package cluster

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// trigger is one trigger of the cluster's schema, saved to be made again.
type trigger struct{ name, sql string }

// importTables runs the import's steps once the cluster is known to take it:
// triggers off, every table copied, AUTOINCREMENT counters carried over, the
// search index rebuilt, triggers back, the network's version moved on (so
// the nodes drop what they cached of the empty network), the checks, and
// the cluster's own session keys put back.
func importTables(ctx context.Context, rd *sql.Tx, dst *target, tables []tablePlan, progress func(string, int64)) (ImportReport, error) {
	rep := ImportReport{}
	saved, err := saveCluster(ctx, dst)
	if err != nil {
		return rep, err
	}
	for _, t := range tables {
		n, err := copyTable(ctx, rd, dst, t)
		rep.Rows += n
		if err != nil {
			return rep, fmt.Errorf("import table %s (after %d rows): %w", t.name, n, err)
		}
		rep.Tables++
		if progress != nil {
			progress(t.name, n)
		}
	}
	if err := copySequences(ctx, rd, dst); err != nil {
		return rep, err
	}
	if err := rebuildSearch(ctx, rd, dst); err != nil {
		return rep, err
	}
	if err := saved.restore(ctx, dst, func() error { return verify(ctx, rd, dst, tables) }); err != nil {
		return rep, err
	}
	return rep, nil
}

// saved is what the cluster had before the import that it keeps.
type saved struct {
	triggers []trigger
	keys     []string // the session keys' row as a literal tuple; none if the cluster has none
	version  int64    // the network's version
}

// saveCluster saves the cluster's triggers, session keys and network
// version, and drops the triggers.
func saveCluster(ctx context.Context, dst *target) (saved, error) {
	var s saved
	var err error
	if s.triggers, err = triggersOf(ctx, dst.conn); err != nil {
		return s, err
	}
	if s.keys, err = strings1(ctx, dst.conn, "SELECT '(' || quote(key) || ',' || quote(value) || ')' FROM settings WHERE key = ?", sessionKeysSetting); err != nil {
		return s, fmt.Errorf("import: the cluster's session keys: %w", err)
	}
	if err := dst.conn.QueryRowContext(ctx, "SELECT v FROM network_version").Scan(&s.version); err != nil {
		return s, fmt.Errorf("import: the cluster's network version: %w", err)
	}
	drops := make([]string, len(s.triggers))
	for i, t := range s.triggers {
		drops[i] = "DROP TRIGGER IF EXISTS " + quoteIdent(t.name)
	}
	if err := execTx(ctx, dst, drops, nil); err != nil {
		return s, fmt.Errorf("import: drop the triggers: %w", err)
	}
	return s, nil
}

// restore makes the triggers again and moves the network's version on,
// runs check, then puts the session keys back.
func (s saved) restore(ctx context.Context, dst *target, check func() error) error {
	creates := make([]string, len(s.triggers))
	for i, t := range s.triggers {
		creates[i] = ifNotExists(t.sql)
	}
	if err := execTx(ctx, dst, creates, nil); err != nil {
		return fmt.Errorf("import: make the triggers again: %w", err)
	}
	bump := fmt.Sprintf("UPDATE network_version SET v = max(v, %d) + 1", s.version)
	if err := execTx(ctx, dst, []string{bump}, nil); err != nil {
		return fmt.Errorf("import: the network's version: %w", err)
	}
	if err := check(); err != nil {
		return err
	}
	if len(s.keys) > 0 {
		keep := "INSERT OR REPLACE INTO settings (key, value) VALUES " + s.keys[0]
		if err := execTx(ctx, dst, []string{keep}, nil); err != nil {
			return fmt.Errorf("import: keep the cluster's session keys: %w", err)
		}
	}
	return nil
}

// sessionKeysSetting names the keys that sign session cookies
// (app/accounts): the running nodes read the cluster's when they started and
// hold them, so the cluster keeps its own over the file's (sessions of the
// single file end: users sign in again).
const sessionKeysSetting = "session_keys"

// triggersOf saves the cluster's triggers.
func triggersOf(ctx context.Context, dst *sql.Conn) ([]trigger, error) {
	rows, err := dst.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("import: read the cluster's triggers: %w", err)
	}
	defer rows.Close()
	var out []trigger
	for rows.Next() {
		var t trigger
		if err := rows.Scan(&t.name, &t.sql); err != nil {
			return nil, fmt.Errorf("import: read the cluster's triggers: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// copySequences gives the cluster the file's AUTOINCREMENT counters, so that
// new rows take ids after every id the file ever gave.
func copySequences(ctx context.Context, rd *sql.Tx, dst *target) error {
	var has int
	if err := rd.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'").Scan(&has); err != nil {
		return fmt.Errorf("import: look for sqlite_sequence: %w", err)
	}
	if has == 0 {
		return nil // no AUTOINCREMENT table: new ids follow the largest
	}
	var tuples []string
	rows, err := rd.QueryContext(ctx, "SELECT '(' || quote(name) || ',' || quote(seq) || ')' FROM sqlite_sequence")
	if err != nil {
		return fmt.Errorf("import: read sqlite_sequence: %w", err)
	}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("import: read sqlite_sequence: %w", err)
		}
		tuples = append(tuples, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("import: read sqlite_sequence: %w", err)
	}
	stmts := []string{"DELETE FROM sqlite_sequence"}
	if len(tuples) > 0 {
		stmts = append(stmts, "INSERT INTO sqlite_sequence (name, seq) VALUES "+strings.Join(tuples, ","))
	}
	if err := execTx(ctx, dst, stmts, nil); err != nil {
		return fmt.Errorf("import: sqlite_sequence: %w", err)
	}
	return nil
}

// The search index (order_search, migrations 0006 and 0014) is an FTS5 table
// over the orders' own columns (external content): its shadow tables are not
// copied, the orders the file had indexed (ids up to
// order_search_progress.upto) are indexed again in the cluster, in batches,
// and the search indexer indexes the rest as it does after any intake.
const (
	searchTable   = "order_search"
	searchContent = "orders"
	searchBatch   = 500 // a larger batch makes Raft entries that hold the leader up past its election timeout
)

// rebuildSearch indexes the orders the file's index held.
func rebuildSearch(ctx context.Context, rd *sql.Tx, dst *target) error {
	cols, err := strings1(ctx, rd, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", searchTable)
	if err != nil {
		return fmt.Errorf("import: the search index's columns: %w", err)
	}
	if len(cols) == 0 {
		return nil // no search index in this schema
	}
	var upto int64
	if err := rd.QueryRowContext(ctx, "SELECT coalesce((SELECT upto FROM "+progressTable+"), 0)").Scan(&upto); err != nil {
		return fmt.Errorf("import: the file's search progress: %w", err)
	}
	for i, c := range cols {
		cols[i] = quoteIdent(c)
	}
	list := strings.Join(cols, ", ")
	for lo := int64(0); lo < upto; lo += searchBatch {
		hi := min(lo+searchBatch, upto)
		stmt := fmt.Sprintf("INSERT INTO %s (rowid, %s) SELECT id, %s FROM %s WHERE id > %d AND id <= %d",
			quoteIdent(searchTable), list, list, quoteIdent(searchContent), lo, hi)
		if err := execTx(ctx, dst, []string{stmt}, indexed(lo, hi)); err != nil {
			return fmt.Errorf("import: index orders %d to %d for search: %w", lo+1, hi, err)
		}
	}
	return nil
}

// indexed tells whether the orders after lo through hi are in the search
// index already (a batch committed before its connection broke): FTS5 keeps
// a row of sizes for each one in its docsize table. Indexing them twice
// would spoil the index.
func indexed(lo, hi int64) func(context.Context, *sql.Conn) (bool, error) {
	return func(ctx context.Context, conn *sql.Conn) (bool, error) {
		var n int64
		err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FROM %s WHERE id > %d AND id <= %d",
			quoteIdent(searchTable+"_docsize"), lo, hi)).Scan(&n)
		return n > 0, err
	}
}

// ifNotExists makes a trigger's CREATE statement run again without harm.
func ifNotExists(create string) string {
	if rest, ok := strings.CutPrefix(create, "CREATE TRIGGER "); ok && !strings.HasPrefix(rest, "IF NOT EXISTS") {
		return "CREATE TRIGGER IF NOT EXISTS " + rest
	}
	return create
}

// verify checks the cluster against the file: the same rows in every table,
// no foreign key left dangling, an intact database.
func verify(ctx context.Context, rd *sql.Tx, dst *target, tables []tablePlan) error {
	for _, t := range tables {
		count := "SELECT count(*) FROM " + quoteIdent(t.name)
		var want, got int64
		if err := rd.QueryRowContext(ctx, count).Scan(&want); err != nil {
			return fmt.Errorf("import check: count the file's %s: %w", t.name, err)
		}
		if err := dst.read(ctx, func(c *sql.Conn) error { return c.QueryRowContext(ctx, count).Scan(&got) }); err != nil {
			return fmt.Errorf("import check: count the cluster's %s: %w", t.name, err)
		}
		if got != want {
			return fmt.Errorf("import check: the cluster holds %d rows of %s, the file %d", got, t.name, want)
		}
	}
	var dangling, integrity []string
	err := dst.read(ctx, func(c *sql.Conn) (err error) {
		dangling, err = strings1(ctx, c, "SELECT \"table\" || ' row ' || coalesce(rowid, '?') || ' -> ' || parent FROM pragma_foreign_key_check LIMIT 5")
		return err
	})
	if err != nil {
		return fmt.Errorf("import check: foreign keys: %w", err)
	}
	if len(dangling) > 0 {
		return fmt.Errorf("import check: rows point at rows that are not there: %s", strings.Join(dangling, "; "))
	}
	err = dst.read(ctx, func(c *sql.Conn) (err error) {
		integrity, err = strings1(ctx, c, "PRAGMA integrity_check")
		return err
	})
	if err != nil {
		return fmt.Errorf("import check: integrity: %w", err)
	}
	if len(integrity) != 1 || integrity[0] != "ok" {
		return fmt.Errorf("import check: integrity_check says %s", strings.Join(integrity, "; "))
	}
	return nil
}
