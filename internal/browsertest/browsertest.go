//go:build !js

// Package browsertest runs Go tests against the pages in headless Chromium,
// through chromedp.
//
// Start launches a fresh browser for a test (its own profile directory,
// loopback only) and collects everything the page writes to the console, so
// that a test can assert there were no errors. Helpers draw strokes with
// real input events (the browser turns them into pointer events), evaluate
// JavaScript and save screenshots.
//
// The tests build what they serve: Site is the web directory that `make
// build` would leave (the wasm programs, wasm_exec.js, the SIMD kernel, the
// datasets), and Wasm one program, each built once per test binary into a
// directory that Main removes at the end. Serve runs the real server
// (cmd/serve) on Site, once per test binary, for the page's tests in e2e/;
// page.go has the helpers they share. ServeFiles serves chosen files beside
// a blank page, for tests that drive a worker without cmd/serve.
//
// Chromium is required: a test fails, and says how to install it, when it
// is missing. Tests never skip because of it.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// InstallCommand installs what the browser tests need on Debian.
const InstallCommand = "sudo apt-get install -y chromium"

// Environment variables the harness reads.
const (
	// EnvChromium overrides the Chromium binary (default /usr/bin/chromium).
	EnvChromium = "CNNPLAY_CHROMIUM"
	// EnvOut is the folder for screenshots (default out/screenshots at the
	// module root).
	EnvOut = "CNNPLAY_TEST_OUT"
)

// Timeouts of the harness.
const (
	startTimeout  = 60 * time.Second
	actionTimeout = 60 * time.Second
)

// Browser is one tab of a headless Chromium.
type Browser struct {
	// Ctx is the chromedp context of the tab, for actions the helpers do not
	// cover. Derive timeouts from it; never cancel it.
	Ctx context.Context

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

// Chromium returns the path of the Chromium binary, or fails the test with
// the install command.
func Chromium(t testing.TB) string {
	t.Helper()
	path := os.Getenv(EnvChromium)
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("Chromium not found at %s (%v); install it with: %s", path, err, InstallCommand)
	}
	return path
}

// Start launches headless Chromium for the test and opens a blank tab. The
// browser stops and its profile is deleted when the test ends.
func Start(t testing.TB) *Browser {
	t.Helper()
	exe := Chromium(t)
	profile, err := os.MkdirTemp("", "cnnplay-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(Flags(exe, profile), chromedp.WindowSize(1100, 800))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		os.RemoveAll(profile)
	})

	return openTab(ctx, t, "starting "+exe)
}

// NewTab opens another blank tab in b's browser, for a test that needs two
// pages at once. It closes when the test ends.
func (b *Browser) NewTab(t testing.TB) *Browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.Ctx)
	t.Cleanup(cancel)
	return openTab(ctx, t, "opening a tab")
}

// NewDevice opens a tab in a new browser context of b's browser: its own
// cookies and storage, as a page on another device has, for a test of
// several users at once (a class's students). It closes when the test
// ends.
func (b *Browser) NewDevice(t testing.TB) *Browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.Ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return openTab(ctx, t, "opening a tab in a new browser context")
}

// Opened runs open, which makes b's page open a new tab (window.open),
// and returns that tab, collecting its console messages from then on. It
// closes when the test ends.
func (b *Browser) Opened(t testing.TB, open func()) *Browser {
	t.Helper()
	ch := chromedp.WaitNewTarget(b.Ctx, func(*target.Info) bool { return true })
	open()
	select {
	case id, ok := <-ch:
		if !ok {
			t.Fatal("waiting for a new tab: the tab's browser went away")
		}
		ctx, cancel := chromedp.NewContext(b.Ctx, chromedp.WithTargetID(id))
		t.Cleanup(cancel)
		return newTab(ctx)
	case <-time.After(startTimeout):
		t.Fatalf("the page opened no tab within %v", startTimeout)
	}
	return nil
}

// openTab runs the first action on ctx, which starts the browser or opens
// the tab, and returns the tab's Browser. That Run must not have a timeout
// of its own (it would stop the browser or close the tab), so the wait for
// it is here instead; what names the step in a failure.
func openTab(ctx context.Context, t testing.TB, what string) *Browser {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx, chromedp.Navigate("about:blank")) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(startTimeout):
		t.Fatalf("%s: no answer after %v", what, startTimeout)
	}
	return newTab(ctx)
}

