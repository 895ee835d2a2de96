//go:build !js

package train_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// frameGapsJS summarises the gaps between frames while measuring: at 60
// frames per second each is 16.7 ms, a missed frame makes one 33 ms.
const frameGapsJS = `(() => {
	const g = window.cnnGaps, n = (ms) => g.filter((x) => x > ms).length;
	return g.length + " gaps: " + n(20) + " over 20 ms (a frame missed), " + n(50) + " over 50 ms, " + n(100) + " over 100 ms";
})()`

// longFramesJS records the long animation frames (over 50 ms) of the page
// while window.cnnMeasure is set, with the scripts that took the time, so
// that a slow frame can be traced to its cause.
const longFramesJS = `(() => {
	window.cnnLongFrames = [];
	new PerformanceObserver((list) => {
		if (!window.cnnMeasure) return;
		for (const e of list.getEntries()) {
			window.cnnLongFrames.push({
				ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
				script: Math.round(Math.max(0, ...e.scripts.map(s => s.duration))),
				scripts: e.scripts.map(s => s.invoker + " " + Math.round(s.duration) + " ms").join(", "),
			});
		}
	}).observe({type: "long-animation-frame", buffered: true});
	return true;
})()`

// longFramesReportJS lists the longest recorded frames, one a line.
const longFramesReportJS = `window.cnnLongFrames.slice().sort((a, b) => b.ms - a.ms).slice(0, 8)
	.map(f => f.ms + " ms (blocking " + f.blocking + " ms): " + f.scripts).join("\n")`

// timelineJS records when the training panel's state and status change
// after Start is pressed, to see where the time to the first step goes.
const timelineJS = `(() => {
	window.cnnTimeline = [];
	document.addEventListener("click", (e) => {
		if (e.target.id === "train-start") { window.cnnClick = performance.now(); window.cnnTimeline = []; }
	}, true);
	let last = "";
	new MutationObserver(() => {
		if (window.cnnClick === undefined) return;
		const p = document.getElementById("train-panel");
		const st = document.getElementById("train-status");
		const s = p.dataset.state + ": " + (st ? st.textContent.replace(/[0-9.]+ (MB|KB) of/, "… of") : "") +
			(Number(document.getElementById("train-progress").dataset.steps) > 0 ? " (stepping)" : "");
		if (s !== last) {
			last = s;
			window.cnnTimeline.push(Math.round(performance.now() - window.cnnClick) + " ms " + s);
		}
	}).observe(document.getElementById("train-panel"), {subtree: true, attributes: true, characterData: true, childList: true});
	return true;
})()`

