// Package assets holds the CSS, JavaScript and icons served under /assets,
// embedded in the binary. htmx is copied into static/vendor by the build
// (make assets) from the pinned npm package.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// Static is the tree served under /assets.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the directory is embedded: cannot fail
	}
	return sub
}
