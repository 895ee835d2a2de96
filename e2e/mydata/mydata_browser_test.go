//go:build !js

package mydata_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
)

// classes are the set's classes and the recorded digits drawn for them.
var classes = []struct {
	name  string
	label int
}{{"zero", 0}, {"one", 1}, {"seven", 7}}

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
	for k := range perClass {
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
	fmt.Println()
}
