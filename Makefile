# Switchyard's build. `make run` and `make test` are the two commands in the README.

# SQLite's full-text search (FTS5, for order search) is compiled in with this build tag.
export GOFLAGS := -tags=sqlite_fts5

SQLC_VERSION  := v1.31.1
TEMPL_VERSION := $(shell go list -m -f '{{.Version}}' github.com/a-h/templ)
DB            ?= ./switchyard.db
ADDR          ?= 127.0.0.1:8080
VERSION       ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GOFLAGS_BUILD := -trimpath -ldflags "-X main.version=$(VERSION)"

.PHONY: run demo-reset build assets test test-short fuzz generate check-generated bench clean cluster-build cluster-test cluster

## run: build and start Switchyard on $(ADDR) with $(DB), adding the demo network when it is empty
run: build
	./switchyard serve --addr $(ADDR) --db $(DB) --demo

## demo-reset: delete the demo database ($(DB) and its -wal and -shm files) and start as `make run`
## does, with a fresh demo dated today (the demo is only added to an empty database)
demo-reset: build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	./switchyard serve --addr $(ADDR) --db $(DB) --demo

## build: one binary with every asset embedded
build: assets
	go build $(GOFLAGS_BUILD) -o switchyard .

## assets: install the pinned front-end packages and copy them into the embedded assets
## (htmx for the pages, Redoc's standalone bundle for the API reference at /api/docs)
VENDOR := assets/static/vendor/htmx.min.js assets/static/vendor/redoc.standalone.js
assets: $(VENDOR)

$(VENDOR) &: package.json package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p assets/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js assets/static/vendor/htmx.min.js
	cp node_modules/redoc/bundles/redoc.standalone.js assets/static/vendor/redoc.standalone.js

## test: every test, browser tests included (they need Chromium; in CI they must run)
test: assets
	go vet ./...
	go test -count=1 -timeout 20m ./...

## test-short: the quick tests, without the browser and the slow ones
test-short: assets
	go test -short -count=1 ./...

## fuzz: run every fuzz target (func FuzzXxx) for $(FUZZTIME) each, one after another;
## `make test` runs only their seeds. A crasher lands in the package's testdata/fuzz/FuzzXxx/:
## commit it as a seed. FUZZPKGS narrows the packages, FUZZFLAGS adds flags (e.g. -parallel=1).
FUZZTIME  ?= 60s
FUZZPKGS  ?= ./...
FUZZFLAGS ?=
fuzz:
	@set -e; for pkg in $$(go list $(FUZZPKGS)); do \
		for target in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$target for $(FUZZTIME)"; \
			go test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) $$pkg; \
		done; \
	done

## generate: regenerate templ views and sqlc queries with the pinned tools
generate:
	go run github.com/a-h/templ/cmd/templ@$(TEMPL_VERSION) generate
	go run github.com/sqlc-dev/sqlc/cmd/sqlc@$(SQLC_VERSION) generate

## check-generated: fail when the committed generated code is out of date
check-generated: generate
	@git diff --exit-code -- '*.go' || { echo "generated code is out of date: run 'make generate' and commit"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- '*_templ.go' 'sql/*.sql.go')" || { echo "untracked generated files: run 'make generate' and commit"; exit 1; }

## bench: the Go benchmarks
bench: assets
	go test -run '^$$' -bench . -benchtime 2s ./...

clean:
	rm -rf switchyard node_modules assets/static/vendor

## cluster-build: ./switchyard-cluster, which can also run as a node of a dqlite cluster
## (issue 16, in progress; build tags dqlite and libsqlite3, so that go-sqlite3 and libdqlite
## share Debian's SQLite); needs `apt-get install -y libdqlite-dev golang-github-canonical-go-dqlite-dev`
CLUSTER_TAGS := dqlite libsqlite3 sqlite_fts5
cluster-build: assets
	GOFLAGS= go build -tags '$(CLUSTER_TAGS)' $(GOFLAGS_BUILD) -o switchyard-cluster .

## cluster: three nodes of a cluster on loopback (HTTP 127.0.0.1:8081-8083, Raft 9001-9003, data in
## ./.cluster), the demo network imported into it when it is new; Ctrl-C stops them (rm -rf .cluster: a fresh one)
cluster: cluster-build
	.ci/cluster

## cluster-test: the tests of the dqlite build (the same packages needed), then the failover
## test (three processes, 16 clients, the leader killed three times); ends with its line
cluster-test: assets
	GOFLAGS= go vet -tags '$(CLUSTER_TAGS)' . ./sql/...
	GOFLAGS= go test -tags '$(CLUSTER_TAGS)' -count=1 -run 'Cluster|LeaderOnly' .
	GOFLAGS= go test -tags '$(CLUSTER_TAGS)' -count=1 ./sql/cluster/...
	GOFLAGS= go test -tags '$(CLUSTER_TAGS)' -count=1 -run TestFailover -v . > .failover.log 2>&1 || (cat .failover.log; exit 1)
	@grep -o 'failover: acknowledged.*max outage [0-9.]* s' .failover.log
