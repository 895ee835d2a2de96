//go:build !js

package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// staticSite exports the site into a temporary folder, with the example
// documentation page, and serves it with a plain http.FileServer: no
// compression, no versioned URLs, no Go code of ours.
func staticSite(t *testing.T) (dir string, srv *httptest.Server) {
	t.Helper()
	assets := builtAssets(t)
	dir = t.TempDir()
	start := time.Now()
	if err := exportStatic(dir, options{Assets: assets}, "../../docs"); err != nil {
		t.Fatal(err)
	}
	t.Logf("static export in %v", time.Since(start).Round(time.Millisecond))
	srv = httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return dir, srv
}

// frameJS evaluates a JavaScript expression inside the iframe with the
// given id, with `d` bound to its document and `w` to its window.
func frameJS(id, expr string) string {
	return `(() => { const f = document.getElementById("` + id + `"); if (!f || !f.contentDocument) return null;
		const d = f.contentDocument, w = f.contentWindow; return (` + expr + `); })()`
}

// inkedJS counts pixels that are neither white nor transparent over the
// canvases under the selector, in document d.
const inkedJS = `((d, sel) => { let n = 0;
	for (const c of d.querySelectorAll(sel + " canvas")) {
		if (c.width < 2) continue;
		const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		for (let i = 0; i < px.length; i += 4)
			if (px[i+3] !== 0 && !(px[i] === 255 && px[i+1] === 255 && px[i+2] === 255)) n++;
	}
	return n; })`

// drawInFrame draws a stroke with real mouse events on the element
// matching sel inside the iframe with the given id: points are fractions
// of the element's box.
func drawInFrame(t *testing.T, b *browsertest.Browser, frame, sel string, pts [][2]float64) {
	t.Helper()
	b.Rect(t, "#"+frame) // scrolls the frame into view
	r := browsertest.Eval[*browsertest.Rect](t, b, frameJS(frame, `(() => {
		const e = d.querySelector("`+sel+`"); if (!e) return null;
		e.scrollIntoView({block: "center"});
		const fr = f.getBoundingClientRect(), r = e.getBoundingClientRect();
		return {X: fr.x + r.x, Y: fr.y + r.y, Width: r.width, Height: r.height}; })()`))
	if r == nil {
		t.Fatalf("no %s in #%s", sel, frame)
	}
	ev := func(typ input.DispatchMouseEventType, p [2]float64, buttons int64) chromedp.Action[chromedp.Void] {
		x, y := r.X+p[0]*r.Width, r.Y+p[1]*r.Height
		params := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Buttons: buttons, PointerType: input.DispatchMouseEventPointerTypeMouse}
		if typ != input.DispatchMouseEventTypeMouseMoved {
			params.Button, params.ClickCount = input.MouseButtonLeft, 1
		}
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.DispatchMouseEvent, params)
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{ev(input.DispatchMouseEventTypeMouseMoved, pts[0], 0), ev(input.DispatchMouseEventTypeMousePressed, pts[0], 1)}
	for i := 1; i < len(pts); i++ {
		a, z := pts[i-1], pts[i]
		for k := 1; k <= 20; k++ {
			f := float64(k) / 20
			steps = append(steps, ev(input.DispatchMouseEventTypeMouseMoved, [2]float64{a[0] + (z[0]-a[0])*f, a[1] + (z[1]-a[1])*f}, 1))
		}
	}
	steps = append(steps, ev(input.DispatchMouseEventTypeMouseReleased, pts[len(pts)-1], 0))
	b.Do(t, steps...)
}

// waitSettled polls a JavaScript expression until it is truthy, like
// Browser.WaitFor, but takes an evaluation error (the page's context being
// replaced while it loads, which happened now and then as the service
// worker took control) as "not yet".
func waitSettled(t *testing.T, b *browsertest.Browser, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.Ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting %v for %s (last error: %v)", timeout, expr, last)
}

// sevenStroke is a digit 7 as fractions of the canvas.
var sevenStroke = [][2]float64{{0.25, 0.2}, {0.75, 0.2}, {0.45, 0.85}}

