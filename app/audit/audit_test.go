package audit_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/apptest"
	"switchyard/app/audit"
	"switchyard/app/returns"
	"switchyard/app/rules"
)

// admin is the acting admin of these tests.
var admin = app.Actor{Kind: app.ActorUser, ID: 1000, Name: "Ada Admin", Role: app.RoleAdmin}

// entries reads every entry of a's log, newest first.
func entries(t *testing.T, a *app.App) []audit.Item {
	t.Helper()
	p, err := audit.New(a).List(context.Background(), audit.Query{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

// find is the newest entry with action, or fails the test.
func find(t *testing.T, items []audit.Item, action string) audit.Item {
	t.Helper()
	for _, it := range items {
		if it.Action == action {
			return it
		}
	}
	t.Fatalf("no %s entry in %+v", action, items)
	return audit.Item{}
}

// noSecret fails when any entry holds one of secrets.
func noSecret(t *testing.T, items []audit.Item, secrets ...string) {
	t.Helper()
	for _, it := range items {
		all := strings.Join([]string{it.Actor, it.Action, it.ObjectKind, it.ObjectRef, it.Detail, it.IP}, " ")
		for _, s := range secrets {
			if s != "" && strings.Contains(all, s) {
				t.Errorf("entry %s holds a secret: %q", it.Action, all)
			}
		}
	}
}

func TestSignInsAreRecordedWithTheirIP(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := context.Background()
	acc := accounts.New(a)
	const pw = "correct horse battery staple"
	u, _, err := acc.CreateUser(ctx, app.System, accounts.NewUser{Email: "sam@example.com", Name: "Sam", Role: "support", Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	from := accounts.Client{IP: "203.0.113.7"}
	if _, _, err := acc.SignIn(ctx, "sam@example.com", pw, from); err != nil {
		t.Fatal(err)
	}
	ok := find(t, entries(t, a), audit.SignIn)
	if ok.ActorID != u.ID || ok.IP != "203.0.113.7" || ok.Actor != "Sam" {
		t.Errorf("success entry %+v", ok)
	}
	const wrong = "wrong-password-typed-here"
	for range accounts.MaxLoginFailures {
		if _, _, err := acc.SignIn(ctx, "sam@example.com", wrong, from); err == nil {
			t.Fatal("a wrong password signed in")
		}
	}
	if _, _, err := acc.SignIn(ctx, "sam@example.com", wrong, from); err == nil {
		t.Fatal("a throttled sign-in went through")
	}
	items := entries(t, a)
	failed := find(t, items, audit.SignInFailed)
	if failed.Actor != "sam@example.com" || failed.IP != "203.0.113.7" {
		t.Errorf("failure entry %+v", failed)
	}
	find(t, items, audit.SignInThrottled)
	const typedAsEmail = "my secret pass phrase"
	if _, _, err := acc.SignIn(ctx, typedAsEmail, pw, from); err == nil {
		t.Fatal("a password as the email signed in")
	}
	items = entries(t, a)
	if it := items[0]; it.Action != audit.SignInFailed || it.Actor != "(not an email address)" {
		t.Errorf("password typed as the email: entry %+v", it)
	}
	noSecret(t, items, pw, wrong, typedAsEmail)
}

func TestUserChangesAreRecorded(t *testing.T) {
	a := apptest.NewApp(t)
	apptest.MustLocation(t, a, "PAR")
	ctx := context.Background()
	acc := accounts.New(a)
	u, first, err := acc.CreateUser(ctx, admin, accounts.NewUser{Email: "wes@example.com", Name: "Wes", Role: "support"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.UpdateUser(ctx, admin, u.ID, accounts.UserChanges{Name: "Wes", Role: "warehouse", Locations: []string{"PAR"}}); err != nil {
		t.Fatal(err)
	}
	const typed = "a brand new password 42"
	if _, err := acc.ResetPassword(ctx, admin, u.ID, typed); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.EndSessions(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.SetUserActive(ctx, admin, u.ID, false); err != nil {
		t.Fatal(err)
	}
	items := entries(t, a)
	for _, action := range []string{audit.UserCreated, audit.UserChanged, audit.PasswordReset, audit.SessionsEnded, audit.UserDeactivated} {
		it := find(t, items, action)
		if it.ActorID != admin.ID || it.ObjectKind != "user" || it.ObjectRef != strconv.FormatInt(u.ID, 10) {
			t.Errorf("%s entry %+v", action, it)
		}
	}
	if d := find(t, items, audit.UserChanged).Detail; !strings.Contains(d, "role support → warehouse") || !strings.Contains(d, "locations [] → [PAR]") {
		t.Errorf("change detail %q", d)
	}
	noSecret(t, items, first, typed)
}

func TestAPIKeysAreRecordedWithoutTheKey(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := context.Background()
	acc := accounts.New(a)
	key, k, err := acc.CreateAPIKey(ctx, admin, accounts.NewAPIKey{Name: "ERP", Scopes: []string{"orders:read"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.RevokeAPIKey(ctx, admin, k.ID); err != nil {
		t.Fatal(err)
	}
	items := entries(t, a)
	if d := find(t, items, audit.APIKeyCreated).Detail; !strings.Contains(d, `"ERP"`) || !strings.Contains(d, "orders:read") {
		t.Errorf("created detail %q", d)
	}
	find(t, items, audit.APIKeyRevoked)
	noSecret(t, items, key, k.Prefix)
}

func TestChannelSettingsNameTheFieldsNotTheSecrets(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := audit.WithIP(context.Background(), "198.51.100.9")
	apptest.MustChannel(t, a, "web", 0)
	secrets := []string{"whsec-very-secret-one"}
	in := app.ChannelInput{Name: "Web shop", Kind: "api", Secrets: &secrets,
		Callback: &app.CallbackInput{BaseURL: "https://shop.example.com", Token: "tok-secret-token"}}
	if _, _, err := a.PutChannel(ctx, admin, "web", in, audit.ChannelChange(admin, "web")); err != nil {
		t.Fatal(err)
	}
	items := entries(t, a)
	it := find(t, items, audit.ChannelSettings)
	for _, field := range []string{"name", "webhook secrets", "callback base URL", "callback token"} {
		if !strings.Contains(it.Detail, field) {
			t.Errorf("detail %q does not name %s", it.Detail, field)
		}
	}
	if it.IP != "198.51.100.9" || it.ObjectRef != "web" {
		t.Errorf("entry %+v", it)
	}
	noSecret(t, items, secrets[0], "tok-secret-token")
}

func TestRulesAndReturnPolicyAreRecorded(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := context.Background()
	apptest.MustChannel(t, a, "web", 0)
	info, err := rules.New(a).PublishRules(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if it := find(t, entries(t, a), audit.RulesPublished); it.ObjectRef != strconv.Itoa(info.Rules.Version) {
		t.Errorf("rules entry %+v, version %d", it, info.Rules.Version)
	}
	p := returns.DefaultPolicy()
	p.WindowDays = 45
	if _, err := returns.New(a).SetPolicy(ctx, admin, "web", p); err != nil {
		t.Fatal(err)
	}
	if d := find(t, entries(t, a), audit.ReturnPolicyChanged).Detail; !strings.Contains(d, "window 45 days") {
		t.Errorf("policy detail %q", d)
	}
}

func TestAFailedChangeRecordsNothing(t *testing.T) {
	a := apptest.NewApp(t)
	ctx := context.Background()
	if _, err := accounts.New(a).UpdateUser(ctx, admin, 999, accounts.UserChanges{Name: "Nobody", Role: "ops"}); err == nil {
		t.Fatal("updated a missing user")
	}
	if items := entries(t, a); len(items) != 0 {
		t.Errorf("entries after a refused change: %+v", items)
	}
}
