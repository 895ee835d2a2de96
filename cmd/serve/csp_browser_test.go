//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// cspReportPath is where the browser posts the CSP violations it sees: the
// test server adds report-uri to the policy of every response, so that a
// violation anywhere (the page, a frame, the training worker, the service
// worker) reaches the test.
const cspReportPath = "/csp-report"

// cspProbeWorker is a worker script served as a /web/ asset, so that it
// runs under the policy the server gives the training worker's script. It
// compiles an (empty) WebAssembly module, which the policy allows, tries
// eval, which it forbids, and posts what happened.
const cspProbeWorker = `'use strict';
const out = {violations: []};
self.addEventListener('securitypolicyviolation', (e) => out.violations.push(e.effectiveDirective));
(async () => {
  try { out.eval = String(eval('1 + 1')); } catch (e) { out.eval = e.name; }
  try {
    await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    out.wasm = 'compiled';
  } catch (e) { out.wasm = String(e); }
  setTimeout(() => self.postMessage(out), 200);
})();
`

// cspListenJS runs in every frame before its own scripts and records the
// violations its document sees.
const cspListenJS = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) =>
	window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));`

// cspReport is the part of a report-uri report the test looks at.
type cspReport struct {
	DocumentURI        string `json:"document-uri"`
	EffectiveDirective string `json:"effective-directive"`
	BlockedURI         string `json:"blocked-uri"`
	SourceFile         string `json:"source-file"`
	LineNumber         int    `json:"line-number"`
	ScriptSample       string `json:"script-sample"`
}

func (r cspReport) String() string {
	return fmt.Sprintf("%s blocked %q in %s (%s:%d %q)", r.EffectiveDirective, r.BlockedURI, r.DocumentURI, r.SourceFile, r.LineNumber, r.ScriptSample)
}

// cspServer is cnnplay's handler with the probe worker among its assets,
// report-uri added to its policy and the reports it receives collected.
type cspServer struct {
	URL string

	mu      sync.Mutex
	reports []cspReport
}

// startCSPServer serves the embedded site for a CSP test; it stops with
// the test.
func startCSPServer(t *testing.T) *cspServer {
	t.Helper()
	s := &cspServer{}
	assets := cspOverlay{builtAssets(t), fstest.MapFS{"csp-probe.js": {Data: []byte(cspProbeWorker)}}}
	h := newHandler(options{Assets: assets})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == cspReportPath && r.Method == http.MethodPost {
			s.receive(t, r)
			return
		}
		h.ServeHTTP(&cspReporting{ResponseWriter: w}, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *cspServer) receive(t *testing.T, r *http.Request) {
	var body struct {
		Report cspReport `json:"csp-report"`
	}
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		t.Errorf("a CSP report that does not decode: %v: %s", err, b)
		return
	}
	s.mu.Lock()
	s.reports = append(s.reports, body.Report)
	s.mu.Unlock()
}

// Reports returns the reports received so far.
func (s *cspServer) Reports() []cspReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]cspReport(nil), s.reports...)
}

// waitReport waits until a report matching the directive and source has
// arrived, and returns all the reports received by then.
func (s *cspServer) waitReport(t *testing.T, directive, source string) []cspReport {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		reports := s.Reports()
		for _, r := range reports {
			if r.EffectiveDirective == directive && strings.Contains(r.DocumentURI+" "+r.SourceFile, source) {
				return reports
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s report from %s after 15 s; reports: %v", directive, source, reports)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cspReporting adds report-uri to the policy of a response.
type cspReporting struct {
	http.ResponseWriter
	wrote bool
}

func (w *cspReporting) WriteHeader(status int) {
	if !w.wrote {
		w.wrote = true
		if p := w.Header().Get("Content-Security-Policy"); p != "" {
			w.Header().Set("Content-Security-Policy", p+"; report-uri "+cspReportPath)
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *cspReporting) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// cspOverlay serves the files of extra on top of base.
type cspOverlay struct{ base, extra fs.FS }

func (o cspOverlay) Open(name string) (fs.File, error) {
	if f, err := o.extra.Open(name); err == nil && name != "." {
		return f, nil
	}
	return o.base.Open(name)
}

// startCSPBrowser starts Chromium with cspListenJS installed in every frame.
func startCSPBrowser(t *testing.T) *browsertest.Browser {
	t.Helper()
	b := browsertest.Start(t)
	b.Do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListenJS})
		return err
	}))
	return b
}

// assertNoViolations fails the test on any violation the server was told
// of or the page saw.
func assertNoViolations(t *testing.T, s *cspServer, b *browsertest.Browser, what string) {
	t.Helper()
	if r := s.Reports(); len(r) > 0 {
		t.Errorf("%s: %d CSP violation(s) reported:\n  %v", what, len(r), r)
	}
	if v := browsertest.Eval[[]string](t, b, `window.cspViolations`); len(v) > 0 {
		t.Errorf("%s: the page saw %d CSP violation(s): %v", what, len(v), v)
	}
}

// cspInspectViews are the inspect panel's tabs and the views they show.
var cspInspectViews = []struct {
	tab, view string
	wait      time.Duration
}{
	{"data", "view-data", 30 * time.Second},
	{"convolution", "view-convolution", 10 * time.Second},
	{"network", "view-network", 10 * time.Second},
	{"filters", "view-filters", 10 * time.Second},
	{"maps", "view-maps", 10 * time.Second},
	{"saliency", "view-saliency", 10 * time.Second},
	{"projection", "view-projection", 120 * time.Second},
	{"mistakes", "view-mistakes", 120 * time.Second},
}

// TestBrowserCSPPage loads the playground under the server's policy, draws,
// opens every inspect view and trains in the Web Worker, and checks that
// nothing was refused. Then it shows that the policy is enforced and that
// violations would have been seen: an inline script in the page and eval
// in a worker served like the training worker are refused and reported,
// while WebAssembly compiles in both.
func TestBrowserCSPPage(t *testing.T) {
	s := startCSPServer(t)
	b := startCSPBrowser(t)
	b.Navigate(t, s.URL+"/")
	b.WaitFor(t, `document.querySelector("#draw-canvas[data-mounted]") && document.getElementById("prediction-panel").dataset.ready`, 60*time.Second)

	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Seven...)
	b.WaitFor(t, `Number(document.getElementById("prediction-panel").dataset.ink) > 1000`, 10*time.Second)
	for _, v := range cspInspectViews {
		b.Click(t, "#inspect-tab-"+v.tab)
		b.WaitFor(t, `(() => { const e = document.getElementById("`+v.view+`"); return e && Number(e.dataset.updates) >= 1; })()`, v.wait)
	}

	b.Click(t, "#train-start")
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.steps) > 0`, 60*time.Second)
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.lossPoints) >= 3`, 60*time.Second)
	b.Click(t, "#train-pause")
	b.Click(t, "#inspect-tab-filters")
	b.WaitFor(t, `document.getElementById("view-filters")`, 10*time.Second)
	b.Screenshot(t, "csp-page")
	b.AssertNoErrors(t)

	// An inline script: the policy refuses it and the report arrives.
	// Waiting for it also gives any earlier report time to arrive.
	ran := browsertest.Eval[bool](t, b, `(() => {
		const s = document.createElement("script");
		s.textContent = "window.cspInlineRan = true";
		document.head.append(s);
		return window.cspInlineRan === true;
	})()`)
	if ran {
		t.Error("an inline script ran")
	}
	reports := s.waitReport(t, "script-src-elem", s.URL+"/")
	if len(reports) != 1 {
		t.Errorf("violations before the inline script's: %v", reports[:len(reports)-1])
	}
	if v := browsertest.Eval[[]string](t, b, `window.cspViolations`); len(v) != 1 || !strings.HasPrefix(v[0], "script-src-elem inline") {
		t.Errorf("the page saw %v, want only the inline script's violation", v)
	}

	// A worker served like web/worker.js compiles WebAssembly but may not
	// eval.
	type probe struct {
		Eval, Wasm string
		Violations []string
	}
	got := browsertest.Eval[probe](t, b, `new Promise((resolve, reject) => {
		const w = new Worker("/web/csp-probe.js");
		w.onmessage = (e) => resolve(e.data);
		w.onerror = (e) => reject(new Error("probe worker: " + e.message));
	})`)
	if got.Eval != "EvalError" || got.Wasm != "compiled" {
		t.Errorf("in a worker: eval gave %q (want EvalError), WebAssembly %q (want compiled)", got.Eval, got.Wasm)
	}
	if len(got.Violations) != 1 || got.Violations[0] != "script-src" {
		t.Errorf("the worker saw violations %v, want script-src (its eval)", got.Violations)
	}
	s.waitReport(t, "script-src", "csp-probe.js")
	if r := s.Reports(); len(r) != 2 {
		t.Errorf("reports: %v, want the inline script's and the worker's eval's only", r)
	}
}

// cspHostPage is a documentation page on another origin that frames the
// embed page, which may be framed anywhere, and the playground, which may
// not; it records the heights the embed page posts.
const cspHostPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>docs</title></head><body>
<script>
window.heights = [];
addEventListener("message", (e) => { if (e.data && e.data.type === "cnnplay:height") window.heights.push(e.origin + " " + e.data.height); });
</script>
<iframe id="embed" src="%[1]s/embed.html?view=draw&amp;theme=light" width="700" height="500"></iframe>
<iframe id="home" src="%[1]s/" width="700" height="300"></iframe>
</body></html>`

