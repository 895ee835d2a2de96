//go:build !js

package train_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// restoreOfferJS is the text of the restore offer, "" when there is none.
const restoreOfferJS = `(() => { const e = document.querySelector("#restore-offer .restore-text"); return e ? e.textContent : ""; })()`

// storageJS is the storage status line: its state, its text and whether
// writes are under way.
const storageJS = `(() => { const e = document.getElementById("storage-status");
	return e ? e.dataset.state + "|" + e.dataset.writing + "|" + e.dataset.saved + "|" + e.textContent : "none"; })()`

// trainQuick sets the training fields for a short run of preset and starts
// it, then waits for the end of training and its test.
func trainQuick(t *testing.T, b *browsertest.Browser, preset, limit, epochs string) {
	t.Helper()
	browsertest.Eval[bool](t, b, `(() => {
		const s = document.getElementById("train-preset"); s.value = `+strconv.Quote(preset)+`;
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	for _, f := range [][2]string{{"train-limit", limit}, {"train-validation", "500"}, {"train-epochs", epochs}, {"train-batch", "20"}} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(f[0], f[1]))
	}
	time.Sleep(200 * time.Millisecond)
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done" && document.getElementById("confusion")`, 180*time.Second)
}

// waitKept waits until the page has written what it was given to the
// browser's storage (the status line says no write is under way).
func waitKept(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	b.WaitFor(t, `document.getElementById("storage-status").dataset.writing === "false"`, 30*time.Second)
}

// drawScribble draws a loop with a tail, which a network trained briefly
// reads with probabilities spread over several classes: unlike a clear 7,
// where every model gives 1.0000 and 0.0000, they tell models apart.
func drawScribble(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.DrawStroke(t, "#draw-canvas", browsertest.Mouse,
		browsertest.Point{X: 0.6, Y: 0.3}, browsertest.Point{X: 0.35, Y: 0.35}, browsertest.Point{X: 0.4, Y: 0.6},
		browsertest.Point{X: 0.65, Y: 0.45}, browsertest.Point{X: 0.5, Y: 0.85})
	browsertest.WaitInk(t, b, 1000)
}

// canvasTopJS is the canvas's distance from the top of the document.
const canvasTopJS = `document.getElementById("draw-canvas").getBoundingClientRect().top + window.scrollY`

