//go:build !js

package classroom_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/classroom"
	"github.com/cnnplay/cnnplay/internal/strokes"
	"github.com/cnnplay/cnnplay/nn/dataset"
)

// digitsZip writes every generated drawing of testdata/strokes, all ten
// digits, as a class's export zip (classroom.WriteFolders) and returns its
// path and how many drawings it holds.
func digitsZip(t *testing.T, ds map[string][]strokes.Drawing) (string, int) {
	t.Helper()
	var all []classroom.Drawing
	for _, c := range dataset.MNISTClasses {
		for _, d := range ds[c] {
			ss := make([][][3]float64, len(d.Strokes))
			for i, s := range d.Strokes {
				for j, p := range s {
					ss[i] = append(ss[i], [3]float64{p[0], p[1], float64(16 * j)})
				}
			}
			b, err := json.Marshal(ss)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, classroom.Drawing{ID: int64(len(all) + 1), Label: c, Strokes: b})
		}
	}
	var buf bytes.Buffer
	if err := classroom.WriteFolders(&buf, "digits", dataset.MNISTClasses, all); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "digits.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, len(all)
}

// trainPlusMNIST imports a set of all ten digits into the playground, and
// trains on it with MNIST's training images: an epoch then holds MNIST's
// 60,000 images as well as the set's training part, which the page's
// progress shows as many more examples seen than the set holds with no
// epoch ended.
func trainPlusMNIST(t *testing.T, b *browsertest.Browser, ds map[string][]strokes.Drawing) {
	t.Helper()
	zip, n := digitsZip(t, ds)
	browsertest.Eval[bool](t, b, `(document.getElementById("mydata-set-name").value = "Digits", true)`)
	b.Click(t, "#mydata-new-set")
	b.WaitFor(t, statusHas("Made the set Digits."), 10*time.Second)
	b.Do(t, chromedp.SetUploadFiles("#mydata-import-files", []string{zip}))
	b.WaitFor(t, statusHas(fmt.Sprintf("Imported %d examples into Digits.", n)), 30*time.Second)
	id := browsertest.Eval[string](t, b, `document.getElementById("mydata-set").value`)
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("train-dataset", "my-"+id))
	b.WaitFor(t, `document.getElementById("train-plus-mnist")`, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // the panel re-renders with the set's settings
	b.Click(t, "#train-plus-mnist")
	b.WaitFor(t, `document.getElementById("train-plus-mnist").checked && document.getElementById("train-epochs").value === "1"`, 5*time.Second)
	b.Click(t, "#train-start")
	b.WaitFor(t, fmt.Sprintf(`Number(document.getElementById("train-progress").dataset.seen) > %d || document.getElementById("train-error")`, 4*n), 3*time.Minute)
	if msg := browsertest.Eval[string](t, b, `(document.getElementById("train-error") || {}).textContent || ""`); msg != "" {
		t.Fatalf("training with MNIST failed: %s", msg)
	}
	b.Click(t, "#train-pause")
	seen := browsertest.PanelInt(t, b, "seen")
	epochs := browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.epochMs`)
	t.Logf("trained the set of %d drawings with MNIST: %d examples seen, epochs ended %q; %s", n, seen, epochs,
		browsertest.Eval[string](t, b, `document.getElementById("epoch-estimate").textContent`))
	if epochs != "" {
		t.Errorf("an epoch ended after %d examples: the set alone was trained, not with MNIST's images", seen)
	}
	if est := browsertest.Eval[string](t, b, `document.getElementById("epoch-estimate").textContent`); strings.Contains(est, "One epoch of") && !strings.Contains(est, "One epoch of 60 0") {
		t.Errorf("the estimate is not of MNIST's images and the set's: %s", est)
	}
	b.Screenshot(t, "class-plus-mnist")
}
