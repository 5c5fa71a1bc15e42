//go:build !dqlite

package store

// driverUniqueViolation reports a UNIQUE or PRIMARY KEY failure from another
// driver than mattn/go-sqlite3: none in a build without dqlite.
func driverUniqueViolation(error) bool { return false }

// driverBusy reports SQLITE_BUSY from another driver than mattn/go-sqlite3:
// none in a build without dqlite.
func driverBusy(error) bool { return false }