// TestBrowserCSPEmbed loads the embed page under the server's policy, alone
// and framed by a page of another origin, draws on it, and checks that
// nothing was refused but the frame of the playground, whose policy allows
// only this site to frame it.
func TestBrowserCSPEmbed(t *testing.T) {
	s := startCSPServer(t)
	b := startCSPBrowser(t)
	b.Navigate(t, s.URL+"/embed.html?view=draw&theme=dark")
	b.WaitFor(t, `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, 60*time.Second)
	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Seven...)
	b.WaitFor(t, `document.getElementById("prediction").textContent === "7"`, 20*time.Second)
	b.Screenshot(t, "csp-embed")
	b.AssertNoErrors(t)
	assertNoViolations(t, s, b, "embed page")

	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, cspHostPage, s.URL)
	}))
	defer host.Close()
	b.Navigate(t, host.URL+"/")
	// The embed page ran in the other origin's frame: it posts its height.
	b.WaitFor(t, `window.heights.some((h) => h.startsWith(`+jsString(s.URL)+`))`, 60*time.Second)
	reports := s.waitReport(t, "frame-ancestors", s.URL+"/")
	for _, r := range reports {
		if r.EffectiveDirective != "frame-ancestors" || r.DocumentURI != s.URL+"/" {
			t.Errorf("unexpected violation: %v", r)
		}
	}
	b.Screenshot(t, "csp-embed-framed")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowserCSPStatic serves a static export with a plain file server,
// which sends no policy: the pages carry it as a <meta> element. The
// playground and the embed page run under it with no violation, and an
// inline script is refused. (A <meta> policy cannot restrict framing, and
// the worker runs under none: only the server can give it one.)
func TestBrowserCSPStatic(t *testing.T) {
	dir := t.TempDir()
	if err := exportStatic(dir, options{Assets: builtAssets(t)}, ""); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	b := startCSPBrowser(t)

	b.Navigate(t, srv.URL+"/embed.html?view=draw")
	b.WaitFor(t, `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, 60*time.Second)
	if v := browsertest.Eval[[]string](t, b, `window.cspViolations`); len(v) > 0 {
		t.Errorf("the static embed page saw CSP violations: %v", v)
	}
	b.Navigate(t, srv.URL+"/")
	b.WaitFor(t, `document.querySelector("#draw-canvas[data-mounted]") && document.getElementById("prediction-panel").dataset.ready`, 60*time.Second)
	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Seven...)
	b.WaitFor(t, `document.getElementById("prediction").textContent === "7"`, 20*time.Second)
	b.AssertNoErrors(t)
	if v := browsertest.Eval[[]string](t, b, `window.cspViolations`); len(v) > 0 {
		t.Errorf("the static page saw CSP violations: %v", v)
	}
	ran := browsertest.Eval[bool](t, b, `(() => {
		const s = document.createElement("script");
		s.textContent = "window.cspInlineRan = true";
		document.head.append(s);
		return window.cspInlineRan === true;
	})()`)
	b.WaitFor(t, `window.cspViolations.length > 0`, 5*time.Second)
	if v := browsertest.Eval[[]string](t, b, `window.cspViolations`); ran || len(v) != 1 || !strings.HasPrefix(v[0], "script-src-elem inline") {
		t.Errorf("an inline script in the static page: ran %v, violations %v; want it refused", ran, v)
	}
}
