package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"switchyard/app"
)

// cli runs the program with args and stdin, returning stdout and the error.
func cli(t *testing.T, stdin string, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestMigrateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	for i := range 2 {
		out, _, err := cli(t, "", nil, "migrate", "--db", db)
		if err != nil || !strings.Contains(out, "up to date") {
			t.Fatalf("migrate run %d: %q %v", i+1, out, err)
		}
	}
}

func TestDBFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	if _, _, err := cli(t, "", map[string]string{"SWITCHYARD_DB": db}, "migrate"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "schema_migrations"); n == 0 {
		t.Fatal("SWITCHYARD_DB was not used")
	}
}

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	out, _, err := cli(t, "a long enough password\n", nil, "user", "add", "--db", db,
		"--email", "ana@example.com", "--name", "Ana", "--role", "admin")
	if err != nil || !strings.Contains(out, "added Ana <ana@example.com> as admin") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if strings.Contains(out, "password") {
		t.Error("a password given on stdin must not be printed")
	}
	out, _, err = cli(t, "", nil, "user", "add", "--db", db, "--email", "bo@example.com", "--name", "Bo", "--role", "support")
	if err != nil || !strings.Contains(out, "password (shown once): ") {
		t.Fatalf("user add without password must print a generated one: %q %v", out, err)
	}
	_, _, err = cli(t, "", nil, "user", "add", "--db", db, "--email", "x@example.com", "--name", "X", "--role", "warehouse", "--location", "NOPE")
	if err == nil || !strings.Contains(err.Error(), `unknown location "NOPE"`) {
		t.Fatalf("unknown location: %v", err)
	}
	_, _, err = cli(t, "", nil, "user", "add", "--db", db, "--email", "not-email", "--name", "X", "--role", "king")
	if err == nil || !strings.Contains(err.Error(), "--email: must be an email address") || !strings.Contains(err.Error(), "--role: must be one of") {
		t.Fatalf("bad input must name each flag: %v", err)
	}
	if n := countRows(t, db, "users"); n != 2 {
		t.Fatalf("users = %d, want 2", n)
	}
	var hash string
	openRaw(t, db).QueryRow(`SELECT password_hash FROM users WHERE email = 'ana@example.com'`).Scan(&hash)
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "a long enough password") {
		t.Fatalf("password stored as %q, want an argon2id hash", hash)
	}
}

func TestAPIKeyCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	_, _, err := cli(t, "", nil, "apikey", "create", "--db", db, "--name", "shop", "--scopes", "orders:write", "--channel", "nowhere")
	if err == nil || !strings.Contains(err.Error(), `--channel: there is no channel "nowhere"`) {
		t.Fatalf("a key bound to an unknown channel: %v, want refused naming --channel", err)
	}
	if n := countRows(t, db, "api_keys"); n != 0 {
		t.Fatalf("%d keys stored after a refusal", n)
	}
	addChannel(t, db, "web-eu")
	out, _, err := cli(t, "", nil, "apikey", "create", "--db", db, "--name", "shop", "--scopes", "orders:write,stock:read", "--channel", "web-eu")
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(out)
	if !strings.HasPrefix(key, "sy_") || len(key) < 40 {
		t.Fatalf("printed key %q", key)
	}
	var stored []byte
	var scopes string
	openRaw(t, db).QueryRow(`SELECT key_hash, scopes FROM api_keys`).Scan(&stored, &scopes)
	if bytes.Contains(stored, []byte(key)) || len(stored) != 32 || scopes != "orders:write,stock:read" {
		t.Fatalf("stored %x %q: want only a SHA-256 and the scopes", stored, scopes)
	}
	if _, _, err := cli(t, "", nil, "apikey", "create", "--db", db, "--name", "x", "--scopes", "root"); err == nil || !strings.Contains(err.Error(), `unknown scope "root"`) {
		t.Fatalf("unknown scope: %v", err)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	out, _, err := cli(t, "", nil, "version")
	if err != nil || !strings.HasPrefix(out, "switchyard ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, _, err := cli(t, "", nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestServeRefusesNewerDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	if _, _, err := cli(t, "", nil, "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9000_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, _, err = cli(t, "", nil, "serve", "--db", db, "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "9000_future.sql") || !strings.Contains(err.Error(), "newer version") {
		t.Fatalf("serve on a newer database: %v", err)
	}
}

func TestServeDemoAndGracefulShutdown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "--addr", addr, "--demo"}, func(string) string { return "" },
			strings.NewReader(""), &out, io.Discard)
	}()
	waitHealthy(t, "http://"+addr)
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after the context was cancelled")
	}
	if !strings.Contains(out.String(), "admin@demo.switchyard.dev") {
		t.Fatalf("--demo must print the demo sign-ins; printed:\n%s", out.String())
	}
	if n := countRows(t, db, "users"); n != 5 {
		t.Fatalf("demo users = %d, want 5", n)
	}
}

// freeAddr finds a free loopback port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHealthy polls /healthz until the server answers.
func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second) // --demo seeds a few thousand orders first
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became healthy", base)
}

// addChannel adds a manual channel code to the database at path.
func addChannel(t *testing.T, path, code string) {
	t.Helper()
	a, err := openApp(context.Background(), path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, _, err := a.PutChannel(context.Background(), app.System, code, app.ChannelInput{Name: code, Kind: "manual"}); err != nil {
		t.Fatal(err)
	}
}

// openRaw opens the database file directly, read-only.
func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// countRows counts the rows of table.
func countRows(t *testing.T, path, table string) int {
	t.Helper()
	var n int
	if err := openRaw(t, path).QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
