//go:build !js

package draw_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestBrowserPhoneLayout loads the page on a phone-sized touch screen: the
// page is no wider than the screen (wide tables scroll in their panels),
// and a digit drawn with a finger is read.
func TestBrowserPhoneLayout(t *testing.T) {
	b, url := browsertest.StartSite(t)
	b.Do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.Navigate(t, url+"/")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ready`, 30*time.Second)
	if w := browsertest.Eval[float64](t, b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %v px wide on a 390 px screen", w)
	}
	b.DrawStroke(t, "#draw-canvas", browsertest.Touch,
		browsertest.Seven...)
	b.WaitFor(t, `document.getElementById("prediction").textContent === "7"`, 10*time.Second)
	if y := browsertest.Eval[float64](t, b, `window.scrollY`); y != 0 {
		t.Errorf("drawing with a finger scrolled the page to %v", y)
	}
	b.Screenshot(t, "phone")
	b.AssertNoErrors(t)
}
