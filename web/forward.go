package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// forwardedPeer is the header a follower adds to a request it sends on to
// the leader: the client's IP, when, and a signature by the cluster's shared
// session keys, so that the leader throttles and records the client, not the
// follower. Unsigned or stale, it is ignored (anybody can send a header).
const forwardedPeer = "X-Switchyard-Peer"

// peerMaxAge is how old a forwarded peer's signature may be.
const peerMaxAge = time.Minute

// ctxPeer holds the client's IP as a follower vouched for it.
const ctxPeer = "forwarded-peer"

// forwardTimeout bounds a request sent on to the leader; a leader that dies
// meanwhile is answered with 503 and the client sends it again (order intake
// is exactly once on the channel's order id and on Idempotency-Key).
const forwardTimeout = 30 * time.Second

// forwarder sends the requests that change data from a follower to the
// leader's node, where the cluster's one writer runs.
type forwarder struct {
	writerURL func(context.Context) (string, error) // "" when this node writes
	key       []byte                                // signs forwardedPeer
	transport http.RoundTripper
}

// newForwarder builds the forwarder of a cluster node; nil writerURL (a
// single file) forwards nothing.
func newForwarder(writerURL func(context.Context) (string, error), sessionKeys []byte) *forwarder {
	mac := hmac.New(sha256.New, sessionKeys)
	mac.Write([]byte("switchyard forwarded peer"))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = forwardTimeout
	tr.MaxIdleConnsPerHost = 64
	return &forwarder{writerURL: writerURL, key: mac.Sum(nil), transport: tr}
}

// changesData reports whether a request's method may change data.
func changesData(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// middleware sends every request that may change data on to the leader's
// node when this node is a follower, and reads the peer a follower vouched
// for on every request.
func (f *forwarder) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if ip, ok := f.verifyPeer(r.Header.Get(forwardedPeer), time.Now()); ok {
			c.Set(ctxPeer, ip)
		}
		if f.writerURL == nil || !changesData(r.Method) {
			return next(c)
		}
		target, err := f.writerURL(r.Context())
		if err != nil {
			return noLeader(c, err)
		}
		if target == "" {
			return next(c)
		}
		if _, vouched := c.Get(ctxPeer).(string); vouched {
			// A follower took this node for the leader, which it no longer
			// is: answer rather than send the request round in circles.
			return noLeader(c, errors.New("the leader moved while the request was forwarded"))
		}
		return f.forward(c, target)
	}
}

// noLeader answers 503 with Retry-After: the cluster is electing a leader.
func noLeader(c echo.Context, cause error) error {
	c.Response().Header().Set("Retry-After", "1")
	return echo.NewHTTPError(http.StatusServiceUnavailable,
		"the cluster has no leader reachable from this node right now; send the request again in a moment").SetInternal(cause)
}

// forward proxies the request to the leader at target and copies its answer
// back, headers included (the ones this node set are dropped: the leader
// sets its own).
func (f *forwarder) forward(c echo.Context, target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return fmt.Errorf("the leader's URL %q: %w", target, err)
	}
	clientIP := peerIP(c)
	failed := error(nil)
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			pr.Out.Host = pr.In.Host
			pr.Out.Header.Set(forwardedPeer, f.signPeer(clientIP, time.Now()))
		},
		Transport: f.transport,
		ModifyResponse: func(*http.Response) error {
			h := c.Response().Header()
			for k := range h {
				delete(h, k)
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			failed = err
		},
	}
	// The leader logs and answers with this node's request id.
	c.Request().Header.Set(echo.HeaderXRequestID, c.Response().Header().Get(echo.HeaderXRequestID))
	proxy.ServeHTTP(c.Response(), c.Request())
	if failed != nil && !c.Response().Committed {
		return noLeader(c, fmt.Errorf("forward to the leader at %s: %w", target, failed))
	}
	return nil
}

// signPeer is forwardedPeer's value for ip at now: "IP UNIX HMAC".
func (f *forwarder) signPeer(ip string, now time.Time) string {
	msg := ip + " " + strconv.FormatInt(now.Unix(), 10)
	mac := hmac.New(sha256.New, f.key)
	mac.Write([]byte(msg))
	return msg + " " + hex.EncodeToString(mac.Sum(nil))
}

// verifyPeer reads forwardedPeer's value: the IP, when its signature is
// good (compared in constant time) and under peerMaxAge old.
func (f *forwarder) verifyPeer(value string, now time.Time) (string, bool) {
	parts := strings.Fields(value)
	if len(parts) != 3 || net.ParseIP(parts[0]) == nil {
		return "", false
	}
	at, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Sub(time.Unix(at, 0)).Abs() > peerMaxAge {
		return "", false
	}
	sig, err := hex.DecodeString(parts[2])
	if err != nil {
		return "", false
	}
	mac := hmac.New(sha256.New, f.key)
	mac.Write([]byte(parts[0] + " " + parts[1]))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return "", false
	}
	return parts[0], true
}

// peerIP is the client's IP: the one a follower vouched for, else the
// connection's peer (forwarding headers, which anybody can send, are not
// trusted).
func peerIP(c echo.Context) string {
	if ip, ok := c.Get(ctxPeer).(string); ok {
		return ip
	}
	return echo.ExtractIPDirect()(c.Request())
}
