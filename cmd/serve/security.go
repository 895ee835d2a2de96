package main

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	ui "github.com/cnnplay/cnnplay/app"
)

// cspDirectives make up cnnplay's Content-Security-Policy, apart from
// frame-ancestors, which depends on the page. Every response carries it:
// documents run under it, and so do the training Web Worker and go-app's
// service worker, which take the policy of their own script's response.
//
// go-app v9.8.0's pages load wasm_exec.js and app.js from files and set no
// inline event handlers, so scripts need no 'unsafe-inline' and no hashes.
// Styles do: go-app writes Style(...) as style attributes (in the
// pre-rendered page and with setAttribute later), so style-src allows
// inline styles, while style-src-elem keeps <style> elements out wherever
// it is understood (browsers that do not know it fall back to style-src).
var cspDirectives = []string{
	"default-src 'self'",
	// Compiling WebAssembly (app.wasm, worker.wasm, the SIMD kernel) needs
	// 'wasm-unsafe-eval'; it allows no JavaScript eval.
	"script-src 'self' 'wasm-unsafe-eval'",
	"style-src 'self' 'unsafe-inline'",
	"style-src-elem 'self'",
	"img-src 'self' data: blob:",
	"connect-src 'self'",
	"worker-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'none'",
}

// Content-Security-Policy values. The embed pages are made to be framed by
// any documentation page, so they set no frame-ancestors at all (a "*"
// would still refuse hosts such as a page opened from disk); everything
// else may be framed by this site only.
var (
	cspEmbed   = strings.Join(cspDirectives, "; ")
	cspDefault = cspEmbed + "; frame-ancestors 'self'"
)

// embedPaths are the routes of the embed page.
var embedPaths = map[string]bool{
	ui.PathEmbed: true,
	strings.TrimSuffix(ui.PathEmbed, ".html"): true,
}

// setSecurityHeaders sets the headers every response carries, whatever its
// status: the Content-Security-Policy of the path and nosniff.
func setSecurityHeaders(h http.Header, path string) {
	h.Set("X-Content-Type-Options", "nosniff")
	if embedPaths[path] {
		h.Set("Content-Security-Policy", cspEmbed)
	} else {
		h.Set("Content-Security-Policy", cspDefault)
	}
}

// cspMeta is the policy as a <meta> element, for the pages of a static
// export, which cannot set headers. A policy in a <meta> cannot say
// frame-ancestors (browsers ignore it and log an error), so the static
// pages can be framed by anyone; nor does it reach the Web Worker, which
// runs under no policy there.
var cspMeta = `<meta http-equiv="Content-Security-Policy" content="` +
	strings.NewReplacer("&", "&amp;", `"`, "&quot;").Replace(cspEmbed) + `">`

// ogURLTag matches the og:url element go-app writes into every page (its
// attributes come in either order), with a URL it makes from the request's
// Host header, path and query. go-app v9.8.0 does not escape attribute
// values, so the server gives it neither Host nor query: the URL's content
// is then its own (a route's path) and holds no quote.
var ogURLTag = regexp.MustCompile(`<meta (?:property="og:url" content="[^"]*"|content="[^"]*" property="og:url")>`)

// setOGURL returns the page with its og:url set to u.
func setOGURL(page []byte, u string) []byte {
	return ogURLTag.ReplaceAllLiteral(page, []byte(`<meta property="og:url" content="`+html.EscapeString(u)+`">`))
}

// ogURL returns the og:url of the page at path with the raw query: under
// the configured base URL when there is one, and relative otherwise. It is
// never made from the request's Host header, which the client chooses.
func ogURL(base, path, rawQuery string) string {
	u := base + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	return u
}

// parseBaseURL checks the -base-url flag: an absolute http or https URL
// with no query or fragment. It returns it without a final slash.
func parseBaseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("-base-url: %w", err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return "", fmt.Errorf("-base-url %q: want an absolute http or https URL, for example https://cnnplay.example.org", s)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", fmt.Errorf("-base-url %q: want no query, fragment or user name", s)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// etagMatches reports whether an If-None-Match header names etag (or is
// "*"), comparing weakly as RFC 9110 asks for If-None-Match.
func etagMatches(header, etag string) bool {
	if etag == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// bufferedResponse holds a response of go-app's handler so that the server
// can check and amend it before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   []byte
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	b.body = append(b.body, p...)
	return len(p), nil
}
