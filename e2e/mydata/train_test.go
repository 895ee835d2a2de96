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
