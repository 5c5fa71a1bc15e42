package main

import (
	"errors"
	"io"
	"os"
)

// isTerminal reports whether r is an interactive terminal (so no password is piped in).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// errorsAs is errors.As, named for the CLI's error formatting.
func errorsAs(err error, target any) bool { return errors.As(err, target) }
