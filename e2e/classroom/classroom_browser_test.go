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
// "Test and train in the playground" opens the playground with the class
// as a My data set (its counts, no key left in the address, the shipped
// model tested on it; a second import replaces it), and a wrong key, an
// empty class or a tab no teacher opened each get a clear message.
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

	// Before any drawing, the playground says there is nothing to import.
	playground := teacher.Opened(t, func() { teacher.Click(t, "#playground") })
	playground.WaitFor(t, statusHas("The class "+code+" has no drawings to import yet"), 90*time.Second)
	if n := browsertest.Eval[float64](t, playground, `document.querySelectorAll("#mydata-set option[value]:not([value=''])").length`); n != 0 {
		t.Errorf("an empty class made %v sets", n)
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

	// Test and train in the playground: one click on the teacher's page
	// makes the class the set "Class <code>" in the playground's tab (the
	// same tab as before, which imports again).
	teacher.Click(t, "#playground")
	playground.WaitFor(t, statusHas(fmt.Sprintf("Imported the %d drawings of the class %s as the set Class %s.", total, code, code)), 60*time.Second)
	perClass := browsertest.Eval[map[string]int](t, playground, `Object.fromEntries([...document.querySelectorAll(".mydata-class")].map(e => [e.dataset.class, +e.dataset.count]))`)
	if fmt.Sprint(perClass) != fmt.Sprint(want) {
		t.Errorf("the playground's class set holds %v, want %v", perClass, want)
	}
	if set := browsertest.Eval[string](t, playground, `document.getElementById("mydata-set").selectedOptions[0].textContent`); set != fmt.Sprintf("Class %s (%d)", code, total) {
		t.Errorf("the set shown is %q, want the class's", set)
	}
	key := teacherURL[strings.Index(teacherURL, "#key=")+len("#key="):]
	if h := browsertest.Eval[string](t, playground, `location.href`); strings.Contains(h, "#") || strings.Contains(h, key) {
		t.Errorf("the playground's address keeps the fragment or the key: %s", h)
	}
	if st := browsertest.Eval[string](t, playground, `JSON.stringify(sessionStorage) + JSON.stringify(localStorage)`); strings.Contains(st, key) {
		t.Errorf("the playground's storage holds the teacher's key: %s", st)
	}
	playground.ElementScreenshot(t, "#mydata-panel", "class-playground-import")
	playground.Click(t, "#mydata-eval-shipped")
	playground.WaitFor(t, `document.getElementById("mydata-eval") && document.getElementById("mydata-eval").dataset.acc`, 30*time.Second)
	acc2 := browsertest.Eval[string](t, playground, `document.getElementById("mydata-eval").dataset.acc`)
	n2 := browsertest.Eval[string](t, playground, `document.getElementById("mydata-eval").dataset.n`)
	t.Logf("the playground's test of the shipped model on the class set: accuracy %s on %s drawings", acc2, n2)
	if n2 != fmt.Sprint(total) {
		t.Errorf("the playground tested %s drawings of the class set, want %d", n2, total)
	}
	playground.Screenshot(t, "class-in-mydata")

	// Again: the set is replaced, not doubled.
	teacher.Click(t, "#playground")
	playground.WaitFor(t, statusHas(fmt.Sprintf("in place of its %d earlier ones", total)), 60*time.Second)
	if n := browsertest.Eval[float64](t, playground, fmt.Sprintf(`[...document.querySelectorAll("#mydata-set option")].filter(o => o.textContent.startsWith("Class %s")).length`, code)); n != 1 {
		t.Errorf("after a second import there are %v sets of the class, want 1", n)
	}
	// "MNIST plus the class set": a set of all ten digits trains with
	// MNIST's training images.
	trainPlusMNIST(t, playground, ds)
	teacher.AssertNoErrors(t)
	playground.AssertNoErrors(t)

	// A page of this site that answers with a wrong key gets a clear
	// message, and the class's set stays as it was.
	root := strings.TrimSuffix(teacherURL[:strings.Index(teacherURL, "/class/")], "/")
	other := teacher.NewTab(t)
	other.Navigate(t, root+"/class/join")
	browsertest.Eval[bool](t, other, `(() => {
		addEventListener("message", (e) => e.source.postMessage({type: "cnnplay-class-key", key: "not-the-teachers-key"}, location.origin));
		const b = document.createElement("button");
		b.id = "open-playground";
		b.textContent = "open";
		b.addEventListener("click", () => window.open("/#class-import", "wrong-key"));
		document.body.prepend(b);
		return true;
	})()`)
	wrong := other.Opened(t, func() { other.Click(t, "#open-playground") })
	wrong.WaitFor(t, statusHas("The class server refused the teacher's key"), 90*time.Second)
	if set := browsertest.Eval[string](t, wrong, `document.getElementById("mydata-set").selectedOptions[0].textContent`); set != fmt.Sprintf("Class %s (%d)", code, total) {
		t.Errorf("after a wrong key the set shown is %q, want the class's as it was", set)
	}
	wrong.AssertNoErrors(t, "401")

	// Opened by hand, #class-import says where to start.
	other.Navigate(t, root+"/#class-import")
	other.WaitFor(t, statusHas("No teacher's page opened this tab"), 60*time.Second)
	if h := browsertest.Eval[string](t, other, `location.href`); strings.Contains(h, "#") {
		t.Errorf("the address keeps the fragment: %s", h)
	}
	for _, s := range students {
		// The offline spell logs the failed fetch; nothing else may fail.
		s.b.AssertNoErrors(t, "Failed to fetch", "ERR_INTERNET_DISCONNECTED")
	}
}

// statusHas is a JavaScript test that the My data panel's status holds
// text.
func statusHas(text string) string {
	return fmt.Sprintf(`(document.getElementById("mydata-status") || {textContent: ""}).textContent.includes(%q)`, text)
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
