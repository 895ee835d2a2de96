//go:build !js

package mydata_test

import (
	"math/rand/v2"
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
