//go:build dqlite

package store

import (
	"errors"

	"github.com/canonical/go-dqlite/driver"
)

// The extended result codes of SQLite's UNIQUE and PRIMARY KEY failures.
const (
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// driverUniqueViolation reports a UNIQUE or PRIMARY KEY failure as the
// dqlite driver answers it.
func driverUniqueViolation(err error) bool {
	var de driver.Error
	return errors.As(err, &de) && (de.Code == sqliteConstraintUnique || de.Code == sqliteConstraintPrimaryKey)
}
