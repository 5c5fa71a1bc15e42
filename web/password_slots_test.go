package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

// slotSignIn posts the sign-in form as c would, safe to call from any
// goroutine once c.CSRF() has been read: it returns the status, or an error
// instead of failing the test.
func slotSignIn(env *webtest.Env, c *webtest.Client, csrf, email, password string) (int, error) {
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {csrf}}
	req, err := http.NewRequest(http.MethodPost, env.Server.URL+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, ck := range c.Cookies() {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// slotWait waits for ch, failing the test if it never comes (a deadlock,
// not a slow machine: the bound is generous).
func slotWait[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(60 * time.Second):
		t.Fatalf("gave up waiting for %s", what)
		panic("unreachable")
	}
}

// TestPasswordSlotsFullAnswers429: with the one password slot held by a
// sign-in, other sign-ins and an admin adding a user are answered 429 with
// Retry-After: 1 instead of queueing, and those refused sign-ins do not count
// as failed attempts in the account's throttle.
func TestPasswordSlotsFullAnswers429(t *testing.T) {
	var hold atomic.Bool
	held, release := make(chan struct{}, 1), make(chan struct{})
	hook := func(start bool) {
		if start && hold.CompareAndSwap(true, false) {
			held <- struct{}{}
			<-release // keep the slot until the test lets go
		}
	}
	env := webtest.NewWith(t, webtest.Options{Accounts: []accounts.Option{accounts.PasswordSlots(1, 10*time.Millisecond), accounts.OnPasswordWork(hook)}})
	admin, _ := env.SignedIn(app.RoleAdmin)
	u, password := env.AddUser(app.RoleSupport)
	first := env.Client()
	csrf := first.CSRF()

	hold.Store(true)
	done := make(chan int, 1)
	go func() {
		st, err := slotSignIn(env, first, csrf, u.Email, password)
		if err != nil {
			t.Errorf("the first sign-in: %v", err)
		}
		done <- st
	}()
	slotWait(t, "the first sign-in to take the slot", held)
	released := false
	defer func() {
		if !released {
			close(release)
		}
	}()

	for i := range 3 {
		res := env.Client().PostForm("/login", url.Values{"email": {u.Email}, "password": {password}})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" || !strings.Contains(res.Body, "busy") {
			t.Fatalf("sign-in %d with the slot taken = %d, Retry-After %q, want 429, 1 and a page saying busy\n%s",
				i+1, res.StatusCode, res.Header.Get("Retry-After"), res.Body)
		}
	}
	res := admin.PostForm("/admin/users", url.Values{
		"email": {"new.person@example.com"}, "name": {"New Person"}, "role": {"support"}, "password": {"a long enough password"},
	})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" || !strings.Contains(res.Body, "Too many") {
		t.Errorf("adding a user with the slot taken = %d, Retry-After %q, want 429 and 1 on the error page\n%s",
			res.StatusCode, res.Header.Get("Retry-After"), res.Body)
	}

	close(release)
	released = true
	if st := slotWait(t, "the first sign-in to finish", done); st != http.StatusSeeOther {
		t.Fatalf("the sign-in that held the slot = %d, want 303", st)
	}

	// The three refused sign-ins were not counted: the account still has
	// MaxLoginFailures-1 wrong guesses before the right password is refused.
	c := env.Client()
	for i := range accounts.MaxLoginFailures - 1 {
		if res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong guess"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong guess %d = %d, want 401 (the busy refusals must not count as failures)", i+1, res.StatusCode)
		}
	}
	c.SignIn(u.Email, password)
}

// TestPasswordHashesInFlightStayBounded: many sign-ins at once never have
// more password hashes in flight than the slots, counted by the hook.
func TestPasswordHashesInFlightStayBounded(t *testing.T) {
	const bound, n = 2, 12
	var armed atomic.Bool
	var inFlight, peak, starts atomic.Int32
	reached := make(chan struct{})
	var once sync.Once
	hook := func(start bool) {
		if !armed.Load() {
			return
		}
		if !start {
			inFlight.Add(-1)
			return
		}
		cur := inFlight.Add(1)
		starts.Add(1)
		for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
		}
		if cur >= bound {
			once.Do(func() { close(reached) })
		}
		// Hold the slot until the bound has been reached once, so that the
		// sign-ins really overlap and the count can exceed it if unbounded.
		select {
		case <-reached:
		case <-time.After(60 * time.Second):
		}
	}
	env := webtest.NewWith(t, webtest.Options{Accounts: []accounts.Option{accounts.PasswordSlots(bound, time.Minute), accounts.OnPasswordWork(hook)}})
	type who struct {
		c               *webtest.Client
		csrf, email, pw string
	}
	people := make([]who, n)
	for i := range people {
		u, pw := env.AddUser(app.RoleSupport) // one account each: the throttle counts per account
		c := env.Client()
		people[i] = who{c: c, csrf: c.CSRF(), email: u.Email, pw: pw}
	}

	armed.Store(true)
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Go(func() {
			st, err := slotSignIn(env, p.c, p.csrf, p.email, p.pw)
			if err != nil {
				t.Errorf("sign-in %s: %v", p.email, err)
			}
			statuses <- st
		})
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusSeeOther {
			t.Errorf("a parallel sign-in = %d, want 303 (the slots wait long enough here)", st)
		}
	}
	if got := starts.Load(); got != n {
		t.Errorf("%d hashes went through the slots, want %d (one per sign-in)", got, n)
	}
	if got := peak.Load(); got != bound {
		t.Errorf("at most %d hashes were in flight at once, want exactly the bound %d", got, bound)
	}
	if got := inFlight.Load(); got != 0 {
		t.Errorf("%d hashes still counted in flight after every sign-in answered", got)
	}
}
