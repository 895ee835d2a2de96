//go:build !js

package inspect_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// inkedCanvasJS counts, over every canvas inside the element with the
// given id, the pixels that are neither white nor transparent.
func inkedCanvasJS(id string) string {
	return `(() => {
	let n = 0;
	for (const c of document.querySelectorAll("#` + id + ` canvas")) {
		if (c.width < 2) continue;
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		for (let i = 0; i < d.length; i += 4)
			if (d[i+3] !== 0 && !(d[i] === 255 && d[i+1] === 255 && d[i+2] === 255)) n++;
	}
	return n;
})()`
}

// canvasHashJS is a hash of the pixels of every canvas under the element
// with that id: equal hashes, equal pictures.
func canvasHashJS(id string) string {
	return `(() => {
	let h = 0;
	for (const c of document.querySelectorAll("#` + id + ` canvas")) {
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + d[i]) | 0;
	}
	return h;
})()`
}

// meanGridInkJS is the mean brightness (0 to 1) of the data browser's
// sample grid, gutters left out: about 0.13 for MNIST digits and 0.29 for
// Fashion-MNIST clothes.
const meanGridInkJS = `(() => {
	const c = document.getElementById("data-grid");
	const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	let sum = 0, n = 0;
	for (let i = 0; i < d.length; i += 4) {
		if (d[i] === 229 && d[i+1] === 231 && d[i+2] === 235) continue;
		sum += d[i]; n++;
	}
	return n ? sum / n / 255 : 0;
})()`

// textsJS returns the text of every element matching the selector.
func textsJS(sel string) string {
	q, _ := json.Marshal(sel)
	return `Array.from(document.querySelectorAll(` + string(q) + `)).map(e => e.title || e.textContent.trim())`
}

// openTab opens an inspect tab and waits until its view has painted.
func openTab(t *testing.T, b *browsertest.Browser, tab, view string, wait time.Duration) {
	t.Helper()
	b.Click(t, "#inspect-tab-"+tab)
	b.WaitFor(t, `(() => { const e = document.getElementById("`+view+`"); return e && Number(e.dataset.updates) >= 1; })()`, wait)
}

// browseTrainingSet switches the data browser to the training set and waits
// for it, checking that the page kept drawing frames while it downloaded;
// it returns the longest gap between two frames.
func browseTrainingSet(t *testing.T, b *browsertest.Browser, n int) float64 {
	t.Helper()
	browsertest.Eval[bool](t, b, browsertest.FrameMeterJS)
	browsertest.Eval[bool](t, b, `window.cnnMeasure = true`)
	b.Click(t, "#data-split-train")
	start := time.Now()
	b.WaitFor(t, `document.getElementById("view-data").dataset.split === "train"`, 10*time.Second)
	for shown := `document.getElementById("data-grid") !== null && document.querySelector("#view-data .inspect-note").textContent.includes("training images")`; !browsertest.Eval[bool](t, b, shown); {
		if time.Since(start) > 180*time.Second {
			t.Fatalf("the training set did not show in 3 minutes: %q", browsertest.Eval[string](t, b, `document.getElementById("view-data").textContent`))
		}
		t.Logf("%v: %s", time.Since(start).Round(time.Second), browsertest.Eval[string](t, b, `document.querySelector("#view-data .inspect-note").textContent`))
		time.Sleep(2 * time.Second)
	}
	worst := browsertest.Eval[float64](t, b, `window.cnnWorstGap`)
	browsertest.Eval[bool](t, b, `(window.cnnMeasure = false, true)`)
	t.Logf("training set shown %v after the click; longest gap between frames meanwhile %.0f ms",
		time.Since(start).Round(time.Millisecond), worst)
	if !browsertest.Eval[bool](t, b, `document.querySelector("#view-data .inspect-note").textContent.replace(/[^0-9a-z]/gi, "").includes("`+strconv.Itoa(n)+`trainingimages")`) {
		t.Errorf("the training set's note does not say it holds %d images", n)
	}
	if !strings.HasPrefix(browsertest.Eval[string](t, b, `document.querySelector("#view-data .data-pixels-wrap .inspect-note").textContent`), "Training image") {
		t.Error("the pixel grid does not show a training image")
	}
	// The bound is loose: this machine is shared (see TestBrowserTrain).
	if worst > 1000 {
		t.Errorf("the page stalled for %.0f ms while the training set loaded", worst)
	}
	return worst
}

