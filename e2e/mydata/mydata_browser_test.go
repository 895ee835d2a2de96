//go:build !js

package mydata_test

import (
	"maps"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// classes are the set's classes and the recorded digits drawn for them:
// named as the digits model's classes, so that it can be tested on them.
var classes = []struct {
	name  string
	label int
}{{"0", 0}, {"1", 1}, {"7", 7}}

const perClass = 20

// countJS is the count the My data panel shows for a class.
func countJS(class string) string {
	return `Number((document.querySelector('.mydata-class[data-class="` + class + `"]') || {dataset: {count: -1}}).dataset.count)`
}

// TestBrowserMyData makes a set of three classes by drawing twenty
// examples of each on the canvas (with the Add buttons and the number
// keys), and checks the counts and thumbnails.
func TestBrowserMyData(t *testing.T) {
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)

	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-set-name", "Digits I drew"))
	b.Click(t, "#mydata-new-set")
	for _, c := range classes {
		browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-class-name", c.name))
		b.Click(t, "#mydata-add-class")
		b.WaitFor(t, countJS(c.name)+` === 0`, 5*time.Second)
	}

	canvas, drawings := digitDrawings(t)
	rng := rand.New(rand.NewPCG(18, 1))
	start := time.Now()
	for k := range perClass {
		if k%5 == 0 {
			t.Logf("round %d of %d after %v", k+1, perClass, time.Since(start).Round(time.Second))
		}
		for i, c := range classes {
			ds := drawings[c.label]
			drawStrokes(t, b, varied(ds[k%len(ds)], canvas, rng))
			if k%2 == 0 {
				b.Click(t, "#mydata-add-"+strconv.Itoa(i))
			} else {
				b.Do(t, chromedp.KeyEvent(strconv.Itoa(i+1)))
			}
			b.WaitFor(t, countJS(c.name)+` === `+strconv.Itoa(k+1)+` && `+browsertest.InkJS+` === 0`, 5*time.Second)
		}
	}
	for _, c := range classes {
		n := browsertest.Eval[int](t, b, `document.querySelectorAll('.mydata-class[data-class="`+c.name+`"] .mydata-thumb img').length`)
		if n != perClass {
			t.Errorf("class %s shows %d thumbnails, want %d", c.name, n, perClass)
		}
	}
	b.ElementScreenshot(t, "#mydata-panel", "mydata-panel")
	b.Screenshot(t, "mydata-page")
	pngs := thumbnails(t, b)

	evalShipped(t, b)
	trainOnSet(t, b)
	if got := predictNew(t, b, canvas, drawings, 8); got < 0.9 {
		t.Errorf("%.0f%% of new drawings classified right, want at least 90%%", 100*got)
	}
	inspectViews(t, b)

	// Reload: the set is read back from IndexedDB, and the trained model
	// is offered back.
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)
	if got := thumbnails(t, b); !maps.Equal(got, pngs) {
		t.Errorf("after a reload the set holds %d pictures (want %d), or other bytes", len(got), len(pngs))
	}
	b.WaitFor(t, `document.getElementById("restore-run")`, 20*time.Second)
	b.Click(t, "#restore-run")
	b.WaitFor(t, `!document.getElementById("restore-offer")`, 10*time.Second)
	if got := predictNew(t, b, canvas, drawings, 2); got < 0.8 {
		t.Errorf("after a reload and restore, %.0f%% of new drawings classified right", 100*got)
	}

	exportClearImport(t, b, pngs)
	b.AssertNoErrors(t)
}

// thumbnails returns the bytes of every picture of the set shown, by
// class/file, from the thumbnails' data URLs (the stored bytes, base64).
func thumbnails(t *testing.T, b *browsertest.Browser) map[string]string {
	t.Helper()
	list := browsertest.Eval[[]string](t, b, `Array.from(document.querySelectorAll(".mydata-thumb img")).map(i => i.alt + " " + i.src.split(",")[1])`)
	out := map[string]string{}
	for _, l := range list {
		name, data, _ := strings.Cut(l, " ")
		out[name] = data
	}
	return out
}
