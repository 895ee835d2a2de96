//go:build !js

package mydata_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/strokes"
)

// trainOnSet trains the default preset on the set shown, from the
// training panel's controls, until it is done.
func trainOnSet(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	id := browsertest.Eval[string](t, b, `document.getElementById("mydata-set").value`)
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("train-dataset", "my-"+id))
	b.Click(t, "#train-start")
	b.WaitFor(t, `document.getElementById("train-panel").dataset.state === "done" || document.getElementById("train-error")`, 10*time.Minute)
	if msg := browsertest.Eval[string](t, b, `(document.getElementById("train-error") || {}).textContent || ""`); msg != "" {
		t.Fatalf("training failed: %s", msg)
	}
	t.Logf("trained: %s; best validation %s", browsertest.Eval[string](t, b, `document.getElementById("train-status").textContent`),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.bestVal`))
	b.Screenshot(t, "mydata-trained")
}

// predictNew draws n new drawings of each class (other variations than
// the set's) and returns the fraction the page classifies right.
func predictNew(t *testing.T, b *browsertest.Browser, canvas int, drawings map[int][]strokes.Drawing, n int) float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(18, 2))
	right, all := 0, 0
	for k := range n {
		for _, c := range classes {
			ds := drawings[c.label]
			drawStrokes(t, b, varied(ds[(k+2)%len(ds)], canvas, rng))
			got := browsertest.Eval[string](t, b, `document.getElementById("prediction").textContent`)
			if got == c.name {
				right++
			} else {
				t.Logf("a new %s (drawing %d) was classified %q", c.name, k, got)
			}
			all++
			b.Click(t, "#clear")
			b.WaitFor(t, browsertest.InkJS+` === 0`, 5*time.Second)
		}
	}
	t.Logf("new drawings: %d of %d classified right", right, all)
	return float64(right) / float64(all)
}

// classCounts returns each class's count as the panel shows it.
func classCounts(t *testing.T, b *browsertest.Browser) string {
	s := ""
	for _, c := range classes {
		s += c.name + "=" + strconv.Itoa(browsertest.Eval[int](t, b, countJS(c.name))) + " "
	}
	return s
}

// evalShipped tests the shipped digits model on the set ("test the digits
// model on my handwriting") and checks that every picture was tested.
func evalShipped(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.Click(t, "#mydata-eval-shipped")
	b.WaitFor(t, `document.getElementById("mydata-eval")`, 60*time.Second)
	n := browsertest.Eval[int](t, b, `Number(document.getElementById("mydata-eval").dataset.n)`)
	acc := browsertest.Eval[string](t, b, `document.getElementById("mydata-eval").dataset.acc`)
	byClass := browsertest.Eval[string](t, b, `Array.from(document.querySelectorAll(".mydata-eval-classes tr")).map(r => r.dataset.class + ": " + r.dataset.right + "/" + r.dataset.n).join(", ")`)
	worst := browsertest.Eval[int](t, b, `document.querySelectorAll(".mydata-mistake img").length`)
	t.Logf("the shipped digits model on the set: accuracy %s over %d pictures (%s), %d mistakes shown", acc, n, byClass, worst)
	if n != len(classes)*perClass {
		t.Errorf("the digits model was tested on %d pictures, want %d", n, len(classes)*perClass)
	}
	b.ElementScreenshot(t, "#mydata-eval", "mydata-eval-shipped")
}

// inspectViews checks that the inside-the-network views of the model
// trained on the set use the set: the data browser shows its pictures
// under its name, the projection colours its dots by its classes.
func inspectViews(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.Click(t, "#inspect-tab-data")
	b.WaitFor(t, `document.getElementById("view-data") && document.getElementById("view-data").textContent.includes("Digits I drew")`, 30*time.Second)
	note := browsertest.Eval[string](t, b, `document.querySelector("#view-data .inspect-note").textContent`)
	t.Logf("data browser: %s", note)
	b.Click(t, "#inspect-tab-projection")
	b.WaitFor(t, `document.querySelectorAll("#view-projection .projection-legend li").length > 0`, 60*time.Second)
	legend := browsertest.Eval[string](t, b, `Array.from(document.querySelectorAll("#view-projection .projection-legend li")).map(l => l.textContent).join(",")`)
	if legend != "0,1,7" {
		t.Errorf("the projection's legend is %q, want the set's classes 0,1,7", legend)
	}
	b.ElementScreenshot(t, "#inspect-panel", "mydata-projection")
}