// newTab is the Browser of the tab of ctx, collecting its console messages.
func newTab(ctx context.Context) *Browser {
	b := &Browser{Ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// Do runs the actions with a timeout and fails the test on error.
func (b *Browser) Do(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// Navigate loads url in the tab and waits for its load event.
func (b *Browser) Navigate(t testing.TB, url string) {
	t.Helper()
	b.Do(t, chromedp.Navigate(url))
}

// Eval evaluates a JavaScript expression (awaiting it when it is a promise)
// and decodes its JSON value into a T.
func Eval[T any](t testing.TB, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// WaitFor polls a JavaScript expression until it is truthy, for at most
// timeout, and fails the test otherwise.
//
// A page that navigates or reloads meanwhile (a frame loading, a service
// worker taking control) destroys the context the poll runs in; the poll
// then starts again in the new one.
func (b *Browser) WaitFor(t testing.TB, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		ctx, cancel := context.WithTimeout(b.Ctx, left+5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
			chromedp.WithPollingTimeout(left),
			chromedp.WithPollingInterval(10*time.Millisecond)))
		cancel()
		switch {
		case err == nil:
			return
		case contextLost(err) && time.Now().Before(deadline):
			time.Sleep(50 * time.Millisecond)
			continue
		}
		t.Fatalf("waiting %v for %s: %v\nconsole:\n%s", timeout, expr, err, b.consoleText())
	}
}

// contextLost reports whether err says the page's JavaScript context went
// away under an evaluation, as it does when the page navigates.
func contextLost(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Execution context was destroyed")
}

// Click clicks the element with a real left mouse click at its centre,
// once the element is what is at its centre: a page that is still laying
// itself out (a panel re-rendering above it, a banner going away) would
// have the click land on something else.
func (b *Browser) Click(t testing.TB, selector string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	var r Rect
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		r = b.Rect(t, selector)
		x, y := r.X+r.Width/2, r.Y+r.Height/2
		hit := Eval[string](t, b, fmt.Sprintf(`(() => {
			const e = document.querySelector(%s), h = document.elementFromPoint(%g, %g);
			return !h || e === h || e.contains(h) ? "" : (h.id ? "#" + h.id : h.tagName.toLowerCase() + "." + h.className);
		})()`, sel, x, y))
		if hit == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("clicking %s: its centre is covered by %s", selector, hit)
		}
	}
	x, y := r.X+r.Width/2, r.Y+r.Height/2
	b.Do(t,
		mouse(input.DispatchMouseEventTypeMouseMoved, x, y, 0, input.DispatchMouseEventPointerTypeMouse),
		mouse(input.DispatchMouseEventTypeMousePressed, x, y, 1, input.DispatchMouseEventPointerTypeMouse),
		mouse(input.DispatchMouseEventTypeMouseReleased, x, y, 0, input.DispatchMouseEventPointerTypeMouse),
	)
}

// Rect is an element's box in CSS pixels, relative to the viewport.
type Rect struct{ X, Y, Width, Height float64 }

