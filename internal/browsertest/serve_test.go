//go:build !js

package browsertest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeFiles(t *testing.T) {
	dir := t.TempDir()
	wasm, js := filepath.Join(dir, "p.wasm"), filepath.Join(dir, "w.js")
	os.WriteFile(wasm, []byte("\x00asm"), 0o644)
	os.WriteFile(js, []byte("postMessage(1)"), 0o644)
	url := ServeFiles(t, "a <b> test", map[string]string{"/web/worker.wasm": wasm, "/web/worker.js": js})
	for _, c := range []struct {
		path, status, ctype, body string
	}{
		{"/", "200 OK", "text/html; charset=utf-8", "<!doctype html><title>a &lt;b&gt; test</title>"},
		{"/web/worker.wasm", "200 OK", "application/wasm", "\x00asm"},
		{"/web/worker.js", "200 OK", "text/javascript; charset=utf-8", "postMessage(1)"},
		{"/web/other.js", "404 Not Found", "", ""},
		{"/web/", "404 Not Found", "", ""},
	} {
		res, err := http.Get(url + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Status != c.status {
			t.Errorf("%s: %s, want %s", c.path, res.Status, c.status)
			continue
		}
		if c.ctype != "" && res.Header.Get("Content-Type") != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, res.Header.Get("Content-Type"), c.ctype)
		}
		if c.body != "" && string(b) != c.body {
			t.Errorf("%s: body %q, want %q", c.path, b, c.body)
		}
		if c.body == "" && strings.Contains(string(b), "postMessage") {
			t.Errorf("%s served a file", c.path)
		}
	}
}
