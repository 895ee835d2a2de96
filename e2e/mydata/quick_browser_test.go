//go:build !js

package mydata_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// TestBrowserMyDataExportQuick draws two examples of one class, reloads,
// exports, clears and imports them: the short path through export and import.
func TestBrowserMyDataExportQuick(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-set-name", "Digits I drew"))
	b.Click(t, "#mydata-new-set")
	b.WaitFor(t, `document.getElementById("mydata-class-name")`, 10*time.Second)
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-class-name", "0"))
	b.Click(t, "#mydata-add-class")
	canvas, drawings := digitDrawings(t)
	rng := rand.New(rand.NewPCG(18, 3))
	for k := range 2 {
		drawStrokes(t, b, varied(drawings[0][k], canvas, rng))
		b.Click(t, "#mydata-add-0")
		b.WaitFor(t, browsertest.InkJS+` === 0`, 5*time.Second)
	}
	pngs := thumbnails(t, b)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)
	exportClearImport(t, b, pngs)
}

// TestBrowserMyDataTrainQuick draws four examples of two classes, tests
// the digits model on them and trains on them: the short path through
// training.
func TestBrowserMyDataTrainQuick(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-set-name", "Digits I drew"))
	b.Click(t, "#mydata-new-set")
	b.WaitFor(t, `document.getElementById("mydata-class-name")`, 10*time.Second)
	canvas, drawings := digitDrawings(t)
	rng := rand.New(rand.NewPCG(18, 4))
	for i, c := range classes[:2] {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-class-name", c.name))
		b.Click(t, "#mydata-add-class")
		for k := range 4 {
			drawStrokes(t, b, varied(drawings[c.label][k], canvas, rng))
			b.Click(t, "#mydata-add-"+strconv.Itoa(i))
			b.WaitFor(t, browsertest.InkJS+` === 0`, 5*time.Second)
		}
	}
	b.Click(t, "#mydata-eval-shipped")
	b.WaitFor(t, `document.getElementById("mydata-eval")`, 60*time.Second)
	trainOnSet(t, b)
}
