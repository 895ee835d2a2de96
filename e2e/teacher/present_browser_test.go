//go:build !js

package teacher_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// key presses keys on the page, with the focus on the page's body.
func key(t *testing.T, b *browsertest.Browser, keys string) {
	t.Helper()
	browsertest.Eval[bool](t, b, `document.activeElement && document.activeElement.blur && document.activeElement.blur(), true`)
	b.Do(t, chromedp.KeyEvent(keys))
}

// TestBrowserPresentMode opens the page with present=1 at 1366x768: large
// type, the secondary controls hidden; then drives it from the keyboard as
// a presenter would: ? lists the shortcuts (Esc closes), Space starts,
// pauses and resumes training, C clears the drawing, the arrows change the
// inspect tab; the header toggle leaves present mode. A screenshot of the
// first screen in present mode goes to the test output folder.
func TestBrowserPresentMode(t *testing.T) {
	b, url := browsertest.StartSite(t)
	b.Do(t, chromedp.EmulateViewport(1366, 768))
	browsertest.LoadPage(t, b, url+"/?present=1")
	if !browsertest.Eval[bool](t, b, `document.getElementById("page").classList.contains("present")`) {
		t.Fatal("present=1 did not turn present mode on")
	}
	if notes := browsertest.Eval[int](t, b, `document.querySelectorAll("#link-notes li").length`); notes != 0 {
		t.Errorf("present=1 was noted as ignored: %s", browsertest.Eval[string](t, b, `document.getElementById("link-notes").textContent`))
	}
	hidden := browsertest.Eval[string](t, b, `["train-preset", "arch-editor", "train-step"].filter(id => document.getElementById(id).offsetParent !== null).join(",")`)
	if hidden != "" {
		t.Errorf("secondary controls shown in present mode: %s", hidden)
	}
	font := browsertest.Eval[float64](t, b, `parseFloat(getComputedStyle(document.getElementById("page")).fontSize)`)
	if font < 20 {
		t.Errorf("present mode's type is %.0f px", font)
	}

	// ? shows the shortcuts, Esc hides them.
	key(t, b, "?")
	b.WaitFor(t, `document.getElementById("shortcuts") !== null`, 5*time.Second)
	if got := browsertest.Eval[int](t, b, `document.querySelectorAll("#shortcuts .shortcut").length`); got < 4 {
		t.Errorf("the overlay lists %d shortcuts", got)
	}
	if f := browsertest.Eval[string](t, b, `document.activeElement.id`); f != "shortcuts-close" {
		t.Errorf("the focus is on %q, not in the overlay", f)
	}
	b.Do(t, chromedp.KeyEvent(kb.Escape))
	b.WaitFor(t, `document.getElementById("shortcuts") === null`, 5*time.Second)

	// C clears the drawing.
	browsertest.DrawSeven(t, b)
	key(t, b, "c")
	b.WaitFor(t, browsertest.InkJS+` === 0`, 5*time.Second)

	// The arrows change the inspect tab, both ways and around.
	sel := `document.querySelector(".inspect-tab[aria-selected=true]").id`
	first := browsertest.Eval[string](t, b, sel)
	key(t, b, kb.ArrowRight)
	b.WaitFor(t, sel+` !== "`+first+`"`, 5*time.Second)
	key(t, b, kb.ArrowLeft)
	b.WaitFor(t, sel+` === "`+first+`"`, 5*time.Second)

	// Space starts, pauses and resumes.
	browsertest.DrawSeven(t, b)
	key(t, b, " ")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "running"`, 120*time.Second)
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.lossPoints) >= 4`, 60*time.Second)
	browsertest.Eval[bool](t, b, `window.scrollTo(0, 0), true`)
	viewportShot(t, b, "present-1366x768")
	key(t, b, " ")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 20*time.Second)
	key(t, b, " ")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "running"`, 20*time.Second)
	key(t, b, " ")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 20*time.Second)

	// The header's toggle leaves present mode; then a space typed in a
	// field types it.
	b.Click(t, "#present-toggle")
	b.WaitFor(t, `!document.getElementById("page").classList.contains("present")`, 5*time.Second)
	b.Click(t, "#train-seed")
	b.Do(t, chromedp.KeyEvent(" "))
	if st := browsertest.Eval[string](t, b, `document.getElementById("train-panel").dataset.state`); st != "paused" {
		t.Errorf("a space typed in a field changed the training to %s", st)
	}
	b.AssertNoErrors(t)
}
