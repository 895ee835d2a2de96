//go:build !js

package workers_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/budget"
	"github.com/cnnplay/cnnplay/nn"
)

// mnistTrainPixels is the size of MNIST's 60000 28x28 training images as
// bytes, one a pixel: a floor for the worker's memory, which holds them.
const mnistTrainPixels = 60000 * 28 * 28

// evalMemoryMB is the most a test evaluation may add to the worker's
// memory: its input batch, the mistakes it keeps and the Go heap's slack.
const evalMemoryMB = 16

// progressJS reads a data attribute of the training panel's progress view.
func progressJS(attr string) string {
	return `document.getElementById("train-progress").dataset.` + attr
}

// TestBrowserWorkerMemory trains every preset of the page's network select
// with the page's default settings (full MNIST) and logs the peak
// WebAssembly memory of the training worker beside the estimate the page
// makes before training (nn.Summary.TrainingBytes, what budget.CheckFits
// limits). Each preset gets a fresh page, and so a fresh worker: the
// memory of a worker never shrinks, so what one preset grew would hide
// the next one's peak.
//
// It reads the memory twice. First after a few hundred examples: the peak
// of the start (download, parsing, the first steps). Then it stops, which
// tests the weights on the 10000 test images, and starts again in the same
// worker: the new session's first progress reports the peak with that
// evaluation in it (the page has no other way to learn it, as the worker
// reports its memory with progress). Evaluating runs the network in
// batches no bigger than the worker's part of a training batch, without
// gradients, so it must add next to nothing: in batches of 200 it took the
// keras preset's leading worker from 131 to 358 MB. With helper workers
// (the default "auto" picks them for big networks on a multi-core
// machine), the figure is the leading worker's memory alone.
func TestBrowserWorkerMemory(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	names := strings.Split(browsertest.Eval[string](t, b,
		`Array.from(document.getElementById("train-preset").options).map(o => o.value).filter(v => v !== "custom").join(",")`), ",")
	if len(names) < 2 {
		t.Fatalf("the preset select offers %q", names)
	}
	failed := `document.getElementById("train-error")`
	checkFailed := func(name string) {
		t.Helper()
		if msg := browsertest.Eval[string](t, b, `(`+failed+` || {textContent: ""}).textContent`); msg != "" {
			t.Fatalf("%s: training failed: %s", name, msg)
		}
	}
	var lines []string
	for i, name := range names {
		if i > 0 {
			browsertest.LoadPage(t, b, url+"/")
		}
		browsertest.Eval[bool](t, b, selectJS("train-preset", name))
		batch, err := strconv.Atoi(browsertest.Eval[string](t, b, `document.getElementById("train-batch").value`))
		if err != nil {
			t.Fatalf("%s: batch field: %v", name, err)
		}
		limit := browsertest.Eval[string](t, b, `document.getElementById("train-limit").value`)
		val, err := strconv.Atoi(browsertest.Eval[string](t, b, `document.getElementById("train-validation").value`))
		if err != nil {
			t.Fatalf("%s: validation field: %v", name, err)
		}
		if limit != "0" {
			t.Errorf("%s: the page's default training image limit is %s, want 0 (full MNIST)", name, limit)
		}

		// The estimate the page shows before training, and the same from nn.
		spec, err := nn.Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := nn.Analyze(spec)
		if err != nil {
			t.Fatal(err)
		}
		est := sum.TrainingBytes(batch)
		if err := budget.CheckFits(sum, batch, 60000-val, 10); err != nil {
			t.Errorf("%s: CheckFits refuses the preset: %v", name, err)
		}
		// The page's words for the same estimate, which also show that the
		// preset was picked.
		want := "training memory about " + budget.FormatBytes(est)
		shownJS := `((document.getElementById("arch-totals") || {textContent: ""}).textContent.match(/training memory about [0-9.]+ [KMG]B/) || [""])[0]`
		b.WaitFor(t, shownJS+` === `+strconv.Quote(want), 5*time.Second)

		time.Sleep(300 * time.Millisecond) // the layout settles before the click
		b.Click(t, "#train-start")
		start := time.Now()
		b.WaitFor(t, `Number(`+progressJS("seen")+`) >= 300 && Number(`+progressJS("memoryMb")+`) > 0 || `+failed, 120*time.Second)
		checkFailed(name)
		took := time.Since(start)
		mb := browsertest.PanelInt(t, b, "memoryMb")
		seen := browsertest.PanelInt(t, b, "seen")
		workers := browsertest.Eval[string](t, b, `document.getElementById("train-panel").dataset.workers`)
		stat := browsertest.Eval[string](t, b,
			`Array.from(document.querySelectorAll("#train-progress .stat")).map(s => s.textContent).find(s => s.startsWith("worker memory")) || ""`)
		if want := "worker memory" + budget.FormatBytes(int64(mb)<<20); mb < 1024 && stat != want {
			t.Errorf("%s: the panel shows %q for %d MB, want %q", name, stat, mb, want)
		}

		// Stop and test, then start again in the same worker.
		b.Click(t, "#train-stop")
		stopped := time.Now()
		b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done" || `+failed, 150*time.Second)
		checkFailed(name)
		tested := time.Since(stopped)
		b.Click(t, "#train-start")
		b.WaitFor(t, `document.getElementById("train-panel").dataset.state !== "done"`, 10*time.Second)
		b.WaitFor(t, `Number(`+progressJS("lossPoints")+`) >= 1 || `+failed, 60*time.Second)
		checkFailed(name)
		mbTested := browsertest.PanelInt(t, b, "memoryMb")

		lines = append(lines, fmt.Sprintf("%-9s batch %d, %s worker(s): %4d MB after %4d examples (%4.1f s from Start), "+
			"%4d MB with the test evaluation too (%4.1f s); estimate before training %s",
			name, batch, workers, mb, seen, took.Seconds(), mbTested, tested.Seconds(), budget.FormatBytes(est)))
		for _, m := range []int{mb, mbTested} {
			if bytes := int64(m) << 20; bytes < mnistTrainPixels {
				t.Errorf("%s: the worker reports %d MB, less than MNIST's training images alone (%d bytes)", name, m, mnistTrainPixels)
			} else if bytes >= budget.MaxMemoryBytes {
				t.Errorf("%s: the worker holds %d MB, at or above the %s a tab is allowed (budget.MaxMemoryBytes)",
					name, m, budget.FormatBytes(budget.MaxMemoryBytes))
			}
		}
		if mbTested < mb {
			t.Errorf("%s: the worker's memory went from %d MB down to %d MB: WebAssembly memory never shrinks", name, mb, mbTested)
		}
		if mbTested > mb+evalMemoryMB {
			t.Errorf("%s: the test evaluation took the worker's memory from %d to %d MB, more than %d MB more than training", name, mb, mbTested, evalMemoryMB)
		}
	}
	t.Logf("peak WebAssembly memory of the training worker (the leading one), default settings, full MNIST:\n%s", strings.Join(lines, "\n"))
	b.AssertNoErrors(t)
}
