//go:build !js

package embedsize_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// The phone network of the bar: 9 Mbit/s down, 40 ms latency, a CPU four
// times slower than this machine's.
const (
	phoneDownBytesPerSec = 9e6 / 8
	phoneUpBytesPerSec   = 2e6 / 8
	phoneLatencyMs       = 40
	phoneCPUSlowdown     = 4
)

// The bars of issue 22 on what a first visit transfers until the view is
// interactive, from a static host that compresses nothing. They are logged
// as met or not, not asserted: they are out of reach of this design today.
// A go-app v9 program that shows one <div> is 7.0 MB, 1.92 MB gzipped (on
// top of it cnnplay's UI, engine and views make app.wasm 10.8 MB, 2.71 MB
// gzipped), and the digits model the draw view shows is 0.74 MB gzipped.
const (
	drawEmbedBar = 2.0e6
	fullPageBar  = 3.5e6
)

// The budgets asserted: what the first visit transferred when this test was
// written (3.51 MB for the embed, 3.53 MB for the page: app.wasm.gz 2.71
// MB, the digits model 0.74 MB, pages and scripts 0.06-0.08 MB), raised
// once since: My data's import and export (archive/zip, the PNG, JPEG and
// GIF decoders, nn/dataset/imageset), the teacher's views and the model
// formats' buttons brought app.wasm.gz to 3.09 MB, the embed to 3.91 MB
// and the page to 3.95 MB. 0.25 MB to spare on that. Losing the gzipped
// copies, loading the worker (+1.34 MB) or a dataset (+1.65 MB) before
// they are needed, or net/http's client back in app.wasm (+1 MB) each
// break them.
const (
	drawEmbedBudget = 4.2e6
	fullPageBudget  = 4.2e6
)

// staticExport writes `make static`'s output, with the server binary's
// -static, from the wasm programs and assets browsertest builds, and serves
// it with a plain http.FileServer: no compression, nothing of ours. The
// counter sees every byte of every response the server writes (the page's
// requests, the service worker's, the training worker's).
func staticExport(t *testing.T) (*httptest.Server, *counter) {
	t.Helper()
	browsertest.Chromium(t)
	site, bin := browsertest.Site(t), browsertest.ServerBinary(t)
	dir := t.TempDir()
	start := time.Now()
	out, err := exec.Command(bin, "-dev", site, "-static", dir, "-static-docs", "").CombinedOutput()
	if err != nil {
		t.Fatalf("serve -static: %v\n%s", err, out)
	}
	t.Logf("serve -static in %v:\n%s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(out)))
	c := &counter{byPath: map[string]int64{}}
	srv := httptest.NewServer(c.wrap(http.FileServer(http.Dir(dir))))
	t.Cleanup(srv.Close)
	return srv, c
}

// counter counts the bytes of the responses' bodies, by path, and apart
// those the service worker asked for.
type counter struct {
	mu     sync.Mutex
	page   int64 // what the page (and its workers) asked for
	sw     int64 // what the service worker asked for
	byPath map[string]int64
}

// wrap counts h's responses. A request the service worker makes names its
// script as the Referer: those count as "(sw)" after the path.
func (c *counter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := strings.HasSuffix(r.Referer(), "/app-worker.js")
		h.ServeHTTP(&countingWriter{ResponseWriter: w, c: c, path: r.URL.Path, sw: sw}, r)
	})
}

func (c *counter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.page, c.sw, c.byPath = 0, 0, map[string]int64{}
}

// snapshot returns the bytes the page and the service worker asked for so
// far, and the paths of more than 50 kB (the service worker's marked).
func (c *counter) snapshot() (page, sw int64, big string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var list []string
	for p, n := range c.byPath {
		if n > 50e3 {
			list = append(list, fmt.Sprintf("%s %.2f MB", p, float64(n)/1e6))
		}
	}
	slices.Sort(list)
	return c.page, c.sw, strings.Join(list, ", ")
}

// pageAsked returns the paths the page (not the service worker) asked for
// that start with one of the prefixes.
func (c *counter) pageAsked(prefixes ...string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for p := range c.byPath {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, pre) && !strings.HasSuffix(p, " (service worker)") {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

type countingWriter struct {
	http.ResponseWriter
	c    *counter
	path string
	sw   bool
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	if w.sw {
		w.c.sw += int64(n)
		w.c.byPath[w.path+" (service worker)"] += int64(n)
	} else {
		w.c.page += int64(n)
		w.c.byPath[w.path] += int64(n)
	}
	return n, err
}

// phone starts a fresh browser (empty caches) on the emulated phone
// network and CPU.
func phone(t *testing.T) *browsertest.Browser {
	t.Helper()
	b := browsertest.Start(t)
	b.Do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{
				Latency:            phoneLatencyMs,
				DownloadThroughput: phoneDownBytesPerSec,
				UploadThroughput:   phoneUpBytesPerSec,
				ConnectionType:     network.ConnectionTypeCellular4g,
			}},
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: phoneCPUSlowdown})
		return err
	}))
	return b
}

