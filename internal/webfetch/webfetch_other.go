//go:build !js

package webfetch

import "net/http"

// Get fetches url with net/http: natively there is no page, so url is
// absolute (a test server's).
func Get(url string) (*Response, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, &StatusError{URL: url, Status: res.StatusCode, Text: http.StatusText(res.StatusCode)}
	}
	return &Response{Body: res.Body, ContentLength: res.ContentLength}, nil
}
