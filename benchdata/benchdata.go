// Package benchdata holds the fixtures `switchyard bench` sends, embedded in
// the binary: webhooks/ has the channels' order webhooks (see its SOURCES.md).
package benchdata

import "embed"

// FS holds webhooks/*.json and webhooks/SOURCES.md.
//
//go:embed webhooks/*.json webhooks/SOURCES.md
var FS embed.FS
