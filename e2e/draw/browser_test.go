//go:build !js

package draw_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestBrowserDrawCanvas loads the page in headless Chromium, waits for the
// go-app component to mount, draws with real input events and checks the
// canvas pixels, Undo, Clear and the console.
func TestBrowserDrawCanvas(t *testing.T) {
	b, url := browsertest.StartSite(t)

	b.Navigate(t, url+"/")
	// The server pre-renders the canvas; data-mounted appears only when
	// the wasm program has mounted the component.
	b.WaitFor(t, `document.querySelector("#draw-canvas[data-mounted]")`, 30*time.Second)
	mounted := browsertest.Eval[string](t, b, `document.getElementById("draw-canvas").dataset.mounted`)
	ms, _ := strconv.ParseFloat(mounted, 64)
	t.Logf("navigation to canvas mounted: %.0f ms", ms)

	if n := browsertest.Eval[int](t, b, browsertest.InkJS); n != 0 {
		t.Fatalf("fresh canvas has %d inked pixels", n)
	}
	if !browsertest.Eval[bool](t, b, `document.getElementById("undo").disabled && document.getElementById("clear").disabled`) {
		t.Error("Undo and Clear are enabled on an empty canvas")
	}

	// A "7" with the mouse.
	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Seven...)
	seven := browsertest.WaitInk(t, b, 2000)

	// A bar with a pen, then undo it.
	b.DrawStroke(t, "#draw-canvas", browsertest.Pen,
		browsertest.Point{X: 0.35, Y: 0.55}, browsertest.Point{X: 0.7, Y: 0.55})
	browsertest.WaitInk(t, b, seven+1000)
	b.Screenshot(t, "draw-canvas")
	b.Click(t, "#undo")
	// Undo repaints the remaining strokes as whole paths, which
	// antialias a little differently from the pieces drawn live.
	b.WaitFor(t, `Math.abs(`+browsertest.InkJS+` - `+strconv.Itoa(seven)+`) < `+strconv.Itoa(seven/50), 5*time.Second)
	t.Logf("ink: %d after the first stroke, %d after undoing the second", seven, browsertest.Eval[int](t, b, browsertest.InkJS))

	// Touch input draws too, and does not scroll the page.
	browsertest.Eval[bool](t, b, `(window.scrollTo(0, 0), true)`)
	b.DrawStroke(t, "#draw-canvas", browsertest.Touch,
		browsertest.Point{X: 0.8, Y: 0.8}, browsertest.Point{X: 0.85, Y: 0.9})
	browsertest.WaitInk(t, b, seven+300)
	if y := browsertest.Eval[float64](t, b, `window.scrollY`); y != 0 {
		t.Errorf("drawing with a finger scrolled the page to %v", y)
	}

	b.Click(t, "#clear")
	b.WaitFor(t, browsertest.InkJS+` === 0`, 5*time.Second)
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ink === "0"`, 5*time.Second)
	if got := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`); got != "–" {
		t.Errorf("prediction after Clear is %q, want none", got)
	}
	if !browsertest.Eval[bool](t, b, `document.getElementById("undo").disabled`) {
		t.Error("Undo is enabled after Clear")
	}
	b.AssertNoErrors(t)
}
