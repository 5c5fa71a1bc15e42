package app

import "database/sql"

// nullString stores "" as NULL.
func NullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullInt stores v as a present integer.
func NullInt(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: true} }
