//go:build !js

package teacher_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// firstScreenJS lists what must be on the first screen during training and
// whether each lies inside the viewport, unscrolled.
const firstScreenJS = `(() => {
	const inside = (el) => {
		if (!el) return "missing";
		const r = el.getBoundingClientRect();
		const ok = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 &&
			r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
		return ok ? "" : "at " + [r.left, r.top, r.right, r.bottom].map(Math.round).join(",");
	};
	const heading = Array.from(document.querySelectorAll("#prediction-panel h2")).find(h => h.textContent === "Prediction");
	const plotArea = (id) => {
		// The plot area: the box of the chart's grid lines.
		const lines = document.querySelectorAll("#" + id + " svg .grid");
		if (!lines.length) return null;
		let l = 1e9, t = 1e9, r = -1e9, b = -1e9;
		for (const g of lines) { const x = g.getBoundingClientRect(); l = Math.min(l, x.left); t = Math.min(t, x.top); r = Math.max(r, x.right); b = Math.max(b, x.bottom); }
		return {getBoundingClientRect: () => ({left: l, top: t, right: r, bottom: b, width: r - l, height: b - t})};
	};
	const out = {
		canvas: inside(document.getElementById("draw-canvas")),
		prediction: inside(heading),
		pause: inside(document.getElementById("train-pause")),
		lossPlot: inside(plotArea("loss-chart")),
		accPlot: inside(plotArea("acc-chart")),
	};
	out.scrollY = String(scrollY);
	return out;
})()`

// viewportShot saves a PNG of the viewport alone: the first screen.
func viewportShot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(browsertest.OutDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// TestBrowserFirstScreen: at a laptop's 1366x768 and a projector's
// 1280x720, once training runs, the drawing canvas, the "Prediction"
// heading, the Pause button and both charts' plot areas lie inside the
// viewport without scrolling; at 1920x1080 the first screen's panels span
// at least 80% of the width; on a phone the panels stay in one column.
// Screenshots of each first screen go to the test output folder.
func TestBrowserFirstScreen(t *testing.T) {
	b, url := browsertest.StartSite(t)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"1366x768", 1366, 768}, {"1280x720", 1280, 720}} {
		t.Run(size.name, func(t *testing.T) {
			b.Do(t, chromedp.EmulateViewport(size.w, size.h))
			browsertest.LoadPage(t, b, url+"/")
			browsertest.DrawSeven(t, b)
			b.Click(t, "#train-start")
			b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "running" &&
				Number(document.getElementById("train-progress").dataset.lossPoints) >= 2`, 120*time.Second)
			browsertest.Eval[bool](t, b, `window.scrollTo(0, 0), true`)
			got := browsertest.Eval[map[string]string](t, b, firstScreenJS)
			viewportShot(t, b, "first-screen-"+size.name)
			for k, v := range got {
				if k != "scrollY" && v != "" {
					t.Errorf("%s: %s is not inside the viewport: %s", size.name, k, v)
				}
			}
			if got["scrollY"] != "0" {
				t.Errorf("scrolled to %s", got["scrollY"])
			}
			b.Click(t, "#train-pause")
		})
	}

	t.Run("1920x1080", func(t *testing.T) {
		b.Do(t, chromedp.EmulateViewport(1920, 1080))
		browsertest.LoadPage(t, b, url+"/")
		// The share of the width that the panels on the first screen span.
		span := browsertest.Eval[float64](t, b, `(() => {
			let l = 1e9, r = -1e9;
			for (const p of document.querySelectorAll(".page-main .panel")) {
				const x = p.getBoundingClientRect();
				if (x.top >= innerHeight || x.height === 0) continue;
				l = Math.min(l, x.left); r = Math.max(r, x.right);
			}
			return (r - l) / innerWidth;
		})()`)
		t.Logf("at 1920x1080 the first screen's panels span %.0f%% of the width", 100*span)
		if span < 0.8 {
			t.Errorf("the first screen's panels span %.0f%% of the width, want at least 80%%", 100*span)
		}
		viewportShot(t, b, "first-screen-1920x1080")
	})

	t.Run("phone", func(t *testing.T) {
		b.Do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
		browsertest.LoadPage(t, b, url+"/")
		cols := browsertest.Eval[string](t, b, `(() => {
			const xs = new Set();
			for (const id of ["draw-canvas", "prediction-panel", "train-panel"]) {
				const p = document.getElementById(id).closest(".panel");
				xs.add(Math.round(p.getBoundingClientRect().left));
			}
			return Array.from(xs).join(",") + (document.documentElement.scrollWidth > innerWidth ? " overflow" : "");
		})()`)
		if strings.ContainsAny(cols, ", ") {
			t.Errorf("on a phone the panels start at x = %s, want one column", cols)
		}
		viewportShot(t, b, "first-screen-phone")
	})
}
