// Package webfetch downloads a file of the site the page came from, for the
// browser programs, without net/http: Go's net/http client brings
// crypto/tls, x509 and the HTTP/2 code into the WebAssembly program (more
// than 2 MB of the UI's 17 MB) only to call the browser's fetch in the end.
// In the browser, Get calls fetch through syscall/js, by way of the page's
// cnnplayFetch when web/loader.js defined it (which fetches the
// precompressed copy of a file from a static host and unzips it with
// DecompressionStream); natively, for tests, it uses net/http.
//
// Get must not be called on the goroutine of a JavaScript callback (a
// go-app event handler): it waits for promises, which only settle once the
// callback returned. Call it from ctx.Async, as net/http had to be.
package webfetch

import (
	"fmt"
	"io"
)

// Response is a successful answer: its body, and the length of the content
// when the server said and the body is that long (-1 otherwise, as for a
// compressed transfer).
type Response struct {
	Body          io.ReadCloser
	ContentLength int64
}

// StatusError is the error of an answer other than 200 OK.
type StatusError struct {
	URL    string
	Status int
	Text   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: %d %s", e.URL, e.Status, e.Text)
}
