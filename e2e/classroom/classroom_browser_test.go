//go:build !js

package classroom_test

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/cnnplay/cnnplay/internal/browsertest"
	"github.com/cnnplay/cnnplay/internal/strokes"
)

var (
	joinLine    = regexp.MustCompile(`students open:  (http://\S+/class/join#([A-Z]{4}))`)
	teacherLine = regexp.MustCompile(`teacher opens:  (http://\S+/class/teacher#key=\S+)`)
)

// startClass runs the server binary in class mode on a free loopback
// port and returns the join and teacher URLs it prints.
func startClass(t *testing.T) (join, code, teacher string) {
	t.Helper()
	// -dev serves the playground built for the test too, where the class's
	// export becomes one of the teacher's own sets.
	cmd := exec.Command(browsertest.ServerBinary(t), "-class", "-data", t.TempDir(), "-addr", "127.0.0.1:0", "-dev", browsertest.Site(t))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	urls := make(chan [3]string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		var j []string
		for sc.Scan() {
			if m := joinLine.FindStringSubmatch(sc.Text()); m != nil {
				j = m
			}
			if m := teacherLine.FindStringSubmatch(sc.Text()); m != nil && j != nil {
				urls <- [3]string{j[1], j[2], m[1]}
			}
		}
	}()
	select {
	case u := <-urls:
		return u[0], u[1], u[2]
	case <-time.After(time.Minute):
		t.Fatal("the class server printed no URLs within a minute")
	}
	return
}

// drawings are the generated digits of testdata/strokes by label.
func drawings(t *testing.T) map[string][]strokes.Drawing {
	t.Helper()
	canvas, ds, err := strokes.Load(filepath.Join("..", "..", "testdata", "strokes", "digits.json"))
	if err != nil {
		t.Fatal(err)
	}
	if canvas != strokes.Canvas {
		t.Fatalf("canvas %d", canvas)
	}
	out := map[string][]strokes.Drawing{}
	for _, d := range ds {
		l := fmt.Sprint(d.Label)
		out[l] = append(out[l], d)
	}
	return out
}

// student is one student's tab.
type student struct {
	b    *browsertest.Browser
	name string
	kind browsertest.Pointer
	n    int // drawings drawn
}

// join opens the join URL and joins with the nickname.
func (s *student) join(t *testing.T, url string) {
	t.Helper()
	s.b.Navigate(t, url)
	s.b.WaitFor(t, `document.getElementById("code").value.length === 4`, 10*time.Second)
	browsertest.Eval[bool](t, s.b, fmt.Sprintf(`(document.getElementById("nickname").value = %q, true)`, s.name))
	s.b.Click(t, "#join")
	s.b.WaitFor(t, `!document.getElementById("draw-view").hidden`, 10*time.Second)
}

// draw draws the digit the page asks for with a generated drawing of it,
// submits it, and returns its label.
func (s *student) draw(t *testing.T, ds map[string][]strokes.Drawing) string {
	t.Helper()
	label := browsertest.Eval[string](t, s.b, `document.getElementById("target").textContent`)
	options := ds[label]
	if len(options) == 0 {
		t.Fatalf("no generated drawing of %q", label)
	}
	d := options[s.n%len(options)]
	s.n++
	for _, st := range d.Strokes {
		pts := make([]browsertest.Point, len(st))
		for i, p := range st {
			pts[i] = browsertest.Point{X: p[0] / strokes.Canvas, Y: p[1] / strokes.Canvas}
		}
		s.b.DrawPath(t, "#pad", s.kind, pts...)
	}
	s.b.Click(t, "#submit")
	return label
}

const tilesJS = `document.querySelectorAll("#gallery .tile").length`