// TestBrowserStaticDocsPage serves the static export with a plain file
// server and opens the example documentation page: each of its embedded
// views must mount, chrome-free, and draw something.
func TestBrowserStaticDocsPage(t *testing.T) {
	_, srv := staticSite(t)
	b := browsertest.Start(t)
	b.Navigate(t, srv.URL+"/example.html")

	frames := []struct{ id, view, check string }{
		{"embed-draw", "draw", ""},
		{"embed-filters", "filters", "#view-filters"},
		{"embed-maps", "featuremaps", "#view-maps"},
	}
	for _, f := range frames {
		b.Rect(t, "#"+f.id) // lazy iframes load when scrolled to
		b.WaitFor(t, frameJS(f.id, `d.getElementById("embed") && d.getElementById("embed").dataset.ready`), 60*time.Second)
		if v := browsertest.Eval[string](t, b, frameJS(f.id, `d.getElementById("embed").dataset.view`)); v != f.view {
			t.Errorf("#%s shows view %q, want %q", f.id, v, f.view)
		}
		if n := browsertest.Eval[int](t, b, frameJS(f.id, `d.querySelectorAll("header, .page-header, .inspect-tabs").length`)); n != 0 {
			t.Errorf("#%s has %d header or tab elements; an embed has none", f.id, n)
		}
		// No horizontal scroll bar inside the frame: the view fits its width.
		if over := browsertest.Eval[int](t, b, frameJS(f.id, `d.documentElement.scrollWidth - d.documentElement.clientWidth`)); over > 0 {
			t.Errorf("#%s is %d px wider than its iframe", f.id, over)
		}
	}
	// The draw view classifies; the feature maps view shows the drawing's maps.
	drawInFrame(t, b, "embed-draw", "#draw-canvas", sevenStroke)
	b.WaitFor(t, frameJS("embed-draw", `d.getElementById("prediction-panel").dataset.ink > 1000 && d.getElementById("prediction").textContent === "7"`), 20*time.Second)
	b.WaitFor(t, frameJS("embed-filters", `Number(d.getElementById("view-filters").dataset.updates) >= 1 && `+inkedJS+`(d, "#view-filters") > 1000`), 30*time.Second)
	drawInFrame(t, b, "embed-maps", "#draw-canvas", sevenStroke)
	b.WaitFor(t, frameJS("embed-maps", `Number(d.getElementById("view-maps").dataset.updates) >= 1 && `+inkedJS+`(d, "#view-maps") > 1000`), 30*time.Second)
	// The page sizes each frame to the height its embed posts: nothing is
	// cut off.
	for _, f := range frames {
		b.WaitFor(t, frameJS(f.id, `f.clientHeight >= d.getElementById("embed").offsetHeight && f.clientHeight < d.getElementById("embed").offsetHeight + 4`), 10*time.Second)
	}
	// The dark frame is dark.
	bg := browsertest.Eval[string](t, b, frameJS("embed-maps", `w.getComputedStyle(d.body).backgroundColor`))
	if bg != "rgb(15, 23, 42)" {
		t.Errorf("dark embed's background is %s", bg)
	}
	b.Screenshot(t, "embed-docs-page")
	b.AssertNoErrors(t)
}