// TestBrowserPhoneFirstVisit opens the draw embed and the full playground
// from a static export on a plain file server, each in a fresh browser on
// an emulated phone network, waits until it is interactive (its model
// loaded: a stroke gets a prediction), draws a 7 and waits for the
// prediction. It asserts the bytes the page asked the server for until it
// was interactive (within a budget; the bars are logged, see above) and
// that it fetched neither the training worker nor a dataset, and logs the time to interactive (the bars, 2 s for the
// embed and 4 s for the page, are logged, not asserted: timings on a
// shared machine are no test) and what the service worker's precache for
// offline use adds after.
func TestBrowserPhoneFirstVisit(t *testing.T) {
	srv, served := staticExport(t)
	for _, c := range []struct {
		name, path, ready string
		bar, budget       float64
		barMs             float64
	}{
		{"draw embed", "/embed.html?view=draw", `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, drawEmbedBar, drawEmbedBudget, 2000},
		{"full page", "/", `document.getElementById("prediction-panel") && document.getElementById("prediction-panel").dataset.ready`, fullPageBar, fullPageBudget, 4000},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "-"), func(t *testing.T) {
			served.reset()
			b := phone(t)
			b.Navigate(t, srv.URL+c.path)
			b.WaitFor(t, c.ready, 120*time.Second)
			ready := browsertest.Eval[float64](t, b, `Number(`+c.ready+`)`)
			page, sw, big := served.snapshot()
			t.Logf("%s: interactive at %.0f ms (data-ready: the model loaded; the bar: %.0f ms, %s); the page had asked for %.2f MB (the bar: %.1f MB, %s): %s",
				c.name, ready, c.barMs, met(ready < c.barMs), float64(page)/1e6, c.bar/1e6, met(float64(page) < c.bar), big)
			if float64(page) >= c.budget {
				t.Errorf("%s: the page asked for %.2f MB before it was interactive, over its budget of %.1f MB", c.name, float64(page)/1e6, c.budget/1e6)
			}
			b.WaitFor(t, `document.querySelector("#draw-canvas[data-mounted]")`, 30*time.Second)
			start := time.Now()
			b.DrawStroke(t, "#draw-canvas", browsertest.Mouse, browsertest.Seven...)
			drawn := time.Since(start)
			b.WaitFor(t, `document.getElementById("prediction").textContent === "7"`, 60*time.Second)
			t.Logf("%s: drawing the 7 took %v (CDP input events, each waiting for the slowed page), the prediction showed %v later",
				c.name, drawn.Round(time.Millisecond), (time.Since(start) - drawn).Round(time.Millisecond))
			// Neither view trains or shows a dataset: no worker, no data.
			if got := served.pageAsked("/web/worker", "/web/data/"); len(got) > 0 {
				t.Errorf("%s: the page fetched %q, which only training and the data views need", c.name, got)
			}
			// The service worker registers once the view is interactive
			// (web/loader.js), so that its precache does not share the
			// network with the page's own downloads.
			b.WaitFor(t, `navigator.serviceWorker.controller !== null`, 120*time.Second)
			if at := browsertest.Eval[float64](t, b, `self.cnnplaySWRegisteredAt || 0`); at < ready {
				t.Errorf("%s: the service worker registered at %.0f ms, before the view was interactive (%.0f ms)", c.name, at, ready)
			}
			page, sw, big = served.snapshot()
			t.Logf("%s: with the service worker installed, the page had asked for %.2f MB, the service worker's precache %.2f MB (%s)",
				c.name, float64(page)/1e6, float64(sw)/1e6, big)
			b.AssertNoErrors(t)
		})
	}
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

// TestBuildFlagsMatchMakefile checks that the tests build the programs as
// `make wasm` does: the bytes asserted above are those of what ships.
func TestBuildFlagsMatchMakefile(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(string(mk), "\n") {
		if name, val, ok := strings.Cut(line, ":="); ok && strings.HasPrefix(name, "WASM_") {
			vars[strings.TrimSpace(name)] = strings.TrimSpace(val)
		}
	}
	var want []string
	for _, f := range strings.Fields(strings.ReplaceAll(vars["WASM_FLAGS"], "-s -w", "-s\x00-w")) {
		want = append(want, strings.ReplaceAll(strings.ReplaceAll(f, "'", ""), "\x00", " "))
	}
	if !slices.Equal(want, browsertest.WasmBuildFlags) {
		t.Errorf("the Makefile builds the wasm with %q, the tests with %q", want, browsertest.WasmBuildFlags)
	}
}
