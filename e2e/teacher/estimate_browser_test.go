//go:build !js

package teacher_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// estimateJS reads the epoch estimate: its basis and seconds.
const estimateJS = `(() => {
	const e = document.getElementById("epoch-estimate");
	return e ? e.dataset.basis + " " + e.dataset.seconds + " " + e.textContent : "";
})()`

// TestBrowserEstimate compares the epoch estimate shown before Start, from
// 20 training steps measured in the worker, with the first epoch's real
// time, for the convnetjs preset on all of MNIST and the keras preset on
// 6000 images, 1000 held out (so that its epoch is short), and logs the
// ratio (issue 20's bar is 1.5x; measure it on a quiet machine with this
// test alone). It asserts 3x both ways: the test shares two cores with the
// other packages' tests, which can slow the measurement or the epoch
// alone, and the estimate it replaced, from an assumed operation rate, was
// 13 times off. Once training runs, the estimate says it follows the live
// rate.
func TestBrowserEstimate(t *testing.T) {
	b, url := browsertest.StartSite(t)
	for _, c := range []struct{ preset, limit, validation string }{
		{"convnetjs", "0", "5000"},
		{"keras", "6000", "1000"},
	} {
		t.Run(c.preset, func(t *testing.T) {
			browsertest.LoadPage(t, b, url+"/")
			for id, v := range map[string]string{"train-preset": c.preset, "train-limit": c.limit, "train-validation": c.validation} {
				browsertest.Eval[bool](t, b, browsertest.SetFieldJS(id, v))
			}
			b.WaitFor(t, `document.getElementById("epoch-estimate").dataset.basis === "measured"`, 90*time.Second)
			shown := browsertest.Eval[string](t, b, estimateJS)
			est := browsertest.Eval[float64](t, b, `Number(document.getElementById("epoch-estimate").dataset.seconds)`)
			if !strings.Contains(shown, "measured: ") || !(est > 0) {
				t.Fatalf("the estimate before Start: %q", shown)
			}
			b.Click(t, "#train-start")
			b.WaitFor(t, `document.getElementById("epoch-estimate").dataset.basis === "live"`, 60*time.Second)
			live := browsertest.Eval[string](t, b, estimateJS)
			b.WaitFor(t, `document.getElementById("train-progress").dataset.epochMs !== ""`, 600*time.Second)
			ms, err := strconv.ParseFloat(strings.Split(browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.epochMs`), ",")[0], 64)
			if err != nil {
				t.Fatal(err)
			}
			b.Click(t, "#train-pause")
			ratio := est / (ms / 1000)
			t.Logf("%s: estimate before Start %.1f s (%q); epoch 1 took %.1f s; ratio %.2f; while training: %q",
				c.preset, est, shown, ms/1000, ratio, live)
			if ratio > 3 || ratio < 1.0/3 {
				t.Errorf("%s: the estimate %.1f s is %.2f times the real epoch, %.1f s", c.preset, est, ratio, ms/1000)
			}
			if !strings.HasPrefix(live, "live ") || !strings.Contains(live, "live rate: ") {
				t.Errorf("while training the estimate says %q", live)
			}
		})
	}
}

// TestBrowserQuickValidation trains the convnetjs preset and counts the
// accuracy chart's validation points: the quick ones (1000 images, at
// 1000, 2000 and 4000 examples seen) come long before epoch 1 ends, are
// drawn apart from the full validation, and the full validation still
// comes at the epoch's end.
func TestBrowserQuickValidation(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.Click(t, "#train-start")
	b.WaitFor(t, `Number(document.getElementById("train-progress").dataset.steps) > 0`, 60*time.Second)
	first := time.Now()
	// The points drawn, quick and full, on the accuracy chart.
	const pointsJS = `document.querySelectorAll("#acc-chart circle.s-quick").length + document.querySelectorAll("#acc-chart circle.s-val").length`
	b.WaitFor(t, pointsJS+` >= 3`, 15*time.Second)
	took := time.Since(first)
	seen := browsertest.PanelInt(t, b, "seen")
	t.Logf("3 validation points %.1f s after the first step, at %d examples seen", took.Seconds(), seen)
	if full := browsertest.Eval[int](t, b, `document.querySelectorAll("#acc-chart circle.s-val").length`); full != 0 && seen < 55000 {
		t.Errorf("%d full validation points before epoch 1 ended", full)
	}
	legend := browsertest.Eval[string](t, b, `document.querySelector("#acc-chart .chart-legend").textContent`)
	if !strings.Contains(legend, "1,000 images") || !strings.Contains(legend, "epoch's end") {
		t.Errorf("the legend does not tell the quick validation from the full one: %q", legend)
	}
	b.ElementScreenshot(t, "#acc-chart", "quick-validation")
	// The full validation still comes at the end of epoch 1.
	b.WaitFor(t, `document.querySelectorAll("#acc-chart circle.s-val").length >= 1`, 300*time.Second)
	q := browsertest.Eval[int](t, b, `Number(document.getElementById("train-progress").dataset.quickPoints)`)
	t.Logf("epoch 1 ended with %d quick validation points; %s", q,
		fmt.Sprint(browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.epochMs`)))
	if q < 3 {
		t.Errorf("%d quick validation points in epoch 1", q)
	}
	b.Click(t, "#train-stop")
}
