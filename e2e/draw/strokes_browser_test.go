//go:build !js

package draw_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/strokes"
)

// TestBrowserReadsHandwriting replays every stroke drawing of
// testdata/strokes (all ten digits, off-centre, small and large) on the
// canvas with real mouse, pen and touch input, and checks the prediction the
// page shows. It also logs the time to the first possible prediction and what
// the page transferred.
func TestBrowserReadsHandwriting(t *testing.T) {
	size, drawings, err := strokes.Load("../../testdata/strokes/digits.json")
	if err != nil {
		t.Fatal(err)
	}
	b, url := browsertest.StartSite(t)
	b.Navigate(t, url+"/")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready`, 30*time.Second)
	ready, _ := strconv.ParseFloat(browsertest.Eval[string](t, b, `document.getElementById("prediction-panel").dataset.ready`), 64)
	t.Logf("navigation to first possible prediction (model loaded): %.0f ms", ready)
	logTransfer(t, b)

	kinds := []browsertest.Pointer{browsertest.Mouse, browsertest.Pen, browsertest.Touch}
	right := 0
	for i, d := range drawings {
		if i > 0 {
			b.Click(t, "#clear")
			b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ink === "0"`, 5*time.Second)
		}
		for _, s := range d.Strokes {
			pts := make([]browsertest.Point, len(s))
			for j, p := range s {
				pts[j] = browsertest.Point{X: p[0] / float64(size), Y: p[1] / float64(size)}
			}
			b.DrawPath(t, "#draw-canvas", kinds[i%len(kinds)], pts...)
		}
		browsertest.WaitInk(t, b, 100)
		got := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`)
		if got == strconv.Itoa(d.Label) {
			right++
		} else {
			t.Logf("%s (%s): read as %q", d.Name, kinds[i%len(kinds)], got)
			b.Screenshot(t, "misread-"+d.Name)
		}
		if i == 0 {
			b.Screenshot(t, "handwriting-"+d.Name)
		}
	}
	t.Logf("%d of %d stroke drawings read right in Chromium", right, len(drawings))
	if right < len(drawings)-1 {
		t.Errorf("%d of %d drawings read right; want all but at most one", right, len(drawings))
	}
	b.AssertNoErrors(t)
}

// logTransfer logs the bytes the page loaded, compressed and raw, from the
// browser's resource timing.
func logTransfer(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	type entry struct {
		Name                       string
		Transfer, Encoded, Decoded float64
	}
	entries := browsertest.Eval[[]entry](t, b, `[...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map(e => ({
		Name: e.name, Transfer: e.transferSize, Encoded: e.encodedBodySize, Decoded: e.decodedBodySize}))`)
	var enc, dec float64
	for _, e := range entries {
		t.Logf("  %8.0f bytes on the wire, %8.0f raw: %s", e.Encoded, e.Decoded, e.Name)
		enc += e.Encoded
		dec += e.Decoded
	}
	t.Logf("page load: %.2f MB on the wire, %.2f MB raw, %d requests", enc/1e6, dec/1e6, len(entries))
}