// TestBrowserClass runs a class: the teacher's tab and three students'
// tabs (one a 390×844 touch phone) draw generated digits; the teacher
// sees them arrive live, deletes one, tests the shipped model on the rest
// and exports the zip, whose counts per class match. A student's drawing
// made offline waits in the queue and arrives once the network is back.
func TestBrowserClass(t *testing.T) {
	joinURL, code, teacherURL := startClass(t)
	ds := drawings(t)

	teacher := browsertest.Start(t)
	teacher.Navigate(t, teacherURL)
	teacher.WaitFor(t, `document.getElementById("class-code").textContent === `+fmt.Sprintf("%q", code), 10*time.Second)
	teacher.WaitFor(t, `document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 200`, 10*time.Second)
	if h := browsertest.Eval[string](t, teacher, `location.href`); strings.Contains(h, "key") {
		t.Errorf("the teacher's key stays in the address bar: %s", h)
	}

	students := []*student{
		{b: teacher.NewDevice(t), name: "Ann", kind: browsertest.Mouse},
		{b: teacher.NewDevice(t), name: "<b>Bob</b>", kind: browsertest.Pen},
		{b: teacher.NewDevice(t), name: "", kind: browsertest.Touch},
	}
	phone := students[2].b
	phone.Do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, s := range students {
		s.join(t, joinURL)
	}
	teacher.WaitFor(t, `document.getElementById("joined").textContent === "3 students joined"`, 5*time.Second)

	// What the phone downloaded to draw: the page, its script and style.
	bytes := browsertest.Eval[float64](t, phone, `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
		.reduce((n, e) => n + e.transferSize, 0)`)
	files := browsertest.Eval[float64](t, phone, `performance.getEntriesByType("resource").length + 1`)
	t.Logf("the students' page downloads %.0f bytes in %.0f files (headers included)", bytes, files)
	if bytes > 40_000 {
		t.Errorf("the students' page downloads %.0f bytes, want it small (under 40 kB)", bytes)
	}
	if w := browsertest.Eval[float64](t, phone, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the students' page is %v px wide on a 390 px phone", w)
	}

	// Each student draws four digits; the teacher sees each one arrive.
	want := map[string]int{}
	total := 0
	for round := range 4 {
		for _, s := range students {
			label := s.draw(t, ds)
			want[label]++
			total++
			start := time.Now()
			teacher.WaitFor(t, fmt.Sprintf(`%s === %d`, tilesJS, total), 5*time.Second)
			if round == 0 {
				t.Logf("%s's %s reached the teacher's gallery %v after Submit", s.kind, label, time.Since(start).Round(time.Millisecond))
			}
		}
	}
	if y := browsertest.Eval[float64](t, phone, `window.scrollY`); y != 0 {
		t.Errorf("drawing with a finger scrolled the phone's page to %v", y)
	}
	students[0].b.Screenshot(t, "class-student")
	phone.Screenshot(t, "class-student-phone")

	// The nickname that is HTML shows as text.
	if n := browsertest.Eval[float64](t, teacher, `document.querySelectorAll("#gallery b").length`); n != 0 {
		t.Error("a nickname was parsed as HTML on the teacher's page")
	}
	if !browsertest.Eval[bool](t, teacher, `[...document.querySelectorAll("#gallery .who")].some(e => e.textContent === "<b>Bob</b>")`) {
		t.Error("the nickname <b>Bob</b> is not shown as written")
	}

	// Offline, a drawing waits in the student's queue; back online, it is sent.
	s := students[0]
	setOffline(t, s.b, true)
	label := s.draw(t, ds)
	s.b.WaitFor(t, `document.getElementById("status").textContent.includes("1 waiting")`, 5*time.Second)
	if got := browsertest.Eval[float64](t, teacher, tilesJS); int(got) != total {
		t.Fatalf("an offline drawing reached the teacher")
	}
	setOffline(t, s.b, false)
	want[label]++
	total++
	teacher.WaitFor(t, fmt.Sprintf(`%s === %d`, tilesJS, total), 40*time.Second)

	// The teacher deletes the newest drawing.
	deleted := browsertest.Eval[string](t, teacher, `document.querySelector("#gallery .tile").dataset.label`)
	teacher.Click(t, "#gallery .tile .delete")
	teacher.WaitFor(t, fmt.Sprintf(`%s === %d`, tilesJS, total-1), 5*time.Second)
	want[deleted]--
	total--

	// Test the shipped model on the class's drawings.
	teacher.Click(t, "#evaluate")
	teacher.WaitFor(t, `document.getElementById("accuracy").textContent.startsWith("Accuracy")`, 20*time.Second)
	acc := browsertest.Eval[string](t, teacher, `document.getElementById("accuracy").textContent`)
	t.Logf("teacher: %s", acc)
	if !strings.Contains(acc, fmt.Sprintf("on %d drawings", total)) {
		t.Errorf("the test covers %q, want %d drawings", acc, total)
	}
	teacher.Screenshot(t, "class-teacher")

	// Export the zip: one folder per class, counts as drawn minus the deleted one.
	dir := t.TempDir()
	teacher.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	teacher.Click(t, "#export-folders")
	file := filepath.Join(dir, "class-"+code+"-folders.zip")
	var zr *zip.ReadCloser
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var err error
		if zr, err = zip.OpenReader(file); err == nil {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no export at %s (folder has %v): %v", file, entries, err)
		}
	}
	defer zr.Close()
	got := map[string]int{}
	for _, f := range zr.File {
		if dir, name, ok := strings.Cut(f.Name, "/"); ok && strings.HasSuffix(name, ".png") {
			got[dir]++
		}
	}
	for l, n := range want {
		if n == 0 {
			delete(want, l)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the zip holds %v, want %v", got, want)
	}
	t.Logf("exported %d drawings in %d class folders", total, len(got))
	teacher.AssertNoErrors(t)

	// Train with our drawings: in the playground, the zip is imported as a
	// set of My data (with the training panel, the transfer from the
	// digits model, and the tests of the shipped and the current model).
	root := strings.TrimSuffix(teacherURL[:strings.Index(teacherURL, "/class/")], "/")
	teacher.Navigate(t, root+"/")
	teacher.WaitFor(t, `document.getElementById("mydata-panel") && document.getElementById("mydata-panel").dataset.loaded === "true"`, 60*time.Second)
	teacher.Do(t, chromedp.SetUploadFiles("#mydata-import-files", []string{file}))
	teacher.WaitFor(t, fmt.Sprintf(`document.querySelectorAll(".mydata-thumb").length === %d`, total), 30*time.Second)
	teacher.Click(t, "#mydata-eval-shipped")
	teacher.WaitFor(t, `document.getElementById("mydata-eval") && document.getElementById("mydata-eval").dataset.acc`, 30*time.Second)
	acc2 := browsertest.Eval[string](t, teacher, `document.getElementById("mydata-eval").dataset.acc`)
	n2 := browsertest.Eval[string](t, teacher, `document.getElementById("mydata-eval").dataset.n`)
	t.Logf("the playground's test of the shipped model on the imported class set: accuracy %s on %s drawings", acc2, n2)
	if n2 != fmt.Sprint(total) {
		t.Errorf("the playground tested %s drawings of the class set, want %d", n2, total)
	}
	teacher.Screenshot(t, "class-in-mydata")
	teacher.AssertNoErrors(t)
	for _, s := range students {
		// The offline spell logs the failed fetch; nothing else may fail.
		s.b.AssertNoErrors(t, "Failed to fetch", "ERR_INTERNET_DISCONNECTED")
	}
}

// setOffline cuts the tab's network, or restores it.
func setOffline(t *testing.T, b *browsertest.Browser, off bool) {
	t.Helper()
	b.Do(t, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
		if err != nil {
			return err
		}
		_, err = chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}}})
		if err != nil {
			return err
		}
		// navigator.onLine and the online event, which the page listens to.
		_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}