// TestBrowserTrain trains the ConvNetJS preset in the Web Worker from the
// page's controls: the loss chart moves, validation accuracy passes 90%,
// pause, step and resume do what they say, the UI keeps drawing frames, a
// saved model loads again after a reload with the same prediction, a
// corrupt file is refused, and a diverging run is explained.
func TestBrowserTrain(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	browsertest.Eval[bool](t, b, browsertest.FrameMeterJS)
	browsertest.Eval[bool](t, b, longFramesJS)
	browsertest.Eval[bool](t, b, timelineJS)
	browsertest.DrawSeven(t, b)

	// ConvNetJS's demo settings, on 6000 training images with 1000 held out
	// to validate, so that an epoch ends every 5000 examples.
	for id, v := range map[string]string{"train-limit": "6000", "train-validation": "1000", "train-epochs": "20", "train-batch": "20"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	b.Click(t, "#train-start")
	pressed := time.Now()
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.steps) > 0`, 30*time.Second)
	t.Logf("Start to the first step: %v (dataset download included)", time.Since(pressed).Round(time.Millisecond))
	t.Logf("in the worker: download and gunzip %s ms, preparing the session %s ms; timeline from the click:\n%s",
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.downloadMs`),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.prepareMs`),
		browsertest.Eval[string](t, b, `window.cnnTimeline.join("\n")`))
	browsertest.Eval[bool](t, b, `window.cnnMeasure = true`)
	frames0 := browsertest.Eval[int](t, b, `window.cnnFrames`)
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.lossPoints) >= 3`, 30*time.Second)
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.bestVal) >= 0.9`, 120*time.Second)
	seen := browsertest.PanelInt(t, b, "seen")
	if seen > 15000 {
		t.Errorf("validation accuracy passed 90%% only after %d examples", seen)
	}
	t.Logf("validation accuracy %s after %d examples; %s examples/s in the worker",
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.bestVal`), seen,
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.eps`))
	// A full-page screenshot resizes the viewport and repaints everything:
	// its frame is the test's, not the page's.
	browsertest.Eval[bool](t, b, `window.cnnMeasure = false`)
	b.Screenshot(t, "train-running")
	browsertest.Eval[bool](t, b, `window.cnnMeasure = true`)

	// Pause: the count stops. Step: exactly one batch. Resume: it moves.
	b.Click(t, "#train-pause")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "paused"`, 10*time.Second)
	paused := browsertest.PanelInt(t, b, "seen")
	time.Sleep(time.Second)
	if n := browsertest.PanelInt(t, b, "seen"); n != paused {
		t.Fatalf("seen went from %d to %d while paused", paused, n)
	}
	b.Click(t, "#train-step")
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.seen) !== `+strconv.Itoa(paused), 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	if n := browsertest.PanelInt(t, b, "seen"); n != paused+20 {
		t.Errorf("one step went from %d to %d examples, want one batch of 20", paused, n)
	}
	b.Click(t, "#train-resume")
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.seen) > `+strconv.Itoa(paused+200), 10*time.Second)
	time.Sleep(2 * time.Second)
	frames := browsertest.Eval[int](t, b, `window.cnnFrames`) - frames0
	worst := browsertest.Eval[float64](t, b, `window.cnnWorstGap`)
	t.Logf("while training: %d animation frames, worst gap between frames %.1f ms; %s", frames, worst, browsertest.Eval[string](t, b, frameGapsJS))
	t.Logf("longest animation frames:\n%s", browsertest.Eval[string](t, b, longFramesReportJS))
	// Unloaded, the longest gap is tens of milliseconds (DESIGN.md). The
	// bounds are loose because this machine is shared with other builds,
	// which also stall the page's thread when none of its scripts runs (a
	// long frame then holds several short tasks): the gap is bounded
	// generously, the page's longest single task more tightly (before
	// worker messages were batched, one took 1.5 s at a load of 7).
	script := browsertest.Eval[float64](t, b, `Math.max(0, ...window.cnnLongFrames.map(f => f.script))`)
	t.Logf("longest single task of the page: %.0f ms", script)
	if worst > 1000 {
		t.Errorf("the UI thread stalled for %.0f ms while training", worst)
	}
	if script > 500 {
		t.Errorf("one of the page's tasks took %.0f ms while training", script)
	}

	// Stop: the test set is evaluated and the confusion matrix shown.
	b.Click(t, "#train-stop")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done" && document.getElementById("confusion")`, 60*time.Second)
	acc := browsertest.Eval[string](t, b, `document.getElementById("confusion").dataset.acc`)
	t.Logf("test accuracy after stop: %s", acc)
	b.WaitFor(t, `document.getElementById("prediction").textContent !== "–"`, 10*time.Second)
	b.Screenshot(t, "train-done")

	// Save the model: Chromium writes the download to a temp folder.
	dir := t.TempDir()
	b.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	wantPred := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`)
	wantBars := browsertest.Eval[string](t, b, browsertest.BarsJS)
	b.Click(t, "#save-model")
	file := filepath.Join(dir, "cnnplay-mnist-convnetjs.cnn")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if st, err := os.Stat(file); err == nil && st.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no download at %s (folder has %v)", file, entries)
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)

	// Reload: the shipped model classifies; load the file: the trained one
	// is back, with the same prediction of the same drawing.
	browsertest.LoadPage(t, b, url+"/")
	browsertest.DrawSeven(t, b)
	shippedBars := browsertest.Eval[string](t, b, browsertest.BarsJS)
	b.Do(t, chromedp.SetUploadFiles("#load-model", []string{file}))
	b.WaitFor(t, `document.getElementById("model-message").textContent.startsWith("Loaded")`, 10*time.Second)
	b.WaitFor(t, `(`+browsertest.BarsJS+`) === `+strconv.Quote(wantBars), 10*time.Second)
	if got := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`); got != wantPred {
		t.Errorf("prediction after loading the saved model is %q, want %q", got, wantPred)
	}
	if shippedBars == wantBars {
		t.Log("note: the shipped and trained models gave the same probabilities")
	}

	// A corrupt file: a message, and the loaded model stays.
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x55
	bad := filepath.Join(t.TempDir(), "corrupt.cnn")
	if err := os.WriteFile(bad, data, 0o644); err != nil {
		t.Fatal(err)
	}
	b.Do(t, chromedp.SetUploadFiles("#load-model", []string{bad}))
	b.WaitFor(t, `document.getElementById("model-message").textContent.includes("could not be loaded")`, 10*time.Second)
	t.Logf("corrupt file: %s", browsertest.Eval[string](t, b, `document.getElementById("model-message").textContent`))
	if got := browsertest.Eval[string](t, b, browsertest.BarsJS); got != wantBars {
		t.Errorf("a corrupt file changed the probabilities from %s to %s", wantBars, got)
	}
	b.Screenshot(t, "train-corrupt-file")

	// Divergence: SGD with learning rate 10 on the MLP.
	browsertest.Eval[bool](t, b, `(() => {
		const s = document.getElementById("train-preset"); s.value = "mlp";
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	browsertest.Eval[bool](t, b, `(() => {
		const s = document.getElementById("train-optimizer"); s.value = "sgd";
		s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	time.Sleep(200 * time.Millisecond)
	for id, v := range map[string]string{"train-lr": "10", "train-limit": "6000", "train-validation": "1000"} {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
	}
	time.Sleep(200 * time.Millisecond)
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-error") && document.getElementById("train-error").textContent.includes("too high")`, 60*time.Second)
	t.Logf("divergence: %s", browsertest.Eval[string](t, b, `document.getElementById("train-error").textContent`))
	b.Screenshot(t, "train-diverged")
	b.AssertNoErrors(t)
}

// TestBrowserTrain97 trains the ConvNetJS preset with the page's default
// settings (all 55,000 training images, 5,000 held out) for at most two
// epochs and requires validation accuracy to pass 97%: it is checked at
// the end of each epoch, so the time logged is that of the first epoch
// that passes. The figures (time, examples/s) are logged, not asserted.
func TestBrowserTrain97(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("train-epochs", "2"))
	b.Click(t, "#train-start")
	pressed := time.Now()
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.steps) > 0`, 60*time.Second)
	first := time.Since(pressed)
	t.Logf("Start to the first step: %v; in the worker: download and gunzip %s ms, preparing the session %s ms", first.Round(time.Millisecond),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.downloadMs`),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.prepareMs`))
	// Two epochs at a few hundred examples a second on a loaded machine.
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.t97) > 0 ||
		document.getElementById("train-panel").dataset.state === "done"`, 10*time.Minute)
	progress := func(attr string) string {
		return browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.`+attr)
	}
	t97, _ := strconv.ParseFloat(progress("t97"), 64)
	if t97 == 0 {
		t.Fatalf("validation accuracy did not reach 97%% in two epochs: best %s after %s examples", progress("bestVal"), progress("seen"))
	}
	t.Logf("97%% validation accuracy after %s examples, %.1f s after the session started (%.1f s after Start, whose first step took %v); %s examples/s; validation %s",
		progress("seen97"), t97/1000, time.Since(pressed).Seconds(), first.Round(time.Millisecond), progress("eps"), progress("valAcc"))
	b.Screenshot(t, "train-97")
	b.Click(t, "#train-stop")
	b.AssertNoErrors(t)
}
