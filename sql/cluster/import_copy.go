//go:build dqlite

package cluster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/canonical/go-dqlite/driver"

	store "switchyard/sql"
)

// An import moves rows in multi-row INSERT statements of literals (dqlite
// binds at most 255 parameters to a statement, and each statement is a round
// trip to the leader), grouped into transactions small enough for one Raft
// entry.
const (
	rowsPerStatement  = 100
	bytesPerStatement = 256 << 10
	rowsPerTx         = 4000
	bytesPerTx        = 2 << 20
	busyRetries       = 100
)

// progressTable is copied first: the leader's search indexer reads it, and
// must see the file's progress before any order arrives (it indexes only
// the orders after it; the import indexes those up to it).
const progressTable = "order_search_progress"

// tablePlan is how one table is read from the file and written to the cluster.
type tablePlan struct {
	name string
	cols string // the columns written: "rowid", "a", "b"
	row  string // the SQL expression that reads one row as a literal tuple
}

// planTables lists the file's ordinary tables (not SQLite's own, not
// virtual tables nor their shadow tables, not schema_migrations, not
// cluster_nodes, where the cluster's own nodes announce themselves), with their
// stored columns (generated ones are computed again) and the rowid when it
// is no column's alias.
func planTables(ctx context.Context, rd *sql.Tx) ([]tablePlan, error) {
	rows, err := rd.QueryContext(ctx, `SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT IN ('schema_migrations', 'cluster_nodes')
		ORDER BY name <> ?, name`, progressTable)
	if err != nil {
		return nil, fmt.Errorf("import: list the file's tables: %w", err)
	}
	type table struct {
		name         string
		withoutRowid bool
	}
	var tables []table
	for rows.Next() {
		var t table
		if err := rows.Scan(&t.name, &t.withoutRowid); err != nil {
			rows.Close()
			return nil, fmt.Errorf("import: list the file's tables: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("import: list the file's tables: %w", err)
	}
	plans := make([]tablePlan, 0, len(tables))
	for _, t := range tables {
		p, err := planTable(ctx, rd, t.name, t.withoutRowid)
		if err != nil {
			return nil, fmt.Errorf("import: table %s: %w", t.name, err)
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// planTable reads one table's columns.
func planTable(ctx context.Context, rd *sql.Tx, name string, withoutRowid bool) (tablePlan, error) {
	rows, err := rd.QueryContext(ctx, `SELECT name, upper(type), pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid`, name)
	if err != nil {
		return tablePlan{}, err
	}
	defer rows.Close()
	var cols []string
	pks, alias := 0, false
	for rows.Next() {
		var col, typ string
		var pk, hidden int
		if err := rows.Scan(&col, &typ, &pk, &hidden); err != nil {
			return tablePlan{}, err
		}
		if pk > 0 {
			pks++
			alias = typ == "INTEGER"
		}
		if hidden == 0 { // 2 and 3: generated columns
			cols = append(cols, quoteIdent(col))
		}
	}
	if err := rows.Err(); err != nil {
		return tablePlan{}, err
	}
	if !withoutRowid && !(pks == 1 && alias) {
		cols = append([]string{"rowid"}, cols...)
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = "quote(" + c + ")"
	}
	return tablePlan{
		name: name,
		cols: strings.Join(cols, ", "),
		row:  "'(' || " + strings.Join(quoted, " || ',' || ") + " || ')'",
	}, nil
}

// batch gathers the statements of one transaction.
type batch struct {
	stmts []string
	cur   strings.Builder // the statement being built
	head  string          // INSERT INTO t (cols) VALUES
	inCur int             // rows in cur
	rows  int             // rows in the batch
	bytes int
}

// add puts one row's literal tuple into the batch.
func (b *batch) add(tuple string) {
	if b.inCur == 0 {
		b.cur.WriteString(b.head)
	} else {
		b.cur.WriteByte(',')
	}
	b.cur.WriteString(tuple)
	b.inCur++
	b.rows++
	b.bytes += len(tuple) + 1
	if b.inCur >= rowsPerStatement || b.cur.Len() >= bytesPerStatement {
		b.endStatement()
	}
}

// endStatement closes the statement being built.
func (b *batch) endStatement() {
	if b.inCur > 0 {
		b.stmts = append(b.stmts, b.cur.String())
		b.cur.Reset()
		b.inCur = 0
	}
}

// full reports whether the batch makes a transaction.
func (b *batch) full() bool { return b.rows >= rowsPerTx || b.bytes >= bytesPerTx }

// copyTable replaces the cluster's rows of one table with the file's, and
// returns how many it copied.
func copyTable(ctx context.Context, rd *sql.Tx, dst *target, t tablePlan) (int64, error) {
	rows, err := rd.QueryContext(ctx, "SELECT "+t.row+" FROM "+quoteIdent(t.name))
	if err != nil {
		return 0, fmt.Errorf("read: %w", err)
	}
	defer rows.Close()
	b := &batch{head: "INSERT OR REPLACE INTO " + quoteIdent(t.name) + " (" + t.cols + ") VALUES ", stmts: []string{"DELETE FROM " + quoteIdent(t.name)}}
	var n int64
	for rows.Next() {
		var tuple string
		if err := rows.Scan(&tuple); err != nil {
			return n, fmt.Errorf("read: %w", err)
		}
		b.add(tuple)
		n++
		if b.full() {
			b.endStatement()
			if err := execTx(ctx, dst, b.stmts, nil); err != nil {
				return n, err
			}
			b = &batch{head: b.head}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read: %w", err)
	}
	b.endStatement()
	if len(b.stmts) > 0 {
		if err := execTx(ctx, dst, b.stmts, nil); err != nil {
			return n, err
		}
	}
	return n, nil
}

// execTx runs stmts in one transaction on the cluster: again while another
// writer holds the cluster's write lock (dqlite does not wait for it), and
// again through a new connection when the leader changed. Unless done says
// the transaction committed already, it runs again whole: the import's
// statements give the same rows run once or twice (INSERT OR REPLACE of the
// file's rows, after DELETE), and done tells the others.
func execTx(ctx context.Context, dst *target, stmts []string, done func(context.Context, *sql.Conn) (bool, error)) error {
	busy, lost := 0, 0
	for {
		err := tryTx(ctx, dst.conn, stmts)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return err
		case store.IsBusy(err) && busy < busyRetries:
			busy++
			pause(ctx, time.Duration(min(busy, 25))*20*time.Millisecond)
			continue
		case permanent(err) || lost >= reconnects:
			return err
		}
		lost++
		dst.log.Warn("import: a write to the cluster failed; connecting again", "err", err, "code", codeOf(err), "try", lost)
		pause(ctx, time.Duration(lost)*500*time.Millisecond)
		if cerr := dst.connect(ctx); cerr != nil {
			continue // the next round tries again
		}
		if done != nil {
			if ok, derr := done(ctx, dst.conn); derr == nil && ok {
				return nil
			}
		}
	}
}

// read runs fn, a read, on the connection; again through a new connection
// when the leader changed.
func (t *target) read(ctx context.Context, fn func(*sql.Conn) error) error {
	for lost := 0; ; lost++ {
		err := errors.New("no connection to the cluster")
		if t.conn != nil {
			err = fn(t.conn)
		}
		if err == nil || ctx.Err() != nil || permanent(err) || lost >= reconnects {
			return err
		}
		t.log.Warn("import: a read from the cluster failed; connecting again", "err", err, "try", lost+1)
		pause(ctx, time.Duration(lost+1)*500*time.Millisecond)
		_ = t.connect(ctx) // on failure the next round tries again
	}
}

// reconnects is how many times an import connects again to a new leader
// for one transaction.
const reconnects = 10

// permanent reports an error that running again cannot mend: the
// statement's own (SQLite's generic error, a constraint, a type mismatch, a
// value too big), not the connection's.
func permanent(err error) bool {
	var de driver.Error
	if !errors.As(err, &de) {
		return false
	}
	switch de.Code & 0xff {
	case 1, 18, 19, 20: // SQLITE_ERROR, SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH
		return true
	}
	return de.Code == 522 // SQLITE_IOERR_SHORT_READ: a transaction too big for dqlite
}

// codeOf is the SQLite code of a dqlite error, or 0.
func codeOf(err error) int {
	var de driver.Error
	if errors.As(err, &de) {
		return de.Code
	}
	return 0
}

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// tryTx runs stmts in one transaction.
func tryTx(ctx context.Context, dst *sql.Conn, stmts []string) error {
	if dst == nil {
		return errors.New("no connection to the cluster")
	}
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after commit
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