// Rect returns the bounding box of the first element matching the CSS
// selector, scrolled into view first.
func (b *Browser) Rect(t testing.TB, selector string) Rect {
	t.Helper()
	sel, _ := json.Marshal(selector)
	r := Eval[*Rect](t, b, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return null;
		e.scrollIntoView({block: "center", inline: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.x, Y: r.y, Width: r.width, Height: r.height};
	})()`, sel))
	if r == nil {
		t.Fatalf("no element matches %s", selector)
	}
	return *r
}

// Pointer is the kind of device a stroke is drawn with.
type Pointer string

// Pointer kinds.
const (
	Mouse Pointer = "mouse"
	Pen   Pointer = "pen"
	Touch Pointer = "touch"
)

// Point is a position inside an element, as fractions of its width and
// height: {0, 0} is the top left corner, {1, 1} the bottom right one.
type Point struct{ X, Y float64 }

// DrawStroke draws one stroke through the points on the element matching
// the CSS selector, with real input events: a press, moves every few
// pixels along the segments, and a release. The browser turns them into
// pointerdown, pointermove and pointerup events of the given kind.
func (b *Browser) DrawStroke(t testing.TB, selector string, kind Pointer, pts ...Point) {
	t.Helper()
	if len(pts) == 0 {
		t.Fatal("DrawStroke: no points")
	}
	r := b.Rect(t, selector)
	// Samples every 3 CSS pixels along the polyline.
	dense := []Point{pts[0]}
	for i, p := range pts[1:] {
		q := pts[i]
		n := int(math.Ceil(math.Hypot((p.X-q.X)*r.Width, (p.Y-q.Y)*r.Height) / 3))
		for j := 1; j <= n; j++ {
			f := float64(j) / float64(n)
			dense = append(dense, Point{q.X + (p.X-q.X)*f, q.Y + (p.Y-q.Y)*f})
		}
	}
	b.drawPath(t, r, kind, dense)
}

// DrawPath draws one stroke with one input event per point, for paths that
// are already sampled as densely as a real pointer reports (a few pixels
// apart), such as the recorded drawings in testdata/strokes.
func (b *Browser) DrawPath(t testing.TB, selector string, kind Pointer, pts ...Point) {
	t.Helper()
	if len(pts) == 0 {
		t.Fatal("DrawPath: no points")
	}
	b.drawPath(t, b.Rect(t, selector), kind, pts)
}

func (b *Browser) drawPath(t testing.TB, r Rect, kind Pointer, pts []Point) {
	t.Helper()
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = r.X+p.X*r.Width, r.Y+p.Y*r.Height
	}
	var steps []chromedp.Action[chromedp.Void]
	last := len(xs) - 1
	if kind == Touch {
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchStart, xs[0], ys[0]))
		for i := 1; i <= last; i++ {
			steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, xs[i], ys[i]))
		}
		steps = append(steps, touchEnd())
	} else {
		pt := input.DispatchMouseEventPointerType(kind)
		steps = append(steps,
			mouse(input.DispatchMouseEventTypeMouseMoved, xs[0], ys[0], 0, pt),
			mouse(input.DispatchMouseEventTypeMousePressed, xs[0], ys[0], 1, pt))
		for i := 1; i <= last; i++ {
			steps = append(steps, mouse(input.DispatchMouseEventTypeMouseMoved, xs[i], ys[i], 1, pt))
		}
		steps = append(steps, mouse(input.DispatchMouseEventTypeMouseReleased, xs[last], ys[last], 0, pt))
	}
	b.Do(t, steps...)
}

// mouse dispatches one mouse (or pen) event; buttons is 1 while the left
// button is down.
func mouse(typ input.DispatchMouseEventType, x, y float64, buttons int64, pt input.DispatchMouseEventPointerType) chromedp.Action[chromedp.Void] {
	p := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Buttons: buttons, PointerType: pt}
	if typ == input.DispatchMouseEventTypeMousePressed || typ == input.DispatchMouseEventTypeMouseReleased {
		p.Button = input.MouseButtonLeft
		p.ClickCount = 1
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, p)
		return err
	})
}

// touchID identifies the one finger of the touch strokes.
var touchID = 1.0

func touch(typ input.DispatchTouchEventType, x, y float64) chromedp.Action[chromedp.Void] {
	p := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{{X: x, Y: y, ID: &touchID}}}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, p)
		return err
	})
}

func touchEnd() chromedp.Action[chromedp.Void] {
	p := input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, p)
		return err
	})
}

// Console returns the console messages so far: calls of the console API,
// uncaught exceptions and browser log entries (such as failed loads).
func (b *Browser) Console() []chromedp.ConsoleMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), b.messages...)
}

func (b *Browser) consoleText() string {
	var s strings.Builder
	for _, m := range b.Console() {
		fmt.Fprintf(&s, "  %s (%s:%d)\n", m, m.URL, m.Line)
	}
	return s.String()
}

// AssertNoErrors fails the test when the page logged an error or threw an
// exception nothing caught. Messages matching one of the ignore patterns
// (regular expressions) are allowed.
func (b *Browser) AssertNoErrors(t testing.TB, ignore ...string) {
	t.Helper()
	var res []*regexp.Regexp
	for _, p := range ignore {
		res = append(res, regexp.MustCompile(p))
	}
	// Let messages in flight arrive.
	time.Sleep(100 * time.Millisecond)
	var bad []string
next:
	for _, m := range b.Console() {
		if m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		for _, re := range res {
			if re.MatchString(m.Text) {
				continue next
			}
		}
		bad = append(bad, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
	}
	if len(bad) > 0 {
		t.Errorf("the page reported %d error(s):\n  %s", len(bad), strings.Join(bad, "\n  "))
	}
}

// OutDir returns the folder for test artifacts: $CNNPLAY_TEST_OUT, or
// out/screenshots at the module root. It creates it.
func OutDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(EnvOut)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, "out", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Screenshot saves a PNG of the whole page (not just the viewport, so
// panels below the fold can be looked at) as <OutDir>/<name>.png and
// returns its path.
func (b *Browser) Screenshot(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(OutDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// ElementScreenshot saves a PNG of the first element matching the CSS
// selector alone, at its size on the page, as <OutDir>/<name>.png and
// returns its path.
func (b *Browser) ElementScreenshot(t testing.TB, selector, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", selector, err)
	}
	path := filepath.Join(OutDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// moduleRoot returns the nearest directory upwards that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Flags are the options headless Chromium runs with here, shared by the
// tests and the peer benchmark (bench/peers): the executable, a fresh
// profile directory, and the switches a machine without a network needs.
func Flags(exe, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// The machine may have no network: without these Chromium reaches
		// out and hangs.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("password-store", "basic"),
	}
}
