package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"switchyard/app"
	"switchyard/web"
	"switchyard/web/webtest"
)

// clusterPair is a leader and a follower over one database, as two nodes of
// a cluster see it: the follower sends the requests that change data to the
// leader's URL. leaderHits counts what the leader was sent by the follower.
type clusterPair struct {
	leader, follower *webtest.Env
	leaderHits       atomic.Int64
	mu               sync.Mutex
	peers            []string // the X-Switchyard-Peer values the leader got
}

// newClusterPair builds the pair over orderEnv's network; writerURL is the
// follower's answer for where the writer is (nil: the leader's URL).
func newClusterPair(t *testing.T, writerURL func(context.Context) (string, error)) *clusterPair {
	t.Helper()
	p := &clusterPair{leader: orderEnv(t)}
	leaderSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.leaderHits.Add(1)
		p.mu.Lock()
		p.peers = append(p.peers, r.Header.Get("X-Switchyard-Peer"))
		p.mu.Unlock()
		p.leader.Server.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(leaderSrv.Close)
	if writerURL == nil {
		writerURL = func(context.Context) (string, error) { return leaderSrv.URL, nil }
	}
	env := p.leader
	followerSrv := httptest.NewServer(web.New(web.Config{App: env.App, Services: env.Svc, Log: env.App.Log(),
		SessionKeys: env.Keys, Version: "test", WriterURL: writerURL}))
	t.Cleanup(followerSrv.Close)
	follower := *env
	follower.Server = followerSrv
	p.follower = &follower
	return p
}

func TestFollowerForwardsWritesToTheLeader(t *testing.T) {
	p := newClusterPair(t, nil)
	key := p.leader.APIKey("", "orders:write", "orders:read")

	status, body := p.follower.API(http.MethodPost, "/api/v1/orders", key, orderBody)
	if status != http.StatusCreated || p.leaderHits.Load() != 1 {
		t.Fatalf("POST through the follower: %d %s, leader hit %d times; want 201 from the leader", status, body, p.leaderHits.Load())
	}
	if !strings.Contains(p.peers[0], "127.0.0.1 ") {
		t.Errorf("the leader got peer %q: want the client's IP vouched for", p.peers[0])
	}
	// A read is served where it arrives.
	if status, body := p.follower.API(http.MethodGet, "/api/v1/orders/SY-000001", key, ""); status != http.StatusOK || p.leaderHits.Load() != 1 {
		t.Fatalf("GET on the follower: %d %s, leader hits %d; want it served locally", status, body, p.leaderHits.Load())
	}
	// The same order again through the follower is the same order.
	if status, _ := p.follower.API(http.MethodPost, "/api/v1/orders", key, orderBody); status != http.StatusOK {
		t.Fatalf("the same order again: %d, want 200", status)
	}

	// A person signs in and acts through the follower: the session and its
	// CSRF token hold on both nodes (they share the database and keys).
	u, password := p.leader.AddUser(app.RoleOps)
	c := p.follower.Client()
	c.SignIn(u.Email, password)
	res := c.PostForm("/orders/SY-000001/hold", url.Values{"reason": {"address_check"}})
	if res.StatusCode >= 400 {
		t.Fatalf("hold through the follower: %d %s", res.StatusCode, res.Body)
	}
	o, err := p.leader.App.OrderByNumber(context.Background(), "SY-000001")
	if err != nil || o.Status != app.StatusOnHold {
		t.Fatalf("after the hold: %s %v; want on hold", o.Status, err)
	}
	if got := res.Header.Values("X-Content-Type-Options"); len(got) != 1 {
		t.Errorf("X-Content-Type-Options %q: want the leader's one header, not two", got)
	}
}

func TestFollowerWithoutLeaderAnswers503(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	for name, writerURL := range map[string]func(context.Context) (string, error){
		"no leader":   func(context.Context) (string, error) { return "", errors.New("no leader") },
		"leader gone": func(context.Context) (string, error) { return gone.URL, nil },
	} {
		t.Run(name, func(t *testing.T) {
			p := newClusterPair(t, writerURL)
			key := p.leader.APIKey("", "orders:write", "orders:read")
			req, _ := http.NewRequest(http.MethodPost, p.follower.Server.URL+"/api/v1/orders", strings.NewReader(orderBody))
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var problem struct {
				Error struct{ Code, Message string }
			}
			_ = json.NewDecoder(res.Body).Decode(&problem)
			if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || problem.Error.Code != "unavailable" ||
				!strings.Contains(problem.Error.Message, "no leader") {
				t.Fatalf("%d Retry-After %q %+v: want 503 unavailable, with Retry-After", res.StatusCode, res.Header.Get("Retry-After"), problem)
			}
			if n, _ := p.leader.App.Read().CountOrders(context.Background()); n != 0 {
				t.Fatalf("%d orders written: want none", n)
			}
		})
	}
}
