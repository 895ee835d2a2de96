//go:build !js

package mydata_test

import (
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/strokes"
)

// shapes runs TestBrowserShapesPageVsCLI, which trains twice (natively and
// in the page) and takes minutes.
var shapes = flag.Bool("shapes", false, "run TestBrowserShapesPageVsCLI: train on generated shapes with the CLI and in the page, and compare")

// Issue #18's bar for hand-drawn shapes: 5 classes of about a hundred
// drawings each, default settings, at least 98% on unseen drawings, and
// the page within 1 point of the CLI.
const (
	shapeClasses  = 5
	shapesPer     = 100
	shapesMinAcc  = 0.98
	shapesMaxDiff = 0.01
)

// TestBrowserShapesPageVsCLI trains with default settings on generated
// shapes (seed 1) twice, with `cnn train -data` and in the page, and
// tests both models on unseen shapes (seed 2): both reach the bar, and
// the page is within a point of the CLI. The wall times are logged.
func TestBrowserShapesPageVsCLI(t *testing.T) {
	if !*shapes {
		t.Skip("trains twice, for minutes: go test ./e2e/mydata -run TestBrowserShapesPageVsCLI -shapes -timeout 30m")
	}
	dir := t.TempDir()
	trainZip := writeShapes(t, dir, 1)
	testZip := writeShapes(t, dir, 2)

	cliAcc, cliTime := cliShapes(t, dir, trainZip, testZip)
	t.Logf("CLI: accuracy %.2f%% on unseen shapes; cnn train -data took %v", 100*cliAcc, cliTime.Round(time.Second))
	pageAcc, pageTime := pageShapes(t, trainZip, testZip)
	t.Logf("page: accuracy %.2f%% on unseen shapes; training took %v", 100*pageAcc, pageTime.Round(time.Second))

	if cliAcc < shapesMinAcc {
		t.Errorf("the CLI's model gets %.2f%% of unseen shapes right, want at least %.0f%%", 100*cliAcc, 100*shapesMinAcc)
	}
	if pageAcc < shapesMinAcc {
		t.Errorf("the page's model gets %.2f%% of unseen shapes right, want at least %.0f%%", 100*pageAcc, 100*shapesMinAcc)
	}
	if d := math.Abs(pageAcc - cliAcc); d > shapesMaxDiff+1e-9 {
		t.Errorf("the page (%.2f%%) and the CLI (%.2f%%) differ by %.2f points, want at most %.0f", 100*pageAcc, 100*cliAcc, 100*d, 100*shapesMaxDiff)
	}
}

