package backup

import (
	"errors"
	"fmt"
	"os"
)

// Lock is an advisory lock (flock) on the file PATH.lock beside a database:
// a server holds it shared while it runs, a restore exclusively.
type Lock struct{ f *os.File }

// LockPath is the lock file of the database at db.
func LockPath(db string) string { return db + ".lock" }

// errLocked is what flock answers when the lock is held elsewhere.
var errLocked = errors.New("locked")

// ServeLock takes the lock a server holds while it runs on the database at
// db; it fails at once while a restore holds it.
func ServeLock(db string) (*Lock, error) {
	l, err := lockFile(LockPath(db), false)
	if errors.Is(err, errLocked) {
		return nil, fmt.Errorf("a restore is replacing %s (it holds %s): start the server when it is done", db, LockPath(db))
	}
	return l, err
}

// RestoreLock takes the lock exclusively; it fails at once while a server
// runs on the database at db.
func RestoreLock(db string) (*Lock, error) {
	l, err := lockFile(LockPath(db), true)
	if errors.Is(err, errLocked) {
		return nil, fmt.Errorf("a switchyard server is running on %s (it holds %s): stop it before restoring", db, LockPath(db))
	}
	return l, err
}

// Release lets the lock go.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	return l.f.Close() // closing the file releases its flock
}