// TestBrowserInspectViews draws a digit, opens every tab of the inside-the-
// network panel with the shipped model, checks that each view draws
// something, saves a screenshot of each and logs how long each view's
// update took in the page.
func TestBrowserInspectViews(t *testing.T) {
	b, url := browsertest.StartSite(t)
	b.Navigate(t, url+"/")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready`, 30*time.Second)
	b.WaitFor(t, `document.getElementById("inspect-panel")`, 10*time.Second)

	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Seven...)
	browsertest.WaitInk(t, b, 1000)

	views := []struct {
		tab, view string
		wait      time.Duration
		minInk    int
	}{
		{"maps", "view-maps", 10 * time.Second, 1000},
		{"data", "view-data", 30 * time.Second, 1000},
		{"convolution", "view-convolution", 10 * time.Second, 1000},
		{"network", "view-network", 10 * time.Second, 0},
		{"filters", "view-filters", 10 * time.Second, 1000},
		{"projection", "view-projection", 120 * time.Second, 1000},
		{"mistakes", "view-mistakes", 120 * time.Second, 1000},
		{"saliency", "view-saliency", 10 * time.Second, 200},
	}
	for _, v := range views {
		b.Click(t, "#inspect-tab-"+v.tab)
		start := time.Now()
		b.WaitFor(t, `(() => { const e = document.getElementById("`+v.view+`"); return e && Number(e.dataset.updates) >= 1; })()`, v.wait)
		if v.tab == "projection" || v.tab == "mistakes" {
			t.Logf("%s: first shown after %v (test set and evaluation included)", v.tab, time.Since(start).Round(time.Millisecond))
		}
		if v.minInk > 0 {
			if n := browsertest.Eval[int](t, b, inkedCanvasJS(v.view)); n < v.minInk {
				t.Errorf("%s: %d inked canvas pixels, want at least %d", v.tab, n, v.minInk)
			}
		} else {
			if n := browsertest.Eval[int](t, b, `document.querySelectorAll("#`+v.view+` svg rect").length`); n < 10 {
				t.Errorf("%s: %d shapes drawn", v.tab, n)
			}
		}
		// Draw a second stroke so that every view updates for one drawing
		// change, and read the time the view took.
		before := browsertest.Eval[string](t, b, `document.getElementById("`+v.view+`").dataset.updates`)
		b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
			browsertest.Point{X: 0.35, Y: 0.55}, browsertest.Point{X: 0.6, Y: 0.55})
		time.Sleep(300 * time.Millisecond)
		b.Click(t, "#undo")
		time.Sleep(300 * time.Millisecond)
		after := browsertest.Eval[string](t, b, `document.getElementById("`+v.view+`").dataset.updates`)
		ms, _ := strconv.ParseFloat(browsertest.Eval[string](t, b, `document.getElementById("`+v.view+`").dataset.updateMs`), 64)
		extra := ""
		if v.tab == "saliency" {
			// The occlusion map is computed a few squares per frame, once
			// the drawing rests: its time is from start to paint.
			b.WaitFor(t, `document.getElementById("view-saliency").dataset.occlusionMs !== undefined`, 10*time.Second)
			extra = " (occlusion " + browsertest.Eval[string](t, b, `document.getElementById("view-saliency").dataset.occlusionMs`) + " ms over frames)"
		}
		t.Logf("%-12s last update %.1f ms%s; updates %s → %s", v.tab, ms, extra, before, after)
		b.Screenshot(t, "inspect-"+v.tab)
		b.ElementScreenshot(t, ".inspect-panel", "inspect-panel-"+v.tab)
	}

	// The data browser: the pixel under the pointer is explained, and the
	// training set loads when asked for, without stalling the page.
	openTab(t, b, "data", "view-data", 30*time.Second)
	r := b.Rect(t, "#data-pixels")
	b.Do(t, chromedp.MouseClickXY(r.X+r.Width*14.5/28, r.Y+r.Height*14.5/28))
	b.WaitFor(t, `document.getElementById("data-pixel-readout").textContent.startsWith("Row 15, column 15:")`, 5*time.Second)
	t.Logf("pixel readout: %s", browsertest.Eval[string](t, b, `document.getElementById("data-pixel-readout").textContent`))
	browseTrainingSet(t, b, 60000)
	if got, want := browsertest.Eval[[]string](t, b, textsJS("#view-data .data-classes li")), dataset.MNISTClasses; !slices.Equal(got, want) {
		t.Errorf("training set classes %v, want %v", got, want)
	}
	if ink := browsertest.Eval[float64](t, b, meanGridInkJS); ink < 0.05 || ink > 0.2 {
		t.Errorf("MNIST training grid mean brightness %.3f, want a digit's 0.05–0.2", ink)
	}
	b.Click(t, "#data-next")
	time.Sleep(300 * time.Millisecond)
	b.ElementScreenshot(t, ".inspect-panel", "inspect-panel-data-train")
	b.Click(t, "#data-split-test")
	b.WaitFor(t, `document.querySelector("#view-data .data-pixels-wrap .inspect-note").textContent.startsWith("Test image")`, 10*time.Second)

	// On a phone: no view is wider than the screen.
	b.Do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, v := range []struct{ tab, view string }{{"filters", "view-filters"}, {"maps", "view-maps"}, {"data", "view-data"}} {
		openTab(t, b, v.tab, v.view, 30*time.Second)
		time.Sleep(300 * time.Millisecond)
		if w := browsertest.Eval[float64](t, b, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s on a 390 px phone: the page is %v px wide", v.tab, w)
		}
		b.ElementScreenshot(t, ".inspect-panel", "inspect-phone-"+v.tab)
	}
	b.Do(t, chromedp.EmulateReset())
	// A confusion cell opens its images.
	b.Click(t, "#inspect-tab-mistakes")
	b.WaitFor(t, `document.querySelector("#view-mistakes .confusion-cell")`, 10*time.Second)
	// The first off-diagonal cell that holds images.
	cell := browsertest.Eval[string](t, b, `(() => {
		for (const c of document.querySelectorAll("#view-mistakes button.confusion-cell"))
			if (c.dataset.truth !== c.dataset.pred && !c.disabled) { c.id = "test-cell"; return c.dataset.truth + "→" + c.dataset.pred; }
		return "";
	})()`)
	if cell == "" {
		t.Fatal("the confusion matrix has no mistakes to open")
	}
	t.Logf("opening confusion cell %s", cell)
	b.Click(t, "#test-cell")
	b.WaitFor(t, `document.querySelectorAll("#mistakes-cell canvas").length > 0`, 5*time.Second)
	time.Sleep(200 * time.Millisecond)
	if n := browsertest.Eval[int](t, b, inkedCanvasJS("mistakes-cell")); n < 50 {
		t.Errorf("confusion cell images: %d inked pixels", n)
	}
	b.Screenshot(t, "inspect-mistakes-cell")

	// A model trained in the page (the ConvNetJS preset, 3 epochs of 5500
	// images, a few seconds): the views follow its snapshots.
	for id, v := range map[string]string{"train-limit": "6000", "train-validation": "500", "train-epochs": "3", "train-batch": "20"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	// The feature maps stay in view throughout: they follow the snapshots,
	// taking turns between two networks (see inspectPanel.sync).
	b.Click(t, "#inspect-tab-maps")
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done"`, 180*time.Second)
	time.Sleep(time.Second) // the final weights reach the views
	updates := browsertest.Eval[int](t, b, `Number(document.getElementById("view-maps").dataset.updates)`)
	followed := browsertest.Eval[int](t, b, canvasHashJS("view-maps"))
	t.Logf("the feature maps were drawn %d times while training", updates)
	for _, v := range []struct{ tab, view string }{{"filters", "view-filters"}, {"maps", "view-maps"}, {"saliency", "view-saliency"}} {
		b.Click(t, "#inspect-tab-"+v.tab)
		b.WaitFor(t, `(() => { const e = document.getElementById("`+v.view+`"); return e && Number(e.dataset.updates) >= 1; })()`, 10*time.Second)
		time.Sleep(300 * time.Millisecond)
		if n := browsertest.Eval[int](t, b, inkedCanvasJS(v.view)); n < 200 {
			t.Errorf("%s with the model trained in the page: %d inked canvas pixels", v.tab, n)
		}
		b.Screenshot(t, "inspect-trained-"+v.tab)
	}
	// The maps that followed the training are those of the final weights,
	// as a view made afresh draws them.
	b.Click(t, "#inspect-tab-maps")
	b.WaitFor(t, `(() => { const e = document.getElementById("view-maps"); return e && Number(e.dataset.updates) >= 1; })()`, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	if afresh := browsertest.Eval[int](t, b, canvasHashJS("view-maps")); afresh != followed {
		t.Errorf("after training, the feature maps that followed %d snapshots differ from those drawn afresh (hash %d, afresh %d)", updates, followed, afresh)
	}
	if updates < 4 {
		t.Errorf("the feature maps were drawn %d times in seconds of training, want one per snapshot (two a second)", updates)
	}
	b.AssertNoErrors(t)
}

