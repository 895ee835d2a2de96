package main

import (
	"strconv"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
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

// TestBrowserInspectViews draws a digit, opens every tab of the inside-the-
// network panel with the shipped model, checks that each view draws
// something, saves a screenshot of each and logs how long each view's
// update took in the page.
func TestBrowserInspectViews(t *testing.T) {
	b, url := startBrowser(t)
	b.Navigate(t, url+"/")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready`, 30*time.Second)
	b.WaitFor(t, `document.getElementById("inspect-panel")`, 10*time.Second)

	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Point{X: 0.25, Y: 0.2}, browsertest.Point{X: 0.75, Y: 0.2}, browsertest.Point{X: 0.45, Y: 0.85})
	waitInk(t, b, 1000)

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
			extra = " (occlusion " + browsertest.Eval[string](t, b, `document.getElementById("view-saliency").dataset.occlusionMs`) + " ms)"
		}
		t.Logf("%-12s last update %.1f ms%s; updates %s → %s", v.tab, ms, extra, before, after)
		b.Screenshot(t, "inspect-"+v.tab)
	}
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

	// A model trained in the page (the ConvNetJS preset, a few hundred
	// steps on 2000 images): the views follow its snapshots.
	for id, v := range map[string]string{"train-limit": "2000", "train-validation": "500", "train-epochs": "1", "train-batch": "20"} {
		browsertest.Eval[bool](t, b, setFieldJS(id, v))
	}
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done"`, 180*time.Second)
	for _, v := range []struct{ tab, view string }{{"filters", "view-filters"}, {"maps", "view-maps"}, {"saliency", "view-saliency"}} {
		b.Click(t, "#inspect-tab-"+v.tab)
		b.WaitFor(t, `(() => { const e = document.getElementById("`+v.view+`"); return e && Number(e.dataset.updates) >= 1; })()`, 10*time.Second)
		time.Sleep(300 * time.Millisecond)
		if n := browsertest.Eval[int](t, b, inkedCanvasJS(v.view)); n < 200 {
			t.Errorf("%s with the model trained in the page: %d inked canvas pixels", v.tab, n)
		}
		b.Screenshot(t, "inspect-trained-"+v.tab)
	}
	b.AssertNoErrors(t)
}
