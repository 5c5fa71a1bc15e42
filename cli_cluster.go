package main

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// errNoCluster is the answer of a binary built without dqlite.
var errNoCluster = errors.New("this switchyard was built without dqlite: build it with `make cluster-build` " +
	"(apt-get install -y libdqlite-dev golang-github-canonical-go-dqlite-dev first)")

// clusterScheme starts a --db that names a cluster's members rather than a file.
const clusterScheme = "dqlite://"

// clusterFlags are serve's flags for a node of a dqlite cluster.
type clusterFlags struct {
	addr string   // --cluster-addr: this node's address for the cluster; "" runs on the --db file
	join []string // --join: members to join
	data string   // --data: the node's data directory
}

// clusterFlagsOf reads and checks the cluster flags.
func clusterFlagsOf(addr, join, data string) (clusterFlags, error) {
	c := clusterFlags{addr: strings.TrimSpace(addr), data: strings.TrimSpace(data)}
	for _, j := range strings.Split(join, ",") {
		if j = strings.TrimSpace(j); j != "" {
			c.join = append(c.join, j)
		}
	}
	switch {
	case c.addr == "" && (len(c.join) > 0 || c.data != ""):
		return c, errors.New("--join and --data need --cluster-addr (this node's HOST:PORT for the cluster)")
	case c.addr != "" && c.data == "":
		return c, errors.New("--cluster-addr needs --data (the node's own directory)")
	}
	return c, nil
}

// clusterUsage is the cluster command's help.
const clusterUsage = "usage: switchyard cluster status --join HOST:PORT[,HOST:PORT...]\n" +
	"       switchyard cluster export --join HOST:PORT[,...] --to FILE\n" +
	"       switchyard cluster import --join HOST:PORT[,...] --from FILE | --demo\n" +
	"       switchyard cluster remove --join HOST:PORT[,...] --node HOST:PORT"

// cmdCluster runs `switchyard cluster status|export|import|remove --join HOST:PORT,...`.
func cmdCluster(ctx context.Context, env cliEnv, args []string) error {
	usage := clusterUsage
	if len(args) == 0 || !slices.Contains([]string{"status", "export", "import", "remove"}, args[0]) {
		return errors.New(usage)
	}
	fs, _ := newFlags(env, "cluster "+args[0])
	join := fs.str("join", "", "addresses of members of the cluster")
	to := fs.str("to", "", "the new SQLite file an export writes")
	from := fs.str("from", "", "the SQLite file (a single-file Switchyard, stopped) an import copies into a new cluster")
	withDemo := fs.boolean("demo", "import the demo network (seeded into a temporary file) into a new cluster")
	node := fs.str("node", "", "the member a remove takes out (its cluster address)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	c, err := clusterFlagsOf("client", *join, "client")
	if err != nil || len(c.join) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "status":
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return clusterStatus(ctx, env, c.join)
	case "remove":
		if strings.TrimSpace(*node) == "" {
			return errors.New("cluster remove needs --node HOST:PORT (the member to take out)")
		}
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return clusterRemove(ctx, env, c.join, strings.TrimSpace(*node))
	case "import":
		src := strings.TrimSpace(*from)
		if (src == "") == !*withDemo {
			return errors.New("cluster import needs --from FILE (a Switchyard database) or --demo, one of them")
		}
		return clusterImport(ctx, env, c.join, src)
	}
	if strings.TrimSpace(*to) == "" {
		return errors.New("cluster export needs --to FILE (a new file)")
	}
	return clusterExport(ctx, env, c.join, *to)
}

// leaderOnly runs fn only while isLeader says this node leads the cluster:
// background work (the outbox dispatcher, the search indexer, the pulls)
// runs on exactly one node at a time and moves with the leader. Without a
// cluster (isLeader nil) fn simply runs.
func leaderOnly(isLeader func(context.Context) bool, log *slog.Logger, what string, fn func(context.Context) error) func(context.Context) error {
	if isLeader == nil {
		return fn
	}
	return func(ctx context.Context) error {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if isLeader(ctx) {
				log.Info(what + " runs on this node, the leader")
				runWhileLeading(ctx, isLeader, fn, log, what)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	}
}

// runWhileLeading runs fn until ctx ends or this node stops leading.
func runWhileLeading(ctx context.Context, isLeader func(context.Context) bool, fn func(context.Context) error, log *slog.Logger, what string) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				log.Error(what+" stopped", "err", err)
			}
			return
		case <-tick.C:
			if !isLeader(ctx) {
				log.Info(what + " stops here: this node no longer leads")
				cancel()
				<-done
				return
			}
		}
	}
}

// roleOf says a cluster node's role for /readyz: leader or follower; nil
// (a single file) without a cluster.
func roleOf(isLeader func(context.Context) bool) func(context.Context) string {
	if isLeader == nil {
		return nil
	}
	return func(ctx context.Context) string {
		if isLeader(ctx) {
			return "leader"
		}
		return "follower"
	}
}
