package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchyard/app"
	"switchyard/app/accounts"
)

// cmdUser runs `switchyard user add`.
func cmdUser(ctx context.Context, env cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: switchyard user add --email E --name N --role ROLE [--location CODE ...]")
	}
	fs, dbPath := newFlags(env, "user add")
	email := fs.String("email", "", "the user's email, used to sign in")
	name := fs.String("name", "", "the user's name")
	role := fs.String("role", "", "admin, ops, warehouse or support")
	locations := fs.list("location", "a location a warehouse user works for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password, err := readPassword(env)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, *dbPath, newLogger(env))
	if err != nil {
		return err
	}
	defer a.Close()
	u, password2, err := accounts.New(a).CreateUser(ctx, app.System, accounts.NewUser{
		Email: *email, Name: *name, Role: *role, Password: password, Locations: *locations,
	})
	if err != nil {
		return describeCLIError(err)
	}
	fmt.Fprintf(env.stdout, "added %s <%s> as %s\n", u.Name, u.Email, u.Role)
	if password == "" {
		fmt.Fprintf(env.stdout, "password (shown once): %s\n", password2)
	}
	return nil
}

// readPassword takes a password from the first line of stdin when stdin is not
// a terminal; "" means "generate one".
func readPassword(env cliEnv) (string, error) {
	if env.stdin == nil || isTerminal(env.stdin) {
		return "", nil
	}
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", nil // empty stdin: generate
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// cmdAPIKey runs `switchyard apikey create`.
func cmdAPIKey(ctx context.Context, env cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: switchyard apikey create --name N --scopes s1,s2 [--channel CODE]")
	}
	fs, dbPath := newFlags(env, "apikey create")
	name := fs.String("name", "", "what the key is for")
	scopes := fs.String("scopes", "", "comma-separated scopes: "+strings.Join(accounts.Scopes, ",")+"; or "+accounts.WismoScope+" alone (an assistant's key)")
	channel := fs.String("channel", "", "the channel the key may create orders for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, err := openApp(ctx, *dbPath, newLogger(env))
	if err != nil {
		return err
	}
	defer a.Close()
	key, k, err := accounts.New(a).CreateAPIKey(ctx, app.System, accounts.NewAPIKey{
		Name: *name, Scopes: strings.Split(*scopes, ","), Channel: *channel,
	})
	if err != nil {
		return describeCLIError(err)
	}
	fmt.Fprintf(env.stderr, "created API key %q (%s) with scopes %s; it is shown once:\n", k.Name, k.Prefix, strings.Join(k.Scopes, ","))
	fmt.Fprintln(env.stdout, key)
	return nil
}

// describeCLIError spells out field errors for the terminal.
func describeCLIError(err error) error {
	var ae *app.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(ae.Message)
	for _, field := range slices.Sorted(maps.Keys(ae.Fields)) {
		flagName := strings.TrimSuffix(field, "s") // the form's "locations" is the repeatable --location
		if field != "locations" {
			flagName = field
		}
		fmt.Fprintf(&b, "\n  --%s: %s", flagName, ae.Fields[field])
	}
	return errors.New(b.String())
}
