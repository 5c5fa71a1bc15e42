// Command switchyard is an order management system: it takes orders in from
// every channel, routes each line to the location that should ship it, and
// keeps one status and one timeline per order. See README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchyard:", err)
		os.Exit(1)
	}
}

// run is the whole program: it parses args, wires the parts and runs the
// chosen command until it is done or ctx is cancelled.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := "serve", args
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, rest = args[0], args[1:]
	}
	env := cliEnv{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd {
	case "serve":
		return cmdServe(ctx, env, rest)
	case "migrate":
		return cmdMigrate(ctx, env, rest)
	case "user":
		return cmdUser(ctx, env, rest)
	case "apikey":
		return cmdAPIKey(ctx, env, rest)
	case "bench":
		tuneGC(getenv) // the in-process server of a bench runs as serve's does
		return cmdBench(ctx, env, rest)
	case "cluster":
		return cmdCluster(ctx, env, rest)
	case "backup":
		return cmdBackup(ctx, env, rest)
	case "restore":
		return cmdRestore(ctx, env, rest)
	case "redact":
		return cmdRedact(ctx, env, rest)
	case "version":
		fmt.Fprintln(stdout, "switchyard", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// usage is the command line's help text (see API.md).
const usage = `usage: switchyard [command] [flags]

commands:
  serve      start the server (default): --addr, --db, --demo, --woo-pull-interval, --metrics-addr;
             --backup-dir DIR [--backup-every 1h] [--backup-keep 48]: scheduled backups of the --db file;
             a dqlite build (make cluster-build) also --cluster-addr HOST:PORT --join HOST:PORT,... --data DIR
  migrate    apply migrations and exit
  user add   --email E --name N --role admin|ops|warehouse|support [--location CODE ...]
             (password from stdin, or generated and printed once)
  apikey create --name N --scopes s1,s2 [--channel CODE] (prints the key once)
  backup --to FILE   a consistent copy of the --db file, while a server runs on it or not
  restore --from FILE  put a backup in place of the --db file (the server stopped), after checking it
  redact --email E  erase a customer's personal data from every order of her email (any case)
  bench intake  measure order intake: [--concurrency N] [--orders N | --duration D] [--url U --key K]
  bench webhooks  measure Shopify and WooCommerce webhook intake: [--concurrency N] [--orders N]
  bench routing-quality  routing cost against the exact optimum: [--seed N] [--instances N] [--locations A-B] [--lines A-B] | --stream
  cluster status --join HOST:PORT,...  the members of a dqlite cluster and its leader (dqlite build)
  cluster export --join HOST:PORT,... --to FILE  the cluster's database into a new SQLite file (dqlite build)
  cluster import --join HOST:PORT,... --from FILE | --demo  a single-file Switchyard (stopped), or the demo network, into a new cluster (dqlite build)
  cluster remove --join HOST:PORT,... --node HOST:PORT  take a retired member out (dqlite build)
  version    print the version

Every flag also reads an environment variable: --addr SWITCHYARD_ADDR, --db SWITCHYARD_DB, ...
`