// TestBrowserSharedLink opens a shared link and checks that the training
// panel shows its setup, that the share menu writes the same link back,
// that the embed page reads the same setup, and that hostile values are
// ignored with a note and run nothing.
func TestBrowserSharedLink(t *testing.T) {
	srv := httptest.NewServer(newHandler(options{Assets: builtAssets(t)}))
	defer srv.Close()
	b := browsertest.Start(t)

	const setup = "preset=lenet5&opt=adam&lr=0.003&batch=64&epochs=3&seed=42&aug=shift"
	b.Navigate(t, srv.URL+"/?"+setup)
	// The server's pre-rendered page has the fields too: wait for the UI.
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready && document.getElementById("train-lr")`, 30*time.Second)
	fields := map[string]string{"train-preset": "lenet5", "train-optimizer": "adam", "train-lr": "0.003", "train-batch": "64",
		"train-epochs": "3", "train-seed": "42"}
	checkFields := func(where string) {
		t.Helper()
		for id, want := range fields {
			if got := browsertest.Eval[string](t, b, `document.getElementById("`+id+`").value`); got != want {
				t.Errorf("%s: #%s = %q, want %q", where, id, got, want)
			}
		}
		if !browsertest.Eval[bool](t, b, `document.getElementById("train-aug-shift").checked`) {
			t.Errorf("%s: shift augmentation is off", where)
		}
		// LeNet-5 has 13 layers.
		if n := browsertest.Eval[int](t, b, `document.querySelectorAll("#arch-editor tr.arch-row").length`); n != 13 {
			t.Errorf("%s: the architecture editor shows %d layers, want LeNet-5's 13", where, n)
		}
	}
	checkFields("shared link")
	if n := browsertest.Eval[int](t, b, `document.querySelectorAll("#link-notes").length`); n != 0 {
		t.Errorf("a valid link shows notes: %s", browsertest.Eval[string](t, b, `document.getElementById("link-notes").textContent`))
	}
	link := browsertest.Eval[string](t, b, `document.getElementById("share-link").value`)
	if link != srv.URL+"/?"+setup {
		t.Errorf("share link = %q, want %q", link, srv.URL+"/?"+setup)
	}
	// The embed code for the train view opens the same setup.
	b.Click(t, "#share summary")
	browsertest.Eval[bool](t, b, `(() => { const s = document.getElementById("share-view"); s.value = "train";
		return s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
	b.WaitFor(t, `document.getElementById("share-embed").value.includes("view=train")`, 5*time.Second)
	code := browsertest.Eval[string](t, b, `document.getElementById("share-embed").value`)
	t.Logf("embed code: %s", code)
	b.Click(t, "#share-copy-embed")
	b.WaitFor(t, `document.getElementById("share-status").textContent !== ""`, 5*time.Second)
	t.Logf("copy: %s", browsertest.Eval[string](t, b, `document.getElementById("share-status").textContent`))
	b.Screenshot(t, "share-menu")
	src := code[strings.Index(code, `src="`)+5:]
	src = strings.ReplaceAll(src[:strings.Index(src, `"`)], "&amp;", "&")
	b.Navigate(t, src)
	b.WaitFor(t, `document.getElementById("embed").dataset.ready && document.getElementById("train-lr")`, 30*time.Second)
	checkFields("embed code")
	b.Screenshot(t, "embed-train")

	// Hostile values: shown as text in a note, never run or rendered.
	hostile := "/?lr=abc&epochs=1e9&view=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E" +
		"&arch=conv1000k5-relu-conv1000k5-relu-dense60000-softmax&theme=%22%3E%3Cscript%3Ewindow.__pwned%3D2%3C%2Fscript%3E&seed=7"
	b.Navigate(t, srv.URL+hostile)
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready && document.getElementById("link-notes")`, 30*time.Second)
	notes := browsertest.Eval[string](t, b, `document.getElementById("link-notes").innerText`)
	t.Logf("notes:\n%s", notes)
	for _, want := range []string{`ignored lr="abc": learning rate must be a number`, `ignored epochs="1e9"`, `ignored view="<img src=x onerror=window.__pwned=1>"`,
		`ignored arch="conv1000k5-relu-conv1000k5-relu-dense600"…`, `ignored theme="\"><script>window.__pwned=2</script>"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes do not say %s", want)
		}
	}
	time.Sleep(time.Second)
	if got := browsertest.Eval[string](t, b, `String(window.__pwned) + " " + document.querySelectorAll("#link-notes img, #link-notes script").length + " " + document.getElementById("train-panel").dataset.state`); got != "undefined 0 idle" {
		t.Errorf("after hostile values: __pwned, injected elements, training state = %s", got)
	}
	if lr, seed := browsertest.Eval[string](t, b, `document.getElementById("train-lr").value`), browsertest.Eval[string](t, b, `document.getElementById("train-seed").value`); lr != "1" || seed != "7" {
		t.Errorf("lr %q (want the default 1), seed %q (want 7, the one good value)", lr, seed)
	}
	b.Screenshot(t, "link-notes")
	b.Navigate(t, srv.URL+"/embed.html?view=%3Cscript%3Ewindow.__pwned%3D3%3C%2Fscript%3E&lr=abc")
	b.WaitFor(t, `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, 30*time.Second)
	if got := browsertest.Eval[string](t, b, `String(window.__pwned) + " " + document.getElementById("embed").dataset.view + " " + document.querySelectorAll("#link-notes li").length`); got != "undefined draw 2" {
		t.Errorf("hostile embed: __pwned, view, notes = %s", got)
	}
	b.Screenshot(t, "embed-notes")

	// On the whole page, a view opens its tab.
	b.Navigate(t, srv.URL+"/?view=filters")
	b.WaitFor(t, `(() => { const e = document.getElementById("view-filters"); return e && Number(e.dataset.updates) >= 1; })()`, 30*time.Second)
	if sel := browsertest.Eval[string](t, b, `document.getElementById("inspect-tab-filters").getAttribute("aria-selected")`); sel != "true" {
		t.Errorf("view=filters: the filters tab is not selected (%q)", sel)
	}
	b.AssertNoErrors(t)
}

// TestBrowserOffline loads the static export once, waits for go-app's
// service worker, stops the server and opens shared links again.
func TestBrowserOffline(t *testing.T) {
	dir, _ := staticSite(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()
	b := browsertest.Start(t)
	b.Navigate(t, base+"/")
	waitSettled(t, b, `document.getElementById("prediction-panel").dataset.ready`, 60*time.Second)
	waitSettled(t, b, `navigator.serviceWorker.controller !== null`, 60*time.Second)
	n := browsertest.Eval[int](t, b, `caches.keys().then(ks => caches.open(ks[0])).then(c => c.keys()).then(r => r.length)`)
	t.Logf("service worker cache holds %d responses", n)
	srv.Close()
	if _, err := http.Get(base + "/"); err == nil {
		t.Fatal("the server still answers")
	}

	b.Navigate(t, base+"/embed.html?view=draw&seed=3")
	b.WaitFor(t, `document.getElementById("embed") && document.getElementById("embed").dataset.ready`, 60*time.Second)
	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse, browsertest.Seven...)
	b.WaitFor(t, `document.getElementById("prediction").textContent === "7"`, 20*time.Second)
	b.Screenshot(t, "offline-embed")

	b.Navigate(t, base+"/embed.html?view=confusion")
	b.WaitFor(t, `(() => { const e = document.getElementById("view-mistakes"); return e && Number(e.dataset.updates) >= 1; })()`, 120*time.Second)

	b.Navigate(t, base+"/?preset=mlp&seed=5")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready && document.getElementById("train-preset")`, 60*time.Second)
	if got := browsertest.Eval[string](t, b, `document.getElementById("train-preset").value + " " + document.getElementById("train-seed").value`); got != "mlp 5" {
		t.Errorf("offline shared link: preset and seed %q, want \"mlp 5\"", got)
	}
	b.Screenshot(t, "offline-page")
	b.AssertNoErrors(t, `Failed to load resource`, `ERR_CONNECTION_REFUSED`, `net::`)
}

