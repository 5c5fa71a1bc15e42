//go:build dqlite

package cluster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/canonical/go-dqlite/driver"

	store "switchyard/sql"
)

// ErrPartial marks an import that failed after it began to change the
// cluster's database.
var ErrPartial = errors.New("the cluster's database is now partial: stop the nodes, delete their --data directories and start again")

// ImportOptions say where an import reads and writes.
type ImportOptions struct {
	Addrs    []string                       // members of the cluster
	File     string                         // the SQLite file, migrated to this Switchyard's schema
	Progress func(table string, rows int64) // told after each table (nil: nothing)
	Log      *slog.Logger                   // warned of writes tried again (nil: slog's default)
}

// ImportReport is what an import copied.
type ImportReport struct {
	Tables int
	Rows   int64
	Took   time.Duration
}

// dataTables are the tables a cluster must hold no row of to take an import.
var dataTables = []string{"orders", "users", "channels", "locations", "skus"}

// Prepare readies SQLite for dqlite in this process: call it before opening
// any SQLite file in a process that then imports into a cluster.
func Prepare() error { return configure() }

// Import copies every table of the SQLite file o.File into the new cluster
// reachable at o.Addrs: its rows replace the few the migrations inserted,
// triggers are off while rows move and the search index is rebuilt for the
// orders the file had indexed. It refuses a file whose migrations differ from
// the cluster's and a cluster that holds data. A failure after the copy began
// wraps ErrPartial.
func Import(ctx context.Context, o ImportOptions) (ImportReport, error) {
	began := time.Now()
	if err := configure(); err != nil {
		return ImportReport{}, err
	}
	if _, err := os.Stat(o.File); err != nil {
		return ImportReport{}, fmt.Errorf("import: %s: no such file (import reads an existing Switchyard database)", o.File)
	}
	src, err := openFile(ctx, o.File)
	if err != nil {
		return ImportReport{}, err
	}
	defer src.Close()
	dst, err := openTarget(ctx, o.Addrs, o.Log)
	if err != nil {
		return ImportReport{}, err
	}
	defer dst.Close()
	rd, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one snapshot of the file throughout
	if err != nil {
		return ImportReport{}, fmt.Errorf("import: read %s: %w", o.File, err)
	}
	defer rd.Rollback() //nolint:errcheck // read-only
	if err := refuse(ctx, rd, dst.conn); err != nil {
		return ImportReport{}, err
	}
	tables, err := planTables(ctx, rd)
	if err != nil {
		return ImportReport{}, err
	}
	rep, err := importTables(ctx, rd, dst, tables, o.Progress)
	if err != nil {
		return rep, fmt.Errorf("%w\n(%w)", err, ErrPartial)
	}
	rep.Took = time.Since(began)
	return rep, nil
}

// openFile opens the SQLite file read-only.
func openFile(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_query_only", "on")
	db, err := sql.Open("sqlite3", store.FileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("import: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("import: open %s: %w", path, err)
	}
	return db, nil
}

// target is the import's one connection to the cluster's database, foreign
// keys off (rows arrive table by table). When the leader changes under it,
// it connects again, to the new leader.
type target struct {
	pool *sql.DB
	conn *sql.Conn
	log  *slog.Logger
}

// openTarget connects to the cluster reachable at addrs.
func openTarget(ctx context.Context, addrs []string, log *slog.Logger) (*target, error) {
	nodes, err := nodeStore(ctx, addrs)
	if err != nil {
		return nil, err
	}
	drv, err := driver.New(nodes)
	if err != nil {
		return nil, fmt.Errorf("dqlite driver: %w", err)
	}
	connector, err := drv.OpenConnector(DatabaseName)
	if err != nil {
		return nil, fmt.Errorf("connect to the cluster at %v: %w", addrs, err)
	}
	if log == nil {
		log = slog.Default()
	}
	t := &target{pool: sql.OpenDB(connector), log: log}
	if err := t.connect(ctx); err != nil {
		t.pool.Close()
		return nil, fmt.Errorf("connect to the cluster at %v: %w", addrs, err)
	}
	return t, nil
}

// connect takes a new connection from the pool and turns foreign keys off on it.
func (t *target) connect(ctx context.Context) error {
	if t.conn != nil {
		t.conn.Close()
		t.conn = nil
	}
	conn, err := t.pool.Conn(ctx)
	if err != nil {
		return err
	}
	for _, pragma := range importPragmas {
		if _, err := conn.ExecContext(ctx, pragma); err != nil {
			conn.Close()
			return fmt.Errorf("%s: %w", pragma, err)
		}
	}
	t.conn = conn
	return nil
}

// importPragmas set the import's connection (on the leader): foreign keys
// off; and a transaction's changed pages stay in memory until it commits.
// SQLite otherwise writes them to the WAL once they outgrow the page cache
// (2 MB), and dqlite's WAL answers the transaction's next read of them with
// SQLITE_IOERR_SHORT_READ: a transaction of 4,000 orders did.
var importPragmas = []string{"PRAGMA foreign_keys = OFF", "PRAGMA cache_spill = OFF", "PRAGMA cache_size = -262144"}

// Close closes the connection and its pool.
func (t *target) Close() error {
	if t.conn != nil {
		t.conn.Close()
	}
	return t.pool.Close()
}

// refuse says why the file cannot go into the cluster, if it cannot: the
// migrations differ, or the cluster holds data already.
func refuse(ctx context.Context, rd *sql.Tx, dst *sql.Conn) error {
	fileMigs, err := migrationsOf(ctx, rd)
	if err != nil {
		return fmt.Errorf("import: the file's migrations: %w", err)
	}
	clusterMigs, err := migrationsOf(ctx, dst)
	if err != nil {
		return fmt.Errorf("import: the cluster's migrations (start its nodes with serve first, they migrate it): %w", err)
	}
	if !slices.Equal(fileMigs, clusterMigs) {
		return fmt.Errorf("import: the file's migrations (%d, last %s) differ from the cluster's (%d, last %s): "+
			"run the same Switchyard on both", len(fileMigs), last(fileMigs), len(clusterMigs), last(clusterMigs))
	}
	var held []string
	for _, t := range dataTables {
		var n int64
		if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t)).Scan(&n); err != nil {
			return fmt.Errorf("import: count the cluster's %s: %w", t, err)
		}
		if n > 0 {
			held = append(held, fmt.Sprintf("%d %s", n, t))
		}
	}
	if len(held) > 0 {
		return fmt.Errorf("import: the cluster already holds data (%s): import goes into a new cluster only", strings.Join(held, ", "))
	}
	return nil
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// migrationsOf lists the migrations a database recorded.
func migrationsOf(ctx context.Context, q querier) ([]string, error) {
	return strings1(ctx, q, "SELECT name FROM schema_migrations ORDER BY name")
}

// strings1 reads the one text column of a query's rows.
func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// last is the last of names, or "none".
func last(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return names[len(names)-1]
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
