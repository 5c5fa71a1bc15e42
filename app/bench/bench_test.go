package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRunRefusesBadFlags checks that every refused flag is named, and that
// nothing is opened or served for it (Deps has no Open nor Handler here).
func TestRunRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "usage: switchyard bench intake"},
		{[]string{"nope"}, nil, "usage: switchyard bench intake"},
		{[]string{"intake", "--url", "http://127.0.0.1:1"}, nil, "--url needs --key"},
		{[]string{"intake"}, map[string]string{"SWITCHYARD_URL": "http://127.0.0.1:1"}, "--url needs --key"},
		{[]string{"intake", "--url", "ftp://x", "--key", "k"}, nil, "--url must be an http(s) base URL"},
		{[]string{"intake"}, map[string]string{"SWITCHYARD_URL": "ftp://x", "SWITCHYARD_KEY": "k"}, "--url must be an http(s) base URL"},
		{[]string{"intake", "--url", "http://127.0.0.1:1", "--key", "k", "--db", "x.db"}, nil, "--db is for the in-process server"},
		{[]string{"intake", "--concurrency", "0"}, nil, "--concurrency must be from 1 to 4096"},
		{[]string{"intake", "--orders", "0"}, nil, "--orders must be from 1"},
		{[]string{"intake", "--duration", "2h"}, nil, "--duration must be at most 1h"},
		{[]string{"intake", "extra"}, nil, `unexpected argument "extra"`},
		{[]string{"webhooks", "--concurrency", "5000"}, nil, "--concurrency must be from 1 to 4096"},
		{[]string{"webhooks", "--orders", "0"}, nil, "--orders must be from 1"},
		{[]string{"webhooks", "extra"}, nil, "usage: switchyard bench webhooks"},
	} {
		var out, errOut bytes.Buffer
		d := Deps{Getenv: func(k string) string { return tc.env[k] }, Stdout: &out, Stderr: &errOut}
		err := Run(context.Background(), d, tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: %v, want an error with %q", tc.args, tc.env, err, tc.want)
		}
		if out.Len() > 0 {
			t.Errorf("%v: printed %q before refusing", tc.args, out.String())
		}
	}
}

// TestRunNamesUnknownFlag checks that an unknown flag is refused with the
// flags' help on stderr, the environment variables included.
func TestRunNamesUnknownFlag(t *testing.T) {
	var errOut bytes.Buffer
	d := Deps{Getenv: func(string) string { return "" }, Stdout: &bytes.Buffer{}, Stderr: &errOut}
	if err := Run(context.Background(), d, []string{"intake", "--nope"}); err == nil || !strings.Contains(err.Error(), "-nope") {
		t.Fatalf("unknown flag: %v", err)
	}
	for _, want := range []string{"Usage of bench intake:", "($SWITCHYARD_URL)", "($SWITCHYARD_KEY)"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}
