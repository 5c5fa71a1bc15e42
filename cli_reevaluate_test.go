package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRefusesBadReevaluateSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--reevaluate-every", "soon"}, "--reevaluate-every \"soon\""},
		{nil, []string{"--reevaluate-every", "-5m"}, "--reevaluate-every \"-5m\""},
		{nil, []string{"--reevaluate-every", "15m", "--reevaluate-min-saving", "1,00"}, "--reevaluate-min-saving \"1,00\""},
		{map[string]string{"SWITCHYARD_REEVALUATE_MIN_SAVING": "-1"}, nil, "--reevaluate-min-saving \"-1\""},
	} {
		args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, c.args...)
		_, _, err := cli(t, "", c.env, args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v", c.env, c.args, err)
		}
	}
}
