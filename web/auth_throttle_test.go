package web_test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/webtest"
)

// attempt is one sign-in try in a burst and how it was answered.
type attempt struct {
	password   string
	status     int
	retryAfter string
}

// burst sends every attempt for email at once, each from its own client
// (which has loaded the sign-in form for its CSRF token first).
func burst(t *testing.T, env *webtest.Env, email string, tries []*attempt) {
	t.Helper()
	clients := make([]*webtest.Client, len(tries))
	for i := range tries {
		clients[i] = env.Client()
		if clients[i].CSRF() == "" {
			t.Fatal("no CSRF token on the sign-in page")
		}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, a := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := clients[i].PostForm("/login", url.Values{"email": {email}, "password": {a.password}})
			a.status, a.retryAfter = res.StatusCode, res.Header.Get("Retry-After")
		}()
	}
	close(start)
	wg.Wait()
}

// tally counts the answers of a burst by status.
func tally(tries []*attempt) map[int]int {
	n := map[int]int{}
	for _, a := range tries {
		n[a.status]++
	}
	return n
}

// throttleEnv is Switchyard with a password slot for every attempt of a burst,
// waited for as long as it takes: the throttle's answers are then the only
// 429s, however slow the machine (the slots have their own tests).
func throttleEnv(t *testing.T) *webtest.Env {
	return webtest.NewWith(t, webtest.Options{Accounts: []accounts.Option{accounts.PasswordSlots(64, time.Minute)}})
}

func TestLoginThrottleHoldsUnderConcurrency(t *testing.T) {
	env := throttleEnv(t)
	u, _ := env.AddUser(app.RoleSupport)
	tries := make([]*attempt, 30)
	for i := range tries {
		tries[i] = &attempt{password: "wrong guess number"}
	}
	burst(t, env, u.Email, tries)
	n := tally(tries)
	if n[http.StatusUnauthorized] != accounts.MaxLoginFailures || n[http.StatusTooManyRequests] != len(tries)-accounts.MaxLoginFailures {
		t.Fatalf("30 wrong passwords at once were answered %v, want %d × 401 and the rest 429", n, accounts.MaxLoginFailures)
	}
	for _, a := range tries {
		if a.status == http.StatusTooManyRequests && a.retryAfter == "" {
			t.Fatal("a 429 without Retry-After")
		}
	}
}

func TestLoginThrottleBurstWithRightPassword(t *testing.T) {
	env := throttleEnv(t)
	u, password := env.AddUser(app.RoleSupport)
	tries := make([]*attempt, 100)
	for i := range tries {
		tries[i] = &attempt{password: "wrong guess number"}
	}
	right := tries[57]
	right.password = password
	burst(t, env, u.Email, tries)
	n := tally(tries)
	if n[http.StatusUnauthorized] > accounts.MaxLoginFailures {
		t.Fatalf("%d wrong passwords were checked (answers %v), want at most %d", n[http.StatusUnauthorized], n, accounts.MaxLoginFailures)
	}
	switch right.status {
	case http.StatusTooManyRequests: // refused with the rest
		if n[http.StatusUnauthorized] != accounts.MaxLoginFailures {
			t.Fatalf("the right password was throttled after only %d failures (answers %v)", n[http.StatusUnauthorized], n)
		}
	case http.StatusSeeOther: // it was among the first checked
	default:
		t.Fatalf("the right password in the burst answered %d, want 429 (or 303 had it been among the first %d)", right.status, accounts.MaxLoginFailures)
	}
	if n[http.StatusUnauthorized]+n[http.StatusTooManyRequests]+n[http.StatusSeeOther] != len(tries) {
		t.Fatalf("unexpected answers %v", n)
	}
	// A right password checked among the first forgets its own attempt: when
	// every other one was refused before it did, the window holds one failure
	// fewer, and exactly that many more wrong passwords are checked.
	for i := n[http.StatusUnauthorized]; i < accounts.MaxLoginFailures; i++ {
		res := env.Client().PostForm("/login", url.Values{"email": {u.Email}, "password": {"wrong again"}})
		if right.status != http.StatusSeeOther || res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d after the burst (right password answered %d) = %d, want 401", i+1, right.status, res.StatusCode)
		}
	}
	// The account stays throttled: the right password is refused until the window passes.
	c := env.Client()
	res := c.PostForm("/login", url.Values{"email": {u.Email}, "password": {password}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("right password after the burst = %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := c.Get("/orders"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a throttled sign-in signed in: /orders = %d", res.StatusCode)
	}
	env.Clock.Advance(accounts.LoginWindow - time.Minute)
	if res := env.Client().PostForm("/login", url.Values{"email": {u.Email}, "password": {password}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password inside the window = %d, want 429", res.StatusCode)
	}
	env.Clock.Advance(time.Minute + time.Second)
	env.Client().SignIn(u.Email, password)
}