// TestBrowserRestore trains the ConvNetJS preset for two epochs, draws a 7
// and reloads: the page offers the training back, and Restore brings the
// model (the same probabilities for the same 7), the charts, the settings
// and the drawing. A model file or the shipped model used meanwhile does
// not lose the kept training; Dismiss does. Then, on an origin whose
// storage quota is tiny, a training whose model does not fit: the page
// says plainly that storage is full and keeps working.
func TestBrowserRestore(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	if offer := browsertest.Eval[string](t, b, restoreOfferJS); offer != "" {
		t.Fatalf("a fresh browser offers %q", offer)
	}
	trainQuick(t, b, "convnetjs", "3000", "2")
	drawScribble(t, b)
	waitKept(t, b)
	wantBars := browsertest.Eval[string](t, b, browsertest.BarsJS)
	wantPred := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`)
	wantInk := browsertest.Eval[int](t, b, browsertest.InkJS)
	lossPoints := browsertest.PanelInt(t, b, "lossPoints")
	wantVal := browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.bestVal`)
	wantConfusion := browsertest.Eval[string](t, b, `document.getElementById("confusion").dataset.acc`)
	t.Logf("trained: prediction %s, %d loss points, best validation %s, test %s; storage line %q; longest save on the page's thread %s ms",
		wantPred, lossPoints, wantVal, wantConfusion, browsertest.Eval[string](t, b, storageJS),
		browsertest.Eval[string](t, b, `document.getElementById("storage-status").dataset.saveMs`))
	if s := browsertest.Eval[string](t, b, storageJS); !strings.HasPrefix(s, "0|false|") || strings.HasPrefix(s, "0|false||") {
		t.Errorf("storage line %q; want state 0 (all kept) and a time the model was written", s)
	}

	// Reload: the offer names the run; until Restore, the shipped model
	// classifies and the canvas is empty.
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `(`+restoreOfferJS+`) !== ""`, 20*time.Second)
	offer := browsertest.Eval[string](t, b, restoreOfferJS)
	t.Logf("offer: %s", offer)
	if !strings.HasPrefix(offer, "Restore the model you were training: convnetjs, epoch 2, ") || !strings.HasSuffix(offer, "% validation?") {
		t.Errorf("offer %q", offer)
	}
	b.ElementScreenshot(t, "#restore-offer", "restore-offer")
	// The offer comes while the user may be drawing: it must not move the
	// canvas.
	canvasTop := browsertest.Eval[float64](t, b, canvasTopJS)
	b.Screenshot(t, "restore-offer-page")
	if n := browsertest.Eval[int](t, b, browsertest.InkJS); n != 0 {
		t.Errorf("the canvas has %d inked pixels before Restore", n)
	}
	// The shipped model reads the same drawing otherwise, or the
	// comparison below could not tell the models apart.
	drawScribble(t, b)
	shippedBars := browsertest.Eval[string](t, b, browsertest.BarsJS)
	t.Logf("probabilities of the trained model: %s; of the shipped one: %s", wantBars, shippedBars)
	if shippedBars == wantBars {
		t.Fatalf("the shipped and the trained model give the same probabilities %s: the drawing cannot tell them apart", wantBars)
	}

	b.Click(t, "#restore-run")
	b.WaitFor(t, `!document.getElementById("restore-offer")`, 10*time.Second)
	if top := browsertest.Eval[float64](t, b, canvasTopJS); top != canvasTop {
		t.Errorf("the canvas is %v px from the top with the offer, %v px without", canvasTop, top)
	}
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.lossPoints) > 0`, 10*time.Second)
	restoredInk := browsertest.WaitInk(t, b, 0)
	if got := browsertest.PanelInt(t, b, "lossPoints"); got != lossPoints {
		t.Errorf("%d loss points after Restore; want %d", got, lossPoints)
	}
	if got := browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.bestVal`); got != wantVal {
		t.Errorf("best validation %s after Restore; want %s", got, wantVal)
	}
	if got := browsertest.Eval[string](t, b, `document.getElementById("confusion") ? document.getElementById("confusion").dataset.acc : "none"`); got != wantConfusion {
		t.Errorf("test result %s after Restore; want %s", got, wantConfusion)
	}
	for id, want := range map[string]string{"train-limit": "3000", "train-epochs": "2", "train-validation": "500", "train-preset": "convnetjs"} {
		if got := browsertest.Eval[string](t, b, `document.getElementById(`+strconv.Quote(id)+`).value`); got != want {
			t.Errorf("%s is %q after Restore; want %q", id, got, want)
		}
	}
	if name := browsertest.Eval[string](t, b, `document.getElementById("model-name").textContent`); !strings.Contains(name, "restored from this browser") {
		t.Errorf("the model files say %q", name)
	}
	restoredBars := browsertest.Eval[string](t, b, browsertest.BarsJS)
	t.Logf("restored drawing: %d inked pixels (drawn: %d); probabilities %s", restoredInk, wantInk, restoredBars)
	if restoredInk < wantInk*9/10 || restoredInk > wantInk*11/10 {
		t.Errorf("the restored drawing has %d inked pixels; the drawing had %d", restoredInk, wantInk)
	}
	b.Screenshot(t, "restore-restored")

	// The same drawing drawn again: the same probabilities, to the digit.
	b.Click(t, "#clear")
	b.WaitFor(t, `document.getElementById("prediction-panel").dataset.ink === "0"`, 10*time.Second)
	drawScribble(t, b)
	if got := browsertest.Eval[string](t, b, browsertest.BarsJS); got != wantBars {
		t.Errorf("probabilities after Restore:\n  %s\nbefore the reload:\n  %s", got, wantBars)
	}
	if got := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`); got != wantPred {
		t.Errorf("prediction after Restore %q; want %q", got, wantPred)
	}

	// The shipped model replaces the restored one on the page, not in the
	// browser's storage: the next visit still offers the training.
	b.Click(t, "#use-shipped")
	b.WaitFor(t, `document.getElementById("model-name").textContent.includes("shipped")`, 20*time.Second)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `(`+restoreOfferJS+`) !== ""`, 20*time.Second)
	b.Click(t, "#restore-dismiss")
	b.WaitFor(t, `!document.getElementById("restore-offer")`, 10*time.Second)
	waitKept(t, b)
	browsertest.LoadPage(t, b, url+"/")
	time.Sleep(2 * time.Second) // the store is read in the background
	if offer := browsertest.Eval[string](t, b, restoreOfferJS); offer != "" {
		t.Errorf("after Dismiss the page still offers %q", offer)
	}
	b.AssertNoErrors(t)

	// Storage full: another origin (localhost, which has stored nothing in
	// this browser: an override is not applied to an origin that has used
	// IndexedDB) with a quota of 1 MiB, which the 2.7 MB MLP does not fit.
	other := strings.Replace(url, "127.0.0.1", "localhost", 1)
	quota := func(size *float64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, storage.OverrideQuotaForOrigin,
				storage.OverrideQuotaForOriginParams{Origin: other, QuotaSize: size})
			return err
		})
	}
	tiny := float64(1 << 20)
	b.Do(t, quota(&tiny))
	defer b.Do(t, quota(nil))
	browsertest.LoadPage(t, b, other+"/")
	trainQuick(t, b, "mlp", "2000", "1")
	b.WaitFor(t, `document.getElementById("storage-status").dataset.state === "1"`, 30*time.Second)
	text := browsertest.Eval[string](t, b, `document.getElementById("storage-status").textContent`)
	t.Logf("storage full: %q; longest save of the MLP on the page's thread %s ms", text,
		browsertest.Eval[string](t, b, `document.getElementById("storage-status").dataset.saveMs`))
	if text != "Storage is full: your model is not being saved. Save it to a file." {
		t.Errorf("storage line %q", text)
	}
	// The page keeps working: the trained model classifies a drawing.
	browsertest.DrawSeven(t, b)
	if bars := browsertest.Eval[string](t, b, browsertest.BarsJS); strings.Count(bars, ",") != 9 {
		t.Errorf("probabilities %q after storage filled up", bars)
	}
	b.Click(t, "#train-start")
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.steps) > 0`, 60*time.Second)
	b.Click(t, "#train-stop")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done"`, 60*time.Second)
	b.ElementScreenshot(t, "#storage-status", "restore-storage-full")
	b.Do(t, chromedp.ScrollIntoView(chromedp.CSS("#storage-status")))
	b.Screenshot(t, "restore-storage-full-page")
	b.AssertNoErrors(t)
}
