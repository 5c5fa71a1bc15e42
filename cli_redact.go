package main

import (
	"context"
	"errors"
	"fmt"

	"switchyard/app"
	"switchyard/app/privacy"
)

// cliActor is who the command line acts as, in timelines and the audit log.
var cliActor = app.Actor{Kind: app.ActorSystem, Name: "switchyard redact"}

// cmdRedact erases a customer's personal data from every order of her email.
func cmdRedact(ctx context.Context, env cliEnv, args []string) error {
	fs, dbPath := newFlags(env, "redact")
	email := fs.str("email", "", "the customer's email (any case)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("usage: switchyard redact --email E [--db PATH]")
	}
	a, err := openApp(ctx, *dbPath, newLogger(env))
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := privacy.New(a).RedactCustomer(ctx, cliActor, *email)
	if err != nil {
		return describeCLIError(err)
	}
	fmt.Fprintf(env.stdout, "redacted %d orders of %s\n", n, privacy.CustomerRef(*email))
	return nil
}