// TestBrowserEmbedLoad opens each embed in a fresh browser (an empty cache)
// and logs what it loaded before it was interactive and when that was,
// once from the static export on a plain file server and once from
// cmd/serve, which gzips.
func TestBrowserEmbedLoad(t *testing.T) {
	_, static := staticSite(t)
	h := newHandler(options{Assets: builtAssets(t)})
	var acceptEncoding atomic.Value
	served := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/web/app.wasm") {
			acceptEncoding.Store(r.Header.Get("Accept-Encoding"))
		}
		h.ServeHTTP(w, r)
	}))
	defer served.Close()
	defer func() {
		t.Logf("Chromium asked cmd/serve for app.wasm with Accept-Encoding: %v", acceptEncoding.Load())
	}()
	views := []struct{ view, ready string }{
		{"draw", `document.getElementById("embed").dataset.ready`},
		{"filters", `(() => { const e = document.getElementById("view-filters"); return e && Number(e.dataset.updates) >= 1; })()`},
		{"featuremaps", `(() => { const e = document.getElementById("view-maps"); return document.getElementById("embed").dataset.ready && e; })()`},
		{"confusion", `(() => { const e = document.getElementById("view-mistakes"); return e && Number(e.dataset.updates) >= 1; })()`},
		{"train", `document.getElementById("embed").dataset.ready && document.getElementById("train-start")`},
	}
	for _, site := range []struct{ name, url string }{{"file server", static.URL}, {"cmd/serve", served.URL}} {
		for _, v := range views {
			t.Run(strings.ReplaceAll(site.name, "/", "-")+"-"+v.view, func(t *testing.T) {
				b := browsertest.Start(t)
				b.Navigate(t, site.url+"/embed.html?view="+v.view)
				b.WaitFor(t, `document.getElementById("embed") && (`+v.ready+`)`, 120*time.Second)
				type load struct {
					TTI, Bytes, Encoded, Decoded float64
					N                            int
					Big                          string
				}
				l := browsertest.Eval[load](t, b, `(() => {
				const tti = performance.now();
				const es = [performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")].filter(e => e.responseEnd <= tti);
				let bytes = 0, enc = 0, dec = 0, big = [];
				for (const e of es) { bytes += e.transferSize; enc += e.encodedBodySize; dec += e.decodedBodySize;
					if (e.encodedBodySize > 100000) big.push(e.name.replace(location.origin, "") + " " + (e.encodedBodySize/1e6).toFixed(2) + " MB"); }
				return {TTI: tti, Bytes: bytes, Encoded: enc, Decoded: dec, N: es.length, Big: big.join(", ")};
			})()`)
				t.Logf("%-11s %-12s interactive after %5.0f ms; %2d requests, %6.2f MB over the wire (%6.2f MB decoded); large: %s",
					site.name, v.view, l.TTI, l.N, l.Bytes/1e6, l.Decoded/1e6, l.Big)
				if site.name == "file server" && v.view == "draw" {
					b.Screenshot(t, "embed-draw")
				}
			})
		}
	}
}

