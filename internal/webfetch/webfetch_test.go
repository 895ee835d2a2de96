//go:build !js

package webfetch

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/web/models/digits.cnn" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("weights"))
	}))
	defer srv.Close()
	res, err := Get(srv.URL + "/web/models/digits.cnn")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if string(b) != "weights" || err != nil || res.ContentLength != 7 {
		t.Errorf("Get = %q, %v, length %d", b, err, res.ContentLength)
	}
	_, err = Get(srv.URL + "/web/models/none.cnn")
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 404 || se.Error() != srv.URL+"/web/models/none.cnn: 404 Not Found" {
		t.Errorf("missing file: %v", err)
	}
}