// writeShapes writes the generated shapes set of seed as a zip in dir,
// named after the seed (the name the page gives the set it imports), and
// returns its path.
func writeShapes(t *testing.T, dir string, seed uint64) string {
	t.Helper()
	s, err := strokes.Set("shapes", shapeClasses, shapesPer, seed)
	if err != nil {
		t.Fatal(err)
	}
	s.Name = "shapes seed " + strconv.FormatUint(seed, 10)
	path := filepath.Join(dir, "shapes-"+strconv.FormatUint(seed, 10)+".zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteZip(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// accuracyLine is the line `cnn eval` prints.
var accuracyLine = regexp.MustCompile(`accuracy (\d+\.\d+)%`)

// cliShapes builds cmd/cnn, runs `cnn train -data trainZip` with its
// defaults and `cnn eval -data testZip` on the model, and returns the
// accuracy eval prints and how long training took.
func cliShapes(t *testing.T, dir, trainZip, testZip string) (float64, time.Duration) {
	t.Helper()
	root := filepath.Join("..", "..")
	cnn := filepath.Join(dir, "cnn")
	run := func(name string, args ...string) string {
		cmd := exec.Command(name, args...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	run("go", "build", "-o", cnn, "./cmd/cnn")
	model := filepath.Join(dir, "shapes.cnn")
	start := time.Now()
	out := run(cnn, "train", "-data", trainZip, "-o", model)
	took := time.Since(start)
	t.Logf("cnn train -data %s -o %s:\n%s", filepath.Base(trainZip), filepath.Base(model), lastLines(out, 4))
	out = run(cnn, "eval", "-model", model, "-data", testZip)
	t.Logf("cnn eval -model %s -data %s:\n%s", filepath.Base(model), filepath.Base(testZip), out)
	m := accuracyLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("cnn eval printed no accuracy line:\n%s", out)
	}
	acc, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return acc / 100, took
}

// lastLines returns the last n lines of s without terminal escapes: the
// epochs' progress before them is long.
func lastLines(s string, n int) string {
	s = strings.ReplaceAll(s, "\x1b[K", "")
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// pageShapes imports trainZip as a set in the page, trains on it with the
// training panel's defaults, imports testZip as a second set, tests the
// current model on it, and returns the accuracy the page shows and how
// long training took.
func pageShapes(t *testing.T, trainZip, testZip string) (float64, time.Duration) {
	t.Helper()
	b, url := browsertest.StartSite(t)
	browsertest.LoadPage(t, b, url+"/")
	b.WaitFor(t, `document.getElementById("mydata-panel").dataset.loaded === "true"`, 20*time.Second)

	// With no set yet, the import makes one, named by the zip.
	importShapes(t, b, trainZip)
	id := browsertest.Eval[string](t, b, `document.getElementById("mydata-set").value`)
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("train-dataset", "my-"+id))
	b.WaitFor(t, `document.getElementById("train-own-split")`, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // the panel re-renders with the set's settings
	t.Logf("page settings: %s", browsertest.Eval[string](t, b, `["train-preset", "train-optimizer", "train-batch", "train-epochs", "train-workers", "train-aug-shift", "train-aug-rotate", "train-aug-scale"].map(id => { const e = document.getElementById(id); return id.slice(6) + "=" + (!e ? "?" : e.type === "checkbox" ? e.checked : e.value) }).join(" ") + "; " + document.getElementById("train-own-split").textContent`))
	start := time.Now()
	b.Click(t, "#train-start")
	if !waitTrue(t, b, `document.getElementById("train-panel").dataset.state === "done" || document.getElementById("train-error")`, 10*time.Minute) {
		b.Screenshot(t, "shapes-train-stuck")
		t.Fatalf("training did not end: state %q, status %q", browsertest.Eval[string](t, b, `document.getElementById("train-panel").dataset.state`),
			browsertest.Eval[string](t, b, `document.getElementById("train-status").textContent`))
	}
	took := time.Since(start)
	if msg := browsertest.Eval[string](t, b, `(document.getElementById("train-error") || {}).textContent || ""`); msg != "" {
		t.Fatalf("training failed: %s", msg)
	}
	t.Logf("page trained: %s; best validation %s", browsertest.Eval[string](t, b, `document.getElementById("train-status").textContent`),
		browsertest.Eval[string](t, b, `document.getElementById("train-progress").dataset.bestVal`))

	// The unseen shapes as a set of their own, and the model just trained
	// tested on it.
	browsertest.Eval[bool](t, b, browsertest.SetFieldJS("mydata-set-name", "shapes seed 2"))
	b.Click(t, "#mydata-new-set")
	b.WaitFor(t, `document.getElementById("mydata-set").selectedOptions[0].textContent.startsWith("shapes seed 2")`, 10*time.Second)
	importShapes(t, b, testZip)
	if got := browsertest.Eval[string](t, b, `document.getElementById("mydata-set").value`); got == id {
		t.Fatalf("the unseen shapes went into the training set %s", id)
	}
	b.Click(t, "#mydata-eval-current")
	b.WaitFor(t, `document.getElementById("mydata-eval")`, 60*time.Second)
	n := browsertest.Eval[int](t, b, `Number(document.getElementById("mydata-eval").dataset.n)`)
	acc := browsertest.Eval[string](t, b, `document.getElementById("mydata-eval").dataset.acc`)
	t.Logf("page: %s", browsertest.Eval[string](t, b, `document.querySelector("#mydata-eval h3").textContent`))
	if n != shapeClasses*shapesPer {
		t.Errorf("the page tested %d pictures, want %d", n, shapeClasses*shapesPer)
	}
	b.Screenshot(t, "shapes-page-vs-cli")
	b.ElementScreenshot(t, "#mydata-eval", "shapes-page-eval")
	b.AssertNoErrors(t)
	v, err := strconv.ParseFloat(acc, 64)
	if err != nil {
		t.Fatalf("the page's accuracy %q: %v", acc, err)
	}
	return v, took
}

// importShapes imports a zip of shapes into the set shown (a new one when
// there is none) and waits for all its pictures.
func importShapes(t *testing.T, b *browsertest.Browser, zip string) {
	t.Helper()
	b.Do(t, chromedp.SetUploadFiles("#mydata-import-files", []string{zip}))
	const count = `Array.from(document.querySelectorAll(".mydata-class")).reduce((n, c) => n + Number(c.dataset.count), 0)`
	want := strconv.Itoa(shapeClasses * shapesPer)
	if !waitTrue(t, b, count+` === `+want, 60*time.Second) {
		t.Fatalf("the import of %s shows %d pictures, want %s; status %q, problems %q", filepath.Base(zip),
			browsertest.Eval[int](t, b, count), want,
			browsertest.Eval[string](t, b, `document.getElementById("mydata-status").textContent`),
			browsertest.Eval[string](t, b, `(document.getElementById("mydata-problems") || {}).textContent || ""`))
	}
}