// TestBrowserStaticPrefix exports the site for a path prefix, as for a
// GitHub project page (https://user.github.io/cnnplay/), and serves it
// there with a plain file server.
func TestBrowserStaticPrefix(t *testing.T) {
	assets := builtAssets(t)
	dir := t.TempDir()
	if err := exportStatic(dir, options{Assets: assets, Prefix: "/cnnplay"}, "../../docs"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/cnnplay", http.FileServer(http.Dir(dir))))
	defer srv.Close()
	b := browsertest.Start(t)
	b.Navigate(t, srv.URL+"/cnnplay/embed.html?view=filters")
	b.WaitFor(t, `(() => { const e = document.getElementById("view-filters"); return e && Number(e.dataset.updates) >= 1; })()`, 60*time.Second)
	b.Navigate(t, srv.URL+"/cnnplay/?preset=mlp&seed=5")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready && document.getElementById("train-preset")`, 60*time.Second)
	if got := browsertest.Eval[string](t, b, `document.getElementById("train-preset").value + " " + document.getElementById("train-seed").value`); got != "mlp 5" {
		t.Errorf("preset and seed %q, want \"mlp 5\"", got)
	}
	if got := browsertest.Eval[string](t, b, `document.getElementById("share-link").value`); got != srv.URL+"/cnnplay/?preset=mlp&seed=5" {
		t.Errorf("share link %q", got)
	}
	b.WaitFor(t, `navigator.serviceWorker.controller !== null`, 60*time.Second)
	if sw := browsertest.Eval[string](t, b, `navigator.serviceWorker.controller.scriptURL`); sw != srv.URL+"/cnnplay/app-worker.js" {
		t.Errorf("service worker %s", sw)
	}
	b.AssertNoErrors(t)
}
