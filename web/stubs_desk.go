package web

// The support desk's placeholders are all replaced: web/search.go, web/exceptions.go and web/dashboard.go.
