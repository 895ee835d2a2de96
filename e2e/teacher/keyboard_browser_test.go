//go:build !js

package teacher_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// focusedJS describes the focused element and whether its focus shows: an
// outline or a box shadow.
const focusedJS = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return "";
	const cs = getComputedStyle(el);
	const shown = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== "none";
	// Canvases by their class: each feature map has an id of its own.
	const name = el.id && el.tagName !== "CANVAS" ? "#" + el.id : el.tagName.toLowerCase() + "." + el.className.toString().split(" ")[0];
	return name + (shown ? "" : " (no visible focus)");
})()`

// TestBrowserKeyboard tabs through the whole page: the training buttons,
// the present toggle, the inspect tabs, the download buttons and the
// feature maps are reached, each with a visible focus; a feature map
// opens with Enter, and the data browser's images and pixels follow the
// arrow keys.
func TestBrowserKeyboard(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	browsertest.DrawSeven(t, b)
	browsertest.Eval[bool](t, b, `document.activeElement.blur(), window.scrollTo(0, 0), true`)
	seen := map[string]bool{}
	var order, hidden []string
	for range 300 {
		b.Do(t, chromedp.KeyEvent(kb.Tab))
		f := browsertest.Eval[string](t, b, focusedJS)
		if f == "" || seen[f] {
			if f != "" && len(order) > 20 && f == order[0] {
				break // around the page once
			}
			continue
		}
		seen[f] = true
		order = append(order, f)
		if strings.HasSuffix(f, "(no visible focus)") {
			hidden = append(hidden, f)
		}
	}
	t.Logf("%d controls reached by Tab", len(order))
	all := strings.Join(order, " ")
	for _, want := range []string{"#present-toggle", "#train-start", "#inspect-tab-data", "#loss-chart-png", "#acc-chart-csv", "canvas.fm-canvas", "#train-preset", "#arch-add-button"} {
		if !strings.Contains(all, want) {
			t.Errorf("Tab never reaches %s", want)
		}
	}
	if len(hidden) > 0 {
		t.Errorf("focus not visible on: %s", strings.Join(hidden, ", "))
	}

	// A feature map opens with Enter.
	detail := `document.querySelector(".fm-detail-title").textContent`
	before := browsertest.Eval[string](t, b, detail)
	browsertest.Eval[bool](t, b, `document.querySelectorAll(".fm-canvas")[3].focus(), true`)
	if f := browsertest.Eval[string](t, b, `document.activeElement.id`); f != "fm-1-2" {
		t.Errorf("the fourth map did not take the focus: %q has it", f)
	}
	b.Do(t, chromedp.KeyEvent(kb.Enter))
	b.WaitFor(t, detail+` !== `+quote(before), 10*time.Second)

	// The data browser: arrows choose an image, then read its pixels.
	b.Click(t, "#inspect-tab-data")
	b.WaitFor(t, `document.getElementById("data-grid") !== null`, 20*time.Second)
	time.Sleep(time.Second)
	sel := `document.querySelector(".data-pixels-wrap .inspect-note").textContent`
	first := browsertest.Eval[string](t, b, sel)
	browsertest.Eval[bool](t, b, `document.getElementById("data-grid").focus(), true`)
	b.Do(t, chromedp.KeyEvent(kb.ArrowDown))
	b.WaitFor(t, sel+` !== `+quote(first), 5*time.Second)
	browsertest.Eval[bool](t, b, `document.getElementById("data-pixels").focus(), true`)
	b.Do(t, chromedp.KeyEvent(kb.ArrowRight))
	b.WaitFor(t, `document.getElementById("data-pixel-readout").textContent.startsWith("Row 1, column 2")`, 5*time.Second)
	b.AssertNoErrors(t)
}

func quote(s string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, "\\", "\\\\"), "`", "\\`") + "`"
}