// TestBrowserInspectFashion switches the training panel to Fashion-MNIST,
// trains a small network in the page for a moment and checks that every
// view of the inside-the-network panel draws for it, names Fashion's
// classes where it names classes, and that the data browser shows clothes,
// from the test set and from the training set.
func TestBrowserInspectFashion(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Point{X: 0.3, Y: 0.2}, browsertest.Point{X: 0.3, Y: 0.85}, browsertest.Point{X: 0.7, Y: 0.85}, browsertest.Point{X: 0.7, Y: 0.2})
	browsertest.WaitInk(t, b, 1000)

	browsertest.Eval[bool](t, b, `(() => {
		const s = document.getElementById("train-dataset"); s.value = "fashion";
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	time.Sleep(200 * time.Millisecond)
	for id, v := range map[string]string{"train-limit": "2000", "train-validation": "500", "train-epochs": "1", "train-batch": "20"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	time.Sleep(200 * time.Millisecond)
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done"`, 240*time.Second)
	fashion := dataset.FashionClasses
	b.WaitFor(t, `Array.from(document.querySelectorAll("#probabilities .bar-label")).some(e => e.textContent.includes("Ankle boot"))`, 30*time.Second)

	views := []struct {
		tab, view string
		wait      time.Duration
		minInk    int
		names     string // selector of elements that name the classes, in order
	}{
		{"maps", "view-maps", 10 * time.Second, 1000, "#view-maps .fm-softmax .fm-classnames li"},
		{"data", "view-data", 60 * time.Second, 1000, "#view-data .data-classes li"},
		{"convolution", "view-convolution", 30 * time.Second, 1000, ""},
		{"network", "view-network", 10 * time.Second, 0, ""},
		{"filters", "view-filters", 10 * time.Second, 500, ""},
		{"projection", "view-projection", 180 * time.Second, 1000, "#view-projection .projection-legend li"},
		{"mistakes", "view-mistakes", 180 * time.Second, 1000, "#view-mistakes .confusion-table th[scope=row]"},
		{"saliency", "view-saliency", 10 * time.Second, 200, "#saliency-class option:not([value='-1'])"},
	}
	for _, v := range views {
		openTab(t, b, v.tab, v.view, v.wait)
		time.Sleep(300 * time.Millisecond)
		if v.minInk > 0 {
			if n := browsertest.Eval[int](t, b, inkedCanvasJS(v.view)); n < v.minInk {
				t.Errorf("%s: %d inked canvas pixels, want at least %d", v.tab, n, v.minInk)
			}
		} else if n := browsertest.Eval[int](t, b, `document.querySelectorAll("#`+v.view+` svg rect").length`); n < 10 {
			t.Errorf("%s: %d shapes drawn", v.tab, n)
		}
		if v.names != "" {
			if got := browsertest.Eval[[]string](t, b, textsJS(v.names)); !slices.Equal(got, fashion) {
				t.Errorf("%s names the classes %q, want %q", v.tab, got, fashion)
			}
		}
		b.Screenshot(t, "inspect-fashion-"+v.tab)
		b.ElementScreenshot(t, ".inspect-panel", "inspect-panel-fashion-"+v.tab)
	}
	// Where the views speak of one class, it is one of Fashion's.
	for _, sel := range []string{"#view-saliency .inspect-note"} {
		text := browsertest.Eval[string](t, b, `document.querySelector("`+sel+`").textContent`)
		if !slices.ContainsFunc(fashion, func(c string) bool { return strings.Contains(text, "“"+c+"”") }) {
			t.Errorf("%s says %q, naming no Fashion-MNIST class", sel, text)
		}
	}

	// The data browser shows clothes: brighter on average than digits.
	openTab(t, b, "data", "view-data", 30*time.Second)
	if ink := browsertest.Eval[float64](t, b, meanGridInkJS); ink < 0.2 {
		t.Errorf("Fashion test grid mean brightness %.3f, want clothes' 0.2 or more (digits are about 0.13)", ink)
	}
	label := browsertest.Eval[string](t, b, `document.querySelector("#view-data .data-pixels-wrap .inspect-note").textContent`)
	if !slices.ContainsFunc(fashion, func(c string) bool { return strings.Contains(label, "“"+c+"”") }) {
		t.Errorf("the pixel grid's image is %q, not a Fashion-MNIST class", label)
	}
	browseTrainingSet(t, b, 60000)
	if got := browsertest.Eval[[]string](t, b, textsJS("#view-data .data-classes li")); !slices.Equal(got, fashion) {
		t.Errorf("Fashion training set classes %q", got)
	}
	if ink := browsertest.Eval[float64](t, b, meanGridInkJS); ink < 0.2 {
		t.Errorf("Fashion training grid mean brightness %.3f, want 0.2 or more", ink)
	}
	b.ElementScreenshot(t, ".inspect-panel", "inspect-panel-fashion-data-train")
	b.AssertNoErrors(t)
}
