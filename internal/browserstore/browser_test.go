//go:build !js

package browserstore_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// probePage loads wasm_exec.js and runs probe.wasm; the probe reports in
// window.probe.
const probePage = `<!doctype html><title>browserstore probe</title>
<script src="/wasm_exec.js"></script>
<script>
const go = new Go();
WebAssembly.instantiateStreaming(fetch("/probe.wasm"), go.importObject)
	.then(r => go.run(r.instance))
	.then(() => { window.probe ??= JSON.stringify({step: "exit", fails: ["the probe stopped without a report"]}); })
	.catch(e => { window.probe = JSON.stringify({step: "load", fails: [String(e)]}); });
</script>`

// serveProbe builds the probe program for the browser and serves it.
func serveProbe(t *testing.T) *httptest.Server {
	t.Helper()
	wasm := filepath.Join(t.TempDir(), "probe.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s", "-o", wasm, "./probe")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the probe: %v\n%s", err, out)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(probePage))
		case "/wasm_exec.js":
			http.ServeFile(w, r, filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
		case "/probe.wasm":
			w.Header().Set("Content-Type", "application/wasm")
			http.ServeFile(w, r, wasm)
		case "/favicon.ico":
			w.WriteHeader(http.StatusNoContent)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// runStep navigates to the probe page with ?step=step and fails the test
// with whatever the probe reports as wrong.
func runStep(t *testing.T, b *browsertest.Browser, origin, step string) {
	t.Helper()
	b.Navigate(t, origin+"/?step="+step)
	b.WaitFor(t, `window.probe !== undefined`, 60*time.Second)
	var r struct {
		Step  string
		Fails []string
		Notes map[string]string
	}
	out := browsertest.Eval[string](t, b, `window.probe`)
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("probe report %q: %v", out, err)
	}
	if r.Step != step {
		t.Fatalf("step %s: the probe reports %s", step, out)
	}
	for k, v := range r.Notes {
		t.Logf("step %s: %s: %s", step, k, v)
	}
	for _, f := range r.Fails {
		t.Errorf("step %s: %s", step, f)
	}
}

// TestBrowserIndexedDB runs the conformance checks against IndexedDB in
// headless Chromium, checks that a value is still there after a new
// navigation, and that a write past a tiny quota (set with the DevTools
// protocol, as a full disk would) fails with ErrQuota and changes nothing.
// Then package autosave on IndexedDB: a keras-sized run read back after a
// navigation with its offer, and under the quota a Full status with the
// last good save intact.
func TestBrowserIndexedDB(t *testing.T) {
	srv := serveProbe(t)
	b := browsertest.Start(t)
	runStep(t, b, srv.URL, "check")
	runStep(t, b, srv.URL, "reload")
	runStep(t, b, srv.URL, "autosave")
	runStep(t, b, srv.URL, "autosave-reload")

	// A quota set for an origin that has already used IndexedDB in this
	// browser did not hold here (a 4 MiB write past 1 MiB went through,
	// seemingly because Chromium keeps the space it found left for a
	// while). The same server under another name is another origin, which
	// has stored nothing yet.
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	quota := func(size *float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, storage.OverrideQuotaForOrigin,
				storage.OverrideQuotaForOriginParams{Origin: other, QuotaSize: size})
			return err
		})
	}
	tiny := float64(1 << 20) // the probe writes 4 MiB past it
	b.Do(t, quota(&tiny))
	runStep(t, b, other, "quota")
	runStep(t, b, other, "autosave-quota")
	b.Do(t, quota(nil))
	b.AssertNoErrors(t)
}
