//go:build !js

package browsertest

import (
	"strconv"
	"testing"
	"time"
)

// Helpers for the tests of cnnplay's page (the e2e packages), which
// several of them share: they know the page's element ids.

// StartSite starts headless Chromium for the test and returns it with the
// URL of the real server (Serve). It checks first that Chromium is there,
// so that a missing browser fails at once, with the install command, not
// after the site is built.
func StartSite(t testing.TB) (*Browser, string) {
	t.Helper()
	Chromium(t)
	url := Serve(t)
	return Start(t), url
}

// LoadPage opens url and waits until the drawing canvas has mounted and the
// model is ready to predict.
func LoadPage(t testing.TB, b *Browser, url string) {
	t.Helper()
	b.Navigate(t, url)
	b.WaitFor(t, `document.querySelector("#draw-canvas[data-mounted]") && document.getElementById("prediction-panel").dataset.ready`, 30*time.Second)
}

// InkJS counts the pixels of the drawing canvas that carry ink.
const InkJS = `(() => {
	const c = document.getElementById("draw-canvas");
	const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	let n = 0;
	for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
	return n;
})()`

// WaitInk waits until the canvas has more than min inked pixels and the
// page shows the same count, which OnChange reports when a stroke ends, and
// the count holds for a moment; it returns the count. The UI program
// handles input events asynchronously, so a stroke's last pixels arrive
// after DrawStroke.
func WaitInk(t testing.TB, b *Browser, min int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.WaitFor(t, `(() => {
			const n = `+InkJS+`;
			return n > `+strconv.Itoa(min)+` &&
				document.getElementById("prediction-panel").dataset.ink === String(n);
		})()`, 10*time.Second)
		n := Eval[int](t, b, InkJS)
		time.Sleep(200 * time.Millisecond)
		if Eval[int](t, b, InkJS) == n {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ink never settled: %d pixels", n)
		}
	}
}

// Seven is a 7 in one stroke, in fractions of the canvas: the digit the
// tests draw to see a prediction.
var Seven = []Point{{X: 0.25, Y: 0.2}, {X: 0.75, Y: 0.2}, {X: 0.45, Y: 0.85}}

// DrawSeven draws a 7 with the mouse and waits for its ink.
func DrawSeven(t testing.TB, b *Browser) {
	t.Helper()
	b.DrawStroke(t, "#draw-canvas", Mouse, Seven...)
	WaitInk(t, b, 2000)
}

// BarsJS returns the class probabilities the page shows.
const BarsJS = `Array.from(document.querySelectorAll("#probabilities .bar")).map(b => b.dataset.p).join(",")`

// SetFieldJS types a value into a training field as a user would: the
// value, then an input event.
func SetFieldJS(id, value string) string {
	return `(() => {
		const el = document.getElementById(` + strconv.Quote(id) + `);
		el.value = ` + strconv.Quote(value) + `;
		el.dispatchEvent(new Event("input", {bubbles: true}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`
}

// PanelInt is the training progress's data attribute attr as a number.
func PanelInt(t testing.TB, b *Browser, attr string) int {
	t.Helper()
	return Eval[int](t, b, `Number(document.getElementById("train-progress").dataset.`+attr+`)`)
}

// FrameMeterJS counts animation frames and records the longest gap between
// two of them while window.cnnMeasure is set (and every gap, in
// window.cnnGaps), to show that the UI thread stays free while the page
// works.
const FrameMeterJS = `(() => {
	window.cnnFrames = 0; window.cnnWorstGap = 0; window.cnnGaps = [];
	let last = performance.now();
	const tick = (t) => {
		window.cnnFrames++;
		if (window.cnnMeasure) {
			window.cnnWorstGap = Math.max(window.cnnWorstGap, t - last);
			window.cnnGaps.push(t - last);
		}
		last = t;
		requestAnimationFrame(tick);
	};
	requestAnimationFrame(tick);
	return true;
})()`
