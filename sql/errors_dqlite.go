//go:build dqlite

package store

import (
	"errors"

	"github.com/canonical/go-dqlite/driver"
)

// SQLite's result codes dqlite's driver answers with.
const (
	sqliteBusy                 = 5
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// driverUniqueViolation reports a UNIQUE or PRIMARY KEY failure as the
// dqlite driver answers it.
func driverUniqueViolation(err error) bool {
	var de driver.Error
	return errors.As(err, &de) && (de.Code == sqliteConstraintUnique || de.Code == sqliteConstraintPrimaryKey)
}

// driverBusy reports SQLITE_BUSY (its primary code, under any extended one)
// as the dqlite driver answers it.
func driverBusy(err error) bool {
	var de driver.Error
	return errors.As(err, &de) && de.Code&0xff == sqliteBusy
}
